"""The privacy check: no client's fingerprint outside that client's own folders.

Run on every build, on the plaintext of every file (before protected dossiers are
sealed), before the new site replaces the old one. Each file is read as a visitor
or a crawler could read it: HTML and JSON unescaped, with and without its tags,
``.gz`` decompressed, PDFs as text, metadata, link targets and attachments. Text and
fingerprints are compared folded (:mod:`generator.text.folding`: letters and digits
only, no accent, case, punctuation, space, invisible character or Cyrillic look-alike):
no entity, dash, apostrophe, ``&shy;`` or line-break hyphen can hide a match.

A client's fingerprints may appear in every folder of that client (a commune with
two missions sees both titles); anywhere else, public pages included, it is a leak,
unless inside the words of a public reference that client consented to
(:class:`~generator.privacy.match.Allowed`: those words as a whole, nothing else).
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import zipfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..content.diagnostics import BuildError
from ..protection.seal import SEALED_SUFFIX
from .cache import _Cache
from .extract import ARCHIVES, MAX_UNPACKED, file_texts
from .match import (
    Allowed,
    Owned,
    _owners,
    _pattern,
    allowed_phrases,
    masked,
    normalise,
    privacy_stamp,
    shown,
)


def _where(rel: str, folder: Owned | None) -> str:
    """A file as messages name it: in a client's folder, by the folder's label (a
    mission's slug), never by its secret address (messages reach CI logs)."""
    return f"{folder.label} : {rel[len(folder.prefix):]}" if folder else rel


class _Scanner:
    """What fingerprints a file holds, by content hash: from the cache, else read.
    An archive's members are files of their own (the PDFs of ``dossier-complet.zip``
    are the ones beside it: read once)."""

    def __init__(self, memo: _Cache, keys: list[str], allowed: tuple[str, ...] = ()) -> None:
        self.memo, self.keys, self.allowed = memo, keys, allowed
        self.index = {k: i for i, k in enumerate(keys)}
        self.pattern = _pattern(tuple(keys))

    def known(self, digest: str) -> list[int] | None:
        """What a file of this content was found to hold (kept as used by this build),
        or None when it must be read."""
        found = self.memo.used_found.get(digest)
        if found is None:
            found = self.memo.found.get(digest)
            if found is not None and not all(isinstance(i, int) and 0 <= i < len(self.keys)
                                             for i in found):
                found = None
        if found is not None:
            self.memo.used_found[digest] = found
        return found

    def _indexes(self, texts: Iterable[str]) -> set[int]:
        return {self.index[k] for t in texts for k in
                self.pattern.findall(masked(normalise(t), self.allowed))}

    def read(self, path: Path, data: bytes, digest: str) -> list[int]:
        if path.suffix in ARCHIVES:
            found = self._archive(path, data)
        else:
            found = self._indexes(file_texts(path, data))
        self.memo.used_found[digest] = result = sorted(found)
        return result

    def _archive(self, path: Path, data: bytes) -> set[int]:
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            infos = archive.infolist()
            if sum(i.file_size for i in infos) > MAX_UNPACKED:
                raise BuildError(f"{path.name} : archive de plus de 500 Mio une fois ouverte")
            found = self._indexes([path.name, *(i.filename for i in infos)])
            with tempfile.TemporaryDirectory(prefix="amoor-controle-") as tmp:
                for info in infos:
                    member = archive.read(info)
                    name = Path(info.filename).name
                    digest = hashlib.sha256(member).hexdigest() + Path(name).suffix
                    known = self.known(digest)
                    if known is None:
                        file = Path(tmp) / name
                        file.write_bytes(member)
                        known = self.read(file, member, digest)
                    found.update(known)
            return found
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise BuildError(f"{path.name} : archive illisible ({exc}) : contrôle de "
                             "confidentialité impossible") from None


class PrivacyCheck:
    """One build's check: files can be read as soon as they are written (a document
    as its worker finishes it), the whole site is judged at the end, in one pass
    that finds them in the cache."""

    def __init__(self, owned: Iterable[Owned], *, cache: Path | None = None,
                 allowed: Iterable[Allowed] = ()) -> None:
        self.folders = list(owned)
        allowed = list(allowed)
        self.clients, self.labels = _owners(self.folders)
        self.shown = {normalise(f): shown(f) for folder in self.folders
                      for f in reversed(folder.fingerprints)}
        self.tokens = {normalise(f.prefix.split("/")[1]) for f in self.folders}
        self.keys = sorted(self.clients)
        self.memo = _Cache(cache, privacy_stamp(self.folders, allowed))
        self.scanner = _Scanner(self.memo, self.keys, allowed_phrases(allowed, self.folders))

    def read(self, path: Path) -> None:
        """Read one file now (what it holds is kept for :meth:`leaks`)."""
        if not self.clients:
            return
        digest, data = self.memo.digest(path)
        if self.scanner.known(digest) is None:
            self.scanner.read(path, path.read_bytes() if data is None else data, digest)

    def leaks(self, site: Path, *, skip: tuple[str, ...] = (), pending: tuple[str, ...] = (),
              only: tuple[str, ...] = ()) -> list[str]:
        """Every place where a client's fingerprint shows outside that client's folders
        (``skip``: folders of a local preview that are never published; ``pending``:
        suffixes of files still being written; ``only``: these folders alone, what a
        preview has just rebuilt). Files not read before are read in parallel threads
        (PDFium reads one PDF at a time, beside the text files)."""
        if not self.clients:
            return []
        memo, scanner = self.memo, self.scanner
        files: list[tuple[str, str]] = []
        unknown: dict[str, tuple[Path, bytes | None]] = {}
        bases = [site / folder for folder in only] if only else [site]
        for path in sorted(p for base in bases for p in base.rglob("*") if p.is_file()):
            rel = path.relative_to(site).as_posix()
            if path.name.endswith(SEALED_SUFFIX) or (skip and rel.startswith(skip)) or \
                    (pending and path.suffix in pending):
                continue                 # sealed from a checked plaintext; never published
            digest, data = memo.digest(path)
            files.append((rel, digest))
            if scanner.known(digest) is None:
                unknown.setdefault(digest, (path, data))

        def read(item: tuple[str, tuple[Path, bytes | None]]) -> None:
            digest, (path, data) = item
            scanner.read(path, path.read_bytes() if data is None else data, digest)

        # PDFs in a thread of their own (PDFium, one at a time, releases the GIL)
        # while this thread reads the text files; archives last: their members are
        # mostly the files beside them.
        pdfs = [item for item in unknown.items() if item[1][0].suffix == ".pdf"]
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            running = [pool.submit(read, item) for item in pdfs]
            for item in unknown.items():
                if item[1][0].suffix not in (".pdf", *ARCHIVES):
                    read(item)
            for future in running:
                future.result()
            list(pool.map(read, [i for i in unknown.items() if i[1][0].suffix in ARCHIVES]))
        found = []
        for rel, digest in files:
            folder = next((f for f in self.folders if rel.startswith(f.prefix)), None)
            owner = folder.client if folder else None
            for key in (self.keys[i] for i in memo.used_found[digest]):
                if owner not in self.clients[key]:
                    what = "une adresse secrète" if key in self.tokens else \
                        f"« {self.shown.get(key, key)} »"
                    missions = sorted(self.labels[key])
                    plural = "s" if len(missions) > 1 else ""
                    found.append(f"{_where(rel, folder)} contient {what} (mission{plural} "
                                 f"{', '.join(missions)})")
        return found

    def save(self) -> None:
        self.memo.save()


def check_privacy(site: Path, owned: Iterable[Owned], *, cache: Path | None = None,
                  skip: tuple[str, ...] = (), only: tuple[str, ...] = (),
                  allowed: Iterable[Allowed] = ()) -> list[str]:
    """:meth:`PrivacyCheck.leaks` of a finished site, in one call."""
    check = PrivacyCheck(owned, cache=cache, allowed=allowed)
    found = check.leaks(site, skip=skip, only=only)
    check.save()
    return found
