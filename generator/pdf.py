"""PDFs with WeasyPrint, from page content captured during the site build.

The site builder hands over each page's rendered content (its article, without the
theme around it); this module puts sections into one print template (brochure,
dossier, cahier des charges, presentation), renders them in worker processes, two
at a time, with a URL fetcher that reads only the document's own folder, and keeps
a cache keyed by the content hash of the print HTML and of every file it references.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from .diagnostics import BuildError
from .render import render

CACHE_VERSION = "2"


@dataclass(frozen=True)
class Section:
    """One page of the site as it goes on paper: its title (HTML, as themes print
    page titles: ``Markup``), URL and content."""

    title: str
    html: str
    url: str = ""


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
    landscape: bool = False
    label: str = ""                    #: name shown in progress lines


@dataclass(frozen=True)
class PrintJob:
    """What a worker needs: the print HTML, where it may read, where it writes."""

    output: Path
    root: Path
    html: str
    label: str
    cache: Path | None = None          #: None: never cached (a sealed dossier's documents)


@dataclass
class PdfResult:
    label: str
    pages: int
    seconds: float
    cached: bool
    key: str = ""


class _Paper(HTMLParser):
    """Finds the start tags whose links mean nothing on paper or need a new base."""

    def __init__(self, url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.url = url
        self.edits: list[tuple[tuple[int, int], str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        changed, kept = False, []
        for name, value in attrs:
            if value is not None and name in ("href", "src") and _relative(value):
                changed = True
                if name == "href":
                    continue  # a link to another web page: plain text on paper
                value = urljoin("/" + self.url, value).lstrip("/")
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


def paper(html: str, url: str) -> str:
    """A page's content made ready for print: links to other pages become plain text,
    relative sources are made relative to the site root (the document's base), so the
    print HTML, and thus the cache key, does not depend on where the build happens."""
    parser = _Paper(url)
    parser.feed(html)
    parser.close()
    if not parser.edits:
        return html
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
    return "".join(out)


def print_html(doc: PdfDocument) -> str:
    sections = [Section(s.title, paper(s.html, s.url), s.url) for s in doc.sections]
    return render("print/document.html", doc=doc, sections=sections,
                  css=render("print/print.css", doc=doc))


def job(doc: PdfDocument, cache: Path | None) -> PrintJob:
    return PrintJob(doc.output, doc.root, print_html(doc), doc.label, cache)


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
            if scheme == "file":
                path = Path(unquote(urlsplit(url).path)).resolve()
                if path.is_relative_to(allowed) and path.is_file():
                    return super().fetch(url, headers)
            raise ValueError(f"ressource refusée pour le PDF : {url}")

    return _LocalFetcher(timeout=1, allowed_protocols={"file", "data"}, allow_redirects=False)


class _Sources(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [v for n, v in attrs if n in ("src", "href", "xlink:href") and v]


def _referenced_files(html: str, root: Path) -> list[Path]:
    parser = _Sources()
    parser.feed(html)
    files = set()
    for url in parser.urls:
        if urlsplit(url).scheme or url.startswith("#"):
            continue
        path = (root / unquote(url)).resolve()
        if path.is_relative_to(root.resolve()) and path.is_file():
            files.add(path)
    return sorted(files)


def cache_key(job: PrintJob) -> str:
    import weasyprint

    digest = hashlib.sha256()
    for part in (CACHE_VERSION, weasyprint.__version__, job.html):
        digest.update(part.encode())
        digest.update(b"\0")
    for file in _referenced_files(job.html, job.root):
        digest.update(file.relative_to(job.root.resolve()).as_posix().encode())
        digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


def write_pdf(job: PrintJob) -> PdfResult:
    """Render one document (in a worker process); reuse the cached bytes when unchanged."""
    start = time.perf_counter()
    key = cache_key(job) if job.cache else ""
    cached_pdf = job.cache / f"{key}.pdf" if job.cache else None
    job.output.parent.mkdir(parents=True, exist_ok=True)
    if cached_pdf is not None and cached_pdf.is_file():
        job.output.unlink(missing_ok=True)
        shutil.copyfile(cached_pdf, job.output)
        pages = json.loads(cached_pdf.with_suffix(".json").read_text())["pages"]
        return PdfResult(job.label, pages, time.perf_counter() - start, True, key)
    from weasyprint import HTML

    base = job.root.resolve().as_uri() + "/"
    document = HTML(string=job.html, base_url=base,
                    url_fetcher=local_fetcher(job.root)).render()
    document.write_pdf(job.output)
    pages = len(document.pages)
    if cached_pdf is not None and job.cache is not None:
        job.cache.mkdir(parents=True, exist_ok=True)
        tmp = cached_pdf.with_suffix(f".{os.getpid()}.tmp")
        shutil.copyfile(job.output, tmp)
        cached_pdf.with_suffix(".json").write_text(json.dumps({"pages": pages}))
        tmp.replace(cached_pdf)
    return PdfResult(job.label, pages, time.perf_counter() - start, False, key)


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


def prune(cache: Path, used: Iterable[str]) -> None:
    """Keep only the documents of this build: no PDF of a deleted mission lingers."""
    keep = set(used)
    if cache.is_dir():
        for file in cache.iterdir():
            if file.name.split(".", 1)[0] not in keep:
                file.unlink(missing_ok=True)


def write_pdfs(jobs: Iterable[PrintJob], *, workers: int = 2,
               progress: Callable[[int, int, PdfResult], None] | None = None
               ) -> list[PdfResult]:
    """Render documents ``workers`` at a time, each in a worker process."""
    todo = list(jobs)
    results: list[PdfResult] = []
    if not todo:
        return results
    check_engine()
    if workers <= 1:
        quiet_weasyprint()
        for i, one in enumerate(todo, start=1):
            results.append(write_pdf(one))
            if progress:
                progress(i, len(todo), results[-1])
        return results
    with ProcessPoolExecutor(max_workers=workers, initializer=quiet_weasyprint) as pool:
        futures = [pool.submit(write_pdf, one) for one in todo]
        for i, future in enumerate(futures, start=1):
            results.append(future.result())
            if progress:
                progress(i, len(todo), results[-1])
    return results
