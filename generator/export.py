"""``amoor export``: the generated pages as plain Markdown plus a ``mkdocs.yml``.

The same pages the build feeds to MkDocs as virtual files, written to disk so that
a plain ``mkdocs build`` (or another builder, after Material's end of life) can
build them: mkdocs-gen-files' "one core, two ways".
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from .dossier import Dossier
from .offer_page import offer_markdown
from .site import Catalog, Project, dossier_settings


def _write_config(project: Project, dest: Path, changes: dict) -> None:
    settings = {k: v for k, v in project.settings().items()}
    settings.update(changes)
    settings["docs_dir"] = "docs"
    settings.pop("site_dir", None)
    (dest / "mkdocs.yml").write_text(
        "# Exporté par « amoor export » : construisible par un simple « mkdocs build ».\n"
        + yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), encoding="utf-8")
    overrides = project.root / settings.get("theme", {}).get("custom_dir", "overrides")
    if overrides.is_dir():
        shutil.copytree(overrides, dest / overrides.name, dirs_exist_ok=True)


def export_public(project: Project, catalog: Catalog, dest: Path) -> Path:
    """The public site's pages, offer pages rendered; the ``amoor`` plugin dropped."""
    docs = dest / "docs"
    shutil.copytree(project.docs_dir, docs, dirs_exist_ok=True)
    for source in catalog.offers.values():
        page = docs / Path(source.path).relative_to("docs")
        url_depth = len(page.relative_to(docs).with_suffix("").parts)
        body = offer_markdown(source.offer, source.body, root="../" * url_depth,
                              brochure="brochure-concertation.pdf")
        title = source.page.title or source.offer.title
        page.write_text(f"---\ntitle: {title}\ntemplate: offre.html\n---\n\n{body}",
                        encoding="utf-8")
    plugins = [p for p in project.settings().get("plugins", [])
               if p != "amoor" and not (isinstance(p, dict) and "amoor" in p)]
    _write_config(project, dest, {"plugins": plugins})
    return dest


def export_dossier(project: Project, dossier: Dossier, dest: Path) -> Path:
    """One dossier's pages, as its own MkDocs project (site_url: its private address)."""
    docs = dest / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    for page in dossier.pages:
        (docs / page.src_uri).write_text(page.markdown, encoding="utf-8")
    _write_config(project, dest, dossier_settings(project, dossier))
    return dest
