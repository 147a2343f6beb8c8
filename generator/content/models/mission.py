"""A client mission, as written in ``missions/<slug>/mission.yml``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Optional

from pydantic import ConfigDict, Field, model_validator

from .base import Grade, Line, Model, Money, Score, Slug, Text
from .vocab import (
    ClientKind,
    DeliverableStatus,
    InvoiceKind,
    Level,
    MissionStatus,
    Stance,
    StepStatus,
)

Ref = Field(alias="ref", min_length=1, description="Identifiant de l'élément de l'offre.")


class Client(Model):
    id: Optional[Slug] = Field(
        None, alias="id",
        description="Identifiant du client, s'il faut distinguer deux clients de même nom "
                    "ou réunir deux orthographes ; par défaut, le nom sans accents ni "
                    "majuscules.")
    name: Line = Field(alias="nom", description="Nom du client.")
    kind: ClientKind = Field(alias="type", description="Type d'acteur public.")
    contact: Optional[Line] = Field(None, alias="interlocuteur",
                                    description="Interlocuteur : une fonction, pas un nom.")
    address: Optional[Text] = Field(None, alias="adresse",
                                    description="Adresse postale (sur le devis).")
    siret: Optional[Line] = Field(None, alias="siret",
                                  description="SIRET de l'acheteur (factures, Chorus Pro).")
    service_code: Optional[Line] = Field(None, alias="code_service",
                                         description="Code service Chorus Pro, s'il est exigé.")
    commitment: Optional[Line] = Field(None, alias="engagement",
                                       description="Numéro d'engagement juridique (Chorus Pro).")
    order_number: Optional[Line] = Field(None, alias="bon_de_commande",
                                         description="Numéro du bon de commande, s'il en a "
                                                     "été établi un.")


class Dates(Model):
    start: Optional[dt.date] = Field(None, alias="debut", description="Début de mission.")
    workshop: Optional[dt.date] = Field(None, alias="atelier",
                                        description="Date de l'atelier R.O.I. citoyen.")
    end: Optional[dt.date] = Field(None, alias="fin", description="Fin de mission.")
    restitution: Optional[dt.date] = Field(None, alias="restitution",
                                           description="Date de la restitution publique.")


class Access(Model):
    password_env: Optional[str] = Field(
        None, alias="mot_de_passe_env", pattern=r"^[A-Za-z_][A-Za-z0-9_]*$",
        description="Nom de la variable d'environnement qui contient le mot de passe "
                    "du dossier, ou null pour un dossier sans mot de passe.")
    demo_password: Optional[Line] = Field(
        None, alias="mot_de_passe_demo",
        description="Mission d'exemple seulement (exemple: true) : mot de passe de "
                    "démonstration, utilisé hors CI quand la variable n'est pas définie.")
    revision: int = Field(
        1, alias="revision", ge=1, le=1000,
        description="Révision du lien : l'augmenter (amoor revoke) retire l'ancien lien à "
                    "la publication suivante et en donne un nouveau.")
    expires: Optional[dt.date] = Field(
        None, alias="expire_le",
        description="Date (AAAA-MM-JJ, heure de Paris) à partir de laquelle le dossier "
                    "n'est plus publié.")


class OptionLine(Model):
    ref: str = Ref
    quantity: Decimal = Field(alias="quantite", gt=0, le=10_000,
                             decimal_places=2, description="Quantité commandée.")
    unit_price_ht: Optional[Money] = Field(
        None, alias="prix_unitaire_ht",
        description="Prix unitaire HT, s'il diffère de celui de l'offre.")


class Pricing(Model):
    flat_fee_ht: Optional[Money] = Field(
        None, alias="forfait_ht",
        description="Forfait HT ; par défaut le prix « à partir de » de l'offre.")
    options: list[OptionLine] = Field(default_factory=list, alias="options",
                                      description="Options commandées.")
    stop_before_workshop: bool = Field(
        False, alias="arret_avant_atelier",
        description="true si la mission s'arrête avant l'atelier (forfait réduit).")


class QuoteTerms(Model):
    """What a devis says of itself; every key has a default."""

    number: Optional[Line] = Field(None, alias="numero",
                                   description="Numéro du devis ; par défaut DEV-<date>-<slug>.")
    date: Optional[dt.date] = Field(None, alias="date",
                                    description="Date du devis ; par défaut le début de mission.")
    validity_days: Optional[int] = Field(None, alias="validite_jours", ge=1, le=365,
                                         description="Validité en jours (par défaut celle "
                                                     "de prestataire.yml).")
    deposit: Optional[Decimal] = Field(None, alias="acompte", ge=0, le=1, decimal_places=2,
                                       description="Acompte, fraction du TTC (par défaut "
                                                   "celui de prestataire.yml).")


class Invoice(Model):
    """An invoice as issued: what it says is kept in ``factures.lock`` and never
    rewritten (an ``avoir`` cancels it)."""

    kind: InvoiceKind = Field(alias="type", description="acompte, solde ou avoir.")
    number: Line = Field(alias="numero", description="Numéro : préfixe-année-séquence "
                                                     "(amoor facture le donne).")
    date: dt.date = Field(alias="date", description="Date d'émission.")
    service: Optional[Line] = Field(
        None, alias="prestation",
        description="Date ou période de la prestation, si elle diffère de la date "
                    "d'émission (par exemple « du 7 septembre au 27 novembre 2026 »).")
    share: Optional[Decimal] = Field(None, alias="part", gt=0, le=1, decimal_places=4,
                                     description="Acompte : fraction du total HT du devis "
                                                 "(0.3 pour 30 %).")
    amount_ht: Optional[Money] = Field(None, alias="montant_ht",
                                       description="Acompte : montant HT, à la place de part.")
    cancels: Optional[Line] = Field(None, alias="annule",
                                    description="Avoir : numéro de la facture annulée.")

    @model_validator(mode="after")
    def _fits_kind(self) -> Invoice:
        deposit = self.kind is InvoiceKind.DEPOSIT
        if deposit and (self.share is None) == (self.amount_ht is None):
            raise ValueError("un acompte a une « part » ou un « montant_ht » (l'un des deux)")
        if not deposit and (self.share is not None or self.amount_ht is not None):
            raise ValueError("« part » et « montant_ht » ne vont qu'avec un acompte")
        if (self.kind is InvoiceKind.CREDIT) != (self.cancels is not None):
            raise ValueError("un avoir, et lui seul, dit quelle facture il annule (« annule »)")
        return self


class StepProgress(Model):
    ref: str = Ref
    status: StepStatus = Field(alias="statut", description="a-venir, en-cours ou fait.")
    date: Optional[dt.date] = Field(None, alias="date", description="Date de réalisation.")


class Stakeholder(Model):
    id: Slug = Field(alias="id", description="Identifiant court de la partie prenante.")
    label: Line = Field(alias="libelle", description="Nom affiché.")
    category: Line = Field(alias="categorie", description="Catégorie : elus, services, habitants…")
    power: Grade = Field(alias="pouvoir", description="Pouvoir, de 1 à 4.")
    interest: Grade = Field(alias="interet", description="Intérêt, de 1 à 4.")
    stance: Stance = Field(alias="posture", description="Posture face au projet.")
    remote: bool = Field(False, alias="eloigne",
                         description="Public éloigné de la participation ?")


class Place(Model):
    # A stray null key is read back into the name (see _rejoin_comma): say so to editors.
    model_config = ConfigDict(json_schema_extra={"additionalProperties": {"type": "null"}})

    name: Line = Field(alias="nom", description="Lieu.")
    step_free: bool = Field(alias="accessible_pmr",
                            description="Accessible aux personnes à mobilité réduite ?")

    @model_validator(mode="before")
    @classmethod
    def _rejoin_comma(cls, data: Any) -> Any:
        """``{nom: Sur la place, jour de marché, …}`` is YAML for two keys, the second
        null: a comma in an unquoted flow-mapping name. Read it as the name it was."""
        if not isinstance(data, dict) or not isinstance(data.get("nom"), str):
            return data
        known = {"nom", "accessible_pmr"}
        strays = [k for k, v in data.items() if k not in known and v is None
                  and isinstance(k, str)]
        if not strays:
            return data
        rest = {k: v for k, v in data.items() if k not in strays}
        rest["nom"] = ", ".join([data["nom"], *strays])
        return rest


class Contract(Model):
    commitments: list[Text] = Field(alias="engagements",
                                    description="Engagements de l'acteur public.")
    restitution: Text = Field(alias="restitution",
                              description="Comment les résultats sont rendus.")


class Parameters(Model):
    subject: Line = Field(alias="objet", description="Objet de la concertation.")
    decision_maker: Line = Field(alias="decisionnaire", description="Qui décide à la fin.")
    negotiable: list[Text] = Field(default_factory=list, alias="negociable",
                                   description="Ce qui est ouvert à la discussion.")
    non_negotiable: list[Text] = Field(default_factory=list, alias="non_negociable",
                                       description="Ce qui ne l'est pas.")
    places: list[Place] = Field(default_factory=list, alias="lieux", description="Lieux.")
    communication: list[Line] = Field(default_factory=list, alias="communication",
                                      description="Moyens de communication.")
    facilitation: Text = Field(alias="methode_animation", description="Méthode d'animation.")
    contract: Contract = Field(alias="contrat",
                               description="Contrat entre acteur public et citoyens.")


class Scenario(Model):
    id: str = Field(alias="id", pattern=r"^[A-Za-z0-9][A-Za-z0-9-]*$",
                    description="Identifiant du scénario (A, B, C…).")
    title: Line = Field(alias="titre", description="Titre du scénario.")
    level: Level = Field(alias="niveau", description="Niveau de participation.")
    techniques: list[Line] = Field(default_factory=list, alias="techniques",
                                   description="Techniques de concertation.")
    publics: Optional[list[str]] = Field(
        None, alias="publics",
        description="Publics visés (ids) ; par défaut ceux du R.O.I. citoyen.")
    cost_ht: Money = Field(alias="cout_ht", description="Coût estimé HT.")
    usefulness: Score = Field(alias="utilite_acteur_public",
                              description="Utilité pour l'acteur public, de 0 à 4.")


class RoiPublic(Model):
    ref: str = Field(alias="ref", min_length=1, description="Partie prenante évaluée.")
    priority: bool = Field(False, alias="prioritaire", description="Public prioritaire ?")


class Costs(Model):
    """Burdens for the citizen, 0..4, where 4 is the lightest."""

    time: Score = Field(alias="temps", description="Temps demandé (4 = léger).")
    travel: Score = Field(alias="deplacement", description="Déplacement (4 = aucun).")
    effort: Score = Field(alias="effort", description="Effort (4 = faible).")
    exposure: Score = Field(alias="exposition", description="Exposition publique (4 = aucune).")


class Benefits(Model):
    influence: Score = Field(alias="influence", description="Influence réelle.")
    information: Score = Field(alias="information", description="Information reçue.")
    recognition: Score = Field(alias="reconnaissance", description="Reconnaissance.")
    conviviality: Score = Field(alias="convivialite", description="Convivialité.")
    follow_up: Score = Field(alias="suivi", description="Suivi des suites données.")


def _weight(alias: str) -> Any:
    return Field(Decimal(1), alias=alias, ge=0, le=100, decimal_places=3)


class Weights(Model):
    """Optional weight of each criterion (default 1)."""

    time: Decimal = _weight("temps")
    travel: Decimal = _weight("deplacement")
    effort: Decimal = _weight("effort")
    exposure: Decimal = _weight("exposition")
    influence: Decimal = _weight("influence")
    information: Decimal = _weight("information")
    recognition: Decimal = _weight("reconnaissance")
    conviviality: Decimal = _weight("convivialite")
    follow_up: Decimal = _weight("suivi")


class Evaluation(Model):
    scenario: str = Field(alias="scenario", description="Scénario évalué (id).")
    public: str = Field(alias="public", description="Public évalué (id).")
    costs: Costs = Field(alias="couts", description="Coûts pour le citoyen (4 = léger).")
    benefits: Benefits = Field(alias="benefices", description="Bénéfices pour le citoyen.")
    mobilisation: Score = Field(alias="mobilisation",
                                description="Ce public sera-t-il vraiment atteint ? (0 à 4)")


class Roi(Model):
    publics: list[RoiPublic] = Field(alias="publics", min_length=1,
                                     description="Publics citoyens évalués.")
    weights: Weights = Field(default_factory=Weights, alias="poids",
                             description="Poids des critères (1 par défaut).")
    evaluations: list[Evaluation] = Field(
        default_factory=list, alias="evaluations",
        description="Une évaluation par scénario et public ; vide avant l'atelier.")
    retained: Optional[str] = Field(None, alias="scenario_retenu",
                                    description="Scénario retenu à l'atelier.")


class DeliverableProgress(Model):
    ref: str = Ref
    status: DeliverableStatus = Field(alias="statut", description="a-venir, en-cours ou livre.")
    date: Optional[dt.date] = Field(None, alias="date", description="Date de livraison.")
    page: Optional[str] = Field(None, alias="page",
                                description="Fichier Markdown du livrable, à côté de mission.yml.")


class Citation(Model):
    text: Text = Field(alias="texte", description="Ce qu'a dit le client, tel que publié.")
    role: Line = Field(alias="role", description="Fonction de la personne citée : jamais "
                                                 "son nom.")


class Reference(Model):
    """A finished mission shown on the public site, with the client's consent: only
    these words of the mission (and the client's name) become public."""

    public: bool = Field(False, alias="publiable",
                         description="true quand le client a donné son accord pour que la "
                                     "mission figure parmi les références (mission "
                                     "terminée seulement) ; false la retire au build suivant.")
    summary: Text = Field(alias="resume", description="Résumé public de la mission, écrit "
                                                      "pour être publié.")
    year: int = Field(alias="annee", ge=2000, le=2100, description="Année de la mission.")
    citation: Optional[Citation] = Field(None, alias="citation",
                                         description="Citation du client (facultative).")


class Mission(Model):
    title: Line = Field(alias="titre", description="Titre de la mission.")
    offer: str = Field(alias="offre",
                       description="Offre (id), par exemple concertation-pertinente.")
    example: bool = Field(
        False, alias="exemple",
        description="Mission d'exemple, fictive : construite sur le poste du consultant "
                    "(avec un mot de passe de démonstration s'il le faut), jamais publiée "
                    "par la CI.")
    client: Client = Field(alias="client", description="Le client.")
    status: MissionStatus = Field(alias="statut", description="État de la mission.")
    dates: Dates = Field(default_factory=Dates, alias="dates", description="Dates clés.")
    access: Access = Field(default_factory=Access, alias="acces", description="Accès au dossier.")
    pricing: Pricing = Field(default_factory=Pricing, alias="tarif",
                             description="Proposition financière.")
    quote: QuoteTerms = Field(default_factory=QuoteTerms, alias="devis",
                              description="Le devis : numéro, date, validité, acompte.")
    invoices: list[Invoice] = Field(default_factory=list, alias="factures",
                                    description="Factures émises (amoor facture).")
    steps: list[StepProgress] = Field(default_factory=list, alias="etapes",
                                      description="Avancement des étapes de l'offre.")
    stakeholders: list[Stakeholder] = Field(default_factory=list, alias="parties_prenantes",
                                            description="Parties prenantes.")
    parameters: Optional[Parameters] = Field(None, alias="parametres",
                                             description="Paramètres de la concertation.")
    scenarios: list[Scenario] = Field(default_factory=list, alias="scenarios",
                                      description="Scénarios de concertation.")
    roi: Optional[Roi] = Field(None, alias="roi_citoyen", description="Atelier R.O.I. citoyen.")
    deliverables: list[DeliverableProgress] = Field(default_factory=list, alias="livrables",
                                                    description="État des livrables.")
    reference: Optional[Reference] = Field(
        None, alias="reference",
        description="Référence publique (avec l'accord du client) : publiée sur le site "
                    "quand la mission est terminée et publiable: true.")
