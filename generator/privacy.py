"""The privacy check: no client's fingerprint outside that client's own folders.

Run on every build, on the plaintext of every file (before protected dossiers are
sealed), before the new site replaces the old one. Each file is read as a visitor
or a crawler could read it: HTML and JSON unescaped, with and without its tags,
``.gz`` decompressed, PDFs as text, metadata, link targets and attachments. Text and
fingerprints are compared folded (:mod:`generator.folding`: letters and digits only,
no accent, case, punctuation, space, invisible character or Cyrillic look-alike):
no entity, dash, apostrophe, ``&shy;`` or line-break hyphen can hide a match.

A client's fingerprints may appear in every folder of that client (a commune with
two missions sees both titles); anywhere else, public pages included, it is a leak.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import io
import json
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from .crypt import SEALED_SUFFIX
from .diagnostics import BuildError
from .folding import fold

if TYPE_CHECKING:
    from .dossier import Dossier
    from .portal import Portal

CACHE_VERSION = "5"
KEEP = 50_000   #: entries kept in the privacy cache (a site has a few thousand files)
_TAGS = re.compile(r"<[^>]*>")
_LINKS = re.compile(r"""(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def normalise(text: str) -> str:
    """Text as compared: unescaped, then folded (:func:`generator.folding.fold`)."""
    return fold(html.unescape(text))


def shown(fingerprint: str) -> str:
    """A fingerprint as a message shows it: unescaped, spaces as one, casefolded."""
    return " ".join(html.unescape(fingerprint).split()).casefold()


@dataclass(frozen=True)
class Owned:
    """A folder of the site that belongs to one client, and what identifies that client."""

    prefix: str                     #: e.g. ``d/<token>/``
    client: str                     #: the client key
    fingerprints: tuple[str, ...]
    label: str                      #: said in messages (a mission slug)


def owned_folders(dossiers: Iterable[Dossier], portals: Iterable[Portal]) -> list[Owned]:
    """The folders a build gives its clients: each dossier's, then each portal's."""
    return [*(Owned(d.path, d.client, d.fingerprints, d.slug) for d in dossiers),
            *(Owned(p.path, p.client, p.fingerprints, p.label) for p in portals)]


def pdf_text(path: Path) -> str:
    """Everything a reader of a PDF can get: text, metadata, link targets, attachments.
    A PDF that cannot be read is not a clean PDF: the check fails."""
    if shutil.which("pdftotext") is None:
        raise BuildError("pdftotext est introuvable : installez poppler-utils "
                         "(apt-get install poppler-utils) ; il sert au contrôle de "
                         "confidentialité des PDF")
    done = subprocess.run(["pdftotext", "-q", "-enc", "UTF-8", str(path), "-"],
                          capture_output=True, check=False)
    if done.returncode != 0:
        raise BuildError(f"{path.name} : PDF illisible par pdftotext (code "
                         f"{done.returncode}) : contrôle de confidentialité impossible")
    return done.stdout.decode("utf-8", errors="replace") + "\n" + pdf_objects(path)


def pdf_objects(path: Path) -> str:
    """Metadata, link targets and names of attached files of a PDF, as text."""
    import pikepdf

    try:
        with pikepdf.open(path) as pdf:
            parts = [str(v) for v in pdf.docinfo.values()]
            if "/Metadata" in pdf.Root:
                parts.append(pdf.Root.Metadata.read_bytes().decode("utf-8", "replace"))
            for page in pdf.pages:
                for annot in page.get("/Annots", []):
                    action = annot.get("/A")
                    if action is not None and "/URI" in action:
                        parts.append(str(action.URI))
            for name in pdf.attachments:
                parts.append(f"pièce jointe {name}")
                parts.append(pdf.attachments[name].get_file().read_bytes().decode(
                    "utf-8", "replace"))
    except pikepdf.PdfError as exc:
        raise BuildError(f"{path.name} : PDF illisible ({exc}) : contrôle de "
                         "confidentialité impossible") from None
    return "\n".join(parts)


#: Archives opened by the check: the download-all zip, an Office document's XML parts.
ARCHIVES = (".zip", ".pptx", ".docx", ".xlsx", ".odt", ".odp")
MAX_UNPACKED = 500 * 2**20


def file_texts(path: Path, data: bytes) -> tuple[str, ...]:
    """What a reader of the file can see, as texts to search."""
    if path.suffix == ".pdf":
        return (pdf_text(path),)
    if path.suffix == ".gz":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise BuildError(f"{path.name} : archive illisible ({exc})") from None
    text = data.decode("utf-8", errors="replace")
    if path.name.endswith((".json", ".json.gz")):
        try:
            text = json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            pass
    # Markup as two texts: between the tags (a name split by tags is found whole) and
    # the tags themselves (attributes: titles, alternatives, links).
    texts = (_TAGS.sub("", text), " ".join(_TAGS.findall(text))) if "<" in text else (text,)
    # A link's target is read as its reader sees it: ``mailto:…?body=Mairie%20de…``.
    encoded = [a or b for a, b in _LINKS.findall(text) if "%" in a or "%" in b]
    return texts + (unquote(" ".join(encoded)),) if encoded else texts


def _trie(keys: Iterable[str]) -> str:
    """One regular expression for all the fingerprints, as a trie of their characters.

    Same matches as ``"|".join(longest first)`` (leftmost, then longest: the branch to
    take is decided by the next character, a longer key is tried before a shorter one
    ends), but ``re`` no longer tries every fingerprint at every position: with one
    alternative per key, the check grew as dossiers × text, 14× slower for 100 dossiers.
    """
    root: dict = {}
    for key in keys:
        node = root
        for char in key:
            node = node.setdefault(char, {})
        node[""] = {}  # a key ends here

    def emit(node: dict) -> str:
        branches = [re.escape(c) + emit(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root)


@lru_cache(maxsize=8)
def _pattern(keys: tuple[str, ...]) -> re.Pattern[str]:
    """The compiled trie of a set of fingerprints: the same set is compiled once per
    process (``amoor serve`` checks after every edit)."""
    return re.compile(_trie(keys))


class _Cache:
    """What was found in each file, by content hash and for one set of fingerprints,
    and each file's hash by its inode and modification time (hard-linked theme
    assets are hashed once). Hashes and indexes only, never text."""

    def __init__(self, folder: Path | None, stamp: str) -> None:
        self.folder, self.stamp = folder, stamp
        self.found: dict[str, list[int]] = {}
        self.digests: dict[str, str] = {}
        if folder is not None:
            try:
                data = json.loads((folder / "privacy.json").read_text())
                if data.get("stamp") == stamp:
                    self.found = dict(data["found"])
                self.digests = dict(data["digests"])
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                pass
        self.used_found: dict[str, list[int]] = {}
        self.used_digests: dict[str, str] = {}

    def digest(self, path: Path) -> tuple[str, bytes | None]:
        st = path.stat()
        stat_key = f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{path.suffix}"
        digest = self.digests.get(stat_key) or self.used_digests.get(stat_key)
        data = None
        if digest is None:
            data = path.read_bytes()
            digest = hashlib.sha256(data).hexdigest() + path.suffix
        self.used_digests[stat_key] = digest
        return digest, data

    def save(self) -> None:
        """This build's entries, then earlier ones up to a bound: a build without PDFs
        does not make the next one read every PDF again."""
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        found = {**self.used_found, **{k: v for k, v in self.found.items()
                                       if k not in self.used_found}}
        digests = {**self.used_digests, **{k: v for k, v in self.digests.items()
                                           if k not in self.used_digests}}
        tmp = self.folder / f"privacy.{os.getpid()}.tmp"
        tmp.write_text(json.dumps({"stamp": self.stamp,
                                   "found": dict(list(found.items())[:KEEP]),
                                   "digests": dict(list(digests.items())[:KEEP])}))
        tmp.replace(self.folder / "privacy.json")


def _owners(folders: list[Owned]) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Each searched fingerprint (normalised, 4 characters at least): its clients, its
    missions."""
    clients: dict[str, set[str]] = {}
    labels: dict[str, set[str]] = {}
    for folder in folders:
        for fingerprint in folder.fingerprints:
            key = normalise(fingerprint).strip()
            if len(key) >= 4:
                clients.setdefault(key, set()).add(folder.client)
                labels.setdefault(key, set()).add(folder.label)
    return clients, labels


def privacy_stamp(owned: Iterable[Owned]) -> str:
    """Identifies what the check looks for: which fingerprints, owned by which clients,
    in which folders. A file checked under one stamp is clean under the same stamp."""
    folders = sorted(owned, key=lambda f: f.prefix)
    clients, _ = _owners(folders)
    parts = [CACHE_VERSION, *(f"{f.prefix}={f.client}" for f in folders),
             *(f"{k}={','.join(sorted(v))}" for k, v in sorted(clients.items()))]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _where(rel: str, folder: Owned | None) -> str:
    """A file as messages name it: in a client's folder, by the folder's label (a
    mission's slug), never by its secret address (messages reach CI logs)."""
    return f"{folder.label} : {rel[len(folder.prefix):]}" if folder else rel


class _Scanner:
    """What fingerprints a file holds, by content hash: from the cache, else read.
    An archive's members are files of their own (the PDFs of ``dossier-complet.zip``
    are the ones beside it: read once)."""

    def __init__(self, memo: _Cache, keys: list[str]) -> None:
        self.memo, self.keys = memo, keys
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
        return {self.index[k] for t in texts for k in self.pattern.findall(normalise(t))}

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

    def __init__(self, owned: Iterable[Owned], *, cache: Path | None = None) -> None:
        self.folders = list(owned)
        self.clients, self.labels = _owners(self.folders)
        self.shown = {normalise(f): shown(f) for folder in self.folders
                      for f in reversed(folder.fingerprints)}
        self.tokens = {normalise(f.prefix.split("/")[1]) for f in self.folders}
        self.keys = sorted(self.clients)
        self.memo = _Cache(cache, privacy_stamp(self.folders))
        self.scanner = _Scanner(self.memo, self.keys)

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
        (``pdftotext`` runs in processes of its own)."""
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

        # PDFs in threads (``pdftotext`` is a process of its own) while this thread
        # reads the text files; archives last: their members are mostly the files
        # beside them.
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
                  skip: tuple[str, ...] = (), only: tuple[str, ...] = ()) -> list[str]:
    """:meth:`PrivacyCheck.leaks` of a finished site, in one call."""
    check = PrivacyCheck(owned, cache=cache)
    found = check.leaks(site, skip=skip, only=only)
    check.save()
    return found
