"""Chart geometry and text alternatives: the stakeholder grid and the attractiveness /
usefulness plot, for a page and for a slide.

Python places the points; SVG templates draw them. Each chart carries a sentence
that says what it shows (its ``<title>``: the screen reader's and the tagged PDF's
text alternative), and the same data is given as a table beside it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction

from ..compute.roi import RoiResult
from ..compute.stakeholders import QUADRANTS, Quadrant
from ..content.models.mission import Scenario, Stakeholder
from ..content.models.vocab import Stance, StepStatus
from ..text.fmt import number
from ..text.render import render

STANCE_COLOURS = {  # colour-blind-safe, each ≥ 4.5:1 on white
    Stance.FAVOURABLE: "#1b7340",
    Stance.NEUTRAL: "#4a5568",
    Stance.RESERVED: "#9c5a00",
    Stance.OPPOSED: "#b42318",
}
FONT = "'Source Sans 3', 'DejaVu Sans', sans-serif"


@dataclass(frozen=True)
class Style:
    """Sizes of one chart's drawing, in the units of its viewBox."""

    left: int           #: room for the vertical axis and its title
    top: int
    size: int           #: side of the square plot
    font: int           #: axis and quadrant labels
    label: int          #: the number or letter inside a point
    dot: int            #: radius of a point
    step: int           #: spacing of points sharing a cell
    unit: str           #: CSS unit of the drawing's width and height
    upright: bool = False   #: the vertical axis's title written across, above the plot


PAGE = Style(left=70, top=20, size=400, font=12, label=11, dot=10, step=26, unit="")
#: On a projected slide every label is 18 pt or more: 1 unit = 1 pt.
SLIDE = Style(left=40, top=44, size=320, font=18, label=18, dot=15, step=31, unit="pt",
              upright=True)


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


def _list(names: list[str]) -> str:
    return ", ".join(names[:-1]) + " et " + names[-1] if len(names) > 1 else "".join(names)


def describe_stakeholders(stakeholders: list[Stakeholder],
                          quadrants: dict[str, Quadrant]) -> str:
    """« Carte pouvoir/intérêt : 6 parties prenantes ; acteurs clés : Maire et adjoints ; … »"""
    parts = [f"Carte pouvoir / intérêt : {len(stakeholders)} partie"
             f"{'s' if len(stakeholders) > 1 else ''} prenante"
             f"{'s' if len(stakeholders) > 1 else ''}"]
    for qid, quadrant in QUADRANTS.items():
        members = [f"{i}. {s.label}" for i, s in enumerate(stakeholders, start=1)
                   if quadrants[s.id].id == qid]
        if members:
            parts.append(f"{quadrant.title.lower()} : {_list(members)}")
    remote = [s.label for s in stakeholders if s.remote]
    if remote:
        parts.append(f"éloigné{'s' if len(remote) > 1 else ''} de la participation : "
                     f"{_list(remote)}")
    return " ; ".join(parts) + "."


def describe_roi(result: RoiResult, scenarios: list[Scenario]) -> str:
    """« Attrait et utilité des scénarios : B, attrait 2,67 sur 4, utilité 3 sur 4, retenu ; … »"""
    by_id = {s.id: s for s in scenarios}
    parts = []
    for sid, score in result.scenarios.items():
        part = (f"{sid}, attrait pour les citoyens {number(score.score_mean)} sur 4, "
                f"utilité pour l'acteur public {by_id[sid].usefulness} sur 4")
        if sid == result.retained:
            part += ", scénario retenu"
        parts.append(part)
    return "Attrait et utilité des scénarios, du mieux classé au moins bien classé : " + \
        " ; ".join(parts) + "."


