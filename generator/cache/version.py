"""One versioning rule for every cache: a key starts with the version of the code
that made the entry, derived from that code, never a constant to remember to bump.

The version of some rooms of this package is a hash of their files (sources and
templates) and of the installed versions of the libraries they call: edit a module
of ``documents/`` and every document is made anew, edit the privacy check and every
file is read again, and nothing else is.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib.metadata import version
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]   #: the ``generator`` package


def tree_files(folder: Path) -> list[tuple[str, bytes]]:
    """Every file of a folder, by relative path: what a build reads from it (not
    Python's bytecode caches, which no build reads: they are not even opened)."""
    return [(f.relative_to(folder).as_posix(), f.read_bytes())
            for f in sorted(folder.rglob("*"))
            if f.is_file() and "__pycache__" not in f.relative_to(folder).parts]


@cache
def code_version(*rooms: str, libraries: tuple[str, ...] = ()) -> str:
    """The version of ``rooms`` (folders of the package, ``""`` for all of it, e.g.
    ``"documents"``, ``"templates/documents"``) with ``libraries`` (distributions)."""
    digest = hashlib.sha256()
    for room in rooms:
        for name, data in tree_files(PACKAGE / room):
            digest.update(f"{room}/{name}\0".encode() + hashlib.sha256(data).digest())
    for dist in libraries:
        digest.update(f"\0{dist}={version(dist)}".encode())
    return digest.hexdigest()
