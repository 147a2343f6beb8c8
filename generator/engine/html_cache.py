"""Content-hash cache of built sites (the public one and each dossier): an unchanged
site is linked, not rebuilt, with the page content captured for its PDFs. A
password-protected dossier is never stored here: this cache holds no plaintext of a
sealed dossier.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

from markupsafe import Markup

from ..cache.folder import FolderCache
from ..cache.version import code_version, tree_files
from ..documents.pdf import Section
from .hooks import Capture

BUILDERS = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2")


class HtmlCache:
    def __init__(self, folder: Path, *, config_file: Path, code_dirs: Iterable[Path]):
        self.store_ = FolderCache(folder)
        self._config_file = config_file
        self._code_dirs = list(code_dirs)
        self._stamp: bytes | None | bool = False  # computed on first use

    def _common(self) -> bytes | None:
        """What every built site depends on besides its own pages and settings: the
        version of this package's code and templates with the builders' (one rule:
        :func:`~generator.cache.version.code_version`), ``mkdocs.yml``, theme overrides.
        ``None`` (no cache) when ``mkdocs.yml`` reads the environment."""
        if self._stamp is False:
            config = self._config_file.read_bytes()
            if b"!ENV" in config:
                self._stamp = None
            else:
                code = code_version("", libraries=BUILDERS)
                digest = hashlib.sha256(code.encode() + b"\0" + config)
                for folder in self._code_dirs:
                    for name, data in tree_files(folder):
                        digest.update(b"\0" + name.encode())
                        digest.update(hashlib.sha256(data).digest())
                self._stamp = digest.digest()
        return self._stamp  # type: ignore[return-value]

    def key(self, settings: dict, files: Iterable[tuple[str, bytes]], *, strict: bool,
            sealed: bool = False) -> str | None:
        """Hash of one build's inputs; ``None`` when it cannot be cached."""
        common = self._common()
        if sealed or common is None:
            return None
        digest = hashlib.sha256(common)
        digest.update(json.dumps([strict, settings], sort_keys=True, default=str,
                                 ensure_ascii=False).encode())
        for name, data in files:
            digest.update(b"\0" + name.encode() + b"\0" + hashlib.sha256(data).digest())
        return digest.hexdigest()

    def fetch(self, key: str | None, dest: Path) -> Capture | None:
        """Link the cached site to ``dest`` and return its captured content."""
        capture = self.store_.fetch(key, dest)
        if capture is None:
            return None
        return {src: Section(Markup(c["title"]), c["html"], c["url"], tuple(c["sources"]))
                for src, c in capture.items()}  # titles are HTML

    def store(self, key: str | None, built: Path, capture: Capture) -> None:
        self.store_.store(key, built, {src: {"title": s.title, "html": s.html, "url": s.url,
                                             "sources": s.sources}
                                       for src, s in capture.items()})

    def prune(self, used: set[str | None]) -> None:
        self.store_.prune(used)
