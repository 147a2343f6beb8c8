"""Running many MkDocs builds in one process without paying for each from scratch.

Every dossier is its own MkDocs build with a fresh Jinja environment: profiling
showed that recompiling Material's templates and listing its theme folders (some
14 000 icons) dominated each build. Both are shared here through public Jinja API
(a bytecode cache, a loader whose listing is remembered); MkDocs itself is not
patched beyond handing its theme a prepared environment. ``mkdocs.yml`` is parsed
once (with MkDocs' own YAML loader) and validated anew for each build.
"""

from __future__ import annotations

import copy
import io
import logging
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.utils.yaml import get_yaml_loader, yaml_load

log = logging.getLogger("mkdocs.config")


class MemoryBytecode(jinja2.BytecodeCache):
    """Compiled templates in memory, keyed by Jinja on name and source checksum (an
    edited template is recompiled), least recently used dropped past ``size``: a long
    ``amoor serve`` session does not grow without bound. Nothing is written to disk."""

    def __init__(self, size: int = 1024) -> None:
        self.size = size
        self.code: OrderedDict[str, bytes] = OrderedDict()

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.code:
            self.code.move_to_end(bucket.key)
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()
        self.code.move_to_end(bucket.key)
        while len(self.code) > self.size:
            self.code.popitem(last=False)


class ListingLoader(jinja2.BaseLoader):
    """A template loader whose listing of the theme's folders is made once per search
    path; loading a template goes to the wrapped loader (so edits are seen).

    The listing leaves out hidden paths (Material's 14 000 ``.icons/``): MkDocs lists
    templates only to find the theme's static files, and skips hidden ones itself;
    icons are still loaded by name (``{% include ".icons/…" %}``)."""

    def __init__(self, inner: jinja2.BaseLoader, listings: dict[tuple, list[str]]) -> None:
        self.inner = inner
        self.listings = listings
        self.key = tuple(getattr(inner, "searchpath", ())) or (id(inner),)

    def get_source(self, environment: jinja2.Environment,
                   template: str) -> tuple[str, str | None, Callable[[], bool] | None]:
        return self.inner.get_source(environment, template)

    def list_templates(self) -> list[str]:
        if self.key not in self.listings:
            self.listings[self.key] = [
                name for name in self.inner.list_templates()
                if not any(part.startswith(".") for part in name.split("/"))]
        return list(self.listings[self.key])


class MkDocsRunner:
    """Shared across the builds of one process: compiled templates and theme listings."""

    def __init__(self) -> None:
        self.bytecode = MemoryBytecode()
        self.listings: dict[tuple, list[str]] = {}
        self.parsed: dict[bytes, dict] = {}

    def config(self, config_file: Path, **settings: Any) -> MkDocsConfig:
        """``load_config(config_file, **settings)``, the file's YAML parsed once per
        content (parsing was a third of configuring a one-page build). A file with
        tags bound to the configuration being loaded (``!relative``) is parsed each time."""
        text = config_file.read_bytes()
        if b"!relative" in text:
            return load_config(str(config_file), **settings)
        cfg = MkDocsConfig(config_file_path=str(config_file))
        if text not in self.parsed:
            self.parsed = {text: yaml_load(io.BytesIO(text), get_yaml_loader(config=cfg))}
        cfg.load_dict(copy.deepcopy(self.parsed[text]))
        cfg.load_dict({k: v for k, v in settings.items() if v is not None})
        errors, warnings = cfg.validate()
        for name, warning in warnings:
            log.warning(f"Config value '{name}': {warning}")
        for name, error in errors:
            log.error(f"Config value '{name}': {error}")
        if errors:
            raise Abort("Aborted with a configuration error!")
        if cfg.strict and warnings:
            raise Abort(f"Aborted with {len(warnings)} configuration warnings in 'strict' mode!")
        return cfg

    def run(self, config: Any) -> None:
        """``mkdocs build`` of ``config``; MkDocs' own exceptions pass through."""
        theme = config.theme
        make_env: Callable[[], jinja2.Environment] = theme.get_env

        def get_env() -> jinja2.Environment:
            env = make_env()
            env.bytecode_cache = self.bytecode
            if env.loader is not None:
                env.loader = ListingLoader(env.loader, self.listings)
            return env

        theme.get_env = get_env
        mkdocs_build(config)
