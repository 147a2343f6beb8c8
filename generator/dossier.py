"""One client's dossier: every figure computed, every page rendered, before any output.

A ``Dossier`` is plain data (Markdown strings, names, fingerprints): the MkDocs
build, ``amoor export`` and the privacy check all read the same object.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from .agenda import events
from .charts import STANCE_COLOURS, heat_colour, roi_plot_svg, stakeholder_svg
from .compute.pricing import Quote, quote
from .compute.roi import RoiResult, evaluate
from .compute.stakeholders import QUADRANTS, Quadrant, quadrants
from .models.mission import Mission
from .models.offer import Offer
from .reader import MissionSource
from .render import render
from .tokens import dossier_token

LEVELS = ("informer", "consulter", "impliquer", "collaborer", "habiliter")
STATUS = {"proposition": "Proposition", "en-cours": "En cours", "terminee": "Terminée",
          "arretee": "Arrêtée"}
PROGRESS = {"a-venir": "À venir", "en-cours": "En cours", "fait": "Fait", "livre": "Livré"}
CLIENT_KINDS = {"commune": "Commune", "intercommunalite": "Intercommunalité",
                "departement": "Département", "region": "Région",
                "etablissement-public": "Établissement public", "association": "Association",
                "autre": "Acteur public"}


@dataclass(frozen=True)
class DossierPage:
    src_uri: str        #: e.g. ``cartographie.md``
    title: str
    markdown: str

    @property
    def url(self) -> str:
        """URL inside the dossier folder (directory URLs)."""
        stem = self.src_uri.removesuffix(".md")
        return "" if stem == "index" else f"{stem}/"


@dataclass(frozen=True)
class DossierPdf:
    name: str           #: file name inside the dossier folder
    title: str
    pages: tuple[str, ...]   #: src_uris printed, in order
    landscape: bool = False


PDFS = (
    DossierPdf("dossier.pdf", "Dossier de mission",
               ("index.md", "cartographie.md", "parametres.md", "scenarios.md",
                "roi-citoyen.md", "proposition-financiere.md", "cahier-des-charges.md")),
    DossierPdf("cahier-des-charges.pdf", "Cahier des charges", ("cahier-des-charges.md",)),
    DossierPdf("presentation.pdf", "Présentation de la démarche", ("presentation.md",),
               landscape=True),
)


@dataclass
class Dossier:
    slug: str
    token: str
    source: MissionSource
    offer: Offer
    quote: Quote
    quadrants: dict[str, Quadrant]
    roi: RoiResult | None
    pages: list[DossierPage] = field(default_factory=list)
    pdfs: tuple[DossierPdf, ...] = PDFS

    @property
    def mission(self) -> Mission:
        return self.source.mission

    @property
    def path(self) -> str:
        """Folder relative to the site root."""
        return f"d/{self.token}/"

    @property
    def password_env(self) -> str | None:
        return self.mission.access.password_env

    @property
    def fingerprints(self) -> tuple[str, ...]:
        """Strings that must never appear outside this dossier's own files."""
        return (self.token, self.slug, self.mission.title, self.mission.client.name)

    @property
    def created(self) -> dt.date:
        """Date shown on covers and stamped in PDF metadata: derived from the data,
        so two builds of the same input are byte-identical."""
        d = self.mission.dates
        candidates = [x for x in (d.start, d.workshop, d.end) if x is not None]
        candidates += [s.date for s in self.mission.steps if s.date]
        candidates += [x.date for x in self.mission.deliverables if x.date]
        return max(candidates) if candidates else dt.date(2026, 1, 1)


def make_dossier(source: MissionSource, offer: Offer, secret: bytes) -> Dossier:
    """Compute everything, then render every page (Pelican: contexts before output)."""
    mission = source.mission
    roi = evaluate(mission.roi, mission.scenarios) if mission.roi and mission.scenarios \
        else None
    dossier = Dossier(source.slug, dossier_token(secret, source.slug), source, offer,
                      quote(mission.pricing, offer), quadrants(mission.stakeholders), roi)
    dossier.pages = render_pages(dossier)
    return dossier


PAGES = (
    ("index.md", "Vue d'ensemble", "dossier/index.md.j2"),
    ("cartographie.md", "Cartographie des parties prenantes", "dossier/cartographie.md.j2"),
    ("parametres.md", "Paramètres de la concertation", "dossier/parametres.md.j2"),
    ("scenarios.md", "Scénarios", "dossier/scenarios.md.j2"),
    ("roi-citoyen.md", "R.O.I. citoyen", "dossier/roi.md.j2"),
    ("proposition-financiere.md", "Proposition financière", "dossier/prix.md.j2"),
    ("cahier-des-charges.md", "Cahier des charges", "dossier/cahier.md.j2"),
    ("presentation.md", "Présentation", "dossier/presentation.md.j2"),
)


def render_pages(dossier: Dossier) -> list[DossierPage]:
    mission, offer = dossier.mission, dossier.offer
    progress = {s.ref: s for s in mission.steps}
    delivered = {d.ref: d for d in mission.deliverables}
    deliverable_page = {"cartographie": "cartographie.md", "parametres": "parametres.md",
                        "scenarios": "scenarios.md", "cahier-des-charges": "cahier-des-charges.md"}
    scenarios = {s.id: s for s in mission.scenarios}
    retained = scenarios.get(mission.roi.retained) if mission.roi and mission.roi.retained \
        else None
    roi_publics = [p.ref for p in mission.roi.publics] if mission.roi else []
    context = dict(
        dossier=dossier, m=mission, offer=offer, q=dossier.quote, roi=dossier.roi,
        progress=progress, delivered=delivered, deliverable_page=deliverable_page,
        stakeholders={s.id: s for s in mission.stakeholders}, scenarios=scenarios,
        retained=retained, roi_publics=roi_publics, quadrants=dossier.quadrants,
        by_quadrant={qid: [s for s in mission.stakeholders if dossier.quadrants[s.id].id == qid]
                     for qid in QUADRANTS},
        QUADRANTS=QUADRANTS, LEVELS=LEVELS, STATUS=STATUS, PROGRESS=PROGRESS,
        CLIENT_KINDS=CLIENT_KINDS, STANCES=STANCE_COLOURS, heat_colour=heat_colour,
        consultant=dossier.source.pages, pdfs=dossier.pdfs, agenda=bool(events(mission)),
        map_svg=stakeholder_svg(mission.stakeholders, dossier.quadrants,
                                title_id="carte-titre") if mission.stakeholders else "",
        plot_svg=roi_plot_svg(dossier.roi, mission.scenarios, title_id="roi-plot-titre")
        if dossier.roi else "",
    )
    pages = []
    for src, title, template in PAGES:
        own = dossier.source.pages.get(src.removesuffix(".md"))
        page_title = own.title if own and own.title else title
        root = "" if src == "index.md" else "../"
        body = render(template, title=page_title, root=root, **context)
        front = _front_matter(page_title, mission.client.name)
        pages.append(DossierPage(src, page_title, front + body))
    return pages


def _front_matter(title: str, client: str) -> str:
    """JSON strings are valid YAML scalars: no quoting surprise from a title."""
    return ("---\n"
            f"title: {json.dumps(title, ensure_ascii=False)}\n"
            f"amoor_client: {json.dumps(client, ensure_ascii=False)}\n"
            "template: dossier.html\n"
            "amoor_private: true\n"
            "---\n\n")
