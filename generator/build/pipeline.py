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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

from ..cache.folder import FolderCache
from ..compute.invoicing import check_lock
from ..content.clock import today
from ..content.diagnostics import BuildError, Diagnostic, InputError, errors
from ..content.ledger import LOCK, check_numbering, read_lock
from ..content.models.provider import Provider
from ..content.project import Project
from ..content.reader import MissionSource, OfferSource, read_missions, read_offers, read_provider
from ..content.validation import stale_prices
from ..documents.brochure import brochure_document, brochure_pages
from ..documents.bundle import write_bundle
from ..documents.facturx import InvoiceJob, cii_xml
from ..documents.pdf import PdfDocument, Section, job, print_html
from ..documents.pptx import DeckJob
from ..documents.workers import Job, Result, Writer
from ..dossier.access import client_conflicts, client_revisions, portal_paths, publishable
from ..dossier.atelier import GROUPS, workshop_data
from ..dossier.contents import DocumentKind, DocumentSpec
from ..dossier.devis import duration
from ..dossier.dossier import Dossier, make_dossier
from ..dossier.portal import Portal, make_portals
from ..dossier.references import PublicReference, public_references
from ..engine.build import Built, Engine
from ..privacy.check import PrivacyCheck
from ..privacy.match import Allowed, Owned, owned_folders, privacy_stamp
from ..protection import seal
from ..protection.keys import Keys, Secret, in_ci, load_secret
from ..text.fmt import date, money_ht, siren

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
    problems += found + client_conflicts(missions)
    if offers and only is None:
        problems += stale_prices(sorted(project.docs_dir.rglob("*.md")), project.root,
                                 {s.offer.price.floor_ht for s in offers.values()})
    if provider is not None and not errors(problems):
        problems += invoice_problems(project, offers, missions, provider, every=only is None)
    return Catalog(offers, missions, provider, problems)


def invoice_problems(project: Project, offers: dict[str, OfferSource],
                     missions: list[MissionSource], provider: Provider, *, every: bool
                     ) -> list[Diagnostic]:
    """The invoices as one series across missions, each as issued (``factures.lock``)."""
    lock, problems = read_lock(project.root / LOCK, LOCK)
    problems += check_lock(missions, {k: v.offer for k, v in offers.items()}, provider, lock,
                           every=every)
    if every:
        problems += check_numbering(missions, provider.invoicing)
    return problems


def make_dossiers(catalog: Catalog, keys: Keys,
                  revisions: dict[str, int] | None = None) -> list[Dossier]:
    """Every mission's dossier; a client with several links each to its portal."""
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
Maker = Callable[[Dossier, DocumentSpec, Path, dict[str, Section], Path | None], Job]


def _print(dossier: Dossier, output: Path, cache: Path | None, **layout: Any) -> Job:
    """A PDF of the dossier: its title, client, date and label, and ``layout``; the
    cover gives the real address (a private document, not read by robots)."""
    m, p = dossier.mission, dossier.provider
    return job(PdfDocument(output=output, root=output.parent, title=m.title,
                           subtitle=m.client.name, created=dossier.created.isoformat(),
                           label=f"{dossier.slug}/{output.name}",
                           contact=f"{p.name} — {p.website} — {p.email} — {p.phone}",
                           **layout), cache)


def _pages_job(dossier: Dossier, spec: DocumentSpec, output: Path,
               capture: dict[str, Section], cache: Path | None) -> Job:
    m = dossier.mission
    return _print(dossier, output, cache, kicker=spec.title,
                  cover=(("Client", m.client.name), ("Offre", dossier.offer.title),
                         ("Montant", money_ht(dossier.quote.total_ht))),
                  date=f"Document du {date(dossier.created)}",
                  header=f"{m.client.name} — {spec.title}",
                  sections=tuple(capture[src] for src in spec.pages), toc=len(spec.pages) > 1)


def _deck_job(dossier: Dossier, spec: DocumentSpec, output: Path,
              capture: dict[str, Section], cache: Path | None) -> Job:
    return _print(dossier, output, cache, template="documents/print/deck.html",
                  context=(("slides", dossier.slides), ("first", 1),
                           ("footer", dossier.footer)))


def _devis_job(dossier: Dossier, spec: DocumentSpec, output: Path,
               capture: dict[str, Section], cache: Path | None) -> Job:
    return _print(dossier, output, cache, template="documents/print/devis.html",
                  context=(("devis", dossier.devis), ("m", dossier.mission),
                           ("q", dossier.quote), ("offer", dossier.offer),
                           ("duration", duration(dossier.offer))))


