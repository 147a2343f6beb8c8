"""Zip archives with the same bytes at every build: fixed entry times and permissions."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

EPOCH = (1980, 1, 1, 0, 0, 0)    #: the earliest time a zip entry can carry


def fixed_zip(entries: Iterable[tuple[str, bytes, int]]) -> bytes:
    """An archive of ``(name, data, compression)`` entries, in the order given."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data, method in entries:
            info = zipfile.ZipInfo(name, date_time=EPOCH)
            info.compress_type = method
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return out.getvalue()
