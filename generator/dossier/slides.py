"""The presentation deck: one idea per slide, from the mission's data.

One source for three outputs: the Présentation page (presented full screen from the
browser), ``presentation.pdf`` (16:9, one slide a page) and ``presentation.pptx``
(editable). A slide never overflows: long lists are cut into slides marked « (suite) »
before anything is drawn, within a budget of lines that fits 18 pt text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from ..compute.roi import RoiResult
from ..content.models.mission import Mission, Scenario
from ..content.models.offer import OfferStep
from ..content.models.provider import Provider
from ..content.models.vocab import Level, MissionStatus, StepStatus
from ..text import fmt
from .charts import (
    SLIDE,
    describe_progress,
    describe_roi,
    describe_stakeholders,
    key_lines,
    key_room,
    roi_plot_svg,
    scenario_key,
    stakeholder_key,
    stakeholder_svg,
)
from .figures import Figures

#: What fits under a slide title at 22 pt: lines of about 60 characters.
MAX_LINES = 8
LINE = 60

T = TypeVar("T")


@dataclass(frozen=True)
class Column:
    heading: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class Step:
    """A stop on a line: a level of the participation scale, or a step of the offer."""

    title: str
    detail: str = ""    #: a date, or what the level means
    state: str = ""     #: « Fait », « En cours », « À venir », « Retenu »
    mark: bool = False  #: highlighted: the chosen level, the workshop


@dataclass(frozen=True)
class Slide:
    """One slide: a title and one of a lead sentence, points, columns, a chart (its
    data table in the notes), a scale or a timeline; and what to say."""

    kind: str           #: titre, texte, colonnes, graphique, echelle, calendrier
    title: str
    lead: str = ""
    points: tuple[str, ...] = ()
    columns: tuple[Column, ...] = ()
    header: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()  #: a chart's data, in the notes
    chart: str = ""                         #: SVG, labels of 18 pt or more
    alt: str = ""                           #: what the chart shows, in words
    steps: tuple[Step, ...] = ()
    notes: tuple[str, ...] = ()             #: the speaker's notes, one paragraph each
    number: int = 0
    total: int = 0

    @property
    def short(self) -> bool:
        """A few short lines: set larger, so that they fill the slide's body."""
        return self.kind == "texte" and len(self.lead) < 120 and (
            len(self.points) <= 3
            or len(self.points) == 4 and sum(len(point) for point in self.points) <= 200)

    @property
    def script(self) -> tuple[str, ...]:
        """The notes as spoken from the PPTX: a chart's data table follows, row by row."""
        return (*self.notes, *(_said(self.header, row) for row in self.rows)) \
            if self.chart else self.notes


