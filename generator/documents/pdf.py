"""PDFs with WeasyPrint, from page content captured during the site build.

The site builder hands over each page's rendered content (its article, without the
theme around it); this module puts sections into a print template (brochure, dossier,
cahier des charges; the deck and the devis have their own), with a URL fetcher that
reads only the document's own folder and the brand's fonts. Rendering, two at a
time, and the cache are :mod:`generator.documents.workers`'.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from ..cache.version import code_version
from ..content.diagnostics import BuildError
from ..text.render import render
from .fonts import FOLDER, SCHEME, font_faces, font_file, fonts_digest
from .pdfua import UA_VARIANT, finish_tagged


@dataclass(frozen=True)
class Section:
    """One page of the site as it goes on paper: its title (HTML, as themes print
    page titles: ``Markup``), its content made ready for print (:func:`paper`), its URL
    and the files that content shows (site-relative paths)."""

    title: str
    html: str
    url: str = ""
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class PdfDocument:
    output: Path                       #: where the PDF goes
    root: Path                         #: the only folder the document may read from
    title: str
    subtitle: str = ""
    kicker: str = ""
    cover: tuple[tuple[str, str], ...] = ()   #: (label, value) lines on the cover
    date: str = ""                     #: shown on the cover
    created: str = ""                  #: ISO date for the PDF metadata (deterministic)
    header: str = ""                   #: running header text
    sections: tuple[Section, ...] = ()
    toc: bool = True
    label: str = ""                    #: name shown in progress lines
    template: str = "documents/print/document.html"   #: the print template (deck, devis: their own)
    context: tuple[tuple[str, object], ...] = ()   #: what that template needs besides
    #: The cover's contact line; a private document gives the real address, the public
    #: brochure the form the consultant chose for robots to read.
    contact: str = ""


@dataclass(frozen=True)
class PrintJob:
    """What a worker needs: the print HTML and its stylesheet, where it may read, where
    it writes."""

    output: Path
    root: Path
    html: str
    label: str
    cache: Path | None = None          #: None: never cached (a sealed dossier's documents)
    files: tuple[str, ...] = ()        #: files the document shows, relative to ``root``
    css: str = ""                      #: the print stylesheet (one of three, see run())

    suffix = ".pdf"

    def key(self) -> str:
        """Content hash of everything the PDF depends on."""
        digest = hashlib.sha256()
        for part in (code_version("documents", libraries=("weasyprint", "pydyf")),
                     fonts_digest(), self.css, self.html):
            digest.update(part.encode())
            digest.update(b"\0")
        root = self.root.resolve()
        for name in sorted(self.files):
            file = (root / name).resolve()
            if file.is_relative_to(root) and file.is_file():
                digest.update(b"\0" + name.encode() + b"\0")
                digest.update(hashlib.sha256(file.read_bytes()).digest())
        return digest.hexdigest()

    def layout(self) -> Any:
        """The laid-out document (a WeasyPrint ``Document``), not yet written."""
        from weasyprint import HTML

        base = self.root.resolve().as_uri() + "/"
        stylesheet, fonts = _stylesheet(self.css)
        return HTML(string=self.html, base_url=base, url_fetcher=local_fetcher(self.root)
                    ).render(stylesheets=[stylesheet], font_config=fonts)

    def run(self) -> int:
        """Render the PDF (in a worker process); its number of pages."""
        self.output.parent.mkdir(parents=True, exist_ok=True)
        document = self.layout()
        # Tagged for screen readers (RGAA 13.3: documents a public body puts online).
        document.write_pdf(self.output, pdf_variant=UA_VARIANT, finisher=finish_tagged)
        return len(document.pages)


@lru_cache(maxsize=4)
def _stylesheet(css: str) -> tuple[Any, Any]:
    """The stylesheet parsed, and its fonts loaded, once per worker process: every
    document uses one of three, and parsing one cost a quarter of a short document."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    return CSS(string=css, font_config=fonts, url_fetcher=local_fetcher(FOLDER)), fonts