def _invoice_job(dossier: Dossier, spec: DocumentSpec, output: Path,
                 capture: dict[str, Section], cache: Path | None) -> Job:
    """An invoice: its print HTML, then its Factur-X XML (the same :class:`Billed`)."""
    billed = next(b for b in dossier.invoices if b.number == spec.invoice)
    m, p = dossier.mission, dossier.provider
    title = f"{billed.kind.label} n° {billed.number}"
    html, css = print_html(PdfDocument(
        output=output, root=output.parent, title=title, template="documents/print/facture.html",
        context=(("b", billed), ("m", m), ("provider", p), ("devis", dossier.devis),
                 ("offer", dossier.offer), ("siren", siren))))
    note = f"{dossier.offer.title} — {m.title}. Devis n° {dossier.devis.number}."
    return InvoiceJob(output, output.parent, html, f"{dossier.slug}/{output.name}", cache,
                      css=css, xml=cii_xml(billed, p, m.client, note),
                      title=f"{title} — {m.client.name}", author=p.name,
                      issued=billed.date.isoformat())


def _pptx_job(dossier: Dossier, spec: DocumentSpec, output: Path,
              capture: dict[str, Section], cache: Path | None) -> Job:
    return DeckJob(output, dossier.slides, dossier.mission.title, dossier.provider.name,
                   dossier.created, f"{dossier.slug}/{spec.name}", cache)


def _grids_job(dossier: Dossier, spec: DocumentSpec, output: Path,
               capture: dict[str, Section], cache: Path | None) -> Job:
    m = dossier.mission
    data = workshop_data(dossier.slug, m, {s.id: s.label for s in m.stakeholders})
    return _print(dossier, output, cache, template="documents/print/grilles.html",
                  context=(("m", m), ("scenarios", data["scenarios"]),
                           ("publics", data["publics"]), ("criteria", data["criteres"]),
                           ("groups", GROUPS)))


#: How each kind of document is made (the zip is made afterwards, from the others:
#: :func:`~generator.documents.bundle.write_bundle`). A kind without a maker is a
#: KeyError, never another kind's document.
MAKERS: dict[DocumentKind, Maker] = {
    DocumentKind.PAGES: _pages_job, DocumentKind.DECK: _deck_job,
    DocumentKind.DEVIS: _devis_job, DocumentKind.PPTX: _pptx_job,
    DocumentKind.INVOICE: _invoice_job,
    DocumentKind.GRIDS: _grids_job,
}


def dossier_jobs(dossier: Dossier, folder: Path, capture: dict[str, Section],
                 cache: Path | None) -> list[Job]:
    """Every document of a dossier: printed from its pages, the deck (PDF and PPTX),
    the devis. ``cache`` None: never kept (a protected dossier: no plaintext)."""
    return [MAKERS[spec.kind](dossier, spec, folder / spec.name, capture, cache)
            for spec in dossier.documents if spec.rendered]


class Timer:
    """Seconds spent in each named step, in order, and the total."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, step: str) -> Iterator[None]:
        t = time.perf_counter()
        yield
        self.seconds[step] = time.perf_counter() - t

    def total(self) -> dict[str, float]:
        return {**self.seconds, "total": time.perf_counter() - self.start}


@dataclass
class Inputs:
    """What a build publishes, read, validated and computed (nothing written yet)."""

    catalog: Catalog
    dossiers: list[Dossier]
    passwords: dict[str, Password]
    portals: list[Portal]
    owned: list[Owned]
    problems: list[Diagnostic]
    notices: list[str]
    references: list[PublicReference] = field(default_factory=list)

    @property
    def allowed(self) -> list[Allowed]:
        """What the consenting clients allowed in public: their references' words."""
        return [Allowed(r.client, r.words) for r in self.references]


def publish(catalog: Catalog, keys: Keys, day: dt.date) -> tuple[list[Dossier], list[str]]:
    """The dossiers published on ``day`` (the build's and the preview's); notices of
    those held back."""
    missions, notices = publishable(catalog.missions, day)
    dossiers = make_dossiers(Catalog(catalog.offers, missions, catalog.provider), keys,
                             client_revisions(catalog.missions)) if catalog.provider else []
    return dossiers, notices


