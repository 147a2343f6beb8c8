"""The offer, as written in the front matter of ``docs/offres/<id>.md``."""

from __future__ import annotations

from decimal import Decimal
from typing import Optional

from pydantic import Field

from .base import Line, Model, Money, Slug, Text

Id = Field(alias="id", description="Identifiant court : minuscules, chiffres et tirets.")


class OfferPrice(Model):
    floor_ht: Money = Field(alias="a_partir_de",
                            description="Prix plancher du forfait, en euros HT.")
    flat_fee: bool = Field(True, alias="forfait", description="Prix forfaitaire ?")
    days: int = Field(alias="jours", ge=1, description="Jours de mission compris.")
    workshops: int = Field(alias="ateliers", ge=0, description="Ateliers compris.")
    deliverables: int = Field(alias="livrables", ge=0, description="Livrables compris.")
    vat_rate: Decimal = Field(alias="taux_tva", ge=0, le=1, decimal_places=4,
                              description="Taux de TVA, par exemple 0.20.")


class OfferOption(Model):
    id: Slug = Id
    label: Line = Field(alias="libelle", description="Libellé de l'option.")
    unit: Line = Field(alias="unite", description="Unité : jour, entretien…")
    unit_price_ht: Money = Field(alias="prix_unitaire_ht", description="Prix unitaire en euros HT.")


class OfferConditions(Model):
    stop_coefficient: Decimal = Field(
        alias="coefficient_arret", gt=0, le=1, decimal_places=4,
        description="Coefficient appliqué au forfait si la mission s'arrête avant l'atelier.")
    stop_text: Text = Field(alias="arret_avant_atelier",
                            description="Texte de la clause d'arrêt avant l'atelier.")


class OfferStep(Model):
    id: Slug = Id
    title: Line = Field(alias="titre", description="Titre de l'étape.")
    summary: Text = Field(alias="resume", description="Résumé de l'étape.")
    deliverables: list[str] = Field(default_factory=list, alias="livrables",
                                    description="Livrables remis à cette étape (ids).")


class OfferDeliverable(Model):
    id: Slug = Id
    title: Line = Field(alias="titre", description="Titre du livrable.")


class Offer(Model):
    id: Slug = Id
    title: Line = Field(alias="titre", description="Titre de l'offre.")
    tagline: Line = Field(alias="accroche", description="Accroche.")
    price: OfferPrice = Field(alias="prix", description="Prix et contenu du forfait.")
    options: list[OfferOption] = Field(default_factory=list, alias="options",
                                       description="Options payantes.")
    conditions: OfferConditions = Field(alias="conditions",
                                        description="Conditions particulières.")
    steps: list[OfferStep] = Field(alias="etapes", min_length=1,
                                   description="Étapes du mode opératoire, dans l'ordre.")
    deliverables: list[OfferDeliverable] = Field(alias="livrables", min_length=1,
                                                 description="Livrables de l'offre.")

    def option(self, option_id: str) -> Optional[OfferOption]:
        return next((o for o in self.options if o.id == option_id), None)


class OfferPage(Model):
    """Front matter of an offer page."""

    template: Optional[str] = Field(None, description="Gabarit Material (offre.html).")
    title: Optional[Line] = Field(None, description="Titre de la page.")
    description: Optional[Text] = Field(None, description="Description (moteurs de recherche).")
    hide: Optional[list[str]] = Field(None, description="Éléments masqués (Material).")
    offer: Offer = Field(alias="offre", description="L'offre décrite par la page.")
