"""The whole build: read → validate → compute → render → emit, then check and swap.

Everything is computed before anything is written. The public site and each
dossier are separate MkDocs builds into a temporary folder beside the target;
only when pages, PDFs, encryption and the privacy check have all succeeded does
the new folder replace the old one, so a failed build leaves ``site/`` untouched.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from mkdocs.config import load_config

from .diagnostics import Diagnostic, InputError, errors
from .dossier import Dossier, make_dossier
from .html_cache import HtmlCache
from .mkdocs_run import MkDocsRunner
from .pdf import PdfDocument, PdfResult, Section, article, write_pdfs
from .reader import MissionSource, OfferSource, read_missions, read_offers
from .tokens import SecretSource, load_secret


class BuildFailed(Exception):
    """A build step failed for a reason other than bad input (reported plainly)."""


@dataclass
class Project:
    """Where things are: the project root and its ``mkdocs.yml``."""

    root: Path
    config_file: Path
    _settings: dict | None = field(default=None, repr=False)

    @classmethod
    def find(cls, root: Path | None = None) -> "Project":
        root = (root or Path.cwd()).resolve()
        config = root / "mkdocs.yml"
        if not config.is_file():
            raise BuildFailed(f"{config} introuvable : lancez la commande à la racine du projet")
        return cls(root, config)

    @property
    def docs_dir(self) -> Path:
        return self.root / "docs"

    @property
    def offers_dir(self) -> Path:
        return self.docs_dir / "offres"

    @property
    def missions_dir(self) -> Path:
        return self.root / "missions"

    @property
    def cache_dir(self) -> Path:
        return self.root / ".cache" / "amoor"

    def settings(self) -> dict:
        """``mkdocs.yml`` as plain data (MkDocs' own YAML loader, read once)."""
        if self._settings is None:
            from mkdocs.utils.yaml import yaml_load

            with self.config_file.open(encoding="utf-8") as fd:
                self._settings = yaml_load(fd)
        return self._settings


@dataclass
class Catalog:
    """Every input, validated: offers by id, missions by slug, and all diagnostics."""

    offers: dict[str, OfferSource]
    missions: list[MissionSource]
    diagnostics: list[Diagnostic] = field(default_factory=list)


def read_catalog(project: Project, *, only: str | None = None) -> Catalog:
    offers, problems = read_offers(project.offers_dir, project.root)
    missions, found = read_missions(project.missions_dir, project.root,
                                    {k: v.offer for k, v in offers.items()}, only=only)
    return Catalog(offers, missions, problems + found)


def _offer_problems(catalog: Catalog) -> list[Diagnostic]:
    return [p for p in catalog.diagnostics if not p.path.startswith("missions/")]


def password_problems(dossiers: list[Dossier]) -> list[Diagnostic]:
    """A dossier whose password variable is unset must not be built in clear."""
    out = []
    for d in dossiers:
        env = d.password_env
        if env and not os.environ.get(env):
            out.append(Diagnostic(d.source.path, 0, 0, "acces.mot_de_passe_env",
                                  f"la variable d'environnement {env} (mot de passe du "
                                  "dossier) n'est pas définie : dossier non construit"))
    return out


def make_dossiers(catalog: Catalog, secret: bytes) -> list[Dossier]:
    return [make_dossier(m, catalog.offers[m.mission.offer].offer, secret)
            for m in catalog.missions]


@dataclass
class BuildReport:
    site_dir: Path
    dossiers: list[Dossier]
    pdfs: list[PdfResult]
    warnings: list[Diagnostic]
    seconds: dict[str, float]
    secret: SecretSource


Progress = Callable[[int, int, PdfResult], None]


def build(project: Project, site_dir: Path, *, pdf: bool = True, strict: bool = True,
          workers: int = 2, progress: Progress | None = None,
          preview: bool = False) -> BuildReport:
    """Build the public site and every dossier into ``site_dir``, atomically.

    ``preview`` (``amoor serve``, local only): broken missions are reported and left
    out instead of failing the build, and dossiers are not sealed.
    """
    timings: dict[str, float] = {}
    start = time.perf_counter()
    catalog = read_catalog(project)
    secret = load_secret(project.root)
    dossiers = make_dossiers(catalog, secret.value)  # valid missions only
    problems = catalog.diagnostics + ([] if preview else password_problems(dossiers))
    # A preview goes on without the broken missions; only a broken offer stops it.
    if errors(_offer_problems(catalog) if preview else problems):
        raise InputError(problems)
    timings["lecture et calculs"] = time.perf_counter() - start

    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    for stale in site_dir.parent.glob(f".{site_dir.name}.*"):  # left by a killed build
        shutil.rmtree(stale, ignore_errors=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.", dir=site_dir.parent))
    try:
        t = time.perf_counter()
        runner = MkDocsRunner()
        public_config = build_public(project, tmp, runner, strict=strict)
        timings["site public (HTML)"] = time.perf_counter() - t
        t = time.perf_counter()
        cache = html_cache(project)
        with tempfile.TemporaryDirectory(prefix="amoor-docs-") as empty:
            used = {build_dossier_html(project, dossier, tmp / dossier.path, Path(empty),
                                       runner, cache, strict=strict)
                    for dossier in dossiers}
        cache.prune(used)
        timings["dossiers (HTML)"] = time.perf_counter() - t
        results: list[PdfResult] = []
        if pdf:
            t = time.perf_counter()
            results = write_pdfs(pdf_jobs(project, public_config, tmp, dossiers),
                                 workers=workers, progress=progress)
            timings["PDF"] = time.perf_counter() - t
        t = time.perf_counter()
        from .crypt import encrypt_dossier
        from .privacy import check_privacy

        for dossier in dossiers:
            if dossier.password_env and not preview:
                encrypt_dossier(tmp / dossier.path, os.environ[dossier.password_env],
                                salt_seed=secret.value + dossier.slug.encode())
        leaks = check_privacy(tmp, dossiers, cache=project.cache_dir / "privacy")
        if leaks and preview:
            problems += [Diagnostic("site", message=leak, severity="warning") for leak in leaks]
        elif leaks:
            raise BuildFailed("contrôle de confidentialité : " + "\n".join(leaks))
        timings["chiffrement et contrôle"] = time.perf_counter() - t
        _swap(tmp, site_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    timings["total"] = time.perf_counter() - start
    warnings = [p for p in problems if p.severity == "warning" or preview]
    return BuildReport(site_dir, dossiers, results, warnings, timings, secret)


def _swap(new: Path, target: Path) -> None:
    """Replace ``target`` by ``new`` with renames only (same folder, same filesystem)."""
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
        old.rmdir()
        target.rename(old)
    new.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _run(runner: MkDocsRunner, config) -> None:
    from mkdocs.exceptions import MkDocsException

    try:
        runner.run(config)
    except MkDocsException as exc:
        raise BuildFailed(str(exc)) from None


def build_public(project: Project, site_dir: Path, runner: MkDocsRunner, *,
                 strict: bool = True):
    """The public site: MkDocs with the ``amoor`` plugin, brochure left to the PDF pool."""
    config = load_config(str(project.config_file), site_dir=str(site_dir), strict=strict)
    if "amoor" in config.plugins:
        config.plugins["amoor"].config.brochure = False
    _run(runner, config)
    return config


def dossier_settings(project: Project, dossier: Dossier) -> dict:
    """What a dossier's MkDocs configuration changes in the project's: its own pages
    only, its own address, no tabs, no search index when its pages are sealed."""
    settings = project.settings()
    public_url = settings.get("site_url") or "/"
    theme = dict(settings["theme"])
    theme["features"] = [f for f in theme.get("features", []) if f != "navigation.tabs"]
    return {
        "site_url": public_url.rstrip("/") + "/" + dossier.path,
        "site_description": f"Dossier de mission — {dossier.mission.title}",
        "nav": [{p.title: p.src_uri} for p in dossier.pages],
        "plugins": [] if dossier.password_env else [{"search": {"lang": "fr"}}],
        "theme": theme,
    }


def dossier_config(project: Project, dossier: Dossier, settings: dict, site_dir: Path,
                   docs_dir: Path, *, strict: bool = True):
    """MkDocs configuration of one dossier build (``settings`` from
    :func:`dossier_settings`), with its pages as virtual files."""
    from .mkdocs_plugin.dossier import DossierPlugin

    config = load_config(str(project.config_file), site_dir=str(site_dir),
                         docs_dir=str(docs_dir), strict=strict, **settings)
    config.plugins["amoor-dossier"] = DossierPlugin(dossier)
    config.theme.static_templates.discard("404.html")  # was rendered, then deleted (STRAY)
    return config


def html_cache(project: Project) -> HtmlCache:
    custom = project.settings().get("theme", {}).get("custom_dir")
    return HtmlCache(project.cache_dir / "html", config_file=project.config_file,
                     code_dirs=[Path(__file__).parent]
                     + ([project.root / custom] if custom else []))


def build_dossier_html(project: Project, dossier: Dossier, site_dir: Path, docs_dir: Path,
                       runner: MkDocsRunner, cache: HtmlCache, *, strict: bool = True
                       ) -> str | None:
    """One dossier's pages (a MkDocs build of its own, or a copy of the identical one
    built before) and its agenda file; returns the cache key used, if any."""
    from .agenda import AGENDA, ics

    settings = dossier_settings(project, dossier)
    key = cache.key(settings, [(p.src_uri, p.markdown) for p in dossier.pages],
                    strict=strict, sealed=bool(dossier.password_env))
    if not cache.fetch(key, site_dir):
        try:
            _run(runner, dossier_config(project, dossier, settings, site_dir, docs_dir,
                                        strict=strict))
        except BuildFailed as exc:
            raise BuildFailed(f"{dossier.source.path}: {exc}") from None
        cache.store(key, site_dir)
    agenda = ics(dossier)
    if agenda is not None:
        (site_dir / AGENDA).write_text(agenda, encoding="utf-8", newline="")
    return key


def dossier_pdf_jobs(dossier: Dossier, folder: Path, cache: Path | None
                     ) -> list[tuple[PdfDocument, Path | None]]:
    from .fmt import date, money_ht

    pages = {p.src_uri: p for p in dossier.pages}
    m = dossier.mission
    jobs = []
    for spec in dossier.pdfs:
        sections = []
        for src in spec.pages:
            page = pages[src]
            html = (folder / page.url / "index.html").read_text(encoding="utf-8")
            sections.append(Section(page.title, article(html, page.url)))
        doc = PdfDocument(
            output=folder / spec.name, root=folder, kicker=spec.title, title=m.title,
            subtitle=m.client.name,
            cover=(("Client", m.client.name), ("Offre", dossier.offer.title),
                   ("Montant", money_ht(dossier.quote.total_ht))),
            date=f"Document du {date(dossier.created)}", created=dossier.created.isoformat(),
            header=f"{m.client.name} — {spec.title}", sections=tuple(sections),
            toc=len(sections) > 1, landscape=spec.landscape,
            label=f"{dossier.slug}/{spec.name}")
        # Password-protected dossiers are never cached in clear.
        jobs.append((doc, None if dossier.password_env else cache))
    return jobs


def pdf_jobs(project: Project, public_config, site: Path, dossiers: list[Dossier]
             ) -> list[tuple[PdfDocument, Path | None]]:
    from .brochure import brochure_document

    cache = project.cache_dir / "pdf"
    jobs: list[tuple[PdfDocument, Path | None]] = []
    plugin = public_config.plugins.get("amoor")
    if plugin is not None:
        jobs.append((brochure_document(public_config, plugin.config, plugin.offers), cache))
    for dossier in dossiers:
        jobs += dossier_pdf_jobs(dossier, site / dossier.path, cache)
    return jobs