def read(project: Project, keys: Keys, day: dt.date) -> Inputs:
    """Steps read → validate → compute: every input, every dossier, their passwords
    and portals; an error in any input stops the build here."""
    catalog = read_catalog(project)
    dossiers, notices = publish(catalog, keys, day)
    secrets_, password_problems = passwords(dossiers)
    problems = catalog.diagnostics + password_problems
    if errors(problems):
        raise InputError(problems)
    notices += [f"{d.source.path} : dossier d'exemple scellé avec son mot de passe de "
                f"démonstration « {secrets_[d.slug].value} » (jamais en CI)"
                for d in dossiers if d.slug in secrets_ and secrets_[d.slug].demo]
    portals = make_portals(dossiers, keys, {slug: p.value for slug, p in secrets_.items()},
                           client_revisions(catalog.missions))
    return Inputs(catalog, dossiers, secrets_, portals, owned_folders(dossiers, portals),
                  problems, notices, references(catalog))


def references(catalog: Catalog) -> list[PublicReference]:
    """The public references of the catalog's missions (finished, with consent)."""
    return public_references(catalog.missions, {k: v.offer for k, v in catalog.offers.items()})


def fresh_output(site_dir: Path, prefix: str | None = None) -> Path:
    """An empty folder beside ``site_dir`` (same filesystem: :func:`swap` renames it);
    folders left by a killed build go."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    prefix = prefix or f".{site_dir.name}."
    for stale in site_dir.parent.glob(f"{prefix}*"):
        shutil.rmtree(stale, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=prefix, dir=site_dir.parent))


def emit_public(engine: Engine, project: Project, site: Path,
                offers: dict[str, OfferSource],
                references: list[PublicReference] | None = None,
                provider: Provider | None = None) -> Built:
    """Step emit (public): the offer site and its ``robots.txt``."""
    public = engine.build_public(site, offers, references, provider)
    write_robots(site, project.site_url)
    return public


@dataclass(frozen=True)
class ToSeal:
    """A protected folder (dossier or portal) and what its sealing depends on."""

    folder: str
    password: str
    salt: str           #: what :meth:`Keys.salt` derives its salt from
    portal: bool
    key: str | None     #: its entry in the sealed cache (None: not kept)


def plan_seals(inputs: Inputs, engine: Engine, keys: Keys, pdf: bool) -> list[ToSeal]:
    """Every folder to seal, keyed by its inputs, its password and the fingerprints its
    plaintext is checked against: unchanged, it is linked sealed from the last build
    (no plaintext kept)."""
    stamp = privacy_stamp(inputs.owned, inputs.allowed)
    found = [(d.path, inputs.passwords[d.slug].value, d.slug, False, engine.inputs_key(d))
             for d in inputs.dossiers if d.slug in inputs.passwords]
    found += [(p.path, p.password, portal_salt(p), True, engine.portals_key([p]))
              for p in inputs.portals if p.password is not None]
    return [ToSeal(folder, password, salt, portal,
                   sealed_key(key, keys, salt, password, pdf, stamp))
            for folder, password, salt, portal, key in found]


@dataclass
class Emission:
    """Step emit (dossiers): pages built in this process, documents in the workers,
    each file read by the privacy check as soon as it is written."""

    site: Path
    site_url: str
    privacy: PrivacyCheck
    outputs: list[tuple[Path, Dossier | None]] = field(default_factory=list)  #: in order
    unfinished: dict[str, int] = field(default_factory=dict)  #: documents left, by dossier

    def add(self, writer: Writer, jobs: list[Job], dossier: Dossier | None) -> None:
        writer.add(jobs)
        self.outputs += [(job.output, dossier) for job in jobs]
        if dossier is not None:
            self.unfinished[dossier.slug] = len(jobs)

    def finished(self, i: int, result: Result) -> None:
        """A document is written: read it for the check; a dossier's last one
        written, its zip is made (and read)."""
        output, dossier = self.outputs[i]
        self.privacy.read(output)
        if dossier is not None:
            self.unfinished[dossier.slug] -= 1
            if not self.unfinished[dossier.slug]:
                folder = self.site / dossier.path
                self.privacy.read(write_bundle(dossier, folder, self.site_url))


def emit_dossiers(project: Project, engine: Engine, public: Built, inputs: Inputs,
                  todo: list[Dossier], reused: set[str], emission: Emission, *, pdf: bool,
                  workers: int, progress: Progress | None, timer: Timer) -> list[Result]:
    """Step render → emit: each dossier's pages, then its documents, which start in the
    workers as soon as its pages are built; the portals; the brochure."""
    tmp, documents, results = emission.site, project.cache_dir / "documents", []
    expected = 1 + sum(spec.rendered for d in todo for spec in d.documents)
    t = time.perf_counter()
    with Writer(workers=workers, progress=progress, total=expected) as writer:
        if pdf:
            emission.add(writer, [brochure_job(project, inputs.catalog.offers, public.capture,
                                               tmp, documents)], None)
        captures = {}
        for dossier in todo:
            captures[dossier.slug] = engine.build_dossier(dossier, tmp / dossier.path)
            if pdf:     # a protected dossier's documents are never cached in clear
                emission.add(writer, dossier_jobs(
                    dossier, tmp / dossier.path, captures[dossier.slug].capture,
                    None if dossier.password_env else documents), dossier)
        built = engine.build_portals([p for p in inputs.portals if p.path not in reused], tmp)
        engine.cache.prune({public.cache_key, built.cache_key}
                           | {b.cache_key for b in captures.values()})
        timer.seconds["dossiers (HTML)"] = time.perf_counter() - t
        if pdf:
            with timer("PDF"):
                # While the workers render, this process reads the pages, then each
                # document as it is finished: it would otherwise only wait.
                emission.privacy.leaks(tmp, pending=DOCUMENT_SUFFIXES)
                results = writer.results(on_done=emission.finished)
                # Only the documents of this build: none of a deleted mission lingers.
                FolderCache(documents).prune({r.key for r in results if r.key})
    return results


def check(privacy: PrivacyCheck, site: Path) -> None:
    """Step check: no client's fingerprint outside that client's folders."""
    leaks = privacy.leaks(site)
    privacy.save()
    if leaks:
        raise BuildError("contrôle de confidentialité : " + "\n".join(leaks))


def seal_folders(site: Path, to_seal: list[ToSeal], reused: set[str], keys: Keys,
                 sealed: FolderCache, *, pdf: bool) -> None:
    """Step seal: each protected folder encrypted with its password (those reused from
    the last build already are), and kept for the next build."""
    for s in to_seal:
        if s.folder in reused:
            continue
        salt_bytes = keys.salt(s.salt)
        seal.seal_folder(site / s.folder, seal.derive_key(s.password, salt_bytes), salt_bytes,
                         portal=s.portal)
        sealed.store(s.key, site / s.folder, {})
    if pdf:     # a quick build without PDFs keeps the complete entries
        sealed.prune({s.key for s in to_seal})


def build(project: Project, site_dir: Path, *, pdf: bool = True, strict: bool = True,
          workers: int = 2, progress: Progress | None = None,
          day: dt.date | None = None) -> BuildReport:
    """Build the public site and every dossier into ``site_dir``, atomically, as
    published on ``day`` (default: today in Paris). ``amoor serve`` runs the same steps
    on what an edit changed (:mod:`generator.build.preview`)."""
    timer, secret = Timer(), load_secret(project.root)
    keys = Keys(secret.value)
    with timer("lecture et calculs"):
        inputs = read(project, keys, day or today())
    site_dir = site_dir.resolve()
    tmp = fresh_output(site_dir)
    engine, sealed = Engine(project, strict=strict), FolderCache(project.cache_dir / "sealed")
    try:
        with timer("site public (HTML)"):
            public = emit_public(engine, project, tmp, inputs.catalog.offers,
                                 inputs.references, inputs.catalog.provider)
        to_seal = plan_seals(inputs, engine, keys, pdf)
        reused = {s.folder for s in to_seal if sealed.fetch(s.key, tmp / s.folder) is not None}
        emission = Emission(tmp, project.site_url,
                            PrivacyCheck(inputs.owned, cache=project.cache_dir / "privacy",
                                         allowed=inputs.allowed))
        results = emit_dossiers(project, engine, public, inputs,
                                [d for d in inputs.dossiers if d.path not in reused], reused,
                                emission, pdf=pdf, workers=workers, progress=progress,
                                timer=timer)
        with timer("contrôle de confidentialité"):
            check(emission.privacy, tmp)
        with timer("chiffrement"):
            seal_folders(tmp, to_seal, reused, keys, sealed, pdf=pdf)
        swap(tmp, site_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        engine.close()
    warnings = [p for p in inputs.problems if p.severity == "warning"]
    return BuildReport(site_dir, inputs.dossiers, results, warnings, inputs.notices,
                       inputs.portals, timer.total(), secret)


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
