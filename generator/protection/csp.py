"""Content-Security-Policy of the published pages: scripts from the site itself only.

No third-party script can run on a page (a snippet pasted in Markdown, a compromised
CDN); the theme's few inline scripts are allowed by their hash, computed on each
page as built, never on the page's own content: a script that reached the content
would not be in the list.
"""

from __future__ import annotations

import base64
import hashlib
from html.parser import HTMLParser

_JS_TYPES = ("", "text/javascript", "module", "application/javascript")


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.inline: list[str] = []
        self._current: list[str] | None = None
        self.policy: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and "src" not in values and \
                (values.get("type") or "").lower() in _JS_TYPES:
            self._current = []
        if tag == "meta" and (values.get("http-equiv") or "").lower() == \
                "content-security-policy" and self.policy is None:
            self.policy = values.get("content") or ""

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self._current.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._current is not None:
            self.inline.append("".join(self._current))
            self._current = None


def script_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"


def inline_hashes(html: str) -> list[str]:
    """Hashes of the executable inline scripts of an HTML page, in order, without repeats.

    Only the ``<script>`` elements are parsed (a page is 50 kB, its scripts a few), with
    the same parser; their content is raw text up to ``</script>`` (HTML's rule)."""
    found, at = [], 0
    lowered = html.lower()
    while (start := lowered.find("<script", at)) >= 0:
        end_tag = lowered.find(">", start)
        close = lowered.find("</script", end_tag)
        if end_tag < 0 or close < 0:
            break
        parser = _Scripts()
        parser.feed(html[start:close] + "</script>")
        found += parser.inline
        at = close + len("</script")
    return list(dict.fromkeys(script_hash(s) for s in found))


def declared_hashes(html: str) -> list[str]:
    """The script hashes allowed by a page's own policy (its first CSP ``<meta>``)."""
    parser = _Scripts()
    parser.feed(html)
    for directive in (parser.policy or "").split(";"):
        words = directive.split()
        if words and words[0] == "script-src":
            return [v for v in words[1:] if v.startswith("'sha256-")]
    return []


def policy(hashes: list[str]) -> str:
    scripts = " ".join(["'self'", *hashes])
    return ("default-src 'self'; "
            f"script-src {scripts}; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'; "
            "connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; "
            "form-action 'none'")


def page_policy(page: str, content: str | None) -> str:
    """A built page with its policy: the inline scripts of the page without its
    ``content`` allowed by hash (a script that reached the content is not)."""
    theme_only = page.replace(content, "", 1) if content else page
    return with_policy(page, inline_hashes(theme_only))


def with_policy(page: str, hashes: list[str]) -> str:
    """``page`` with its policy as the first element of ``<head>`` (a ``<meta>`` policy
    covers only what follows it)."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(hashes)}">'
    head = page.find("<head>")
    if head < 0:
        return meta + page
    at = head + len("<head>")
    return page[:at] + meta + page[at:]