class _Paper(HTMLParser):
    """Finds the start tags whose links mean nothing on paper or need a new base."""

    def __init__(self, url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.url = url
        self.edits: list[tuple[tuple[int, int], str, str]] = []
        self.sources: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        changed, kept = False, []
        for name, value in attrs:
            if value is not None and name in ("href", "src") and _relative(value):
                changed = True
                if name == "href":
                    continue  # a link to another web page: plain text on paper
                value = urljoin("/" + self.url, value).lstrip("/")
                self.sources.append(unquote(value))
            kept.append((name, value))
        if changed:
            text = self.get_starttag_text() or ""
            close = "/>" if text.endswith("/>") else ">"
            attributes = "".join(f' {n}="{_attr(v)}"' if v is not None else f" {n}"
                                 for n, v in kept)
            self.edits.append((self.getpos(), text, f"<{tag}{attributes}{close}"))

    handle_startendtag = handle_starttag


def _relative(url: str) -> bool:
    return bool(url) and not urlsplit(url).scheme and not url.startswith(("#", "//"))


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def paper(html: str, url: str) -> tuple[str, tuple[str, ...]]:
    """A page's content made ready for print, and the files it shows: links to other
    pages become plain text, relative sources are made relative to the site root (the
    document's base), so the print HTML, and thus the cache key, does not depend on
    where the build happens. Done once, when the page is built (its cost is a parse)."""
    parser = _Paper(url)
    parser.feed(html)
    parser.close()
    sources = tuple(dict.fromkeys(parser.sources))
    if not parser.edits:
        return html, sources
    lines = html.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    out, done = [], 0
    for (row, column), old, new in parser.edits:
        at = starts[row - 1] + column
        out += [html[done:at], new]
        done = at + len(old)
    out.append(html[done:])
    return "".join(out), sources


def print_html(doc: PdfDocument) -> tuple[str, str]:
    """The document's print HTML and its stylesheet (the same for every document made
    with that template)."""
    context = dict(doc.context)
    css = render(doc.template.replace(".html", ".css"), fonts=font_faces())
    return render(doc.template, doc=doc, sections=doc.sections, **context), css


def job(doc: PdfDocument, cache: Path | None) -> PrintJob:
    files = tuple(dict.fromkeys(f for s in doc.sections for f in s.sources))
    html, css = print_html(doc)
    return PrintJob(doc.output, doc.root, html, doc.label, cache, files, css)


def local_fetcher(root: Path) -> Any:
    """A WeasyPrint URL fetcher for ``file:`` inside ``root`` and ``data:``; nothing else.

    No network, no ``file://`` outside, no ``<link rel=attachment>`` of /etc/passwd.
    WeasyPrint is imported here, in the worker, so that ``amoor check`` stays quick.
    """
    from weasyprint.urls import URLFetcher

    allowed = root.resolve()

    class _LocalFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            scheme = urlsplit(url).scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == SCHEME and (font := font_file(url)) is not None:
                return super().fetch(font.as_uri(), headers)
            if scheme == "file":
                path = Path(unquote(urlsplit(url).path)).resolve()
                if path.is_relative_to(allowed) and path.is_file():
                    return super().fetch(url, headers)
            raise ValueError(f"ressource refusée pour le PDF : {url}")

    return _LocalFetcher(timeout=1, allowed_protocols={"file", "data"}, allow_redirects=False)


def quiet_weasyprint() -> None:
    """WeasyPrint and fontTools log every unsupported CSS property: errors only."""
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)


def check_engine() -> None:
    """Fail early, in one line, when WeasyPrint cannot run (Pango missing)."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:
        raise BuildError(
            "WeasyPrint ne peut pas produire les PDF : bibliothèque Pango introuvable "
            "(sous Debian ou Ubuntu : apt-get install libpango-1.0-0 libpangoft2-1.0-0 "
            f"libharfbuzz-subset0), ou « amoor build --no-pdf ». Détail : {exc}") from None


