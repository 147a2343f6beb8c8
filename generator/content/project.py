"""Where things are: the project's folders and settings, read once from ``mkdocs.yml``.

Read with a plain YAML loader (MkDocs' tags ``!ENV`` and ``!!python/name`` understood,
nothing executed), so that the core knows the docs folder, the offers folder and the
brochure settings without importing MkDocs; the MkDocs plugin declares the same
options with the same defaults (:class:`AmoorOptions`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import BuildError

CONFIG = "mkdocs.yml"


@dataclass(frozen=True)
class AmoorOptions:
    """Options of the ``amoor`` plugin in ``mkdocs.yml``, with their defaults."""

    #: Folder of offer pages, inside ``docs_dir``.
    offers_dir: str = "offres"
    #: File name of the brochure, at the site root.
    brochure_name: str = "brochure-concertation.pdf"
    #: Pages printed into the brochure, by source path; by default every offer page,
    #: then ``contact.md`` if there is one.
    brochure_pages: tuple[str, ...] = ()


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml as data: ``!ENV`` resolved as MkDocs does, other tags kept as text."""


def _env(loader: _ConfigLoader, node: yaml.Node) -> Any:
    names = loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) \
        else [loader.construct_scalar(node)]  # type: ignore[arg-type]
    *variables, default = names if len(names) > 1 else (*names, None)
    for name in variables:
        if os.environ.get(str(name)) is not None:
            return yaml.safe_load(os.environ[str(name)])
    return default


def _other(loader: _ConfigLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return str(loader.construct_scalar(node))
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]


_ConfigLoader.add_constructor("!ENV", _env)
_ConfigLoader.add_multi_constructor("", _other)


@dataclass
class Project:
    """The project at ``root``: the consultant's content and the build's settings."""

    root: Path
    config_file: Path = field(init=False)

    def __post_init__(self) -> None:
        self.root = self.root.resolve()
        self.config_file = self.root / CONFIG

    @classmethod
    def find(cls, root: Path | None = None) -> Project:
        project = cls(root or Path.cwd())
        if not project.config_file.is_file():
            raise BuildError(f"{project.config_file} introuvable : lancez la commande à la "
                             "racine du projet (là où se trouve mkdocs.yml)")
        project.settings  # noqa: B018 - read now, so that a broken file is reported first
        return project

    @cached_property
    def settings(self) -> dict[str, Any]:
        """``mkdocs.yml`` as plain data."""
        try:
            data = yaml.load(self.config_file.read_text(encoding="utf-8"), _ConfigLoader)
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise BuildError(f"{CONFIG} illisible : {exc}") from None
        if not isinstance(data, dict):
            raise BuildError(f"{CONFIG} : un dictionnaire (clé: valeur) est attendu")
        return data

    @property
    def docs_dir(self) -> Path:
        return self.root / str(self.settings.get("docs_dir") or "docs")

    @property
    def missions_dir(self) -> Path:
        return self.root / "missions"

    @property
    def provider_file(self) -> Path:
        """The consultant's identity and terms, for the devis."""
        return self.root / "prestataire.yml"

    @property
    def cache_dir(self) -> Path:
        return self.root / ".cache" / "amoor"

    @property
    def custom_dir(self) -> Path | None:
        theme = self.settings.get("theme")
        custom = theme.get("custom_dir") if isinstance(theme, dict) else None
        return self.root / str(custom) if custom else None

    @property
    def site_url(self) -> str:
        return str(self.settings.get("site_url") or "")

    @cached_property
    def options(self) -> AmoorOptions:
        """The ``amoor`` plugin's options, or the defaults when it is listed bare."""
        for entry in self.settings.get("plugins") or []:
            if isinstance(entry, dict) and "amoor" in entry:
                given = entry["amoor"] or {}
                known = {k: v for k, v in given.items() if k in AmoorOptions.__annotations__}
                if "brochure_pages" in known:
                    known["brochure_pages"] = tuple(known["brochure_pages"])
                return AmoorOptions(**known)
        return AmoorOptions()

    @property
    def offers_dir(self) -> Path:
        return self.docs_dir / self.options.offers_dir
