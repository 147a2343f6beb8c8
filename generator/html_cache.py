"""Content-hash cache of built dossier folders: an unchanged dossier is copied, not
rebuilt (``.cache/amoor/html/``, git-ignored). A password-protected dossier is never
stored: the cache holds no plaintext of a sealed dossier."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from importlib.metadata import version
from pathlib import Path
from typing import Iterable

VERSION = "1"
BUILDERS = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2")


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

    def key(self, settings: dict, pages: Iterable[tuple[str, str]], *, strict: bool,
            sealed: bool) -> str | None:
        """Hash of one dossier's build inputs; ``None`` when it must not be cached."""
        common = self._common()
        if sealed or common is None:
            return None
        digest = hashlib.sha256(common)
        digest.update(json.dumps([strict, settings], sort_keys=True, default=str,
                                 ensure_ascii=False).encode())
        for src, markdown in pages:
            digest.update(b"\0" + src.encode() + b"\0" + markdown.encode())
        return digest.hexdigest()

    def fetch(self, key: str | None, dest: Path) -> bool:
        """Copy the cached folder to ``dest``; False when absent (or pruned meanwhile)."""
        entry = self.folder / key if key else None
        if entry is None or not entry.is_dir():
            return False
        try:
            shutil.copytree(entry, dest)
            return True
        except OSError:
            shutil.rmtree(dest, ignore_errors=True)
            return False

    def store(self, key: str | None, built: Path) -> None:
        if key is None:
            return
        entry = self.folder / key
        part = entry.with_name(f"{key}.{os.getpid()}.tmp")
        shutil.rmtree(part, ignore_errors=True)
        shutil.copytree(built, part)
        try:
            part.rename(entry)
        except OSError:  # stored meanwhile by another build
            shutil.rmtree(part, ignore_errors=True)

    def prune(self, used: set[str | None]) -> None:
        """Keep only this build's entries: the cache stays the size of the dossiers."""
        if self.folder.is_dir():
            for entry in self.folder.iterdir():
                if entry.name not in used:
                    shutil.rmtree(entry, ignore_errors=True)
