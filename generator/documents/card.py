"""The sharing card of a public page: a 1200×630 PNG in the brand, and the tags
(Open Graph, Twitter) that show it when the page's link is shared.

Drawn at build time, offline, from an SVG template (:file:`templates/documents/card/`)
by resvg with the brand's own TTF files (no system font: the same PNG on every
machine). The card's words are the page's title and price, both in the page's HTML as
well (``og:title``): the privacy check, which reads text and not pictures, sees them there.
"""

from __future__ import annotations

import hashlib
import html
import re
import textwrap
from urllib.parse import urlsplit

import resvg_py
from markupsafe import escape

from ..text.render import render
from .fonts import FOLDER

WIDTH, HEIGHT = 1200, 630
LINE_CHARS = 30         #: characters per title line at 66 px, for the card's width
MAX_LINES = 3
#: The faces the card uses (the italics are not drawn).
FACES = tuple(str(FOLDER / f"SourceSans3-{w}.ttf") for w in ("Regular", "Semibold", "Bold"))
CARDS = "assets/cartes"    #: where the cards are, in the public site
KICKER = "Conseil en innovation publique"


def plain(value: object) -> str:
    """A title or description as text: tags dropped, entities read, spaces as one
    (page titles reach plugins as HTML, front-matter values already escaped)."""
    text = html.unescape(re.sub(r"<[^>]*>", "", str(value or "")))
    return " ".join(text.split())


def _lines(title: str) -> list[str]:
    lines = textwrap.wrap(title, LINE_CHARS, break_long_words=True) or [""]
    if len(lines) > MAX_LINES:
        lines = lines[:MAX_LINES]
        lines[-1] = lines[-1][: LINE_CHARS - 1].rstrip() + "…"
    return lines


def card_svg(title: str, *, badge: str | None, site_url: str, kicker: str = KICKER) -> str:
    """The card's SVG: every text escaped by the template (autoescape)."""
    lines = _lines(plain(title))
    top = 300 if len(lines) < 3 else 262
    badge_y = top + len(lines) * 78 - 30
    return render("documents/card/card.svg.j2", lines=lines, top=top, kicker=kicker,
                  badge=badge, badge_y=badge_y, badge_width=64 + 15 * len(badge or ""),
                  domain=urlsplit(site_url).netloc or site_url)


def card_png(svg: str) -> bytes:
    """The PNG of a card, with the brand's fonts only."""
    return bytes(resvg_py.svg_to_bytes(svg_string=svg, width=WIDTH, height=HEIGHT,
                                       skip_system_fonts=True,
                                       font_files=list(FACES),
                                       font_family="Source Sans 3"))


def card_name(url: str, svg: str) -> str:
    """The card's file name: the page's address, and a hash of its drawing (a changed
    card is a new address: no platform shows yesterday's cached picture)."""
    stem = url.strip("/").replace("/", "-") or "accueil"
    return f"{stem}-{hashlib.sha256(svg.encode()).hexdigest()[:10]}.png"


def sharing_tags(*, title: str, description: str, url: str, image: str,
                 site_name: str) -> str:
    """The tags that show a page's card when its link is shared; every value escaped."""
    values = {"og:type": "website", "og:site_name": site_name, "og:locale": "fr_FR",
              "og:title": plain(title), "og:description": plain(description),
              "og:url": url, "og:image": image, "og:image:width": str(WIDTH),
              "og:image:height": str(HEIGHT), "og:image:alt": plain(title)}
    tags = [f'<meta property="{k}" content="{escape(v)}">' for k, v in values.items()]
    tags += ['<meta name="twitter:card" content="summary_large_image">',
             f'<meta name="twitter:title" content="{escape(plain(title))}">',
             f'<meta name="twitter:description" content="{escape(plain(description))}">',
             f'<meta name="twitter:image" content="{escape(image)}">']
    return "\n    ".join(tags)
