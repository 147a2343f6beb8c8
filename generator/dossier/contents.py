"""The registry of what a dossier publishes: its pages, in order, and its printed documents.

Written once: the dossier's navigation, the pages' templates, which page shows the
consultant's free text for which deliverable of the offer, what ``amoor new``
scaffolds, and which pages each PDF prints all come from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class PageSpec:
    src_uri: str
    title: str
    template: str
    #: The offer deliverable whose free text (the consultant's Markdown) the page shows.
    deliverable: str | None = None
    #: ``amoor new`` creates the Markdown file of this deliverable.
    scaffold: bool = False

    @property
    def url(self) -> str:
        return page_url(self.src_uri)


class DocumentKind(StrEnum):
    """How a document is made; each rendered kind has its maker in the build's registry
    (:data:`generator.build.pipeline.MAKERS`)."""

    PAGES = "pages"     #: printed from the dossier's pages
    DECK = "deck"       #: the slides as a PDF, one a page
    PPTX = "pptx"       #: the slides, editable
    DEVIS = "devis"     #: the devis, its own layout
    INVOICE = "facture"  #: one invoice, Factur-X (PDF/A-3 with its XML)
    ZIP = "zip"         #: the others and the agenda, zipped once they are written
    GRIDS = "grilles"   #: the workshop's paper scoring sheets (dossiers with a workshop)


@dataclass(frozen=True)
class DocumentSpec:
    name: str                       #: file name inside the dossier folder
    title: str
    kind: DocumentKind = DocumentKind.PAGES
    pages: tuple[str, ...] = ()     #: for "pages": src_uris printed, in order
    media_type: str = "application/pdf"
    what: str = "PDF"               #: said in the downloads list
    invoice: str = ""               #: for "facture": the invoice's number

    @property
    def rendered(self) -> bool:
        """Made by a document worker; the zip is made afterwards, from the others."""
        return self.kind is not DocumentKind.ZIP


PAGES: tuple[PageSpec, ...] = (
    PageSpec("index.md", "Vue d'ensemble", "dossier/pages/index.md.j2"),
    PageSpec("cartographie.md", "Cartographie des parties prenantes",
             "dossier/pages/cartographie.md.j2", deliverable="cartographie", scaffold=True),
    PageSpec("parametres.md", "Paramètres de la concertation", "dossier/pages/parametres.md.j2",
             deliverable="parametres", scaffold=True),
    PageSpec("scenarios.md", "Scénarios", "dossier/pages/scenarios.md.j2", deliverable="scenarios"),
    PageSpec("roi-citoyen.md", "R.O.I. citoyen", "dossier/pages/roi.md.j2"),
    PageSpec("proposition-financiere.md", "Proposition financière", "dossier/pages/prix.md.j2"),
    PageSpec("cahier-des-charges.md", "Cahier des charges", "dossier/pages/cahier.md.j2",
             deliverable="cahier-des-charges", scaffold=True),
    PageSpec("presentation.md", "Présentation", "dossier/pages/presentation.md.j2"),
)

PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"

DOCUMENTS: tuple[DocumentSpec, ...] = (
    DocumentSpec("dossier.pdf", "Dossier de mission",
                 pages=tuple(p.src_uri for p in PAGES if p.src_uri != "presentation.md")),
    DocumentSpec("cahier-des-charges.pdf", "Cahier des charges",
                 pages=("cahier-des-charges.md",)),
    DocumentSpec("presentation.pdf", "Présentation de la démarche", kind=DocumentKind.DECK,
                 what="PDF, diapositives 16:9 à projeter"),
    DocumentSpec("presentation.pptx", "Présentation modifiable", kind=DocumentKind.PPTX,
                 media_type=PPTX,
                 what="PowerPoint, à adapter par votre service communication"),
    DocumentSpec("devis.pdf", "Devis", kind=DocumentKind.DEVIS),
    # Made last, from the files above and the agenda.
    DocumentSpec("dossier-complet.zip", "Tout le dossier", kind=DocumentKind.ZIP,
                 media_type="application/zip", what="archive ZIP : les documents et l'agenda"),
)


#: Printed for a dossier whose mission has scenarios and publics to evaluate, before the zip.
GRIDS = DocumentSpec("atelier-grilles.pdf", "Grilles de l'atelier R.O.I. citoyen",
                     kind=DocumentKind.GRIDS,
                     what="PDF, une grille par scénario et par public, à imprimer")


def dossier_documents(*, workshop: bool, invoices: tuple[tuple[str, str], ...] = ()
                      ) -> tuple[DocumentSpec, ...]:
    """A dossier's documents: the common ones, the workshop's grids when the mission
    has scenarios and publics to evaluate, its invoices (``(number, title)`` each), then
    the zip, which holds them all."""
    made = tuple(DocumentSpec(f"facture-{re.sub(r'[^A-Za-z0-9-]', '-', number)}.pdf", title,
                              kind=DocumentKind.INVOICE, invoice=number,
                              what="PDF Factur-X, à déposer sur Chorus Pro")
                 for number, title in invoices)
    return DOCUMENTS[:-1] + ((GRIDS,) if workshop else ()) + made + DOCUMENTS[-1:]


#: The page of each deliverable of the offer, by deliverable id.
DELIVERABLE_PAGES = {p.deliverable: p for p in PAGES if p.deliverable}


def page_url(src_uri: str) -> str:
    """Directory URL of a page: ``index.md`` → ``""``, ``a/b.md`` → ``a/b/``."""
    stem = src_uri.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def url_root(url: str) -> str:
    """Relative path from a page's URL back to its site's root: ``a/b/`` → ``../../``."""
    return "../" * url.count("/")
