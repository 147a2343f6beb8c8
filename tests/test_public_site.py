"""The public site as a visitor (and a search engine) sees it."""

from __future__ import annotations

import json
import re

from conftest import copy_project, pdf_text, run, words

NNBSP, NBSP = "\u202f", "\u00a0"


def offer_html(built) -> str:
    return (built.site / "offres" / "concertation-pertinente" / "index.html").read_text()


def test_offer_page_shows_price_in_french_format(built):
    html = offer_html(built)
    assert f"5{NNBSP}000{NBSP}€{NBSP}HT" in html
    assert "À partir de" in html
    assert "8</strong> jours de mission" in html
    assert "1</strong> atelier" in html
    assert "4</strong> livrables" in html
    assert f"TVA de 20{NBSP}%" in html and f"6{NNBSP}000{NBSP}€ TTC" in html


def test_offer_page_lists_options_conditions_and_steps(built):
    html = offer_html(built)
    for label, price in [("Enquête de terrain auprès des habitants", "625"),
                         ("Entretiens complémentaires", "350"),
                         ("Animation de la démarche après la mission", "625")]:
        row = re.search(rf"<tr><th scope=\"row\">{label}</th>.*?</tr>", html)
        assert row, label
        assert f"{price}{NBSP}€{NBSP}HT" in row.group(0)
    assert "le forfait est divisé par deux" in html
    assert f"2{NNBSP}500{NBSP}€{NBSP}HT" in html
    steps = re.findall(r'<h3 class="amoor-timeline__title">.*?</span>(.*?)</h3>', html)
    assert steps == ["Cadrage", "Travail de préparation",
                     f"Livrables{NBSP}: parties prenantes et paramètres de concertation",
                     f"Atelier «{NBSP}R.O.I. citoyen{NBSP}»",
                     f"Livrables{NBSP}: cahier des charges et éléments de présentation"]


def test_offer_page_has_service_structured_data(built):
    html = offer_html(built)
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(block.group(1))
    assert data["@type"] == "Service"
    assert data["offers"]["price"] == "5000"
    assert data["offers"]["priceCurrency"] == "EUR"


def test_contact_page_keeps_the_email_obfuscated(built):
    html = (built.site / "contact" / "index.html").read_text()
    assert "contact[@]olivierryckewaert.net" in html
    assert "contact@olivierryckewaert.net" not in html
    assert "06 32 55 05 30" in html.replace(NBSP, " ")
    assert "olivier-ryckewaert" in html and "oliv_ryckewaert" in html
    assert "amoor.fr" in html


def test_site_is_french_and_fetches_nothing_from_the_network(built):
    for page in built.site.glob("**/index.html"):
        if "/d/" in page.as_posix():
            continue
        html = page.read_text()
        assert '<html lang="fr"' in html
        assert "fonts.googleapis.com" not in html and "fonts.gstatic.com" not in html
        assert not re.search(r'<script[^>]+src="https?://'
                             r'|<link rel="(stylesheet|preconnect|icon)"[^>]+href="https?://',
                             html), page


def test_pages_exist(built):
    for name in ("", "offres/concertation-pertinente/", "roi-citoyen/", "contact/",
                 "accessibilite/", "mentions-legales/"):
        assert (built.site / name / "index.html").is_file(), name


def test_brochure_pdf_has_every_fact_of_the_offer(built):
    html = offer_html(built)
    assert 'href="../../brochure-concertation.pdf"' in html
    text = words(pdf_text(built.site / "brochure-concertation.pdf"))
    for fact in ["Construire une concertation pertinente",
                 "Choisir ses modalités en fonction des enjeux",
                 f"5{NNBSP}000{NBSP}€ HT", "8 jours de mission", "1 atelier",
                 "4 livrables", "Enquête de terrain auprès des habitants",
                 "Entretiens complémentaires", "Animation de la démarche après la mission",
                 "divisé par deux", "Cadrage", "Travail de préparation",
                 "parties prenantes et paramètres de concertation", "R.O.I. citoyen",
                 "cahier des charges et éléments de présentation",
                 "contact[@]olivierryckewaert.net", "06 32 55 05 30", "amoor.fr"]:
        assert words(fact) in text, fact


def test_plain_mkdocs_build_is_strict_clean(tmp_path):
    import subprocess
    import sys

    root = copy_project(tmp_path / "p", missions=False)
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q",
                           "-d", str(tmp_path / "out")], cwd=root, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    assert "WARNING" not in done.stderr
    assert (tmp_path / "out" / "brochure-concertation.pdf").is_file()


def _break_offer(root, old: str, new: str) -> None:
    page = root / "docs" / "offres" / "concertation-pertinente.md"
    text = page.read_text()
    assert old in text
    page.write_text(text.replace(old, new, 1))


def test_broken_offer_names_file_line_and_key(tmp_path):
    root = copy_project(tmp_path / "p", missions=False)
    _break_offer(root, "a_partir_de: 5000", "a_partir_de: cinq mille")
    result = run("build", "--no-pdf", root=root)
    assert result.code == 1
    lines = (root / "docs/offres/concertation-pertinente.md").read_text().splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "a_partir_de" in text)
    column = lines[line - 1].index("cinq") + 1
    assert (f"docs/offres/concertation-pertinente.md:{line}:{column}: offre.prix.a_partir_de: "
            "un nombre est attendu") in result.err
    assert "Traceback" not in result.err + result.out
    assert not (root / "site").exists()


def test_broken_offer_yaml_and_unknown_key(tmp_path):
    root = copy_project(tmp_path / "p", missions=False)
    _break_offer(root, "  titre: Construire", "  titres: Construire")
    result = run("check", root=root)
    assert result.code == 1
    assert "offre.titres: clé inconnue ; vouliez-vous dire « titre » ?" in result.err
    _break_offer(root, "forfait: true", "forfait: [true")
    result = run("check", root=root)
    assert result.code == 1 and "YAML invalide" in result.err
    assert "concertation-pertinente.md:" in result.err
