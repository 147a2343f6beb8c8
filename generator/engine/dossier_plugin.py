"""The MkDocs side of one private build (a dossier, a client's portal): its files only.

Its pages' front matter is generated, already HTML-safe (``dossier.render_pages``).

Not an entry point: the engine adds it to a configuration whose docs folder is
empty, so a private build sees only its own pages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File
from mkdocs.structure.nav import Navigation

from ..dossier.dossier import Attachment, Page
from .attributes import guard_markdown
from .hooks import Capture, finish_content, finish_page
from .stylesheets import minify_own_stylesheets

#: Files MkDocs or Material write at the site root that a dossier folder must not carry.
STRAY = ("sitemap.xml", "sitemap.xml.gz", "404.html")


class PrivatePlugin(BasePlugin):
    """``isolated``: pages that must not know of each other (the portals, built
    together): no navigation, no previous or next page."""

    def __init__(self, pages: tuple[Page, ...], attachments: tuple[Attachment, ...],
                 capture: Capture, *, preview: bool = False, isolated: bool = False) -> None:
        super().__init__()
        self.pages, self.attachments = pages, attachments
        self.capture = capture
        self.preview = preview
        self.isolated = isolated

    def on_config(self, config: Any) -> Any:
        guard_markdown(config)
        return config

    def on_nav(self, nav: Navigation, config: Any, files: Any) -> Navigation:
        if not self.isolated:
            return nav
        for page in nav.pages:
            page.previous_page = page.next_page = None
        return Navigation([], [])

    def on_files(self, files: Any, config: Any) -> Any:
        minify_own_stylesheets(files, config)
        for page in self.pages:
            files.append(File.generated(config, page.src_uri, content=page.markdown))
        for attachment in self.attachments:
            files.append(File.generated(config, attachment.name, content=attachment.data))
        return files

    def on_page_content(self, html: str, page: Any, config: Any, files: Any) -> str:
        return finish_content(html, page, self.capture, preview=self.preview)

    def on_page_context(self, context: Any, page: Any, config: Any, nav: Any) -> Any:
        """No canonical address: a private page is never to be found by its link's
        preview, nor indexed (and has no sharing card)."""
        page.canonical_url = None
        return context

    def on_post_page(self, output: str, page: Any, config: Any) -> str:
        return finish_page(output, page, preview=self.preview)

    def on_post_build(self, config: Any) -> None:
        for name in STRAY:
            (Path(config.site_dir) / name).unlink(missing_ok=True)
