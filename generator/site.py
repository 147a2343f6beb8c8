"""The whole build: read → validate → compute → render → emit, then check and swap.

Everything is computed before anything is written. The public site and each
dossier are separate MkDocs builds into a temporary folder beside the target;
only when pages, PDFs, encryption and the privacy check have all succeeded does
the new folder replace the old one, so a failed build leaves ``site/`` untouched.
"""

from __future__ import annotations

import logging
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
from .pdf import PdfDocument, PdfResult, Section, article, write_pdfs
from .reader import MissionSource, OfferSource, read_missions, read_offers
from .tokens import SecretSource, load_secret

log = logging.getLogger("amoor")


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


def make_dossiers(project: Project, catalog: Catalog, secret: bytes) -> list[Dossier]:
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
    dossiers = make_dossiers(project, catalog, secret.value)  # valid missions only
    problems = catalog.diagnostics + ([] if preview else password_problems(dossiers))
    if errors(problems) and not (preview and not errors(_offer_problems(catalog))):
        raise InputError(problems)
    timings["lecture et calculs"] = time.perf_counter() - start

    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    for stale in site_dir.parent.glob(f".{site_dir.name}.*"):  # left by a killed build
        shutil.rmtree(stale, ignore_errors=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.", dir=site_dir.parent))
    try:
        t = time.perf_counter()
        public_config = build_public(project, tmp, strict=strict)
        timings["site public (HTML)"] = time.perf_counter() - t
        t = time.perf_counter()
        html_cache = project.cache_dir / "html"
        with tempfile.TemporaryDirectory(prefix="amoor-docs-") as empty:
            used = {build_dossier_html(project, dossier, tmp / dossier.path, Path(empty),
                                       strict=strict, cache=html_cache)
                    for dossier in dossiers}
        _prune(html_cache, used)
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


class _SharedBytecode:
    """Theme templates compiled once per process, not once per MkDocs build.

    Every dossier is its own MkDocs build, with a fresh Jinja environment that would
    recompile Material's templates (the build's largest cost, found by profiling).
    Jinja checks each entry against the template's source checksum, so an edited
    template is recompiled. In memory only: nothing of a client is stored.
    """

    _instance = None

    @classmethod
    def get(cls):
        if cls._instance is None:
            import jinja2

            class Cache(jinja2.BytecodeCache):
                def __init__(self) -> None:
                    self.code: dict[str, bytes] = {}

                def load_bytecode(self, bucket) -> None:
                    if bucket.key in self.code:
                        bucket.bytecode_from_string(self.code[bucket.key])

                def dump_bytecode(self, bucket) -> None:
                    self.code[bucket.key] = bucket.bytecode_to_string()

            cls._instance = Cache()
        return cls._instance


#: The theme's static files, listed once per site build (``build_public`` clears it):
#: walking Material's folder (some 14 000 icons) and filtering every name was, after
#: template compilation, the largest cost of a dossier build.
_THEME_FILES: dict = {}
_THEME_FILTER = "Files.add_files_from_theme.<locals>.filter"


def _share_templates(config) -> None:
    theme = config.theme
    make_env = theme.get_env

    def get_env():
        env = make_env()
        env.bytecode_cache = _SharedBytecode.get()
        list_templates = env.list_templates

        def listing(extensions=None, filter_func=None):
            # MkDocs' filter depends only on the theme's static templates.
            if extensions is None and getattr(filter_func, "__qualname__", "") == \
                    _THEME_FILTER:
                key = (tuple(theme.dirs), frozenset(theme.static_templates))
                if key not in _THEME_FILES:
                    _THEME_FILES[key] = list_templates(filter_func=filter_func)
                return list(_THEME_FILES[key])
            return list_templates(extensions, filter_func)

        env.list_templates = listing
        return env

    theme.get_env = get_env


def _run_mkdocs(config) -> None:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.exceptions import MkDocsException

    _share_templates(config)
    try:
        mkdocs_build(config)
    except MkDocsException as exc:
        raise BuildFailed(str(exc)) from None


def build_public(project: Project, site_dir: Path, *, strict: bool = True):
    """The public site: MkDocs with the ``amoor`` plugin, brochure left to the PDF pool."""
    _THEME_FILES.clear()  # a new site build: the theme folder may have changed
    _HTML_STAMPS.clear()
    config = load_config(str(project.config_file), site_dir=str(site_dir), strict=strict)
    if "amoor" in config.plugins:
        config.plugins["amoor"].config.brochure = False
    _run_mkdocs(config)
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


def dossier_config(project: Project, dossier: Dossier, site_dir: Path, docs_dir: Path, *,
                   strict: bool = True):
    """MkDocs configuration of one dossier build, with its pages as virtual files."""
    from .mkdocs_plugin.dossier import DossierPlugin

    config = load_config(str(project.config_file), site_dir=str(site_dir),
                         docs_dir=str(docs_dir), strict=strict,
                         **dossier_settings(project, dossier))
    config.plugins["amoor-dossier"] = DossierPlugin(dossier)
    config.theme.static_templates.discard("404.html")  # was rendered, then deleted (STRAY)
    return config


HTML_CACHE_VERSION = "1"
_HTML_STAMPS: dict[Path, bytes | None] = {}


def _html_stamp(project: Project) -> bytes | None:
    """What a dossier's HTML depends on besides its own pages and settings: the
    builders' versions, ``mkdocs.yml``, the theme overrides and this package's code
    and templates. Computed once per site build; ``None`` (no cache) when
    ``mkdocs.yml`` reads environment variables."""
    if project.root in _HTML_STAMPS:
        return _HTML_STAMPS[project.root]
    import hashlib
    from importlib.metadata import version

    config = project.config_file.read_bytes()
    stamp = None
    if b"!ENV" not in config:
        digest = hashlib.sha256(HTML_CACHE_VERSION.encode() + b"\0" + config)
        for dist in ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2"):
            digest.update(f"\0{dist}={version(dist)}".encode())
        custom = project.settings().get("theme", {}).get("custom_dir")
        folders = [Path(__file__).parent] + ([project.root / custom] if custom else [])
        for folder in folders:
            for file in sorted(folder.rglob("*")):
                if file.is_file() and "__pycache__" not in file.parts:
                    digest.update(b"\0" + file.relative_to(folder).as_posix().encode())
                    digest.update(hashlib.sha256(file.read_bytes()).digest())
        stamp = digest.digest()
    _HTML_STAMPS[project.root] = stamp
    return stamp


def _html_key(project: Project, dossier: Dossier, strict: bool) -> str | None:
    """Content hash of one dossier's HTML build; ``None`` when it must not be cached
    (a password-protected dossier is never stored in clear)."""
    import hashlib
    import json

    stamp = _html_stamp(project)
    if dossier.password_env or stamp is None:
        return None
    digest = hashlib.sha256(stamp)
    digest.update(json.dumps([strict, dossier_settings(project, dossier)], sort_keys=True,
                             default=str, ensure_ascii=False).encode())
    for page in dossier.pages:
        digest.update(b"\0" + page.src_uri.encode() + b"\0" + page.markdown.encode())
    return digest.hexdigest()


def _prune(cache: Path, used: set[str | None]) -> None:
    """Keep only the cache entries of this build's dossiers (the cache stays bounded)."""
    if cache.is_dir():
        for entry in cache.iterdir():
            if entry.name not in used:
                shutil.rmtree(entry, ignore_errors=True)


def build_dossier_html(project: Project, dossier: Dossier, site_dir: Path, docs_dir: Path,
                       *, strict: bool = True, cache: Path | None = None) -> str | None:
    """One dossier's pages (a MkDocs build of its own) and its agenda file.

    With ``cache``, an unchanged dossier's built folder is copied from there instead
    of being rebuilt (content hash of its pages, settings, theme and code); returns
    the cache key used, if any.
    """
    from .agenda import AGENDA, ics

    key = _html_key(project, dossier, strict) if cache is not None else None
    entry = cache / key if key else None
    copied = False
    if entry is not None and entry.is_dir():
        try:
            shutil.copytree(entry, site_dir)
            copied = True
        except OSError:  # pruned meanwhile by another build: build it
            shutil.rmtree(site_dir, ignore_errors=True)
    if not copied:
        try:
            _run_mkdocs(dossier_config(project, dossier, site_dir, docs_dir, strict=strict))
        except BuildFailed as exc:
            raise BuildFailed(f"{dossier.source.path}: {exc}") from None
        if entry is not None:
            part = entry.with_name(f"{key}.{os.getpid()}.tmp")
            shutil.rmtree(part, ignore_errors=True)
            shutil.copytree(site_dir, part)
            try:
                part.rename(entry)
            except OSError:  # stored meanwhile by another build
                shutil.rmtree(part, ignore_errors=True)
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
            output=folder / spec.name, root=folder, title=spec.title if spec.name != \
            "dossier.pdf" else m.title, subtitle=m.client.name if spec.name != "dossier.pdf"
            else f"Dossier de mission — {m.client.name}",
            kicker=f"{m.client.name}" if spec.name != "dossier.pdf" else "Dossier de mission",
            cover=(("Client", m.client.name), ("Mission", m.title),
                   ("Offre", dossier.offer.title),
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
