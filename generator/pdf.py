"""PDFs with WeasyPrint, from the built pages' articles (not Material's whole page).

One print template for every document (brochure, dossier, cahier des charges,
presentation); a URL fetcher that reads only the document's own folder; a cache
keyed by the content hash of the print HTML and of every file it references.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import unquote, urljoin, urlsplit

from .render import render

ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)
_HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)
_EDIT_BUTTON = re.compile(r'<a [^>]*class="md-content__button[^"]*"[^>]*>.*?</a>', re.S)
_SRC = re.compile(r'(\s(?:src|href|xlink:href)=")([^"]*)(")')
CACHE_VERSION = "1"


@dataclass(frozen=True)
class Section:
    """One built page in a document: its title and its article's HTML."""

    title: str
    html: str


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


@dataclass
class PdfResult:
    label: str
    pages: int
    seconds: float
    cached: bool


def article(page_html: str, page_url: str) -> str:
    """The article of a built Material page, links made relative to the site root.

    Internal page links are dropped to plain text (they mean nothing on paper);
    image sources are rewritten against the root so the print HTML, and thus the
    cache key, does not depend on where the build happens.
    """
    match = ARTICLE.search(page_html)
    if match is None:
        raise ValueError(f"pas d'article Material dans la page {page_url}")
    html = _EDIT_BUTTON.sub("", _HEADERLINK.sub("", match.group(1)))

    def fix(m: re.Match) -> str:
        attr, url, end = m.groups()
        if urlsplit(url).scheme or url.startswith(("#", "//")) or not url:
            return m.group(0)
        if attr.strip().startswith("href"):
            return ""  # a link to another web page: plain text on paper, no file:// URI
        return f"{attr}{urljoin('/' + page_url, url).lstrip('/')}{end}"

    return _SRC.sub(fix, html)


def print_html(doc: PdfDocument) -> str:
    return render("print/document.html", doc=doc,
                  css=render("print/print.css", doc=doc))


def local_fetcher(root: Path):
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


def _referenced_files(html: str, root: Path) -> list[Path]:
    files = []
    for _, url, _ in _SRC.findall(html):
        if urlsplit(url).scheme or url.startswith("#") or not url:
            continue
        path = (root / unquote(url)).resolve()
        if path.is_relative_to(root.resolve()) and path.is_file():
            files.append(path)
    return sorted(set(files))


def cache_key(doc: PdfDocument, html: str) -> str:
    import weasyprint

    digest = hashlib.sha256()
    for part in (CACHE_VERSION, weasyprint.__version__, html):
        digest.update(part.encode())
        digest.update(b"\0")
    for file in _referenced_files(html, doc.root):
        digest.update(file.relative_to(doc.root.resolve()).as_posix().encode())
        digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


def write_pdf(doc: PdfDocument, cache_dir: Path | None = None) -> PdfResult:
    """Render one document (in a worker process); reuse the cached bytes when unchanged."""
    start = time.perf_counter()
    html = print_html(doc)
    key = cache_key(doc, html) if cache_dir else ""
    cached_pdf = cache_dir / f"{key}.pdf" if cache_dir else None
    doc.output.parent.mkdir(parents=True, exist_ok=True)
    if cached_pdf is not None and cached_pdf.is_file():
        shutil.copyfile(cached_pdf, doc.output)
        pages = json.loads(cached_pdf.with_suffix(".json").read_text())["pages"]
        return PdfResult(doc.label, pages, time.perf_counter() - start, True)
    from weasyprint import HTML

    base = doc.root.resolve().as_uri() + "/"
    document = HTML(string=html, base_url=base,
                    url_fetcher=local_fetcher(doc.root)).render()
    document.write_pdf(doc.output)
    pages = len(document.pages)
    if cached_pdf is not None:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = cached_pdf.with_suffix(f".{os.getpid()}.tmp")
        shutil.copyfile(doc.output, tmp)
        cached_pdf.with_suffix(".json").write_text(json.dumps({"pages": pages}))
        tmp.replace(cached_pdf)
    return PdfResult(doc.label, pages, time.perf_counter() - start, False)


def _quiet_weasyprint() -> None:
    import logging

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)


def write_pdfs(docs: Iterable[tuple[PdfDocument, Path | None]], *, workers: int = 2,
               progress: Callable[[int, int, PdfResult], None] | None = None
               ) -> list[PdfResult]:
    """Render documents ``workers`` at a time, each in a worker process."""
    jobs = list(docs)
    results: list[PdfResult] = []
    if not jobs:
        return results
    if workers <= 1:
        _quiet_weasyprint()
        for i, (doc, cache) in enumerate(jobs, start=1):
            results.append(write_pdf(doc, cache))
            if progress:
                progress(i, len(jobs), results[-1])
        return results
    with ProcessPoolExecutor(max_workers=workers, initializer=_quiet_weasyprint) as pool:
        futures = [pool.submit(write_pdf, doc, cache) for doc, cache in jobs]
        for i, future in enumerate(futures, start=1):
            results.append(future.result())
            if progress:
                progress(i, len(jobs), results[-1])
    return results
