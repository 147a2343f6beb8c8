"""Readers: offer pages and mission folders into validated models, or diagnostics.

Readers never stop at the first problem: every file is read and every error kept,
so that one run of ``amoor check`` lists them all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, TypeVar

from pydantic import Field, ValidationError

from ..text.fmt import slugify
from .diagnostics import Diagnostic, InputError
from .models.base import Model, validation_diagnostics
from .models.mission import Mission
from .models.offer import Offer, OfferPage
from .models.provider import Provider
from .validation import check_mission, check_offer, check_provider
from .yamlio import YamlDocument, load_yaml, read_text, split_front_matter

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass
class OfferSource:
    path: str
    page: OfferPage
    body: str

    @property
    def offer(self) -> Offer:
        return self.page.offer


@dataclass
class MarkdownPage:
    path: str
    title: Optional[str]
    body: str


@dataclass
class MissionSource:
    slug: str
    path: str
    mission: Mission
    pages: dict[str, MarkdownPage] = field(default_factory=dict)  #: by deliverable ref
    #: (line, column) of each invoice's number, for the checks across missions.
    invoice_marks: tuple[tuple[int, int], ...] = ()


class PageFrontMatter(Model):
    """Optional front matter of a mission's Markdown page."""

    title: Optional[str] = Field(None, alias="titre", description="Titre de la page.")


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


M = TypeVar("M", bound=Model)


def _validate(model: type[M], doc: YamlDocument) -> tuple[Optional[M], list[Diagnostic]]:
    if not isinstance(doc.data, dict):
        return None, [doc.diagnostic((), "un dictionnaire (clé: valeur) est attendu")]
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        return None, validation_diagnostics(exc, doc, model)


def _read_markdown(file: Path, root: Path) -> tuple[str, Optional[YamlDocument], str]:
    """A Markdown file's display path, parsed front matter and body (InputError if bad)."""
    display = _display(file, root)
    return (display, *split_front_matter(read_text(file, display), display))


def read_offer(file: Path, root: Path) -> tuple[Optional[OfferSource], list[Diagnostic]]:
    try:
        display, doc, body = _read_markdown(file, root)
    except InputError as exc:
        return None, exc.diagnostics
    if doc is None:
        return None, [Diagnostic(display, 1, 1, "", "en-tête YAML (--- … ---) avec la clé "
                                                    "« offre » attendu")]
    page, problems = _validate(OfferPage, doc)
    if page is None:
        return None, problems
    problems = check_offer(page.offer, doc)
    return OfferSource(display, page, body), problems


def read_provider(file: Path, root: Path) -> tuple[Optional[Provider], list[Diagnostic]]:
    """The consultant's ``prestataire.yml``: who sells, on which terms (the devis)."""
    display = _display(file, root)
    if not file.is_file():
        return None, [Diagnostic(display, 0, 0, "", "fichier introuvable : l'identité du "
                                 "prestataire (nom, adresse, SIRET, TVA…) sert aux devis ; "
                                 "repartez du modèle du README")]
    try:
        doc = load_yaml(read_text(file, display), display)
    except InputError as exc:
        return None, exc.diagnostics
    provider, problems = _validate(Provider, doc)
    if provider is None:
        return None, problems
    return provider, problems + check_provider(provider, doc)


def read_offers(offers_dir: Path, root: Path) -> tuple[dict[str, OfferSource], list[Diagnostic]]:
    """Every ``*.md`` of the offers folder, by offer id."""
    offers: dict[str, OfferSource] = {}
    problems: list[Diagnostic] = []
    for file in sorted(offers_dir.glob("*.md")):
        source, found = read_offer(file, root)
        problems += found
        if source is None:
            continue
        if source.offer.id in offers:
            problems.append(Diagnostic(source.path, 0, 0, "offre.id",
                                       f"offre « {source.offer.id} » déjà définie dans "
                                       f"{offers[source.offer.id].path}"))
        offers.setdefault(source.offer.id, source)
    return offers, problems


def _read_page(file: Path, root: Path) -> tuple[Optional[MarkdownPage], list[Diagnostic]]:
    try:
        display, doc, body = _read_markdown(file, root)
    except InputError as exc:
        return None, exc.diagnostics
    title = None
    if doc is not None:
        meta, problems = _validate(PageFrontMatter, doc)
        if meta is None:
            return None, problems
        title = meta.title
    return MarkdownPage(display, title, body), []


def read_mission(folder: Path, root: Path, offers: dict[str, Offer]
                 ) -> tuple[Optional[MissionSource], list[Diagnostic]]:
    """One mission folder: its ``mission.yml``, cross-checks and Markdown pages."""
    file = folder / "mission.yml"
    display = _display(file, root)
    problems: list[Diagnostic] = []
    if not SLUG.match(folder.name):
        problems.append(Diagnostic(
            _display(folder, root), 0, 0, "",
            f"nom de dossier « {folder.name} » invalide : minuscules, chiffres et tirets "
            f"seulement (par exemple « {slugify(folder.name)} »)"))
    try:
        doc = load_yaml(read_text(file, display), display)
    except InputError as exc:
        return None, problems + exc.diagnostics
    mission, found = _validate(Mission, doc)
    problems += found
    if mission is None:
        return None, problems
    problems += check_mission(mission, doc, offers, folder)
    pages: dict[str, MarkdownPage] = {}
    for deliverable in mission.deliverables:
        target = folder / deliverable.page if deliverable.page else None
        try:
            if target is None or not target.is_file() or not target.resolve().is_relative_to(
                    folder.resolve()):
                continue
        except (OSError, ValueError):  # an impossible file name: reported by check_mission
            continue
        page, found = _read_page(target, root)
        problems += found
        if page is not None:
            pages[deliverable.ref] = page
    if any(p.severity == "error" for p in problems):
        return None, problems
    marks = tuple(doc.mark(("factures", i, "numero")) for i in range(len(mission.invoices)))
    return MissionSource(folder.name, display, mission, pages, marks), problems


def read_missions(missions_dir: Path, root: Path, offers: dict[str, Offer],
                  only: Optional[str] = None) -> tuple[list[MissionSource], list[Diagnostic]]:
    """Every ``missions/*/mission.yml`` (or just ``only``), sorted by slug; all problems."""
    missions: list[MissionSource] = []
    problems: list[Diagnostic] = []
    seen: dict[str, Path] = {}
    if not missions_dir.is_dir():
        return [], []
    for folder in sorted(p for p in missions_dir.iterdir() if p.is_dir()):
        if folder.name.startswith((".", "_")) or not (folder / "mission.yml").exists():
            continue
        key = slugify(folder.name)
        if key in seen:
            problems.append(Diagnostic(
                _display(folder / "mission.yml", root), 0, 0, "",
                f"le dossier « {folder.name} » se confond avec « {seen[key].name} » "
                f"(même adresse « {key} ») : renommez l'un des deux"))
            continue
        seen[key] = folder
        if only is not None and folder.name != only:
            continue
        source, found = read_mission(folder, root, offers)
        problems += found
        if source is not None:
            missions.append(source)
    return missions, problems
