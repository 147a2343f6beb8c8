"""The consultant's real use: real links only, no traceback ever, a complete export."""

from __future__ import annotations

import errno
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PROTECTED, REFERENCE, SECRET, copy_project, pdf_text, run, words
from pages import read

# --------------------------------------------------------- links that are the published ones


def test_links_refuse_a_key_made_on_this_machine(tmp_path, monkeypatch):
    root = copy_project(tmp_path / "p")
    monkeypatch.delenv("AMOOR_SECRET")
    built = run("build", "--no-pdf", "-q", root=root)
    assert built.code == 0
    assert "clé locale" in built.err and "ne sont pas ceux de la production" in built.err
    for args in (["links"], ["links", "--json"]):
        result = run(*args, root=root)
        assert result.code == 1
        assert "https://" not in result.out and "d/" not in result.out
        assert "AMOOR_SECRET" in result.err and ".amoor/secret" in result.err


def test_links_use_the_production_key_from_the_environment_or_its_file(tmp_path, monkeypatch):
    root = copy_project(tmp_path / "p")
    from_env = run("links", root=root)
    assert from_env.code == 0 and "https://www.amoor.fr/d/" in from_env.out
    monkeypatch.delenv("AMOOR_SECRET")
    (root / ".amoor").mkdir()
    (root / ".amoor" / "secret").write_text(SECRET + "\n")
    from_file = run("links", root=root)
    assert from_file.code == 0 and from_file.out == from_env.out


def test_amoor_secret_prints_a_strong_new_key(tmp_path):
    first = run("secret", root=tmp_path)
    second = run("secret", root=tmp_path)
    assert first.code == 0 and len(first.out.strip()) >= 43
    assert first.out != second.out and "AMOOR_SECRET" in first.err


# ------------------------------------------------------------------ no traceback, ever

def _subprocess_build(root: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "--root", str(root), "build",
                           "-q"], env={**os.environ, **env}, capture_output=True, text=True,
                          timeout=300)


@pytest.mark.parametrize("hidden", ["Mont&shy;clair-sur-Vienne", "Montclair&#8203;-sur-Vienne"])
def test_the_privacy_check_of_pdfs_needs_no_system_tool(tmp_path, hidden):
    """No ``pdftotext`` (nor anything else) on PATH: the site builds, PDFs included, and a
    client's name hidden by an invisible character in a public PDF still stops it."""
    from weasyprint import HTML

    root = copy_project(tmp_path / "p")
    empty = tmp_path / "bin"
    empty.mkdir()
    assert _subprocess_build(root, PATH=str(empty)).returncode == 0
    before = sorted(p.relative_to(root) for p in (root / "site").rglob("*.pdf"))
    assert len(before) > 5
    HTML(string=f"<p>Annexe : Ville de {hidden}.</p>").write_pdf(root / "docs" / "annexe.pdf")
    done = _subprocess_build(root, PATH=str(empty))
    assert done.returncode == 1, done.stdout
    assert "Traceback" not in done.stderr + done.stdout
    assert "annexe.pdf contient « ville de montclair-sur-vienne »" in done.stderr
    assert sorted(p.relative_to(root) for p in (root / "site").rglob("*.pdf")) == before


def test_missing_pango_is_one_clear_line(tmp_path, monkeypatch):
    root = copy_project(tmp_path / "p")
    monkeypatch.setitem(sys.modules, "weasyprint", None)     # as when Pango cannot load
    result = run("build", root=root)
    assert result.code == 1
    assert "Pango" in result.err and "--no-pdf" in result.err
    assert "Traceback" not in result.err
    assert run("build", "--no-pdf", "-q", root=root).code == 0


@pytest.mark.parametrize("error, said", [
    (OSError(errno.ENOSPC, "No space left on device", "/site/d/x/index.html"),
     "plus de place sur le disque : /site/d/x/index.html"),
    (PermissionError(errno.EACCES, "Permission denied", "/site"), "permission refusée : /site"),
])
def test_disk_full_or_permission_denied_is_one_clear_line(tmp_path, monkeypatch, error, said):
    from generator.engine.build import Engine

    root = copy_project(tmp_path / "p")
    assert run("build", "--no-pdf", "-q", root=root).code == 0
    before = sorted(p.relative_to(root) for p in (root / "site").rglob("*"))

    def fail(self, dossier, site_dir):
        raise error

    monkeypatch.setattr(Engine, "build_dossier", fail)
    result = run("build", "--no-pdf", root=root)
    assert result.code == 1
    assert result.err.splitlines()[0] == f"Erreur : {said}"
    assert "site précédent est inchangé" in result.err and "Traceback" not in result.err
    assert sorted(p.relative_to(root) for p in (root / "site").rglob("*")) == before


def test_a_bug_is_one_line_and_debug_shows_the_trace(tmp_path, monkeypatch):
    from generator.engine.build import Engine

    root = copy_project(tmp_path / "p")

    def fail(self, site_dir, offers, *more):
        raise ValueError("inattendu")

    monkeypatch.setattr(Engine, "build_public", fail)
    result = run("build", "--no-pdf", root=root)
    assert result.code == 1 and "Traceback" not in result.err
    assert "erreur inattendue (ValueError : inattendu)" in result.err and "--debug" in result.err
    with pytest.raises(ValueError):
        run("--debug", "build", "--no-pdf", root=root)


