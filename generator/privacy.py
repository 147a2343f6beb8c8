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


def check_privacy(site: Path, dossiers: Iterable[Dossier]) -> list[str]:
    """Every place where a dossier's fingerprint shows outside its own folder."""
    owners: dict[str, Dossier] = {}
    for dossier in dossiers:
        for fingerprint in dossier.fingerprints:
            key = normalise(fingerprint).strip()
            if len(key) >= 4:
                owners.setdefault(key, dossier)
    if not owners:
        return []
    pattern = re.compile("|".join(re.escape(k) for k in sorted(owners, key=len,
                                                                  reverse=True)))
    seen: dict[str, set[str]] = {}
    leaks = []
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        if path.name.endswith(SEALED_SUFFIX):
            continue
        rel = path.relative_to(site).as_posix()
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest not in seen:
            seen[digest] = set(pattern.findall(normalise(file_text(path))))
        for found in sorted(seen[digest]):
            owner = owners[found]
            if not rel.startswith(owner.path):
                shown = "son adresse secrète" if found == owner.token else f"« {found} »"
                leaks.append(f"{rel} contient {shown} (dossier {owner.slug})")
    return leaks
