"""The brand's typeface, Source Sans 3 (Adobe, SIL OFL 1.1), for print.

The site serves its WOFF2 files (``overrides/assets/fonts/``); PDFs and slide pictures
use the TTF files shipped in this package (``assets/fonts/``, with the licence), read
through the ``amoor-police:`` scheme of the PDF fetcher: nothing else, nothing remote.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup

FOLDER = Path(__file__).resolve().parents[1] / "assets" / "fonts"
FAMILY = "Source Sans 3"
SCHEME = "amoor-police"
#: (weight, style, file): the faces the site and the documents use.
FACES = ((400, "normal", "SourceSans3-Regular.ttf"), (400, "italic", "SourceSans3-It.ttf"),
         (600, "normal", "SourceSans3-Semibold.ttf"), (700, "normal", "SourceSans3-Bold.ttf"),
         (700, "italic", "SourceSans3-BoldIt.ttf"))
FONT_FILES = tuple(FOLDER / name for _, _, name in FACES)


def font_faces() -> Markup:
    """``@font-face`` rules for print, by the fetcher's scheme (no file path in the HTML:
    the print HTML, and the cache key, do not depend on where the package lies)."""
    return Markup("\n".join(
        f'@font-face {{ font-family: "{FAMILY}"; font-weight: {weight}; font-style: {style}; '
        f'src: url("{SCHEME}:{name}"); }}' for weight, style, name in FACES))


def font_file(url: str) -> Path | None:
    """The file behind an ``amoor-police:`` URL, or None for any other name."""
    name = url.split(":", 1)[1]
    allowed = {face[2] for face in FACES}
    return FOLDER / name if name in allowed else None


@lru_cache(maxsize=1)
def fonts_digest() -> str:
    """Part of every document's cache key: a new release of the typeface renders anew."""
    digest = hashlib.sha256()
    for file in FONT_FILES:
        digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()
