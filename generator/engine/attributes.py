"""What Markdown's ``{: … }`` attribute lists may set: a short allow-list, nothing else.

``attr_list`` lets a page's Markdown put any attribute on any element: an event
handler (a script in a preview without a policy), a ``style`` that covers the page
with a fake « Accepter » link, an ``id`` that takes the theme's (``__drawer``…).
Here the extension's step is replaced by one that keeps only the project's own
style classes, a plain ``id`` the theme does not use, ``lang`` and ``title``; every
other attribute is dropped, with a warning (a strict build stops on it).
"""

from __future__ import annotations

import logging
import re
from typing import Any
from xml.etree.ElementTree import Element

from markdown import Extension, Markdown
from markdown.extensions.attr_list import AttrListTreeprocessor

log = logging.getLogger("mkdocs.plugins.amoor")

#: Classes a page may give an element: the buttons and the project's styles for text.
CLASSES = frozenset({"md-button", "md-button--primary", "amoor-lead", "amoor-no-print",
                     "amoor-num", "amoor-facts", "amoor-table", "amoor-scroll"})
#: Attributes kept besides ``class`` and ``id``: text for people, never behaviour or style.
PLAIN = frozenset({"lang", "title"})
#: An ``id`` of the page's own: lower-case words, none of the theme's or the generator's
#: prefixes (``__drawer``, ``md-…``, ``amoor-…``).
_ID = re.compile(r"(?!md-|amoor-|__)[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
RESERVED_IDS = frozenset({"top", "search", "carte-titre", "roi-plot-titre"})


def allowed(name: str, value: str | None) -> str | None:
    """The value an attribute may keep (``class``: its allowed classes), or None."""
    if name == "class":
        kept = [c for c in (value or "").split() if c in CLASSES]
        return " ".join(kept) or None
    if name == "id":
        return value if value and _ID.fullmatch(value) and value not in RESERVED_IDS \
            else None
    return value if name in PLAIN and value is not None else None


class SafeAttrList(AttrListTreeprocessor):
    """``attr_list`` as it is, its result filtered: what it added outside the
    allow-list is taken back (what other steps set before is left alone)."""

    def assign_attrs(self, elem: Element, attrs_string: str, *, strict: bool = False) -> str:
        before = dict(elem.attrib)
        remainder = super().assign_attrs(elem, attrs_string, strict=strict)
        for name, value in list(elem.attrib.items()):
            if before.get(name) == value:
                continue
            added = value
            if name == "class" and before.get(name):
                added = " ".join(c for c in (value or "").split()
                                 if c not in before[name].split())
            kept = allowed(name, added)
            if kept != added:
                log.warning(f"attribut Markdown refusé : {{: {name}={added!r} }} (permis : "
                            "id, lang, title et les classes " + ", ".join(sorted(CLASSES))
                            + ")")
            merged = " ".join(filter(None, [before.get(name), kept])) if name == "class" \
                else kept
            if merged:
                elem.set(name, merged)
            elif name in before:
                elem.set(name, before[name])
            else:
                del elem.attrib[name]
        return remainder


class SafeAttributes(Extension):
    """Replaces ``attr_list``'s step when the configuration has it (same name and
    priority); does nothing otherwise."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Markdown's API
        if "attr_list" in md.treeprocessors:
            md.treeprocessors.register(SafeAttrList(md), "attr_list", 8)


def guard_markdown(config: Any) -> None:
    """Adds :class:`SafeAttributes` to a MkDocs configuration's extensions, once."""
    extensions = config["markdown_extensions"]
    if not any(isinstance(e, SafeAttributes) for e in extensions):
        extensions.append(SafeAttributes())