def _lines(text: str) -> int:
    return max(1, -(-len(text) // LINE))


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
    return [s if i == 0 else replace(s, title=f"{s.title} (suite)",
                                     notes=("Suite de la diapositive précédente.", *s.notes))
            for i, s in enumerate(slides)]


def _points(title: str, points: tuple[str, ...], lead: str = "",
            notes: tuple[str, ...] = ()) -> list[Slide]:
    budget = MAX_LINES - (_lines(lead) + 1 if lead else 0)
    groups = _split(points, budget, _lines)
    return _continued([Slide("texte", title, lead=lead if i == 0 else "", points=group,
                             notes=notes if i == 0 else ())
                       for i, group in enumerate(groups)])


def _columns(title: str, columns: tuple[Column, ...], notes: tuple[str, ...]) -> list[Slide]:
    """Two columns side by side; each column at most the budget of lines (at half width)."""
    half = [[*_split(c.items, MAX_LINES // 2 + 2, _lines)] for c in columns]
    count = max(len(h) for h in half)
    slides = []
    for i in range(count):
        slides.append(Slide("colonnes", title, notes=notes if i == 0 else (), columns=tuple(
            Column(c.heading, h[i] if i < len(h) else ()) for c, h in zip(columns, half,
                                                                          strict=True))))
    return _continued(slides)


def _said(header: tuple[str, ...], row: tuple[str, ...]) -> str:
    """A table row as a sentence of the notes: « N° 1, Partie prenante : Maire… »."""
    return " ; ".join(f"{h} : {c}" for h, c in zip(header, row, strict=True)) + "."


def _chart(title: str, chart: Callable[[slice, str], str], alt: str,
           header: tuple[str, ...], rows: Sequence[tuple[str, ...]], keys: Sequence[str],
           notes: tuple[str, ...]) -> list[Slide]:
    """The chart filling the slide, its key naming beside the plot what the plot's
    height holds (``keys``: each row's entry); the rest of the key on « (suite) »
    slides, the same chart again. The data table goes to the notes and to the chart's
    text alternative, not on the slide."""
    said = f"{alt} Données : " + " ".join(_said(header, row) for row in rows)
    groups = _split(range(len(keys)), key_room(SLIDE), lambda i: key_lines(keys[i], SLIDE))
    return _continued([Slide("graphique", title, header=header, rows=tuple(rows),
                             chart=chart(slice(g[0], g[-1] + 1), said), alt=said,
                             notes=notes) for g in groups])


def slides(dossier: Figures) -> tuple[Slide, ...]:
    """The deck of a dossier, numbered, each slide with its notes."""
    m, offer = dossier.mission, dossier.offer
    p = m.parameters
    d = m.dates
    span = f"du {fmt.date(d.start)} au {fmt.date(d.end)}" if d.start and d.end else ""
    deck: list[Slide] = [Slide(
        "titre", m.title, lead=m.client.name,
        points=("Démarche de concertation", f"Document du {fmt.date(dossier.created)}"),
        notes=(f"Présenter la démarche « {offer.title} » pour {m.client.name}"
               + (f", {span}" if span else "") + ".",
               "Dire en une phrase ce que la concertation doit éclairer, et qui décidera "
               "à la fin."))]

    # The project and who decides.
    if p:
        deck += _points("Le projet", (f"Qui décide : {p.decision_maker}", *_who(m)),
                        lead=p.subject,
                        notes=(f"L'objet de la concertation : {p.subject}.",
                               f"Qui décide : {p.decision_maker}. La concertation éclaire "
                               "cette décision, elle ne la remplace pas."))
        deck += _columns("Ce qui est ouvert, ce qui est fixé", (
            Column("Ouvert à la discussion", tuple(p.negotiable) or ("Rien n'est précisé.",)),
            Column("Déjà fixé", tuple(p.non_negotiable) or ("Rien n'est précisé.",))),
            notes=(_listed("Ce qui est ouvert à la discussion", p.negotiable),
                   _listed("Ce qui est déjà fixé et ne sera pas mis en débat",
                           p.non_negotiable),
                   "Le dire dès le début évite de promettre ce qui ne sera pas discuté."))
    else:
        deck += _points("Le projet", (
            "L'objet précis, ce qui sera ouvert à la discussion et ce qui est déjà fixé "
            "seront arrêtés avec vous au cadrage.", *_who(m)), lead=m.title,
            notes=("Le cadrage arrêtera l'objet, ce qui est ouvert et ce qui est fixé.",))

    # Who is concerned.
    if m.stakeholders:
        rows: list[tuple[str, ...]] = [(str(i), s.label, dossier.quadrants[s.id].title)
                                       for i, s in enumerate(m.stakeholders, start=1)]
        remote = [s.label for s in m.stakeholders if s.remote]
        deck += _chart(
            "Qui est concerné",
            lambda key, alt: stakeholder_svg(m.stakeholders, dossier.quadrants,
                                             title_id="diapo-carte", style=SLIDE, key=key,
                                             description=alt),
            describe_stakeholders(m.stakeholders, dossier.quadrants),
            ("N°", "Partie prenante", "Quadrant"), rows,
            [stakeholder_key(s) for s in m.stakeholders],
            notes=(f"{len(m.stakeholders)} parties prenantes, placées par leur pouvoir sur "
                   "la décision et leur intérêt pour le projet ; la couleur dit leur "
                   "posture.",
                   *((_listed("À aller chercher : éloignés de la participation", remote),)
                     if remote else ())))

    # The retained scenario, and why.
    scenarios = {s.id: s for s in m.scenarios}
    retained = scenarios.get(m.roi.retained) if m.roi and m.roi.retained else None
    if retained:
        deck.append(_retained(m, retained, dossier.roi))
    if dossier.roi is not None:
        ranking: list[tuple[str, ...]] = [
            (str(sc.rank), f"{sid} — {scenarios[sid].title}", fmt.number(sc.score_min),
             fmt.number(sc.score_mean), str(sc.usefulness))
            for sid, sc in dossier.roi.scenarios.items()]
        roi = dossier.roi
        deck += _chart(
            "Pourquoi ce scénario",
            lambda key, alt: roi_plot_svg(roi, m.scenarios, title_id="diapo-roi",
                                          style=SLIDE, key=key, description=alt),
            describe_roi(roi, m.scenarios),
            ("Rang", "Scénario", "Minimum", "Moyenne", "Utilité"), ranking,
            [scenario_key(scenarios[sid].title, sc.rank, sid == roi.retained)
             for sid, sc in roi.scenarios.items()],
            notes=("Chaque scénario vu par chaque public à l'atelier « R.O.I. citoyen » : "
                   "ce qu'il lui demande, ce qu'il lui apporte. À droite, les plus "
                   "attrayants pour les citoyens ; en haut, les plus utiles à l'acteur "
                   "public.",
                   "Le classement retient le scénario qui sert le mieux le public le moins "
                   "bien servi (le minimum), puis la moyenne."))
    if not retained and dossier.roi is None:
        deck += _points("Comment le scénario sera choisi", (
            "Plusieurs scénarios de concertation, chacun avec ses techniques et ses lieux.",
            "Un atelier « R.O.I. citoyen » d'une demi-journée : chaque scénario vu par "
            "chaque public (ce qu'il lui demande, ce qu'il lui apporte).",
            "Le scénario retenu est celui qui sert le mieux le public le moins bien servi, "
            "utile à l'acteur public."),
            notes=("Aucun scénario n'est encore retenu : expliquer comment il le sera, à "
                   "l'atelier, avec les publics eux-mêmes.",))

    deck.append(_calendar(m, offer.steps, stopped=dossier.quote.stopped))

    # Commitments and restitution.
    if p:
        deck += _points("Nos engagements", tuple(p.contract.commitments),
                        lead=f"Restitution : {p.contract.restitution}",
                        notes=("Ce que l'acteur public s'engage à faire des contributions : "
                               "le dire devant les habitants, c'est le contrat de la "
                               "concertation.",
                               f"La restitution : {p.contract.restitution}"))
    else:
        deck += _points("Notre démarche", tuple(
            f"{i}. {step.title}" for i, step in enumerate(offer.steps, start=1)),
            notes=tuple(f"{step.title} : {step.summary}" for step in offer.steps))

    deck.append(_contact(dossier.provider))
    return tuple(replace(s, number=i, total=len(deck)) for i, s in enumerate(deck, start=1))


def _who(m: Mission) -> tuple[str, ...]:
    """Who asks, who follows the mission, and when: the project slide's facts."""
    d = m.dates
    return (f"Pour : {m.client.name}",
            *((f"Interlocuteur : {m.client.contact}",) if m.client.contact else ()),
            *((f"Mission : du {fmt.date(d.start)} au {fmt.date(d.end)}",)
              if d.start and d.end else ()))


def _listed(what: str, items: Sequence[str]) -> str:
    return f"{what} : {' ; '.join(items)}." if items else f"{what} : rien n'est précisé."


def _retained(m: Mission, retained: Scenario, roi: RoiResult | None) -> Slide:
    """The participation scale, the chosen level marked; its techniques, places and
    audience; and, from the R.O.I., why it came first."""
    p = m.parameters
    labels = {s.id: s.label for s in m.stakeholders}
    publics = retained.publics if retained.publics is not None else \
        [pub.ref for pub in m.roi.publics] if m.roi else []
    columns = (
        Column("Techniques", tuple(retained.techniques) or ("à préciser",)),
        Column("Lieux", tuple(pl.name for pl in p.places) if p and p.places
               else ("à préciser",)),
        Column("Publics", tuple(labels.get(ref, ref) for ref in publics) or ("à préciser",)))
    why = _why(retained, roi)
    return Slide(
        "echelle", f"Le scénario retenu : {retained.title}", lead=why, columns=columns,
        steps=tuple(Step(level.label, state="Retenu" if level is retained.level else "",
                         mark=level is retained.level) for level in Level),
        notes=(f"Sur l'échelle de la participation, de « informer » à « habiliter », ce "
               f"scénario se place à « {retained.level.label} ».",
               _listed("Ses techniques", retained.techniques),
               _listed("Ses lieux", [pl.name for pl in p.places] if p else []),
               *((why,) if why else ())))


def _why(retained: Scenario, roi: RoiResult | None) -> str:
    """One sentence of R.O.I. figures: why the retained scenario ranked where it did."""
    if roi is None or retained.id not in roi.scenarios:
        return ""
    score = roi.scenarios[retained.id]
    others = [s for sid, s in roi.scenarios.items() if sid != retained.id]
    place = "Classé premier" if score.rank == 1 else f"Classé {score.rank}e"
    sentence = (f"{place} : son public le moins bien servi y trouve "
                f"{fmt.number(score.score_min)} sur 4")
    if others:
        best = max(others, key=lambda s: s.score_min)
        sentence += (f" (au mieux {fmt.number(best.score_min)} ailleurs, scénario "
                     f"{best.scenario})")
    return (sentence + f", attrait moyen {fmt.number(score.score_mean)} sur 4, utilité "
            f"pour l'acteur public {score.usefulness} sur 4.")


def _calendar(m: Mission, steps: Sequence[OfferStep], *, stopped: bool) -> Slide:
    """The offer's steps on a line: each with its date (done, or planned), its status,
    the workshop marked."""
    d = m.dates
    progress = {s.ref: s for s in m.steps}
    halted = m.status is MissionStatus.STOPPED
    line: list[Step] = []
    for i, step in enumerate(steps):
        done = progress.get(step.id)
        status = done.status if done else StepStatus.TODO
        workshop = "atelier" in step.id
        planned = (d.start if i == 0 else d.workshop if workshop
                   else d.end if i == len(steps) - 1 else None)
        day = done.date if done and done.date else planned
        detail = (fmt.date(day) if status is StepStatus.DONE or not day
                  else f"prévu le {fmt.date(day)}") if day else "date à fixer"
        state = status.label
        if halted and status is not StepStatus.DONE:
            state, detail = "Non réalisé", "mission arrêtée" if stopped else detail
        line.append(Step(step.title, detail, state, mark=workshop))
    lead = f"Mission du {fmt.date(d.start)} au {fmt.date(d.end)}" if d.start and d.end \
        else f"Début de la mission : {fmt.date(d.start)}" if d.start else ""
    if d.restitution:
        lead += f"{' ; r' if lead else 'R'}estitution le {fmt.date(d.restitution)}"
    return Slide("calendrier", "Calendrier", lead=lead, steps=tuple(line), notes=(
        describe_progress([(s.title, progress[s.id].status if s.id in progress
                            else StepStatus.TODO) for s in steps]),
        *((f"L'atelier « R.O.I. citoyen » : {fmt.date(d.workshop)}.",) if d.workshop
          else ()),
        *((lead + ".",) if lead else ())))


def _contact(provider: Provider) -> Slide:
    """The real address: the deck is a private document, never read by robots."""
    return Slide("texte", "Contact", lead=provider.name, points=(
        f"Site : {provider.website}", f"Courriel : {provider.email}",
        f"Téléphone : {provider.phone}", f"Adresse : {', '.join(provider.address.splitlines())}"),
        notes=(f"Pour toute question : {provider.name}, {provider.email}, "
               f"{provider.phone}.",))
