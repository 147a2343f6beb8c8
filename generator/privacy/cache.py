"""What the privacy check found in each file, by content hash: kept between builds."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

KEEP = 50_000   #: entries kept in the privacy cache (a site has a few thousand files)


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
