"""What the engine knows of Material's blog plugin: its posts, as :class:`NewsItem`.

Only here: the rest of the generator sees dated items, and Zensical (no MkDocs
plugins) builds the exported pages without them.
"""

from __future__ import annotations

import re
from typing import Any

from ..dossier.news import NewsItem

_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.M)


def news_items(files: Any) -> list[NewsItem]:
    """Every post of the blog among ``files``, the latest first (none without the
    plugin)."""
    try:
        from material.plugins.blog.structure import Post
    except ImportError:         # pragma: no cover - Material without its blog
        return []
    found = []
    for file in files:
        post = getattr(file, "page", None)
        if not isinstance(post, Post) or getattr(post.config, "draft", False):
            continue
        heading = _HEADING.search(post.markdown)
        title = str(post.meta.get("title") or (heading.group(1) if heading else file.name))
        summary = str(post.meta.get("description") or "")
        found.append(NewsItem(title, post.config.date.created, file.url, summary))
    return sorted(found, key=lambda i: i.date, reverse=True)
