"""Built folders and files kept by key under ``.cache/amoor/`` (git-ignored), linked
back, not copied: the one store of the HTML, sealed-folder and document caches.

An entry is stored and fetched as hard links (a copy where links fail): safe because
nothing in a build rewrites a file in place, every write replaces the file. Each
entry carries a small JSON note (what the caller needs besides the files). Keys
start with the version of the code that made them (:mod:`generator.cache.version`).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

NOTE = ".note.json"   #: beside the entry's folder, never published


def link_tree(source: Path, dest: Path) -> None:
    """``dest`` as a copy of ``source`` made of hard links."""
    def link(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(source, dest, copy_function=link, dirs_exist_ok=True)


class FolderCache:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def fetch(self, key: str | None, dest: Path) -> Any:
        """Link the entry to ``dest`` and return its note; None when absent."""
        if key is None:
            return None
        entry = self.folder / key
        try:
            note = json.loads((self.folder / f"{key}{NOTE}").read_text("utf-8"))
            link_tree(entry, dest)
        except (OSError, ValueError):
            shutil.rmtree(dest, ignore_errors=True)
            return None
        return note

    def store(self, key: str | None, built: Path, note: Any) -> None:
        if key is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        entry = self.folder / key
        part = entry.with_name(f"{key}.{os.getpid()}.tmp")
        shutil.rmtree(part, ignore_errors=True)
        link_tree(built, part)
        (self.folder / f"{key}{NOTE}").write_text(json.dumps(note, ensure_ascii=False), "utf-8")
        try:
            part.rename(entry)
        except OSError:  # stored meanwhile by another build
            shutil.rmtree(part, ignore_errors=True)

    def fetch_file(self, key: str, suffix: str, dest: Path) -> Any:
        """Link the file kept under ``key`` to ``dest`` and return its note; None when
        absent."""
        cached = self.folder / f"{key}{suffix}"
        try:
            note = json.loads((self.folder / f"{key}{NOTE}").read_text("utf-8"))
        except (OSError, ValueError):
            return None
        if not cached.is_file():
            return None
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.unlink(missing_ok=True)
        try:
            os.link(cached, dest)     # never rewritten in place: a link is a copy
        except OSError:               # another file system
            shutil.copyfile(cached, dest)
        return note

    def store_file(self, key: str, suffix: str, file: Path, note: Any) -> None:
        """Keep a copy of ``file`` under ``key`` (written aside, then renamed: a worker
        storing the same key meanwhile leaves one whole file)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        cached = self.folder / f"{key}{suffix}"
        tmp = cached.with_name(f"{key}.{os.getpid()}.tmp")
        shutil.copyfile(file, tmp)
        (self.folder / f"{key}{NOTE}").write_text(json.dumps(note, ensure_ascii=False), "utf-8")
        tmp.replace(cached)

    def prune(self, used: set[str | None]) -> None:
        """Keep only this build's entries: the cache stays the size of the site."""
        if self.folder.is_dir():
            for entry in self.folder.iterdir():
                if entry.name.split(".", 1)[0] not in used:
                    if entry.is_dir():
                        shutil.rmtree(entry, ignore_errors=True)
                    else:
                        entry.unlink(missing_ok=True)
