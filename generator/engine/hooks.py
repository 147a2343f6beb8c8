"""What both plugins do to every page: escape its front matter, typeset, capture.

MkDocs' templates do not autoescape: a front-matter ``title`` or ``description``
reaches ``<title>``, ``<meta content="…">`` and the menu as it is. Every text of the
front matter becomes HTML-safe ``Markup`` here (not escaped twice by the theme's
``| e``); our own ``amoor_*`` values are already safe and left alone.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from ..documents.pdf import Section, paper
from ..protection.csp import page_policy
from ..text.fmt import typography
from ..text.link_schemes import safe_links
from ..text.render import escaped_meta

#: Captured page content, by source path: the sink a build hands to its plugin.
Capture = dict[str, Section]


def escape_meta(meta: dict[str, Any]) -> None:
    meta.update(escaped_meta(meta))


def finish_content(html: str, page: Any, capture: Capture | None, *,
                   preview: bool = False) -> str:
    """Links to the web and mail only (:mod:`generator.text.link_schemes`), French
    typography on the page's content, then a copy for print (none in ``amoor serve``'s
    preview, which makes no PDF)."""
    html = typography(safe_links(html))
    if capture is not None and not preview:
        # MkDocs' page titles are HTML, as the theme prints them (escaped above when
        # they come from the front matter).
        printed, sources = paper(html, page.url)
        capture[page.file.src_uri] = Section(Markup(page.title or ""), printed, page.url,
                                             sources)
    return html


#: In ``amoor serve``: the script that shows a broken edit's diagnostics over the page.
PREVIEW_SCRIPT = '<script src="/_amoor/apercu.js"></script>'


def finish_page(output: str, page: Any, *, preview: bool = False) -> str:
    """The page with its Content-Security-Policy: the theme's inline scripts allowed by
    hash, found on the page without its content (no script there is ever allowed).
    The local preview has the same policy (it shows every dossier in clear), and the
    overlay."""
    output = page_policy(output, page.content)
    if preview:
        end = output.rfind("</body>")
        return output[:end] + PREVIEW_SCRIPT + output[end:] if end >= 0 else output
    return output
