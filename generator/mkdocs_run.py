"""Running many MkDocs builds in one process without paying for each from scratch.

Every dossier is its own MkDocs build with a fresh Jinja environment: profiling
showed that recompiling Material's templates and walking its theme folder (some
14 000 icons) dominated each build. Both are shared here, nothing else changes.
"""

from __future__ import annotations

from typing import Callable

import jinja2
from mkdocs.commands.build import build as mkdocs_build

#: MkDocs' theme-file filter (``Files.add_files_from_theme``), recognised by name.
_THEME_FILTER = "Files.add_files_from_theme.<locals>.filter"


class _MemoryBytecode(jinja2.BytecodeCache):
    """Compiled templates in memory, keyed by Jinja on name and source checksum,
    so an edited template is recompiled. Nothing is written: nothing of a client."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


_BYTECODE = _MemoryBytecode()


class MkDocsRunner:
    """One per site build: the theme listing is made once, then reused."""

    def __init__(self) -> None:
        self._theme_files: dict[tuple, list[str]] = {}

    def run(self, config) -> None:
        """``mkdocs build`` of ``config``; MkDocs' own exceptions pass through."""
        self._share(config)
        mkdocs_build(config)

    def _share(self, config) -> None:
        theme = config.theme
        make_env: Callable[[], jinja2.Environment] = theme.get_env
        cache = self._theme_files

        def get_env() -> jinja2.Environment:
            env = make_env()
            env.bytecode_cache = _BYTECODE
            list_templates = env.list_templates

            def listing(extensions=None, filter_func=None):
                # MkDocs' filter depends only on the theme's folders and static templates.
                if extensions is None and getattr(filter_func, "__qualname__", "") == \
                        _THEME_FILTER:
                    key = (tuple(theme.dirs), frozenset(theme.static_templates))
                    if key not in cache:
                        cache[key] = list_templates(filter_func=filter_func)
                    return list(cache[key])
                return list_templates(extensions, filter_func)

            env.list_templates = listing
            return env

        theme.get_env = get_env
