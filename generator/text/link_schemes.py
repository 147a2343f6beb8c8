"""Links a page may carry: the web and mail, nothing that runs or reads the disk.

A Markdown link or a raw ``<a>`` of a page can point to ``javascript:``,
``vbscript:``, ``data:text/html`` or ``file:``. The site's policy blocks the scripts
in a browser, but the PDFs printed from the same content keep them as ``/URI``
actions, and an exported site is built without the policy. So the target is
dropped from the page's content before anything is made of it (a link without a
target stays as its text); the scheme is read as a browser reads it (entities
decoded, tabs and line breaks removed, spaces around it ignored).
"""

from __future__ import annotations

import html
import re

#: Schemes a link (``href``) may use; relative targets and ``#anchors`` have none.
LINKS = frozenset({"http", "https", "mailto", "tel"})
#: Schemes an embedded resource (``src``) may use: images inline as ``data:image/…``.
SOURCES = frozenset({"http", "https", "data"})
_TAG = re.compile(r"<[a-zA-Z][^>]*>")
_TARGET = re.compile(r"""(\s)(href|src|xlink:href|action|formaction|poster|srcset)"""
                     r"""(\s*=\s*)("[^"]*"|'[^']*'|[^\s"'>=`]+)""", re.IGNORECASE)
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")


def allowed_target(attribute: str, value: str) -> bool:
    """True when a browser would follow ``value`` to the web, a mailbox, a phone, the
    site itself (no scheme) or, for ``src``, an inline image."""
    target = re.sub(r"[\t\n\r]", "", html.unescape(value)).strip("\x00 \x0c").lower()
    scheme = _SCHEME.match(target)
    if scheme is None:
        return True
    if attribute.lower() in ("src", "poster", "srcset"):
        return scheme.group(1) in SOURCES and (scheme.group(1) != "data"
                                               or target.startswith("data:image/"))
    return scheme.group(1) in LINKS


def _tag(match: re.Match[str]) -> str:
    def target(found: re.Match[str]) -> str:
        value = found.group(4)
        if value[:1] in "\"'":
            value = value[1:-1]
        return found.group(0) if allowed_target(found.group(2), value) else ""

    return _TARGET.sub(target, match.group(0))


def safe_links(content: str) -> str:
    """``content`` (HTML) with every target outside the allowed schemes removed."""
    return _TAG.sub(_tag, content)
