"""One client's dossier: every figure computed, every file rendered, before any output.

A ``Dossier`` is plain data: the Markdown of its pages, the files it publishes as
they are (the calendar), the documents printed from its pages, the strings that
identify its client. The build, ``amoor export`` and the privacy check all read the
same object, so they publish the same set of files.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace

from ..compute.invoicing import bill
from ..compute.pricing import quote
from ..compute.roi import evaluate
from ..compute.stakeholders import QUADRANTS, quadrants
from ..content.models.mission import Mission
from ..content.models.offer import Offer
from ..content.models.provider import Provider
from ..content.models.vocab import Level, StepStatus
from ..content.reader import MissionSource
from ..protection.keys import Keys
from ..text.folding import fold_words
from ..text.render import front_matter, html_text, render
from . import agenda
from .atelier import ATELIER, has_workshop, workshop_page
from .atelier import TITLE as WORKSHOP_TITLE
from .charts import (
    STANCE_COLOURS,
    describe_heatmap,
    describe_progress,
    heat_colour,
    roi_plot_svg,
    stakeholder_svg,
)
from .contents import (
    DELIVERABLE_PAGES,
    DOCUMENTS,
    PAGES,
    DocumentSpec,
    dossier_documents,
    page_url,
    url_root,
)
from .devis import make_devis
from .figures import Figures, created
from .slides import Slide, slides


@dataclass(frozen=True)
class Page:
    """A generated Markdown page, as the site builder receives it."""

    src_uri: str        #: e.g. ``cartographie.md``
    title: str
    markdown: str

    @property
    def url(self) -> str:
        return page_url(self.src_uri)


@dataclass(frozen=True)
class Attachment:
    """A file published as it is, beside the pages."""

    name: str
    title: str
    media_type: str
    data: bytes


def client_key(mission: Mission) -> str:
    """What identifies a client: its ``client.id``, else its name folded as the privacy
    check folds it (:func:`generator.text.folding.fold_words`: ``Ville de Montclair–sur-Vienne``
    → ``ville-de-montclair-sur-vienne``).
    Two missions with the same key belong to the same client: the privacy check
    lets them share names, and the portal lists them together."""
    return mission.client.id or fold_words(mission.client.name)


@dataclass(frozen=True)
class Dossier(Figures):
    """A dossier whole: its figures, and the slides, pages, calendar and documents
    drawn from them. Made once by :func:`make_dossier`, never changed."""

    slides: tuple[Slide, ...] = ()
    pages: tuple[Page, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    documents: tuple[DocumentSpec, ...] = field(default=DOCUMENTS)

    @property
    def files(self) -> tuple[str, ...]:
        """Names of the files published beside the pages, as the client downloads them."""
        return tuple(d.name for d in self.documents) + tuple(a.name for a in self.attachments)


def make_dossier(source: MissionSource, offer: Offer, provider: Provider, keys: Keys, *,
                 portal: str | None = None) -> Dossier:
    """Compute everything, then render every file (Pelican: contexts before output).
    ``portal``: the client's portal, linked from the dossier (a client with several)."""
    mission = source.mission
    roi = evaluate(mission.roi, mission.scenarios) \
        if mission.roi and mission.roi.evaluations and mission.scenarios else None
    priced = quote(mission.pricing, offer)
    figures = Figures(source.slug, keys.dossier_token(source.slug, mission.access.revision),
                      client_key(mission), source, offer, provider,
                      priced, quadrants(mission.stakeholders), roi,
                      make_devis(source.slug, mission, priced, provider, created(mission)),
                      portal=portal,
                      invoices=bill(mission, priced, offer, provider.terms.payment_days))
    documents = dossier_documents(
        workshop=has_workshop(mission),
        invoices=tuple((b.number, f"{b.kind.label} n° {b.number}") for b in figures.invoices))
    drawn = Dossier(**{f.name: getattr(figures, f.name) for f in fields(figures)},
                    slides=slides(figures), attachments=_attachments(figures, keys),
                    documents=documents)
    # The pages list the dossier's downloads and slides: rendered from all the rest.
    return replace(drawn, pages=render_pages(drawn))


def _attachments(dossier: Figures, keys: Keys) -> tuple[Attachment, ...]:
    mission = dossier.mission
    found = agenda.events(mission)
    made = []
    if found:
        ics = agenda.calendar(
            found, uids={e.kind: keys.calendar_uid(dossier.slug, e.kind) for e in found},
            description=f"{mission.client.name} — {dossier.provider.name}",
            stamp=dossier.created)
        made.append(Attachment(agenda.AGENDA, "Dates de l'atelier et de la restitution, "
                               "pour votre agenda", "text/calendar", ics.encode()))
    if has_workshop(mission):
        made.append(Attachment(ATELIER, WORKSHOP_TITLE, "text/html", workshop_page(
            dossier.slug, mission, {s.id: s.label for s in mission.stakeholders})))
    return tuple(made)


def render_pages(dossier: Dossier) -> tuple[Page, ...]:
    mission, offer = dossier.mission, dossier.offer
    scenarios = {s.id: s for s in mission.scenarios}
    retained = scenarios.get(mission.roi.retained) if mission.roi and mission.roi.retained \
        else None
    progress = {s.ref: s for s in mission.steps}
    context = dict(
        dossier=dossier, m=mission, offer=offer, q=dossier.quote, roi=dossier.roi,
        progress=progress,
        delivered={d.ref: d for d in mission.deliverables},
        deliverable_pages=DELIVERABLE_PAGES, TODO=StepStatus.TODO,
        stakeholders={s.id: s for s in mission.stakeholders}, scenarios=scenarios,
        retained=retained,
        roi_publics=[p.ref for p in mission.roi.publics] if mission.roi else [],
        quadrants=dossier.quadrants,
        by_quadrant={qid: [s for s in mission.stakeholders if dossier.quadrants[s.id].id == qid]
                     for qid in QUADRANTS},
        QUADRANTS=QUADRANTS, LEVELS=list(Level), STANCES=STANCE_COLOURS,
        heat_colour=heat_colour, consultant=dossier.source.pages,
        documents=dossier.documents, attachments=dossier.attachments,
        workshop=ATELIER if ATELIER in dossier.files else None,
        slides=dossier.slides, first=2,
        footer=dossier.footer,
        progress_summary=describe_progress(
            [(step.title, progress[step.id].status if step.id in progress
              else StepStatus.TODO) for step in offer.steps]),
        heatmap_summary=describe_heatmap(dossier.roi, {s.id: s.label
                                                       for s in mission.stakeholders})
        if dossier.roi else "",
        map_svg=stakeholder_svg(mission.stakeholders, dossier.quadrants,
                                title_id="carte-titre") if mission.stakeholders else "",
        plot_svg=roi_plot_svg(dossier.roi, mission.scenarios, title_id="roi-plot-titre")
        if dossier.roi else "",
    )
    pages = []
    for spec in PAGES:
        own = dossier.source.pages.get(spec.deliverable) if spec.deliverable else None
        title = own.title if own and own.title else spec.title
        body = render(spec.template, title=title, root=url_root(spec.url), **context)
        # Generated front matter, HTML-safe for any builder (the title is HTML to themes).
        meta = {"title": html_text(title), "amoor_client": mission.client.name,
                "template": "dossier.html", "amoor_private": True}
        pages.append(Page(spec.src_uri, title, front_matter(meta) + body))
    return tuple(pages)
