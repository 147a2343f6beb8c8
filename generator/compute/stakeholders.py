"""Mendelow's power/interest grid: which stakeholders to involve, and how."""

from __future__ import annotations

from dataclasses import dataclass

from ..content.models.mission import Stakeholder

HIGH = 3  #: on the 1..4 scales, "high" means 3 or 4


@dataclass(frozen=True)
class Quadrant:
    id: str
    title: str
    action: str


QUADRANTS = {
    "acteurs-cles": Quadrant("acteurs-cles", "Acteurs clés", "Associer étroitement"),
    "a-satisfaire": Quadrant("a-satisfaire", "À satisfaire", "Consulter, tenir satisfait"),
    "a-impliquer": Quadrant("a-impliquer", "À impliquer", "Impliquer, tenir informé"),
    "a-informer": Quadrant("a-informer", "À informer", "Informer"),
}


def quadrant(power: int, interest: int) -> Quadrant:
    high_power, high_interest = power >= HIGH, interest >= HIGH
    if high_power:
        return QUADRANTS["acteurs-cles" if high_interest else "a-satisfaire"]
    return QUADRANTS["a-impliquer" if high_interest else "a-informer"]


def quadrants(stakeholders: list[Stakeholder]) -> dict[str, Quadrant]:
    """Each stakeholder's quadrant, by id, in input order."""
    return {s.id: quadrant(s.power, s.interest) for s in stakeholders}
