"""Closed vocabularies: the value the consultant writes, the label the client reads.

Each list is written once: validation (pydantic reads an enum by its value), the JSON
Schema, the CLI's choices and the labels on the pages all come from these classes.
"""

from __future__ import annotations

from enum import StrEnum


class Choice(StrEnum):
    """A value of a closed list, with its French label."""

    label: str

    def __new__(cls, value: str, label: str) -> Choice:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member


class MissionStatus(Choice):
    PROPOSITION = "proposition", "Proposition"
    ONGOING = "en-cours", "En cours"
    DONE = "terminee", "Terminée"
    STOPPED = "arretee", "Arrêtée"


class StepStatus(Choice):
    TODO = "a-venir", "À venir"
    ONGOING = "en-cours", "En cours"
    DONE = "fait", "Fait"


class DeliverableStatus(Choice):
    TODO = "a-venir", "À venir"
    ONGOING = "en-cours", "En cours"
    DELIVERED = "livre", "Livré"


class Stance(Choice):
    FAVOURABLE = "favorable", "favorable"
    NEUTRAL = "neutre", "neutre"
    RESERVED = "reservee", "réservée"
    OPPOSED = "opposee", "opposée"


class Level(Choice):
    """The participation ladder, from the least to the most citizen power."""

    INFORM = "informer", "informer"
    CONSULT = "consulter", "consulter"
    INVOLVE = "impliquer", "impliquer"
    COLLABORATE = "collaborer", "collaborer"
    EMPOWER = "habiliter", "habiliter"


class ClientKind(Choice):
    COMMUNE = "commune", "Commune"
    INTERCOMMUNALITY = "intercommunalite", "Intercommunalité"
    DEPARTMENT = "departement", "Département"
    REGION = "region", "Région"
    PUBLIC_BODY = "etablissement-public", "Établissement public"
    ASSOCIATION = "association", "Association"
    OTHER = "autre", "Acteur public"


class InvoiceKind(Choice):
    """A French invoice's kind, and its UNTDID 1001 type code (Factur-X, Chorus Pro)."""

    DEPOSIT = "acompte", "Facture d'acompte"
    BALANCE = "solde", "Facture"
    CREDIT = "avoir", "Avoir"

    @property
    def type_code(self) -> str:
        return {"acompte": "386", "solde": "380", "avoir": "381"}[self.value]
