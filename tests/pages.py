"""Reading built pages as a visitor's browser does, without knowing the theme's markup."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit


@dataclass
class Page:
    title: str = ""
    h1: list[str] = field(default_factory=list)
    h2: list[str] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)        #: name or http-equiv → content
    links: list[tuple[str, str]] = field(default_factory=list)  #: (href, text)
    scripts: list[tuple[dict, str]] = field(default_factory=list)  #: (attributes, text)
    tags: list[tuple[str, dict]] = field(default_factory=list)   #: every start tag
    text: str = ""


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.stack: list[tuple[str, dict, list[str]]] = []
        self.words: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = {k: v or "" for k, v in attrs}
        self.page.tags.append((tag, values))
        if tag == "meta":
            key = values.get("name") or values.get("http-equiv") or values.get("property")
            if key:
                self.page.meta[key.lower()] = values.get("content", "")
            return
        if tag in ("br", "img", "link", "input", "hr"):
            return
        self.stack.append((tag, values, []))

    def handle_endtag(self, tag):
        while self.stack:
            name, values, text = self.stack.pop()
            joined = " ".join("".join(text).split())
            if self.stack:
                self.stack[-1][2].append("".join(text))
            if name == "title" and not self.page.title:   # not an SVG's <title>
                self.page.title = joined
            elif name in ("h1", "h2"):
                getattr(self.page, name).append(joined)
            elif name == "a" and "href" in values:
                self.page.links.append((values["href"], joined))
            elif name == "script":
                self.page.scripts.append((values, "".join(text)))
            if name == tag:
                break

    def handle_data(self, data):
        if self.stack:
            self.stack[-1][2].append(data)
        if not any(t in ("script", "style") for t, _, _ in self.stack):
            self.words.append(data)


def read(path: Path) -> Page:
    reader = _Reader()
    reader.feed(path.read_text(encoding="utf-8"))
    reader.close()
    reader.page.text = " ".join(" ".join(reader.words).split())
    return reader.page


def targets(site: Path, page_file: Path, page: Page) -> list[str]:
    """Site-relative paths of the page's links inside the site (not external, not anchors)."""
    base = "/" + page_file.relative_to(site).as_posix()
    found = []
    for href, _ in page.links:
        if not href or href.startswith("#") or urlsplit(href).scheme or href.startswith("//"):
            continue
        found.append(urlsplit(urljoin(base, href)).path.lstrip("/"))
    return found