def describe_heatmap(result: RoiResult, labels: dict[str, str]) -> str:
    """« Carte de chaleur : scénario B, du public le moins bien servi (Jeunes du
    quartier, 1,558) au mieux servi (Riverains, 2,725) ; … »: what the colours show."""
    parts = []
    for sid, score in result.scenarios.items():
        ranked = sorted(score.publics.values(), key=lambda p: (p.effective, p.public))
        low, high = ranked[0], ranked[-1]
        part = (f"scénario {sid}, du public le moins bien servi "
                f"({labels.get(low.public, low.public)}, {number(low.effective, 3)}) au "
                f"mieux servi ({labels.get(high.public, high.public)}, "
                f"{number(high.effective, 3)})")
        missed = [labels.get(p.public, p.public) for p in ranked if p.not_reached]
        if missed:
            part += f", non atteint{'s' if len(missed) > 1 else ''} : {_list(missed)}"
        parts.append(part)
    return "Carte de chaleur, score effectif de 0 à 4 : " + " ; ".join(parts) + "."


def describe_progress(steps: list[tuple[str, StepStatus]]) -> str:
    """« Avancement : 4 étapes sur 5 faites ; en cours : … ; à venir : … », from
    (title, status) pairs in the offer's order."""
    done = [t for t, status in steps if status is StepStatus.DONE]
    parts = [f"Avancement : {len(done)} étape{'s' if len(steps) > 1 else ''} sur "
             f"{len(steps)} faite{'s' if len(done) > 1 else ''}"]
    for status in (StepStatus.ONGOING, StepStatus.TODO):
        titles = [t for t, s in steps if s is status]
        if titles:
            parts.append(f"{status.label.lower()} : {_list(titles)}")
    return " ; ".join(parts) + "."


def stakeholder_svg(stakeholders: list[Stakeholder], quadrants: dict[str, Quadrant],
                    *, title_id: str, style: Style = PAGE) -> str:
    """Power (vertical) against interest (horizontal), 1..4, high from 3."""
    left, top, size = style.left, style.top, style.size
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
        for s, (x, y) in zip(group, _spread(group, px(interest), py(power), style.step),
                             strict=True):
            points.append(Point(x, y, numbers[s.id], STANCE_COLOURS[s.stance], s.remote))
    return render("dossier/charts/stakeholders.svg.j2", points=points, s=style, cell=cell,
                  title_id=title_id, font=FONT,
                  description=describe_stakeholders(stakeholders, quadrants))


def roi_plot_svg(result: RoiResult, scenarios: list[Scenario], *, title_id: str,
                 style: Style = PAGE) -> str:
    """Citizen attractiveness (score moyen, 0..4) against usefulness for the public actor."""
    left, top, size = style.left, style.top, style.size
    by_id = {s.id: s for s in scenarios}
    cells: dict[tuple[Fraction, int], list[str]] = defaultdict(list)
    for sid, score in result.scenarios.items():
        cells[score.score_mean, by_id[sid].usefulness].append(sid)
    points = []
    for (mean, useful), group in sorted(cells.items()):
        x = left + float(mean) / 4 * size
        y = top + size - useful / 4 * size
        for sid, (px, py) in zip(group, _spread(group, x, y, style.step + 4), strict=True):
            points.append(Point(px, py, sid, "#1d4f91", sid == result.retained))
    return render("dossier/charts/roi_plot.svg.j2", points=points, s=style, title_id=title_id,
                  font=FONT, description=describe_roi(result, scenarios))


#: Heat-map backgrounds by rounded score 0..4 (text #111827 on each: contrast ≥ 4.5:1);
#: the workshop page draws with the same.
HEAT_RAMP = ("#fdecea", "#fde2c4", "#e6f0d6", "#bfe0c0", "#7cc49a")
NOT_REACHED_COLOURS = ("#f3f4f6", "#9b1c1c")   #: background, text


def heat_colour(score: Fraction, not_reached: bool) -> tuple[str, str]:
    """Background and text colour of a heat-map cell (text contrast ≥ 4.5:1)."""
    if not_reached:
        return NOT_REACHED_COLOURS
    return HEAT_RAMP[min(int(float(score) + 0.5), 4)], "#111827"
