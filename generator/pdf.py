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
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from .diagnostics import BuildError
from .render import render

CACHE_VERSION = "2"


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
    files: tuple[str, ...] = ()        #: files the document shows, relative to ``root``


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


def print_html(doc: PdfDocument) -> str:
    return render("print/document.html", doc=doc, sections=doc.sections,
                  css=render("print/print.css", doc=doc))


def job(doc: PdfDocument, cache: Path | None) -> PrintJob:
    files = tuple(dict.fromkeys(f for s in doc.sections for f in s.sources))
    return PrintJob(doc.output, doc.root, print_html(doc), doc.label, cache, files)


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


def cache_key(job: PrintJob) -> str:
    digest = hashlib.sha256()
    for part in (CACHE_VERSION, version("weasyprint"), job.html):
        digest.update(part.encode())
        digest.update(b"\0")
    root = job.root.resolve()
    for name in sorted(job.files):
        file = (root / name).resolve()
        if file.is_relative_to(root) and file.is_file():
            digest.update(b"\0" + name.encode() + b"\0")
            digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


def from_cache(job: PrintJob) -> PdfResult | None:
    """The document from the cache when its print HTML and files are unchanged: done in
    the main process, without WeasyPrint (a null build starts no worker)."""
    if job.cache is None:
        return None
    start = time.perf_counter()
    key = cache_key(job)
    cached = job.cache / f"{key}.pdf"
    try:
        pages = json.loads(cached.with_suffix(".json").read_text())["pages"]
    except (OSError, ValueError, KeyError):
        return None
    job.output.parent.mkdir(parents=True, exist_ok=True)
    job.output.unlink(missing_ok=True)
    try:
        os.link(cached, job.output)     # never rewritten in place: a link is a copy
    except OSError:                     # another file system
        shutil.copyfile(cached, job.output)
    return PdfResult(job.label, pages, time.perf_counter() - start, True, key)


def write_pdf(job: PrintJob) -> PdfResult:
    """Render one document (in a worker process), then keep it in the cache."""
    from weasyprint import HTML

    start = time.perf_counter()
    job.output.parent.mkdir(parents=True, exist_ok=True)
    base = job.root.resolve().as_uri() + "/"
    document = HTML(string=job.html, base_url=base,
                    url_fetcher=local_fetcher(job.root)).render()
    document.write_pdf(job.output)
    pages = len(document.pages)
    key = ""
    if job.cache is not None:
        key = cache_key(job)
        cached = job.cache / f"{key}.pdf"
        job.cache.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".{os.getpid()}.tmp")
        shutil.copyfile(job.output, tmp)
        cached.with_suffix(".json").write_text(json.dumps({"pages": pages}))
        tmp.replace(cached)
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
    """Every document: from the cache when unchanged, else rendered ``workers`` at a
    time, each in a worker process. Results in the order of ``jobs``."""
    todo = list(jobs)
    results: list[PdfResult | None] = [from_cache(j) for j in todo]
    done = 0

    def report(result: PdfResult) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, len(todo), result)

    for result in results:
        if result is not None:
            report(result)
    missing = [i for i, r in enumerate(results) if r is None]
    if missing:
        check_engine()
    if missing and workers <= 1:
        quiet_weasyprint()
        for i in missing:
            results[i] = write_pdf(todo[i])
            report(results[i])  # type: ignore[arg-type]
    elif missing:
        with ProcessPoolExecutor(max_workers=min(workers, len(missing)),
                                 initializer=quiet_weasyprint) as pool:
            futures = {i: pool.submit(write_pdf, todo[i]) for i in missing}
            for i, future in futures.items():
                results[i] = future.result()
                report(results[i])  # type: ignore[arg-type]
    return [r for r in results if r is not None]
