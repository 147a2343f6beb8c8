"""Content-hash cache of built dossier folders: an unchanged dossier is linked, not
rebuilt (``.cache/amoor/html/``, git-ignored), with the page content captured for
its PDFs. A password-protected dossier is never stored: the cache holds no
plaintext of a sealed dossier.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable
from importlib.metadata import version
from pathlib import Path

from markupsafe import Markup

from ..pdf import Section
from .hooks import Capture

VERSION = "2"
BUILDERS = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2")
CAPTURE = ".amoor-capture.json"   #: beside the cached folder, never published


def link_tree(source: Path, dest: Path) -> None:
    """``dest`` as a copy of ``source`` made of hard links (a copy where links fail).

    Safe because nothing in a build rewrites a file in place: every write replaces.
    """
    def link(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(source, dest, copy_function=link)


class HtmlCache:
    def __init__(self, folder: Path, *, config_file: Path, code_dirs: Iterable[Path]):
        self.folder = folder
        self._config_file = config_file
        self._code_dirs = list(code_dirs)
        self._stamp: bytes | None | bool = False  # computed on first use

    def _common(self) -> bytes | None:
        """What every dossier's HTML depends on besides its own pages and settings:
        the builders' versions, ``mkdocs.yml``, theme overrides, this package's code
        and templates. ``None`` (no cache) when ``mkdocs.yml`` reads the environment."""
        if self._stamp is False:
            config = self._config_file.read_bytes()
            if b"!ENV" in config:
                self._stamp = None
            else:
                digest = hashlib.sha256(VERSION.encode() + b"\0" + config)
                for dist in BUILDERS:
                    digest.update(f"\0{dist}={version(dist)}".encode())
                for folder in self._code_dirs:
                    for file in sorted(folder.rglob("*")):
                        if file.is_file() and "__pycache__" not in file.parts:
                            digest.update(b"\0" + file.relative_to(folder).as_posix().encode())
                            digest.update(hashlib.sha256(file.read_bytes()).digest())
                self._stamp = digest.digest()
        return self._stamp  # type: ignore[return-value]

    def key(self, settings: dict, files: Iterable[tuple[str, bytes]], *, strict: bool,
            sealed: bool) -> str | None:
        """Hash of one dossier's build inputs; ``None`` when it must not be cached."""
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
        """Link the cached folder to ``dest`` and return its captured content; None
        when absent (or pruned meanwhile)."""
        entry = self.folder / key if key else None
        if entry is None or not entry.is_dir():
            return None
        try:
            capture = json.loads((self.folder / f"{key}{CAPTURE}").read_text("utf-8"))
            link_tree(entry, dest)
        except (OSError, ValueError):
            shutil.rmtree(dest, ignore_errors=True)
            return None
        return {src: Section(Markup(c["title"]), c["html"], c["url"])  # titles are HTML
                for src, c in capture.items()}

    def store(self, key: str | None, built: Path, capture: Capture) -> None:
        if key is None:
            return
        entry = self.folder / key
        part = entry.with_name(f"{key}.{os.getpid()}.tmp")
        shutil.rmtree(part, ignore_errors=True)
        self.folder.mkdir(parents=True, exist_ok=True)
        link_tree(built, part)
        (self.folder / f"{key}{CAPTURE}").write_text(json.dumps(
            {src: {"title": s.title, "html": s.html, "url": s.url}
             for src, s in capture.items()}, ensure_ascii=False), "utf-8")
        try:
            part.rename(entry)
        except OSError:  # stored meanwhile by another build
            shutil.rmtree(part, ignore_errors=True)

    def prune(self, used: set[str | None]) -> None:
        """Keep only this build's entries: the cache stays the size of the dossiers."""
        if self.folder.is_dir():
            for entry in self.folder.iterdir():
                if entry.name.split(".", 1)[0] not in used:
                    if entry.is_dir():
                        shutil.rmtree(entry, ignore_errors=True)
                    else:
                        entry.unlink(missing_ok=True)
