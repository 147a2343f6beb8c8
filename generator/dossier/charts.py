"""Chart geometry and text alternatives: the stakeholder grid and the attractiveness /
usefulness plot, for a page and for a slide.

Python places the points; SVG templates draw them. Each chart carries a sentence
that says what it shows (its ``<title>``: the screen reader's and the tagged PDF's
text alternative), and the same data is given as a table beside it.
"""

from __future__ import annotations

import textwrap
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
    width: int          #: of the plot
    height: int
    font: int           #: axis and quadrant labels
    label: int          #: the number or letter inside a point
    dot: int            #: radius of a point
    step: int           #: spacing of points sharing a cell
    unit: str           #: CSS unit of the drawing's width and height
    legend: int = 0     #: width of the key drawn right of the plot (0: none, a table follows)


PAGE = Style(left=70, top=20, width=400, height=400, font=12, label=11, dot=10, step=26,
             unit="")
#: On a projected slide the chart is the slide: it fills the body (846 × 362 pt), its
#: key beside the plot instead of a table, every label 18 pt or more (1 unit = 1 pt); the
#: vertical axis's title turned, so that the plot has the height.
SLIDE = Style(left=80, top=20, width=400, height=274, font=18, label=18, dot=15, step=31,
              unit="pt", legend=320)
#: Vertical room of one key line, in type sizes, and the gap between two entries.
KEY_LINE = 1.2
KEY_GAP = 0.25


@dataclass(frozen=True)
class KeyLine:
    """One entry of a chart's key: the mark on the plot, then its name's wrapped lines."""

    mark: str
    colour: str
    lines: tuple[str, ...]
    y: float


def key_chars(style: Style) -> int:
    """Characters a key line holds (a character about half the type size wide)."""
    return int((style.legend - 2.2 * style.font) / (0.5 * style.font))


def _key(entries: list[tuple[str, str, str]], style: Style) -> list[KeyLine]:
    """(mark, colour, name) laid out top down beside the plot, from the drawing's top,
    names wrapped."""
    found, y = [], _key_top(style)
    for mark, colour, name in entries:
        lines = tuple(textwrap.wrap(name, key_chars(style))) or ("",)
        found.append(KeyLine(mark, colour, lines, y))
        y += (len(lines) + KEY_GAP) * style.font * KEY_LINE
    return found


def _key_top(style: Style) -> float:
    """Where the key starts: its first mark (centred on the first line) whole."""
    return max(0.0, key_dot(style) - 0.65 * style.font) + 1


def key_dot(style: Style) -> float:
    """Radius of a key's mark: two marks never touch, one line apart and a gap."""
    return min(float(style.dot), 0.6 * style.font)


def key_room(style: Style) -> float:
    """The lines of key the drawing's height holds (the last entry needs no gap)."""
    height = style.top + style.height + 3 * style.font + 14
    return (height - _key_top(style)) / (style.font * KEY_LINE) + KEY_GAP


def key_lines(name: str, style: Style) -> float:
    """The lines of key one entry takes, its gap included."""
    return len(textwrap.wrap(name, key_chars(style)) or [""]) + KEY_GAP


def stakeholder_key(s: Stakeholder) -> str:
    """A stakeholder as the key names it: « Riverains de la place (réservée) »."""
    return f"{s.label} ({s.stance.label}{', éloigné' if s.remote else ''})"


def scenario_key(title: str, rank: int, retained: bool) -> str:
    """A scenario as the key names it: « Stand sur le marché (1er, retenu) »."""
    return f"{title} ({'1er' if rank == 1 else f'{rank}e'}{', retenu' if retained else ''})"


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
    parts = [f"Avancement : {len(done)} étape{'s' if len(done) > 1 else ''} sur "
             f"{len(steps)} faite{'s' if len(done) > 1 else ''}"]
    for status in (StepStatus.ONGOING, StepStatus.TODO):
        titles = [t for t, s in steps if s is status]
        if titles:
            parts.append(f"{status.label.lower()} : {_list(titles)}")
    return " ; ".join(parts) + "."


