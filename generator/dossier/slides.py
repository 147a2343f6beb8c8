"""The presentation deck: one idea per slide, from the mission's data.

One source for three outputs: the Présentation page (presented full screen from the
browser), ``presentation.pdf`` (16:9, one slide a page) and ``presentation.pptx``
(editable). A slide never overflows: long lists are cut into slides marked « (suite) »
before anything is drawn, within a budget of lines that fits 18 pt text.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from ..content.models.provider import Provider
from ..text import fmt
from .charts import SLIDE, describe_roi, describe_stakeholders, roi_plot_svg, stakeholder_svg
from .figures import Figures

#: What fits under a slide title at 22 pt: lines of about 60 characters.
MAX_LINES = 8
LINE = 60
#: A table beside a chart, at 18 pt: the lines its slide holds under the caption and
#: the header (a row's padding is half a line). Rows are cut by what they hold, not
#: counted: a long stakeholder name takes three lines in its narrow column.
TABLE_LINES = 13
ROW_PADDING = 0.5

T = TypeVar("T")


@dataclass(frozen=True)
class Column:
    heading: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class Slide:
    """One slide: a title and one of a lead sentence, points, two columns, a table,
    or a chart with its table."""

    kind: str           #: titre, texte, colonnes, tableau, graphique, calendrier
    title: str
    lead: str = ""
    points: tuple[str, ...] = ()
    columns: tuple[Column, ...] = ()
    header: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    chart: str = ""                         #: SVG, labels of 18 pt or more
    alt: str = ""                           #: what the chart shows, in words
    number: int = 0
    total: int = 0


def _lines(text: str) -> int:
    return max(1, -(-len(text) // LINE))


def _row_lines(widths: tuple[int, ...]) -> Callable[[tuple[str, ...]], float]:
    """The lines a table row takes, its cells wrapped at ``widths`` characters (a
    little under what the column holds, so the estimate errs on the safe side)."""
    def lines(row: tuple[str, ...]) -> float:
        return max(len(textwrap.wrap(cell, width)) or 1
                   for cell, width in zip(row, widths, strict=True)) + ROW_PADDING
    return lines


def _split(items: Sequence[T], budget: float,
           cost: Callable[[T], float]) -> list[tuple[T, ...]]:
    """Items in groups that fit ``budget`` lines each (an item never cut)."""
    groups: list[tuple[T, ...]] = []
    current: list[T] = []
    used = 0.0
    for item in items:
        if current and used + cost(item) > budget:
            groups.append(tuple(current))
            current, used = [], 0.0
        current.append(item)
        used += cost(item)
    if current or not groups:
        groups.append(tuple(current))
    return groups


def _continued(slides: list[Slide]) -> list[Slide]:
    return [s if i == 0 else replace(s, title=f"{s.title} (suite)")
            for i, s in enumerate(slides)]


def _points(title: str, points: tuple[str, ...], lead: str = "") -> list[Slide]:
    budget = MAX_LINES - (_lines(lead) + 1 if lead else 0)
    groups = _split(points, budget, _lines)
    return _continued([Slide("texte", title, lead=lead if i == 0 else "", points=group)
                       for i, group in enumerate(groups)])


def _columns(title: str, columns: tuple[Column, ...]) -> list[Slide]:
    """Two columns side by side; each column at most the budget of lines (at half width)."""
    half = [[*_split(c.items, MAX_LINES // 2 + 2, _lines)] for c in columns]
    count = max(len(h) for h in half)
    slides = []
    for i in range(count):
        slides.append(Slide("colonnes", title, columns=tuple(
            Column(c.heading, h[i] if i < len(h) else ()) for c, h in zip(columns, half,
                                                                          strict=True))))
    return _continued(slides)


def _table(kind: str, title: str, header: tuple[str, ...], rows: Sequence[tuple[str, ...]],
           widths: tuple[int, ...], *, chart: str = "", alt: str = "") -> list[Slide]:
    """A table, cut where its rows fill the slide; the chart (if any) on its first
    slide. ``widths``: the characters a line holds in each column beside a chart."""
    groups = _split(rows, TABLE_LINES, _row_lines(widths))
    return _continued([
        Slide(kind, title, header=header, rows=group, chart=chart, alt=alt) if i == 0
        else Slide("tableau", title, header=header, rows=group)
        for i, group in enumerate(groups)])


def slides(dossier: Figures) -> tuple[Slide, ...]:
    """The deck of a dossier, numbered."""
    m, offer = dossier.mission, dossier.offer
    p = m.parameters
    deck: list[Slide] = [Slide(
        "titre", m.title, lead=m.client.name,
        points=("Démarche de concertation", f"Document du {fmt.date(dossier.created)}"))]

    # The project and who decides.
    if p:
        deck += _points("Le projet", (f"Qui décide : {p.decision_maker}",), lead=p.subject)
        deck += _columns("Ce qui est ouvert, ce qui est fixé", (
            Column("Ouvert à la discussion", tuple(p.negotiable) or ("Rien n'est précisé.",)),
            Column("Déjà fixé", tuple(p.non_negotiable) or ("Rien n'est précisé.",))))
    else:
        deck += _points("Le projet", (
            "L'objet précis, ce qui sera ouvert à la discussion et ce qui est déjà fixé "
            "seront arrêtés avec vous au cadrage.",), lead=m.title)

    # Who is concerned.
    if m.stakeholders:
        rows: list[tuple[str, ...]] = [(str(i), s.label, dossier.quadrants[s.id].title)
                                       for i, s in enumerate(m.stakeholders, start=1)]
        deck += _table("graphique", "Qui est concerné", ("N°", "Partie prenante", "Quadrant"),
                       rows, (3, 24, 10), chart=stakeholder_svg(m.stakeholders, dossier.quadrants,
                                                   title_id="diapo-carte", style=SLIDE),
                       alt=describe_stakeholders(m.stakeholders, dossier.quadrants))

    # The retained scenario, and why.
    scenarios = {s.id: s for s in m.scenarios}
    retained = scenarios.get(m.roi.retained) if m.roi and m.roi.retained else None
    if retained:
        places = ", ".join(pl.name for pl in p.places) if p and p.places else "à préciser"
        deck += _points(f"Le scénario retenu : {retained.title}", (
            f"Niveau de participation : {retained.level.label}",
            f"Techniques : {', '.join(retained.techniques) or 'à préciser'}",
            f"Lieux : {places}"))
    if dossier.roi is not None:
        ranking: list[tuple[str, ...]] = [
            (str(sc.rank), f"{sid} — {scenarios[sid].title}", fmt.number(sc.score_min),
             fmt.number(sc.score_mean)) for sid, sc in dossier.roi.scenarios.items()]
        deck += _table("graphique", "Pourquoi ce scénario",
                       ("Rang", "Scénario", "Minimum", "Moyenne"), ranking, (4, 20, 7, 7),
                       chart=roi_plot_svg(dossier.roi, m.scenarios, title_id="diapo-roi",
                                          style=SLIDE),
                       alt=describe_roi(dossier.roi, m.scenarios))
    if not retained and dossier.roi is None:
        deck += _points("Comment le scénario sera choisi", (
            "Plusieurs scénarios de concertation, chacun avec ses techniques et ses lieux.",
            "Un atelier « R.O.I. citoyen » d'une demi-journée : chaque scénario vu par "
            "chaque public (ce qu'il lui demande, ce qu'il lui apporte).",
            "Le scénario retenu est celui qui sert le mieux le public le moins bien servi, "
            "utile à l'acteur public."))

    # The calendar.
    d = m.dates
    calendar: list[tuple[str, ...]] = [("Lancement", fmt.date(d.start))]
    if not (dossier.quote.stopped and d.workshop is None):
        calendar.append(("Atelier « R.O.I. citoyen »", fmt.date(d.workshop)))
    if d.restitution:
        calendar.append(("Restitution", fmt.date(d.restitution)))
    calendar.append(("Fin de la mission", fmt.date(d.end)))
    deck += _table("calendrier", "Calendrier", ("Étape", "Date"), calendar, (12, 12))

    # Commitments and restitution.
    if p:
        deck += _points("Nos engagements", tuple(p.contract.commitments),
                        lead=f"Restitution : {p.contract.restitution}")
    else:
        deck += _points("Notre démarche", tuple(
            f"{i}. {step.title}" for i, step in enumerate(offer.steps, start=1)))

    deck.append(_contact(dossier.provider))
    return tuple(replace(s, number=i, total=len(deck)) for i, s in enumerate(deck, start=1))


def _contact(provider: Provider) -> Slide:
    return Slide("texte", "Contact", lead=provider.name, points=(
        provider.website, provider.email_shown, provider.phone))

