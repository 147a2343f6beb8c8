"""The whole build: read → validate → compute → render → emit, then check, seal and swap.

Everything is computed before anything is written. The public site and each
dossier are separate site builds into a temporary folder beside the target; only
when pages, PDFs, the privacy check and the sealing have all succeeded does the new
folder replace the old one, so a failed build leaves ``site/`` untouched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from . import crypt
from .access import client_conflicts, client_revisions, portal_paths, publishable
from .brochure import brochure_document, brochure_pages
from .bundle import write_bundle
from .cache import FolderCache
from .clock import today
from .devis import duration
from .diagnostics import BuildError, Diagnostic, InputError, errors
from .documents import Job, Result, Writer, prune
from .dossier import Dossier, make_dossier
from .engine.build import Engine
from .fmt import date, money_ht
from .keys import Keys, Secret, in_ci, load_secret
from .models.provider import Provider
from .pdf import PdfDocument, Section, job
from .portal import Portal, make_portals
from .pptx_deck import DeckJob
from .privacy import PrivacyCheck, owned_folders, privacy_stamp
from .project import Project
from .reader import MissionSource, OfferSource, read_missions, read_offers, read_provider

MIN_PASSWORD = 12
DOCUMENT_SUFFIXES = (".pdf", ".pptx", ".zip")   #: files the document workers write


@dataclass
class Catalog:
    """Every input, validated: offers by id, missions by slug, the provider, and all
    diagnostics."""

    offers: dict[str, OfferSource]
    missions: list[MissionSource]
    provider: Provider | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)


def read_catalog(project: Project, *, only: str | None = None) -> Catalog:
    offers, problems = read_offers(project.offers_dir, project.root)
    provider, found = read_provider(project.provider_file, project.root)
    problems += found
    missions, found = read_missions(project.missions_dir, project.root,
                                    {k: v.offer for k, v in offers.items()}, only=only)
    return Catalog(offers, missions, provider, problems + found + client_conflicts(missions))


def make_dossiers(catalog: Catalog, keys: Keys,
                  revisions: dict[str, int] | None = None) -> list[Dossier]:
    """Every mission's dossier; a client with several links each to its portal
    (``revisions``: each client's portal revision, default from these missions)."""
    assert catalog.provider is not None, "read_catalog reports a missing provider"
    portals = portal_paths(catalog.missions, keys, revisions)
    return [make_dossier(m, catalog.offers[m.mission.offer].offer, catalog.provider, keys,
                         portal=portals[m.slug]) for m in catalog.missions]


@dataclass(frozen=True)
class Password:
    value: str
    demo: bool = False


def passwords(dossiers: list[Dossier]) -> tuple[dict[str, Password], list[Diagnostic]]:
    """Each protected dossier's password, by slug, from its environment variable.

    A missing variable stops the build: a protected dossier is never built in clear.
    An example mission (``exemple: true``) may fall back on its demonstration password,
    on the consultant's machine only: CI never publishes examples.
    """
    found: dict[str, Password] = {}
    problems = []
    for d in dossiers:
        env, access = d.password_env, d.mission.access
        if not env:
            continue
        value = os.environ.get(env, "")
        if value:
            found[d.slug] = Password(value)
            if len(value) < MIN_PASSWORD:
                problems.append(Diagnostic(
                    d.source.path, 0, 0, "acces.mot_de_passe_env",
                    f"mot de passe court ({len(value)} caractères) dans {env} : "
                    f"{MIN_PASSWORD} au moins sont conseillés", "warning"))
        elif d.mission.example and access.demo_password and not in_ci():
            found[d.slug] = Password(access.demo_password, demo=True)
        else:
            problems.append(Diagnostic(
                d.source.path, 0, 0, "acces.mot_de_passe_env",
                f"la variable d'environnement {env} (mot de passe du dossier) n'est pas "
                "définie : dossier non construit"))
    return found, problems


@dataclass
class BuildReport:
    site_dir: Path
    dossiers: list[Dossier]
    pdfs: list[Result]
    warnings: list[Diagnostic]
    notices: list[str]
    portals: list[Portal]
    seconds: dict[str, float]
    secret: Secret


Progress = Callable[[int, int, Result], None]


def dossier_jobs(dossier: Dossier, folder: Path, capture: dict[str, Section],
                 cache: Path | None) -> list[Job]:
    """Every document of a dossier: printed from its pages, the deck (PDF and PPTX),
    the devis. ``cache`` None: never kept (a protected dossier: no plaintext)."""
    m = dossier.mission
    jobs: list[Job] = []
    common = dict(root=folder, title=m.title, subtitle=m.client.name,
                  created=dossier.created.isoformat())
    for spec in dossier.documents:
        output, label = folder / spec.name, f"{dossier.slug}/{spec.name}"
        if not spec.rendered:
            continue            # the zip, made from the others (bundle.py)
        if spec.kind == "pptx":
            jobs.append(DeckJob(output, dossier.slides, m.title, dossier.provider.name,
                                dossier.created, label, cache))
            continue
        if spec.kind == "pages":
            doc = PdfDocument(
                output=output, kicker=spec.title,
                cover=(("Client", m.client.name), ("Offre", dossier.offer.title),
                       ("Montant", money_ht(dossier.quote.total_ht))),
                date=f"Document du {date(dossier.created)}",
                header=f"{m.client.name} — {spec.title}",
                sections=tuple(capture[src] for src in spec.pages),
                toc=len(spec.pages) > 1, label=label, **common)  # type: ignore[arg-type]
        elif spec.kind == "deck":
            doc = PdfDocument(output=output, label=label, template="print/deck.html",
                              context=(("slides", dossier.slides), ("first", 1),
                                       ("footer", dossier.footer)),
                              **common)  # type: ignore[arg-type]
        else:
            doc = PdfDocument(output=output, label=label, template="print/devis.html",
                              context=(("devis", dossier.devis), ("m", m), ("q", dossier.quote),
                                       ("offer", dossier.offer),
                                       ("duration", duration(dossier.offer))),
                              **common)  # type: ignore[arg-type]
        jobs.append(job(doc, cache))
    return jobs


def build(project: Project, site_dir: Path, *, pdf: bool = True, strict: bool = True,
          workers: int = 2, progress: Progress | None = None,
          day: dt.date | None = None) -> BuildReport:
    """Build the public site and every dossier into ``site_dir``, atomically, as
    published on ``day`` (default: today in Paris). (``amoor serve`` builds its own
    way: :mod:`generator.preview`.)"""
    timings: dict[str, float] = {}
    start = time.perf_counter()
    catalog = read_catalog(project)
    secret = load_secret(project.root)
    keys = Keys(secret.value)
    missions, notices = publishable(catalog.missions, day or today())
    revisions = client_revisions(catalog.missions)
    dossiers = make_dossiers(Catalog(catalog.offers, missions, catalog.provider), keys,
                             revisions) if catalog.provider else []
    secrets_, password_problems = passwords(dossiers)
    problems = catalog.diagnostics + password_problems
    if errors(problems):
        raise InputError(problems)
    notices += [f"{d.source.path} : dossier d'exemple scellé avec son mot de passe de "
                f"démonstration « {secrets_[d.slug].value} » (jamais en CI)"
                for d in dossiers if d.slug in secrets_ and secrets_[d.slug].demo]
    portals = make_portals(dossiers, keys, {slug: p.value for slug, p in secrets_.items()},
                           revisions)
    owned = owned_folders(dossiers, portals)
    timings["lecture et calculs"] = time.perf_counter() - start

    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    for stale in site_dir.parent.glob(f".{site_dir.name}.*"):  # left by a killed build
        shutil.rmtree(stale, ignore_errors=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.", dir=site_dir.parent))
    engine = Engine(project, strict=strict)
    sealed = FolderCache(project.cache_dir / "sealed")
    try:
        t = time.perf_counter()
        public = engine.build_public(tmp, catalog.offers)
        write_robots(tmp, project.site_url)
        timings["site public (HTML)"] = time.perf_counter() - t
        t = time.perf_counter()
        # A protected dossier (or portal) whose inputs, password and the fingerprints it
        # was checked against are unchanged is linked sealed from the last build: no
        # plaintext kept.
        stamp = privacy_stamp(owned)
        # (folder, password, salt, is a portal, inputs) of each folder to seal.
        to_seal = [(d.path, secrets_[d.slug].value, d.slug, False, engine.inputs_key(d))
                   for d in dossiers if d.slug in secrets_]
        to_seal += [(p.path, p.password, portal_salt(p), True, engine.portals_key([p]))
                    for p in portals if p.password is not None]
        seals = {folder: sealed_key(inputs, keys, salt, password, pdf, stamp)
                 for folder, password, salt, _, inputs in to_seal}
        reused = {path for path, key in seals.items()
                  if sealed.fetch(key, tmp / path) is not None}
        todo = [d for d in dossiers if d.path not in reused]
        documents = project.cache_dir / "documents"
        results: list[Result] = []
        privacy = PrivacyCheck(owned, cache=project.cache_dir / "privacy")
        expected = 1 + sum(spec.rendered for d in todo for spec in d.documents)
        outputs: list[tuple[Path, Dossier | None]] = []    # by document, in order
        unfinished: dict[str, int] = {}                     # documents left, by dossier

        def finished(i: int, result: Result) -> None:
            """A document is written: read it for the check; a dossier's last one
            written, its zip is made (and read)."""
            output, dossier = outputs[i]
            privacy.read(output)
            if dossier is not None:
                unfinished[dossier.slug] -= 1
                if not unfinished[dossier.slug]:
                    folder = tmp / dossier.path
                    privacy.read(write_bundle(dossier, folder, project.site_url))

        with Writer(workers=workers, progress=progress, total=expected) as writer:
            # Each dossier's documents start rendering as soon as its pages are built.
            if pdf:
                brochure = brochure_job(project, catalog.offers, public.capture, tmp, documents)
                writer.add([brochure])
                outputs.append((brochure.output, None))
            captures = {}
            for dossier in todo:
                captures[dossier.slug] = engine.build_dossier(dossier, tmp / dossier.path)
                if pdf:     # a protected dossier's documents are never cached in clear
                    jobs = dossier_jobs(dossier, tmp / dossier.path,
                                        captures[dossier.slug].capture,
                                        None if dossier.password_env else documents)
                    writer.add(jobs)
                    outputs += [(job.output, dossier) for job in jobs]
                    unfinished[dossier.slug] = len(jobs)
            built = engine.build_portals([p for p in portals if p.path not in reused], tmp)
            engine.cache.prune({public.cache_key, built.cache_key}
                               | {b.cache_key for b in captures.values()})
            timings["dossiers (HTML)"] = time.perf_counter() - t
            if pdf:
                t = time.perf_counter()
                # While the workers render, this process reads the pages, then each
                # document as it is finished: it would otherwise only wait.
                privacy.leaks(tmp, pending=DOCUMENT_SUFFIXES)
                results = writer.results(on_done=finished)
                prune(documents, (r.key for r in results if r.key))
                timings["PDF"] = time.perf_counter() - t
        t = time.perf_counter()
        leaks = privacy.leaks(tmp)
        privacy.save()
        if leaks:
            raise BuildError("contrôle de confidentialité : " + "\n".join(leaks))
        timings["contrôle de confidentialité"] = time.perf_counter() - t
        t = time.perf_counter()
        for folder, password, salt, portal, _ in to_seal:
            if folder in reused:
                continue
            salt_bytes = keys.salt(salt)
            crypt.seal_folder(tmp / folder, crypt.derive_key(password, salt_bytes), salt_bytes,
                              portal=portal)
            sealed.store(seals[folder], tmp / folder, {})
        if pdf:     # a quick build without PDFs keeps the complete entries
            sealed.prune(set(seals.values()))
        timings["chiffrement"] = time.perf_counter() - t
        swap(tmp, site_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        engine.close()
    timings["total"] = time.perf_counter() - start
    warnings = [p for p in problems if p.severity == "warning"]
    return BuildReport(site_dir, dossiers, results, warnings, notices, portals, timings, secret)


def portal_salt(portal: Portal) -> str:
    """What a sealed portal's salt is made from: never a mission's slug."""
    return f"portail\0{portal.client}"


def sealed_key(inputs: str | None, keys: Keys, salt: str, password: str, pdf: bool,
               stamp: str) -> str | None:
    """What a sealed folder depends on: its inputs, the PDF engine, its password (as a
    keyed fingerprint: useless without the secret) and the set of fingerprints its
    plaintext was checked against (``stamp``: :func:`privacy_stamp`, computed once a
    build). None when its inputs cannot be told."""
    if inputs is None:
        return None
    parts = [inputs, "pdf " + version("weasyprint") if pdf else "sans pdf",
             keys.verifier("scellé", salt, password), stamp]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def brochure_job(project: Project, offers: dict[str, OfferSource],
                 public: dict[str, Section], site: Path, cache: Path) -> Job:
    options = project.options
    wanted = brochure_pages(options, offers, project.docs_dir.resolve(), project.root)
    brochure = brochure_document([public[src] for src in wanted if src in public], offers,
                                 site_dir=site, name=options.brochure_name,
                                 site_name=str(project.settings.get("site_name", "")))
    return job(brochure, cache)


def write_robots(site: Path, site_url: str) -> None:
    """``robots.txt`` keeps crawlers off private folders (a link that leaked into a
    referrer or a forwarded mail is then at least not indexed); the consultant's own
    ``robots.txt``, if any, is kept and completed."""
    from urllib.parse import urlsplit

    prefix = urlsplit(site_url).path.rstrip("/") if site_url else ""
    file = site / "robots.txt"
    lines = file.read_text(encoding="utf-8").splitlines() if file.is_file() else \
        ["User-agent: *"]
    for folder in ("d", "c"):
        rule = f"Disallow: {prefix}/{folder}/"
        if rule not in lines:
            lines.append(rule)
    if site_url and not any(line.lower().startswith("sitemap:") for line in lines):
        lines.append(f"Sitemap: {site_url.rstrip('/')}/sitemap.xml")
    file.unlink(missing_ok=True)
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")


def swap(new: Path, target: Path) -> None:
    """Replace ``target`` by ``new`` with renames only (same folder, same filesystem)."""
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
        old.rmdir()
        target.rename(old)
    new.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
