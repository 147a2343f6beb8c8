"""Public references: a finished mission, with the client's consent, in public words only."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import REFERENCE, SAME_CLIENT, copy_project, run

SUMMARY = "Un marché couvert repensé avec ses usagers : trois ateliers et une enquête."
QUOTE = "Les habitants ont été entendus, et cela se voit sur la place."
ROLE = "Directrice générale des services"


def with_reference(root: Path, *, publiable: bool = True, summary: str = SUMMARY,
                   status: str = "terminee") -> Path:
    """The reference mission of the fixture, finished, with a public reference."""
    file = root / "missions" / REFERENCE / "mission.yml"
    text = re.sub(r"^statut: \S+", f"statut: {status}", file.read_text(), flags=re.M)
    text += (f"\nreference:\n  publiable: {str(publiable).lower()}\n"
             f"  resume: {json.dumps(summary, ensure_ascii=False)}\n  annee: 2026\n"
             f"  citation: {{texte: {json.dumps(QUOTE, ensure_ascii=False)}, role: {ROLE}}}\n")
    file.write_text(text)
    return root


def build(root: Path):
    return run("build", "-q", "--no-pdf", root=root)


def page(root: Path, rel: str) -> str:
    return " ".join((root / "site" / rel).read_text().split())


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    from conftest import suite_environment

    with suite_environment():
        root = with_reference(copy_project(tmp_path_factory.mktemp("ref")))
        result = build(root)
        assert result.code == 0, result.err
    return root


def test_a_consented_reference_is_on_the_references_page_and_the_home_page(published):
    html = page(published, "references/index.html")
    for text in ("Ville de Montclair-sur-Vienne", "Commune", "2026", "consulter"):
        assert text in html
    assert "Un marché couvert repensé avec ses usagers" in html
    assert "Les habitants ont été entendus" in html and ROLE in html
    home = page(published, "index.html")
    assert "Ville de Montclair-sur-Vienne" in home and 'href="references/"' in home
    assert home.index("Ils nous ont fait confiance") < home.index("Parlons de votre projet")
    assert "amoor:references" not in home


def test_a_reference_shows_nothing_else_of_the_mission(published):
    html = page(published, "references/index.html")
    for private in ("Réaménagement de la place du Marché", "Stand sur le marché",
                    "Commerçants non sédentaires", "Rénovation de l'école des Tilleuls"):
        assert private not in html


@pytest.mark.parametrize("planted", [
    "Réaménagement de la place du Marché",          # the mission's private title
    "Commerçants non sédentaires du marché",        # a stakeholder
    "Stand sur le marché et questionnaire",         # a scenario
    "Rénovation de l'école des Tilleuls",           # the same client's other mission
    "Montclair-sur-Vienne",                         # the name without its kind, alone
])
def test_the_missions_private_details_in_public_still_fail_the_build(tmp_path, planted):
    root = with_reference(copy_project(tmp_path / "p"))
    file = root / "docs" / "contact.md"
    file.write_text(file.read_text() + f"\n\nÀ lire : {planted}.\n")
    result = build(root)
    assert result.code != 0
    assert "contrôle de confidentialité" in result.err
    assert "contact/index.html contient" in result.err


def test_the_client_name_in_public_is_allowed_only_with_consent(tmp_path):
    root = copy_project(tmp_path / "p")
    file = root / "docs" / "contact.md"
    file.write_text(file.read_text() + "\n\nRéférence : Ville de Montclair-sur-Vienne.\n")
    assert build(root).code != 0
    assert build(with_reference(root)).code == 0


@pytest.mark.parametrize("change", [{"publiable": False}, {"status": "en-cours"}])
def test_a_withdrawn_or_unfinished_reference_is_gone_at_the_next_build(tmp_path, change):
    root = with_reference(copy_project(tmp_path / "p"))
    assert build(root).code == 0
    assert "Montclair" in page(root, "references/index.html")
    fresh = copy_project(tmp_path / "r")
    (root / "missions" / REFERENCE / "mission.yml").write_text(
        with_reference(fresh, **change).joinpath(
            "missions", REFERENCE, "mission.yml").read_text())
    assert build(root).code == 0
    public = [p for p in (root / "site").rglob("*") if p.is_file()
              and not p.relative_to(root / "site").as_posix().startswith(("d/", "c/"))]
    for file in public:
        if file.suffix in (".html", ".json", ".xml", ".txt"):
            assert "Montclair" not in file.read_text(errors="replace"), file


def test_check_says_why_a_consented_reference_is_not_on_the_site(tmp_path):
    root = with_reference(copy_project(tmp_path / "p"), status="en-cours")
    result = run("check", root=root)
    assert result.code == 0
    said = [line for line in (result.out + result.err).splitlines()
            if "reference.publiable" in line]
    assert len(said) == 1 and f"missions/{REFERENCE}/mission.yml:" in said[0], said
    assert "pas encore terminée" in said[0] and "« en-cours »" in said[0]
    finished = with_reference(copy_project(tmp_path / "q"))
    again = run("check", root=finished)
    assert "reference.publiable" not in again.out + again.err


def test_a_summary_naming_another_client_fails_the_build(tmp_path):
    root = with_reference(copy_project(tmp_path / "p"),
                          summary="Comme pour le Département du Val-d'Orbière.")
    result = build(root)
    assert result.code != 0
    assert "références/index.html" in result.err or "references/index.html" in result.err
    assert "val-d'orbière" in result.err


def test_hostile_reference_text_is_escaped(tmp_path):
    root = with_reference(copy_project(tmp_path / "p"),
                          summary='<script>alert(1)</script> [lien](javascript:alert(1))')
    assert build(root).code == 0
    html = (root / "site" / "references" / "index.html").read_text()
    assert "<script>alert(1)" not in html and 'href="javascript:' not in html


def test_a_reference_keeps_the_same_client_in_its_own_dossier(published):
    """The other mission of the consenting client is still built (its dossier intact)."""
    links = json.loads(run("links", "--json", root=published).out)
    assert {r["slug"] for r in links} >= {REFERENCE, SAME_CLIENT}
