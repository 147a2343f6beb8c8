"""The site's web fonts: the brand's TTF files cut down to the characters French text
needs, as WOFF2, renamed (a subset is a modified version: the OFL keeps the Reserved
Font Name « Source » for the original).

Generated once and committed in ``overrides/assets/fonts/`` (``make fonts``), not at
each build: the theme folder is served as it is by ``amoor build``, a plain
``mkdocs build`` and Zensical alike, and the fonts change only with the TTF files. A
test checks that the committed files are what this module makes of those TTF files.
The PDFs do not use these: WeasyPrint embeds the glyphs of the full TTF a PDF uses.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

from .fonts import FACES, FOLDER

FAMILY = "Amoor Sans"
#: What French text, its typography and the site's own signs need.
UNICODES = sorted({
    *range(0x20, 0x7F),                 # ASCII
    *range(0xA0, 0x100),                # Latin-1: accents, « », no-break space, °, ×, ·
    *range(0x100, 0x180),               # Latin Extended-A: œ Œ, Ÿ and neighbours' names
    0x2009, 0x202F, 0x2007, 0x2060,     # thin, narrow no-break, figure space, word joiner
    0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015,     # hyphens and dashes
    0x2018, 0x2019, 0x201A, 0x201C, 0x201D, 0x201E,     # quotes
    0x2020, 0x2021, 0x2022, 0x2026, 0x2030, 0x2039, 0x203A, 0x2044,
    0x20AC, 0x2122, 0x2116, 0x2212,     # €, ™, №, minus
    0x2190, 0x2191, 0x2192, 0x2193, 0x2264, 0x2265,     # arrows, ≤ ≥
    0x02C6, 0x02DC, 0x0152, 0x0153, 0x0178,
})
#: The name records that carry the family's name (the rest, copyright and licence, kept).
NAMED = (1, 3, 4, 6, 16, 17, 21, 22)


def web_name(ttf: str) -> str:
    """``SourceSans3-Bold.ttf`` → ``AmoorSans-Bold.woff2``."""
    return ttf.replace("SourceSans3", "AmoorSans").replace(".ttf", ".woff2")


def _rename(font: TTFont, style: str) -> None:
    table = font["name"]
    full = f"{FAMILY} {style}"
    values = {1: FAMILY, 3: f"{FAMILY.replace(' ', '')}-{style};subset-fr",
              4: full, 6: f"{FAMILY.replace(' ', '')}-{style}", 16: FAMILY, 17: style}
    table.names = [n for n in table.names if n.nameID not in NAMED or n.nameID in values]
    for record in table.names:
        if record.nameID in values:
            record.string = values[record.nameID]
    for record in table.names:
        if "Source" in record.toUnicode() and record.nameID in NAMED:
            raise ValueError(f"nom réservé restant : {record.toUnicode()}")


def web_font(ttf: Path) -> bytes:
    """One face, subset to :data:`UNICODES`, kerning and ligatures kept, hinting
    dropped (screens of today do not use it), renamed, as WOFF2."""
    options = subset.Options()
    options.flavor = "woff2"
    options.hinting = False
    options.desubroutinize = True
    options.layout_features = ["kern", "liga", "locl", "mark", "mkmk", "ccmp", "case"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = subset.load_font(str(ttf), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=UNICODES)
    subsetter.subset(font)
    style = ttf.stem.split("-", 1)[1]
    _rename(font, {"It": "Italic", "BoldIt": "Bold Italic"}.get(style, style))
    out = io.BytesIO()
    font.flavor = "woff2"
    font.save(out, reorderTables=False)
    return out.getvalue()


def write_web_fonts(dest: Path) -> list[Path]:
    """Every face of the site into ``dest`` (``overrides/assets/fonts``)."""
    written = []
    for _, _, name in FACES:
        target = dest / web_name(name)
        target.write_bytes(web_font(FOLDER / name))
        written.append(target)
    return written


if __name__ == "__main__":      # make fonts
    for path in write_web_fonts(Path(sys.argv[1])):
        print(f"{path} : {path.stat().st_size} octets")
