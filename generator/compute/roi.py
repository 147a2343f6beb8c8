"""R.O.I. citoyen: each scenario seen from each citizen public, and the ranking.

Scores are exact fractions so that ties are real ties; they become floats only
when shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from ..content.models.mission import Evaluation, Roi, Scenario

COSTS = ("time", "travel", "effort", "exposure")
BENEFITS = ("influence", "information", "recognition", "conviviality", "follow_up")
NOT_REACHED_MAX = 1  #: mobilisation at or below this: the public is not reached


@dataclass(frozen=True)
class PublicScore:
    public: str
    lightness: Fraction     #: allègement: weighted mean of the costs (4 = lightest)
    returns: Fraction       #: retour: weighted mean of the benefits
    score: Fraction         #: (allègement + retour) / 2
    mobilisation: int
    not_reached: bool
    effective: Fraction     #: 0 when not reached


@dataclass(frozen=True)
class ScenarioScore:
    scenario: str
    publics: dict[str, PublicScore]
    score_min: Fraction
    score_mean: Fraction
    usefulness: int
    rank: int = 0


@dataclass(frozen=True)
class RoiResult:
    scenarios: dict[str, ScenarioScore]   #: in ranking order, best first
    ranking: tuple[str, ...]
    priority_publics: tuple[str, ...]
    retained: str | None


def _weighted_mean(values: object, weights: object, names: tuple[str, ...]) -> Fraction:
    total = sum((Fraction(getattr(weights, n)) for n in names), Fraction(0))
    if total == 0:
        return Fraction(0)
    return sum((Fraction(getattr(values, n)) * Fraction(getattr(weights, n)) for n in names),
               Fraction(0)) / total


def score_public(evaluation: Evaluation, roi: Roi) -> PublicScore:
    lightness = _weighted_mean(evaluation.costs, roi.weights, COSTS)
    returns = _weighted_mean(evaluation.benefits, roi.weights, BENEFITS)
    score = (lightness + returns) / 2
    not_reached = evaluation.mobilisation <= NOT_REACHED_MAX
    return PublicScore(evaluation.public, lightness, returns, score,
                       evaluation.mobilisation, not_reached,
                       Fraction(0) if not_reached else score)


def evaluate(roi: Roi, scenarios: list[Scenario]) -> RoiResult:
    """Score and rank the scenarios; every scenario × public pair must be present."""
    publics = [p.ref for p in roi.publics]
    priority = tuple(p.ref for p in roi.publics if p.priority) or tuple(publics)
    by_pair = {(e.scenario, e.public): e for e in roi.evaluations}
    scored = []
    for scenario in scenarios:
        per_public = {p: score_public(by_pair[scenario.id, p], roi) for p in publics}
        effective = [per_public[p].effective for p in priority]
        scored.append(ScenarioScore(
            scenario.id, per_public, min(effective),
            sum((s.effective for s in per_public.values()), Fraction(0)) / len(publics),
            scenario.usefulness))
    scored.sort(key=lambda s: (-s.score_min, -s.score_mean, -s.usefulness, s.scenario))
    ranked = {s.scenario: ScenarioScore(s.scenario, s.publics, s.score_min, s.score_mean,
                                        s.usefulness, rank)
              for rank, s in enumerate(scored, start=1)}
    return RoiResult(ranked, tuple(ranked), priority, roi.retained)