def test_other_theme_markup_does_not_lose_the_pdfs(tmp_path):
    """PDFs print the captured page content, not the theme's page: a theme whose article
    is marked up differently prints the same documents."""
    root = copy_project(tmp_path / "p")
    (root / "overrides" / "dossier.html").write_text(
        '{% extends "main.html" %}\n{% block content %}<div class="autre-theme">'
        "{{ page.content }}</div>{% endblock %}\n")
    result = run("build", "-q", root=root)
    assert result.code == 0, result.err
    links = json.loads(run("links", "--json", root=root).out)
    folder = root / "site" / next(r["url"] for r in links if r["slug"] == REFERENCE)
    assert 'class="autre-theme"' in (folder / "cartographie" / "index.html").read_text()
    text = words(pdf_text(folder / "dossier.pdf"))
    assert "Cartographie des parties prenantes" in text and "7 675 € HT" in text


def test_check_without_a_mkdocs_yml_is_one_line(tmp_path):
    result = run("check", root=tmp_path)
    assert result.code == 1 and "mkdocs.yml introuvable" in result.err
    assert "Traceback" not in result.err


# ------------------------------------------------------------------- a complete export

def _mkdocs_build(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q"],
                          cwd=folder, capture_output=True, text=True,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})


def test_dossier_export_carries_every_file_its_pages_link_to(tmp_path):
    root = copy_project(tmp_path / "p")
    dest = tmp_path / "export"
    assert run("export", str(dest), "--dossier", REFERENCE, root=root).code == 0
    docs = dest / "docs"
    for name in ("agenda.ics", "dossier.pdf", "cahier-des-charges.pdf", "presentation.pdf"):
        assert (docs / name).is_file(), name
    assert "7 675 € HT" in words(pdf_text(docs / "dossier.pdf"))
    done = _mkdocs_build(dest)
    assert done.returncode == 0, done.stderr
    index = (dest / "site" / "index.html").read_text()
    for name in ("agenda.ics", "dossier.pdf"):
        assert f'href="{name}"' in index and (dest / "site" / name).is_file()
    # Every file the overview's downloads list links to is there, the zip included.
    downloads = re.findall(r'href="([^"/#:]+\.[a-z]+)"', index)
    assert "dossier-complet.zip" in downloads
    assert [name for name in downloads if not (dest / "site" / name).is_file()] == []


@pytest.mark.parametrize("title", ['Carte : « parties prenantes » #1', 'Le "plan" : #2 & co',
                                   "- liste ? non", "null", "yes: no"])
def test_export_writes_titles_with_yaml_punctuation(tmp_path, title):
    root = copy_project(tmp_path / "p")
    page = root / "missions" / REFERENCE / "cartographie.md"
    page.write_text(f"---\ntitre: {json.dumps(title)}\n---\n" + page.read_text())
    mission = root / "missions" / REFERENCE / "mission.yml"
    mission.write_text(mission.read_text().replace(
        "titre: Réaménagement de la place du Marché", f"titre: {json.dumps(title)}", 1))
    dest = tmp_path / "export"
    assert run("export", str(dest), "--dossier", REFERENCE, "--no-pdf", root=root).code == 0
    done = _mkdocs_build(dest)
    assert done.returncode == 0, done.stderr
    page = read(dest / "site" / "cartographie" / "index.html")
    assert words(page.title).startswith(words(title))
    assert words(title) in page.text


def test_a_protected_dossier_export_says_it_is_in_clear(tmp_path):
    root = copy_project(tmp_path / "p")
    result = run("export", str(tmp_path / "e"), "--dossier", PROTECTED, "--no-pdf", root=root)
    assert result.code == 0 and "exporté en clair" in result.err


def test_a_changed_offer_price_points_at_the_pages_that_still_say_the_old_one(tmp_path):
    """The consultant raises the offer's price in its front matter: the offer page and the
    brochure follow, the home page's hand-written « à partir de 5 000 € HT » does not.
    `amoor check` says where, line and column, even across two paragraphs."""
    root = copy_project(tmp_path / "p", missions=False)
    assert "prix" not in run("check", root=root).err
    offer = root / "docs" / "offres" / "concertation-pertinente.md"
    offer.write_text(offer.read_text().replace("a_partir_de: 5000", "a_partir_de: 5500", 1))
    (root / "docs" / "tarifs.md").write_text(
        "# Tarifs\n\nÀ partir de 5\u202f500&nbsp;€ HT : à jour.\n"
        "Option : 600 € HT par jour.\n")
    result = run("check", root=root)
    assert result.code == 0
    stale = [line for line in result.err.splitlines() if ": prix:" in line]
    assert [line.split(": attention")[0] for line in stale] == \
        ["docs/index.md:5:50", "docs/index.md:38:34", "docs/index.md:45:42"]
    assert all("5\u202f000\u00a0€\u00a0HT" in line and "5\u202f500\u00a0€\u00a0HT" in line
               for line in stale)
