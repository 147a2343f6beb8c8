"""The post-build privacy check: no dossier's fingerprint outside its own folder.

Run on every build before the new site replaces the old one. Each file is read as
a visitor or a crawler could read it: HTML and JSON unescaped, ``.gz``
decompressed, PDFs through ``pdftotext``; text is compared case- and
space-insensitively, so a no-break space or an entity cannot hide a match.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Iterable

from .dossier import Dossier
from .crypt import SEALED_SUFFIX

_SPACES = re.compile(r"[\s\u00a0\u202f]+")


def normalise(text: str) -> str:
    return _SPACES.sub(" ", html.unescape(text)).casefold()


def file_text(path: Path) -> str:
    """What a reader of ``path`` can see, as text."""
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    if path.suffix == ".pdf":
        return pdf_text(path)
    text = data.decode("utf-8", errors="replace")
    if path.suffix == ".json":
        try:
            text = json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            pass
    return text


def pdf_text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        raise RuntimeError("pdftotext est introuvable : installez poppler-utils")
    done = subprocess.run(["pdftotext", "-q", str(path), "-"], capture_output=True,
                          check=False)
    return done.stdout.decode("utf-8", errors="replace")


CACHE_VERSION = "1"


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


def _load_findings(cache: Path | None, stamp: str) -> dict[str, list[int]]:
    try:
        found = json.loads((cache / f"{stamp}.json").read_text()) if cache else {}
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in found.items() if isinstance(v, list)} \
        if isinstance(found, dict) else {}


def _store_findings(cache: Path, stamp: str, findings: dict[str, list[int]]) -> None:
    """One file per set of fingerprints; earlier sets are dropped."""
    cache.mkdir(parents=True, exist_ok=True)
    for old in cache.glob("*.json"):
        if old.stem != stamp:
            old.unlink(missing_ok=True)
    tmp = cache / f"{stamp}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(findings, sort_keys=True))
    tmp.replace(cache / f"{stamp}.json")


def check_privacy(site: Path, dossiers: Iterable[Dossier], *,
                  cache: Path | None = None) -> list[str]:
    """Every place where a dossier's fingerprint shows outside its own folder.

    With ``cache``, what was found in a file is remembered by the file's content hash
    and type, for the same set of fingerprints: an unchanged file (most of them, in an
    incremental build) is not read again through ``pdftotext`` and the pattern. The
    cache holds only hashes and indexes into the sorted fingerprints, no text.
    """
    owners: dict[str, Dossier] = {}
    for dossier in dossiers:
        for fingerprint in dossier.fingerprints:
            key = normalise(fingerprint).strip()
            if len(key) >= 4:
                owners.setdefault(key, dossier)
    if not owners:
        return []
    pattern = re.compile(_trie(owners))
    keys = sorted(owners)
    index = {k: i for i, k in enumerate(keys)}
    stamp = hashlib.sha256("\0".join([CACHE_VERSION, *keys]).encode()).hexdigest()
    known = _load_findings(cache, stamp)
    findings: dict[str, list[int]] = {}
    seen: dict[str, set[str]] = {}
    leaks = []
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        if path.name.endswith(SEALED_SUFFIX):
            continue
        rel = path.relative_to(site).as_posix()
        # The suffix says how the bytes are read (.gz, .pdf, .json), so it is in the key.
        digest = hashlib.sha256(path.read_bytes()).hexdigest() + path.suffix
        if digest not in seen:
            if digest in known and all(isinstance(i, int) and 0 <= i < len(keys)
                                        for i in known[digest]):
                seen[digest] = {keys[i] for i in known[digest]}
            else:
                seen[digest] = set(pattern.findall(normalise(file_text(path))))
            findings[digest] = sorted(index[k] for k in seen[digest])
        for found in sorted(seen[digest]):
            owner = owners[found]
            if not rel.startswith(owner.path):
                shown = "son adresse secrète" if found == owner.token else f"« {found} »"
                leaks.append(f"{rel} contient {shown} (dossier {owner.slug})")
    if cache is not None:
        _store_findings(cache, stamp, findings)
    return leaks
