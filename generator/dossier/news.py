"""News (« Actualités »): the latest posts on the home page and the Atom feed.

The posts are Material's blog's (``docs/actualites/``); the engine hands them here as
:class:`NewsItem` (only it knows the blog plugin): title, date, address and summary.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from xml.sax.saxutils import escape

from ..text.render import render

FEED = "actualites/feed.xml"
ON_HOME = 3


@dataclass(frozen=True)
class NewsItem:
    title: str
    date: dt.datetime
    url: str            #: relative to the site's root, e.g. ``actualites/2026/11/02/x/``
    summary: str


def latest_block(items: list[NewsItem]) -> str:
    """The home page's « Actualités » block: the latest posts (none: nothing)."""
    if not items:
        return ""
    return render("dossier/news_home.md.j2", items=items[:ON_HOME])


def _stamp(value: dt.datetime) -> str:
    value = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return value.isoformat(timespec="seconds")


def _attr(value: str) -> str:
    """A value inside a double-quoted attribute: quotes escaped too."""
    return escape(value, {'"': "&quot;"})


def atom_feed(items: list[NewsItem], *, site_url: str, site_name: str) -> bytes:
    """An Atom 1.0 feed of every post, the latest first; every text escaped."""
    updated = _stamp(items[0].date) if items else "2026-01-01T00:00:00+00:00"
    entries = "".join(
        f"  <entry>\n    <title>{escape(i.title)}</title>\n"
        f'    <link rel="alternate" type="text/html" href="{_attr(site_url + i.url)}"/>\n'
        f"    <id>{escape(site_url + i.url)}</id>\n"
        f"    <updated>{_stamp(i.date)}</updated>\n"
        f"    <summary>{escape(i.summary)}</summary>\n  </entry>\n" for i in items)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">\n'
        f"  <title>{escape(site_name)} — Actualités</title>\n"
        f'  <link rel="alternate" type="text/html" href="{_attr(site_url)}actualites/"/>\n'
        f'  <link rel="self" type="application/atom+xml" href="{_attr(site_url + FEED)}"/>\n'
        f"  <id>{escape(site_url + FEED)}</id>\n  <updated>{updated}</updated>\n"
        f"  <author><name>{escape(site_name)}</name></author>\n"
        f"{entries}</feed>\n").encode()