def stakeholder_svg(stakeholders: list[Stakeholder], quadrants: dict[str, Quadrant],
                    *, title_id: str, style: Style = PAGE, key: slice = slice(0),
                    description: str = "") -> str:
    """Power (vertical) against interest (horizontal), 1..4, high from 3; with
    ``style.legend``, the ``key`` slice of the stakeholders named beside the plot."""
    left, top = style.left, style.top
    cx, cy = style.width / 4, style.height / 4

    def px(interest: int) -> float:
        return left + (interest - 0.5) * cx

    def py(power: int) -> float:
        return top + style.height - (power - 0.5) * cy

    numbers = {s.id: str(i) for i, s in enumerate(stakeholders, start=1)}
    cells: dict[tuple[int, int], list[Stakeholder]] = defaultdict(list)
    for s in stakeholders:
        cells[s.interest, s.power].append(s)
    points = []
    for (interest, power), group in sorted(cells.items()):
        for s, (x, y) in zip(group, _spread(group, px(interest), py(power), style.step),
                             strict=True):
            points.append(Point(x, y, numbers[s.id], STANCE_COLOURS[s.stance], s.remote))
    entries = [(numbers[s.id], STANCE_COLOURS[s.stance], stakeholder_key(s))
               for s in stakeholders[key]]
    return render("dossier/charts/stakeholders.svg.j2", points=points, s=style, cx=cx, cy=cy,
                  title_id=title_id, font=FONT, key=_key(entries, style), key_line=KEY_LINE,
                  key_dot=key_dot(style),
                  description=description or describe_stakeholders(stakeholders, quadrants))


def roi_plot_svg(result: RoiResult, scenarios: list[Scenario], *, title_id: str,
                 style: Style = PAGE, key: slice = slice(0), description: str = "") -> str:
    """Citizen attractiveness (score moyen, 0..4) against usefulness for the public actor;
    with ``style.legend``, the ``key`` slice of the scenarios (best first) named beside
    the plot."""
    left, top = style.left, style.top
    by_id = {s.id: s for s in scenarios}
    cells: dict[tuple[Fraction, int], list[str]] = defaultdict(list)
    for sid, score in result.scenarios.items():
        cells[score.score_mean, by_id[sid].usefulness].append(sid)
    points = []
    for (mean, useful), group in sorted(cells.items()):
        x = left + float(mean) / 4 * style.width
        y = top + style.height - useful / 4 * style.height
        for sid, (px, py) in zip(group, _spread(group, x, y, style.step + 4), strict=True):
            points.append(Point(px, py, sid, "#1d4f91", sid == result.retained))
    entries = [(sid, "#1d4f91", scenario_key(by_id[sid].title, score.rank,
                                             sid == result.retained))
               for sid, score in list(result.scenarios.items())[key]]
    return render("dossier/charts/roi_plot.svg.j2", points=points, s=style, title_id=title_id,
                  font=FONT, key=_key(entries, style), key_line=KEY_LINE,
                  key_dot=key_dot(style),
                  description=description or describe_roi(result, scenarios))



#: Heat-map backgrounds by rounded score 0..4 (text #111827 on each: contrast ≥ 4.5:1);
#: the workshop page draws with the same.
HEAT_RAMP = ("#fdecea", "#fde2c4", "#e6f0d6", "#bfe0c0", "#7cc49a")
NOT_REACHED_COLOURS = ("#f3f4f6", "#9b1c1c")   #: background, text


def heat_colour(score: Fraction, not_reached: bool) -> tuple[str, str]:
    """Background and text colour of a heat-map cell (text contrast ≥ 4.5:1)."""
    if not_reached:
        return NOT_REACHED_COLOURS
    return HEAT_RAMP[min(int(float(score) + 0.5), 4)], "#111827"
