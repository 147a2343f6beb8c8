"""``amoor export``: the generated pages as plain Markdown plus a ``mkdocs.yml``.

The same pages, files and documents the build publishes, written to disk so that a
plain ``mkdocs build`` (or another builder, after Material's end of life) can build
them: mkdocs-gen-files' "one core, two ways".
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml

from ..content.project import Project
from ..content.reader import OfferSource
from ..content.yamlio import split_front_matter
from ..documents.brochure import brochure_document, brochure_pages
from ..documents.bundle import write_bundle
from ..documents.pdf import job
from ..documents.workers import write_documents
from ..dossier.contents import page_url, url_root
from ..dossier.dossier import Dossier
from ..dossier.offer_page import offer_jsonld, offer_markdown
from ..dossier.references import (
    REFERENCES_PAGE,
    PublicReference,
    home_block,
    references_markdown,
    with_home_block,
)
from ..engine.build import Engine, dossier_settings
from ..text.render import escaped_meta, front_matter, html_text
from .pipeline import dossier_jobs

#: A MkDocs hook written beside an export: the site's policy on every page, for a
#: plain ``mkdocs build`` that knows nothing of ``amoor`` (the module is standalone).
POLICY_HOOK = "amoor_csp.py"


def _write_policy_hook(dest: Path) -> str:
    from ..protection import csp

    source = Path(csp.__file__).read_text(encoding="utf-8")
    (dest / POLICY_HOOK).write_text(
        "# Écrit par « amoor export » : la politique de sécurité du contenu du site.\n"
        + source + "\n\ndef on_post_page(output, page, config):\n"
        "    return page_policy(output, page.content)\n", encoding="utf-8")
    return POLICY_HOOK


def _write_config(project: Project, dest: Path, changes: dict[str, Any]) -> None:
    settings = dict(project.settings)
    settings.update(changes)
    settings["docs_dir"] = "docs"
    settings.pop("site_dir", None)
    settings["hooks"] = [*settings.get("hooks", []), _write_policy_hook(dest)]
    (dest / "mkdocs.yml").write_text(
        "# Exporté par « amoor export » : construisible par un simple « mkdocs build ».\n"
        + yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), encoding="utf-8")
    overrides = project.custom_dir
    if overrides is not None and overrides.is_dir():
        shutil.copytree(overrides, dest / overrides.name, dirs_exist_ok=True)


def export_public(project: Project, offers: dict[str, OfferSource], dest: Path, *,
                  pdf: bool = True, references: list[PublicReference] | None = None
                  ) -> list[Path]:
    """The public site's pages, offer pages rendered, the references' page and block
    written; the ``amoor`` plugin dropped; the brochure beside them. Returns the
    documents written."""
    docs = dest / "docs"
    shutil.copytree(project.docs_dir, docs, dirs_exist_ok=True)
    (docs / REFERENCES_PAGE).write_text(references_markdown(references or []),
                                        encoding="utf-8")
    home = docs / "index.md"
    if home.is_file():
        home.write_text(with_home_block(home.read_text(encoding="utf-8"),
                                        home_block(references or [])), encoding="utf-8")
    for page in docs.rglob("*.md"):     # front matter made HTML-safe for any builder
        doc, body = split_front_matter(page.read_text(encoding="utf-8"), page.name)
        if doc is not None and isinstance(doc.data, dict):
            page.write_text(front_matter(escaped_meta(doc.data)) + body, encoding="utf-8")
    name = project.options.brochure_name
    site_url = project.site_url
    for source in offers.values():
        page = project.root / source.path
        src_uri = page.relative_to(project.docs_dir).as_posix()
        url = page_url(src_uri)
        body = offer_markdown(source.offer, source.body, root=url_root(url), brochure=name)
        meta = {"title": html_text(source.page.title or source.offer.title),
                "template": "offre.html",
                "amoor_jsonld": offer_jsonld(source.offer, url=site_url + url,
                                             provider=str(project.settings.get("site_name", "")),
                                             site_url=site_url)}
        if source.page.description:
            meta["description"] = html_text(source.page.description)
        (docs / src_uri).write_text(front_matter(meta) + body, encoding="utf-8")
    plugins = [p for p in project.settings.get("plugins", [])
               if p != "amoor" and not (isinstance(p, dict) and "amoor" in p)]
    _write_config(project, dest, {"plugins": plugins})
    if not pdf:
        return []
    with tempfile.TemporaryDirectory(prefix="amoor-export-") as tmp:
        engine = Engine(project, strict=False)
        try:
            capture = engine.build_public(Path(tmp) / "site", offers).capture
        finally:
            engine.close()
        wanted = brochure_pages(project.options, offers, project.docs_dir.resolve(),
                                project.root)
        document = brochure_document([capture[s] for s in wanted if s in capture], offers,
                                     site_dir=docs, name=name,
                                     site_name=str(project.settings.get("site_name", "")))
        write_documents([job(document, None)], workers=1)
    return [docs / name]


def export_dossier(project: Project, dossier: Dossier, dest: Path, *,
                   pdf: bool = True, workers: int = 2) -> list[Path]:
    """One dossier as its own MkDocs project (site_url: its private address), with
    every file its pages link to. Returns the files written beside the pages."""
    docs = dest / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    for page in dossier.pages:
        (docs / page.src_uri).write_text(page.markdown, encoding="utf-8")
    written = []
    for attachment in dossier.attachments:
        (docs / attachment.name).write_bytes(attachment.data)
        written.append(docs / attachment.name)
    _write_config(project, dest, dossier_settings(project, dossier))
    if not pdf:
        return written
    with tempfile.TemporaryDirectory(prefix="amoor-export-") as tmp:
        engine = Engine(project, strict=False)
        try:
            built = engine.build_dossier(dossier, Path(tmp) / "site")
        finally:
            engine.close()
        jobs = dossier_jobs(dossier, docs, built.capture, None)
        write_documents(jobs, workers=workers)
    # The downloads list it: made from the documents above and the agenda, as a build does.
    bundle = write_bundle(dossier, docs, project.site_url)
    return written + [j.output for j in jobs] + [bundle]
