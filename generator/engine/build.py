"""MkDocs builds of the public site and of each dossier, with their page content captured.

A dossier's configuration is the project's, changed only where a dossier differs:
its own pages (virtual files of a docs folder that is empty), its own address, no
tabs, no search index when its pages are sealed.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from markupsafe import escape
from mkdocs.exceptions import MkDocsException

from ..cache.version import tree_files
from ..content.diagnostics import BuildError
from ..content.models.provider import Provider
from ..content.project import Project
from ..content.reader import OfferSource
from ..dossier.dossier import Attachment, Dossier, Page
from ..dossier.portal import Portal
from ..dossier.references import PublicReference
from .dossier_plugin import PrivatePlugin
from .hooks import Capture
from .html_cache import HtmlCache
from .runner import MkDocsRunner


def private_settings(project: Project, path: str, pages: tuple[Page, ...], description: str,
                     *, search: bool) -> dict[str, Any]:
    """What a private site's MkDocs configuration changes in the project's: its own
    pages only, its own address, no tabs, a search index only when asked. Values from
    the data are HTML-escaped: MkDocs' templates print settings as they are."""
    settings = project.settings
    theme = dict(settings["theme"])
    theme["features"] = [f for f in theme.get("features", []) if f != "navigation.tabs"]
    return {
        "site_url": (project.site_url or "/").rstrip("/") + "/" + path,
        "site_description": str(escape(description)),
        "nav": [{str(escape(p.title)): p.src_uri} for p in pages],
        "plugins": [{"search": {"lang": "fr"}}] if search else [],
        "theme": theme,
    }


def dossier_settings(project: Project, dossier: Dossier) -> dict[str, Any]:
    """A dossier: searchable unless its pages are sealed (a search index is plaintext)."""
    return private_settings(project, dossier.path, dossier.pages,
                            f"Dossier de mission — {dossier.mission.title}",
                            search=not dossier.password_env)


def portal_pages(portals: list[Portal]) -> tuple[Page, ...]:
    """Each portal's page at its own address, for one build of them all."""
    return tuple(Page(portal.path + page.src_uri, page.title, page.markdown)
                 for portal in portals for page in portal.pages)


def portal_settings(project: Project, pages: tuple[Page, ...]) -> dict[str, Any]:
    """The portals: at the site's root, never a search index."""
    return private_settings(project, "", pages, "Espace client", search=False)


@dataclass
class Built:
    capture: Capture
    cache_key: str | None
    cached: bool


class Engine:
    """One per ``amoor build`` (or ``amoor serve`` session): templates stay compiled."""

    def __init__(self, project: Project, *, strict: bool = True, preview: bool = False) -> None:
        self.project = project
        self.strict = strict
        self.preview = preview
        self.runner = MkDocsRunner()
        code = [project.custom_dir] if project.custom_dir else []  # the package: its version
        self.cache = HtmlCache(project.cache_dir / "html", config_file=project.config_file,
                               code_dirs=code)
        self._empty = tempfile.TemporaryDirectory(prefix="amoor-docs-")

    def close(self) -> None:
        self._empty.cleanup()

    def _run(self, config: Any, where: str) -> None:
        try:
            self.runner.run(config)
        except MkDocsException as exc:
            raise BuildError(f"{where}: {exc}") from None

    def build_public(self, site_dir: Path, offers: dict[str, OfferSource],
                     references: list[PublicReference] | None = None,
                     provider: Provider | None = None) -> Built:
        """The public site, offers and references given by the core; the brochure is
        left to the core. Linked from the cache when ``docs/``, the references and
        everything else are unchanged."""
        references = references or []
        key = self.cache.key({"site": "public", "preview": self.preview,
                              "references": [asdict(r) for r in references],
                              "provider": provider.model_dump(mode="json") if provider
                              else None},
                             tree_files(self.project.docs_dir), strict=self.strict)
        captured = self.cache.fetch(key, site_dir)
        if captured is not None:
            return Built(captured, key, True)
        config = self.runner.config(self.project.config_file, site_dir=str(site_dir),
                                    strict=self.strict)
        capture: Capture = {}
        plugin = config.plugins.get("amoor")
        if plugin is not None:
            plugin.provide(offers, capture, preview=self.preview, references=references,
                           provider=provider)
        self._run(config, "site public")
        self.cache.store(key, site_dir, capture)
        return Built(capture, key, False)

    def _key(self, settings: dict[str, Any], pages: tuple[Page, ...],
             attachments: tuple[Attachment, ...] = ()) -> str | None:
        """Hash of everything a private build's pages depend on (None: cannot tell)."""
        files = [(p.src_uri, p.markdown.encode()) for p in pages]
        files += [(a.name, a.data) for a in attachments]
        return self.cache.key({**settings, "preview": self.preview}, files, strict=self.strict)

    def inputs_key(self, dossier: Dossier) -> str | None:
        """Hash of everything a dossier's built pages depend on (None: cannot tell)."""
        return self._key(dossier_settings(self.project, dossier), dossier.pages,
                         dossier.attachments)

    def build_dossier(self, dossier: Dossier, site_dir: Path) -> Built:
        """One dossier's folder: a MkDocs build of its own, or a copy of the identical
        one built before (never for a password-protected dossier: no plaintext kept)."""
        settings = dossier_settings(self.project, dossier)
        key = None if dossier.password_env else \
            self._key(settings, dossier.pages, dossier.attachments)
        return self._private(settings, dossier.pages, dossier.attachments, site_dir, key,
                             dossier.source.path)

    def portals_key(self, portals: list[Portal]) -> str | None:
        """Hash of everything the portals' built pages depend on (None: cannot tell)."""
        pages = portal_pages(portals)
        return self._key(portal_settings(self.project, pages), pages)

    def build_portals(self, portals: list[Portal], site: Path) -> Built:
        """Every portal in one MkDocs build, each a page ``c/<token>/index.html`` put
        into ``site``: no navigation (a page lists no other), no search index, the
        theme's files those of the public site at the root. Cached unless one of them
        is to be sealed (no plaintext kept)."""
        pages = portal_pages(portals)
        settings = portal_settings(self.project, pages)
        key = None if any(p.password for p in portals) else self._key(settings, pages)
        work = Path(tempfile.mkdtemp(prefix=".portails.", dir=site))
        try:
            built = self._private(settings, pages, (), work, key, "espaces clients",
                                  isolated=True)
            for portal in portals:
                target = site / portal.path
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.rmtree(target, ignore_errors=True)     # the preview's last one
                (work / portal.path).rename(target)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return built

    def _private(self, settings: dict[str, Any], pages: tuple[Page, ...],
                 attachments: tuple[Attachment, ...], site_dir: Path, key: str | None,
                 where: str, *, isolated: bool = False) -> Built:
        captured = self.cache.fetch(key, site_dir)
        if captured is not None:
            return Built(captured, key, True)
        capture: Capture = {}
        config = self.runner.config(self.project.config_file, site_dir=str(site_dir),
                                    docs_dir=self._empty.name, strict=self.strict, **settings)
        config.plugins["amoor-private"] = PrivatePlugin(pages, attachments, capture,
                                                        preview=self.preview, isolated=isolated)
        config.theme.static_templates.discard("404.html")  # was rendered, then deleted
        self._run(config, where)
        self.cache.store(key, site_dir, capture)
        return Built(capture, key, False)
