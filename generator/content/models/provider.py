"""The consultant's identity and terms, as written in ``prestataire.yml``: what a devis
must say about who sells (French law for a quote of services to a professional or a
public buyer), written once for every mission."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Optional

from pydantic import Field

from .base import Line, Model, Money, Text

#: Written in a value the consultant has still to fill in; ``amoor check`` warns.
TO_FILL = "à compléter"


class Terms(Model):
    validity_days: int = Field(30, alias="validite_jours", ge=1, le=365,
                               description="Durée de validité du devis, en jours.")
    deposit: Decimal = Field(Decimal(0), alias="acompte", ge=0, le=1, decimal_places=2,
                             description="Acompte à la commande, en fraction du TTC "
                                         "(0.3 pour 30 %) ; 0 : pas d'acompte.")
    payment_days: int = Field(30, alias="delai_paiement_jours", ge=0, le=60,
                              description="Délai de paiement à réception de la facture, "
                                          "en jours (30 pour un acheteur public).")
    late_penalties: Text = Field(
        "taux d'intérêt de la Banque centrale européenne à son opération de refinancement "
        "la plus récente, majoré de 8 points (intérêts moratoires, art. R2192-31 du code "
        "de la commande publique ; art. L441-10 du code de commerce)",
        alias="penalites_retard", description="Taux des pénalités de retard.")
    recovery_fee: Money = Field(Decimal(40), alias="indemnite_recouvrement",
                                description="Indemnité forfaitaire pour frais de "
                                            "recouvrement (40 € : art. D441-5 du code de "
                                            "commerce, D2192-35 du code de la commande "
                                            "publique).")


class Invoicing(Model):
    """How invoices are numbered and what they say besides the devis' terms."""

    prefix: str = Field("F", alias="prefixe", pattern=r"^[A-Z][A-Z0-9]{0,9}$",
                        description="Préfixe des numéros : F donne F-2026-0001.")
    digits: int = Field(4, alias="chiffres", ge=1, le=8,
                        description="Chiffres de la séquence (4 : 0001).")
    vat_on_debits: bool = Field(False, alias="tva_sur_les_debits",
                                description="true si vous avez opté pour le paiement de la "
                                            "TVA d'après les débits (mention obligatoire).")
    discount: Text = Field("pas d'escompte pour paiement anticipé", alias="escompte",
                           description="Conditions d'escompte (mention obligatoire).")


#: A public profile's address: a web page, nothing else (it becomes a link and JSON-LD).
Profile = Annotated[str, Field(pattern=r"^https://[^\s<>\"']+$", max_length=300)]


class Provider(Model):
    name: Line = Field(alias="nom", description="Nom commercial, par exemple a.m.o.o.r.")
    legal_name: Line = Field(alias="raison_sociale",
                             description="Nom de l'entrepreneur ou dénomination sociale.")
    legal_form: Line = Field(alias="forme_juridique",
                             description="Statut : entrepreneur individuel (EI), SASU…")
    address: Text = Field(alias="adresse", description="Adresse du siège.")
    siret: Line = Field(alias="siret", description="Numéro SIRET (14 chiffres).")
    registration: Optional[Line] = Field(
        None, alias="immatriculation",
        description="RCS ou RNE, ville et numéro, s'il y a lieu.")
    vat_number: Optional[Line] = Field(
        None, alias="tva_intracommunautaire",
        description="Numéro de TVA intracommunautaire (FR…), ou null en franchise.")
    vat_note: Optional[Text] = Field(
        None, alias="mention_tva",
        description="En franchise en base : « TVA non applicable, art. 293 B du CGI ».")
    email: Line = Field(alias="courriel",
                        description="Adresse de courriel (écrite telle quelle dans les "
                                    "dossiers privés seulement ; les pages publiques "
                                    "l'écrivent sous la forme que vous choisissez).")
    phone: Line = Field(alias="telephone", description="Téléphone.")
    website: Line = Field(alias="site", description="Site web.")
    iban: Optional[Line] = Field(None, alias="iban", description="IBAN pour les virements.")
    social: list[Profile] = Field(
        default_factory=list, alias="reseaux",
        description="Profils publics (https://…) : LinkedIn, Twitter… ; sur la page « Qui "
                    "sommes-nous » et dans ses données structurées.")
    terms: Terms = Field(default_factory=Terms, alias="conditions",
                         description="Conditions des devis.")
    invoicing: Invoicing = Field(default_factory=Invoicing, alias="facturation",
                                 description="Numérotation et mentions des factures.")

    @property
    def public_email(self) -> str:
        """The address as the public pages print it, where robots read them
        (``contact[@]exemple.fr``); private documents print :attr:`email` as it is."""
        return self.email.replace("@", "[@]")
