"""``amoor serve``'s builds: everything once, then only what an edit changed.

An edit under ``missions/<slug>/`` rebuilds that dossier; under ``docs/``, the public
site; ``mkdocs.yml``, ``overrides/`` or an offer page, everything (all depend on them).
Templates stay compiled between builds. A broken edit keeps the last good pages and
its diagnostics go to the terminal and to ``_amoor/etat.json``, which the pages of
the preview read to show them over the page. Local only: nothing is sealed, no PDF.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..content.clock import today
from ..content.diagnostics import BuildError, Diagnostic, InputError, errors
from ..content.models.provider import Provider
from ..content.project import Project
from ..content.reader import OfferSource, read_mission
from ..dossier.access import expiry_warnings, portal_paths, publishable
from ..dossier.dossier import Dossier, client_key, make_dossier
from ..dossier.portal import Portal, make_portals
from ..dossier.references import PublicReference
from ..engine.build import Engine
from ..privacy.check import check_privacy
from ..privacy.match import Allowed, owned_folders
from ..protection.csp import with_policy
from ..protection.keys import Keys, load_secret
from ..text.render import render
from .pipeline import emit_public, publish, read_catalog, references, swap

STATE = "_amoor"
PRIVATE = ("d", "c", "_dossiers", STATE)   #: top folders that are not the public site's


@dataclass
class Preview:
    root: Path
    site: Path
    project: Project = field(init=False)
    engine: Engine = field(init=False)
    offers: dict[str, OfferSource] = field(default_factory=dict)
    provider: Provider | None = None
    dossiers: dict[str, Dossier] = field(default_factory=dict)
    portals: list[Portal] = field(default_factory=list)
    references: list[PublicReference] = field(default_factory=list)
    unchecked: tuple[str, ...] = ()     #: folders rebuilt, not yet privacy-checked
    problems: dict[str, list[Diagnostic]] = field(default_factory=dict)  #: by source

    def __post_init__(self) -> None:
        self._restart()

    def _restart(self) -> None:
        self.project = Project.find(self.root)
        self.engine = Engine(self.project, strict=False, preview=True)
        self.keys = Keys(load_secret(self.project.root).value)

    # ------------------------------------------------------------------ what to rebuild

    def update(self, changed: set[Path]) -> str:
        """Rebuild what ``changed`` files affect; a line saying what was done."""
        start = time.perf_counter()
        root = self.project.root
        rel = {p.resolve().relative_to(root).as_posix() for p in changed
               if p.resolve().is_relative_to(root)}
        if any(r == "mkdocs.yml" or r.startswith("overrides/") for r in rel):
            self.engine.close()     # new settings or theme: read again, templates anew
            self._restart()
        offers = self.project.offers_dir.relative_to(root).as_posix() + "/"
        docs = self.project.docs_dir.relative_to(root).as_posix() + "/"
        if any(r == "mkdocs.yml" or r.startswith(("overrides/", offers)) for r in rel):
            done = self.everything()
        else:
            done = []
            if any(r.startswith(docs) for r in rel):
                done.append(self.public())
            for slug in sorted({r.split("/")[1] for r in rel
                                if r.startswith("missions/") and r.count("/") >= 2}):
                done.append(self.mission(slug))
            done = done or ["rien à refaire"]
        self._write_state()
        return f"{', '.join(done)} en {time.perf_counter() - start:.2f} s"

    def everything(self) -> list[str]:
        """Public site and every dossier, swapped in at once."""
        catalog = read_catalog(self.project)
        self.problems = {}
        self._keep(catalog.diagnostics)
        offer_problems = [p for p in catalog.diagnostics if not p.path.startswith("missions/")]
        if errors(offer_problems):
            return ["offre en erreur : la version précédente reste servie"]
        self.offers, self.provider = catalog.offers, catalog.provider
        self.references = references(catalog)
        day = today()
        self._keep(expiry_warnings(catalog.missions, day, self.project.root))
        self.dossiers = {d.slug: d for d in publish(catalog, self.keys, day)[0]}
        tmp = Path(tempfile.mkdtemp(prefix=".apercu.", dir=self.site.parent))
        try:
            emit_public(self.engine, self.project, tmp, self.offers, self.references,
                        self.provider)
            for dossier in self.dossiers.values():
                self._build(dossier, tmp / dossier.path)
            self._portals(tmp)
            self._check(tmp)
            self.unchecked = ()
            self._index(tmp)
            swap(tmp, self.site)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return [f"site complet ({len(self.dossiers)} dossiers)"]

    def public(self) -> str:
        tmp = Path(tempfile.mkdtemp(prefix=".apercu.", dir=self.site.parent))
        try:
            emit_public(self.engine, self.project, tmp, self.offers, self.references,
                        self.provider)
            for entry in self.site.iterdir():
                if entry.name not in PRIVATE:
                    shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
            for entry in tmp.iterdir():
                entry.rename(self.site / entry.name)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return "site public"

    def mission(self, slug: str) -> str:
        folder = self.project.missions_dir / slug
        source_path = f"missions/{slug}/"
        self.problems = {k: v for k, v in self.problems.items()
                         if not k.startswith(source_path)}
        old = self.dossiers.pop(slug, None)
        source, found = read_mission(folder, self.project.root,
                                     {k: v.offer for k, v in self.offers.items()}) \
            if (folder / "mission.yml").is_file() else (None, [])
        self._keep(found)
        if source is None and found:
            if old is not None:
                self.dossiers[slug] = old  # the last good pages stay served
            return f"dossier {slug} en erreur : la version précédente reste servie"
        if self.provider is None:
            return f"dossier {slug} : prestataire.yml en erreur"
        day = today()
        if source is not None:
            self._keep(expiry_warnings([source], day, self.project.root))
        kept, _ = publishable([] if source is None else [source], day)
        missions = [d.source for d in self.dossiers.values()] + kept
        links = portal_paths(missions, self.keys)
        # This dossier, and those of its client whose link to the portal changed.
        redo = [m for m in missions
                if m.slug == slug or links[m.slug] != self.dossiers[m.slug].portal]
        for m in redo:
            self._replace(make_dossier(m, self.offers[m.mission.offer].offer,
                                       self.provider, self.keys, portal=links[m.slug]),
                          self.dossiers.get(m.slug, old))
        if not kept and old is not None:
            shutil.rmtree(self.site / old.path, ignore_errors=True)
        clients = {m.client for m in (old,) if m is not None} | \
            {client_key(m.mission) for m in redo}
        changed = self._portals(self.site, clients)
        # What was rebuilt is checked by :meth:`settle`, once the pages are served; the
        # rest was, and is again at the next full build (a preview's check only warns).
        self.unchecked += tuple(self.dossiers[m.slug].path for m in redo
                                if m.slug in self.dossiers) + changed
        self._index(self.site)
        return f"dossier {slug}" if kept else f"dossier {slug} retiré"

    def _replace(self, dossier: Dossier, old: Dossier | None) -> None:
        """Build ``dossier`` and swap it in for ``old`` (whose link may differ)."""
        tmp = Path(tempfile.mkdtemp(prefix=".apercu.", dir=self.site.parent))
        try:
            self._build(dossier, tmp / "dossier")
            target = self.site / dossier.path
            target.parent.mkdir(parents=True, exist_ok=True)
            swap(tmp / "dossier", target)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        if old is not None and old.path != dossier.path:
            shutil.rmtree(self.site / old.path, ignore_errors=True)
        self.dossiers[dossier.slug] = dossier

    # ---------------------------------------------------------------------------- steps

    def _build(self, dossier: Dossier, folder: Path) -> None:
        try:
            self.engine.build_dossier(dossier, folder)
        except BuildError as exc:
            self._keep([Diagnostic(dossier.source.path, message=str(exc))])

    def _portals(self, site: Path, clients: set[str] | None = None) -> tuple[str, ...]:
        """The portals of ``clients`` (default: all) made again, those whose page
        changed rebuilt, those of clients left without a dossier removed. The folders
        rebuilt."""
        live = {d.client for d in self.dossiers.values()}
        before = {p.client: p for p in self.portals if p.client in live}
        for portal in self.portals:
            if portal.client not in live:
                shutil.rmtree(site / portal.path, ignore_errors=True)
        fresh = make_portals([d for d in self.dossiers.values()
                              if clients is None or d.client in clients], self.keys, {})
        changed = [p for p in fresh if p.client not in before
                   or before[p.client].pages != p.pages or not (site / p.path).is_dir()]
        self.portals = sorted({**before, **{p.client: p for p in fresh}}.values(),
                              key=lambda p: p.client)
        if changed:
            self.engine.build_portals(changed, site)
        return tuple(p.path for p in changed)

    def settle(self) -> None:
        """The privacy check of what the last updates rebuilt, and the state the pages
        show: run after the new pages are served (the check is a quarter of an update)."""
        if self.unchecked:
            only, self.unchecked = tuple(dict.fromkeys(self.unchecked)), ()
            self._check(self.site, only=tuple(p for p in only if (self.site / p).is_dir()))
            self._write_state()

    def _check(self, site: Path, only: tuple[str, ...] = ()) -> None:
        """The privacy check, as warnings (the preview is local); ``only``: of these
        folders, the other folders' warnings kept."""
        owned = owned_folders(self.dossiers.values(), self.portals)
        allowed = [Allowed(r.client, r.words) for r in self.references]
        if only:
            # Theme files: the same in every folder, checked by the full check.
            skip = ("_dossiers/", f"{STATE}/", *(f"{folder}assets/" for folder in only))
            leaks = check_privacy(site, owned, skip=skip, only=only, allowed=allowed)
            kept = [d for d in self.problems.pop("site", []) if not d.message.startswith(only)]
        else:
            leaks, kept = check_privacy(site, owned, skip=("_dossiers/", f"{STATE}/"),
                                        allowed=allowed), []
            self.problems.pop("site", None)
        self._keep(kept + [Diagnostic("site", message=leak, severity="warning")
                           for leak in leaks])

    def _keep(self, found: list[Diagnostic]) -> None:
        for d in found:
            self.problems.setdefault(d.path, []).append(d)

    def _index(self, site: Path) -> None:
        """A page listing every dossier's private link: preview only, never published."""
        folder = site / "_dossiers"
        folder.mkdir(exist_ok=True)
        page = folder / "index.html"
        page.unlink(missing_ok=True)
        page.write_text(with_policy(render("build/preview/index.html",
                                           dossiers=list(self.dossiers.values()),
                                           portals=self.portals), []), encoding="utf-8")

    def _write_state(self) -> None:
        folder = self.site / STATE
        folder.mkdir(exist_ok=True)
        (folder / "apercu.js").write_text(render("build/preview/apercu.js"), encoding="utf-8")
        state = [str(d) for d in self.diagnostics]
        file = folder / "etat.json"
        file.unlink(missing_ok=True)
        file.write_text(json.dumps({"diagnostics": state}, ensure_ascii=False),
                        encoding="utf-8")

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return [d for found in self.problems.values() for d in sorted(found)]

    def close(self) -> None:
        self.engine.close()


def build_preview(root: Path, site: Path) -> Preview:
    """The first, complete preview."""
    preview = Preview(root, site)
    site.mkdir(parents=True, exist_ok=True)
    try:
        preview.everything()
    except InputError as exc:
        preview._keep(exc.diagnostics)
    preview._write_state()
    return preview

