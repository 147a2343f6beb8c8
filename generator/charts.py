"""Chart geometry: the stakeholder grid and the attractiveness/usefulness plot.

Python places the points; SVG templates draw them. Every chart is also given as a
table beside it (accessibility), by the page templates.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction

from .compute.roi import RoiResult
from .compute.stakeholders import Quadrant
from .models.mission import Scenario, Stakeholder
from .models.vocab import Stance
from .render import render

STANCE_COLOURS = {  # colour-blind-safe, each ≥ 4.5:1 on white
    Stance.FAVOURABLE: "#1b7340",
    Stance.NEUTRAL: "#4a5568",
    Stance.RESERVED: "#9c5a00",
    Stance.OPPOSED: "#b42318",
}


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str
    colour: str
    ring: bool = False


def _spread(items: list, x: float, y: float, step: float) -> list[tuple[float, float]]:
    """Points sharing one cell fan out horizontally instead of overlapping."""
    n = len(items)
    return [(x + (i - (n - 1) / 2) * step, y) for i in range(n)]


def stakeholder_svg(stakeholders: list[Stakeholder], quadrants: dict[str, Quadrant],
                    *, title_id: str) -> str:
    """Power (vertical) against interest (horizontal), 1..4, high from 3."""
    left, top, size = 70, 20, 400
    cell = size / 4

    def px(interest: int) -> float:
        return left + (interest - 0.5) * cell

    def py(power: int) -> float:
        return top + size - (power - 0.5) * cell

    numbers = {s.id: str(i) for i, s in enumerate(stakeholders, start=1)}
    cells: dict[tuple[int, int], list[Stakeholder]] = defaultdict(list)
    for s in stakeholders:
        cells[s.interest, s.power].append(s)
    points = []
    for (interest, power), group in sorted(cells.items()):
        for s, (x, y) in zip(group, _spread(group, px(interest), py(power), 26),
                             strict=True):
            colour = STANCE_COLOURS[s.stance]
            points.append(Point(x, y, numbers[s.id], colour, s.remote))
    return render("charts/stakeholders.svg.j2", points=points, left=left, top=top,
                  size=size, cell=cell, title_id=title_id, quadrants=quadrants)


def roi_plot_svg(result: RoiResult, scenarios: list[Scenario], *, title_id: str) -> str:
    """Citizen attractiveness (score moyen, 0..4) against usefulness for the public actor."""
    left, top, size = 70, 20, 360
    by_id = {s.id: s for s in scenarios}
    cells: dict[tuple[Fraction, int], list[str]] = defaultdict(list)
    for sid, score in result.scenarios.items():
        cells[score.score_mean, by_id[sid].usefulness].append(sid)
    points = []
    for (mean, useful), group in sorted(cells.items()):
        x = left + float(mean) / 4 * size
        y = top + size - useful / 4 * size
        for sid, (px, py) in zip(group, _spread(group, x, y, 30), strict=True):
            points.append(Point(px, py, sid, "#1d4f91", sid == result.retained))
    return render("charts/roi_plot.svg.j2", points=points, left=left, top=top, size=size,
                  title_id=title_id)


def heat_colour(score: Fraction, not_reached: bool) -> tuple[str, str]:
    """Background and text colour of a heat-map cell (text contrast ≥ 4.5:1)."""
    if not_reached:
        return "#f3f4f6", "#9b1c1c"
    ramp = ["#fdecea", "#fde2c4", "#e6f0d6", "#bfe0c0", "#7cc49a"]
    return ramp[min(int(float(score) + 0.5), 4)], "#111827"
