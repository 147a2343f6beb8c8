"""Private dossiers as a client sees them: pages, figures, PDFs, links."""

from __future__ import annotations

import json
import re

from conftest import PROTECTED, REFERENCE, SAME_CLIENT, SECRET, STOPPED, pdf_text, run, words
from pages import read, targets

NNBSP, NBSP = "\u202f", "\u00a0"
PAGES = {"": "Vue d'ensemble", "cartographie/": "Cartographie des parties prenantes",
         "parametres/": "Paramètres de la concertation", "scenarios/": "Scénarios",
         "roi-citoyen/": "R.O.I. citoyen", "proposition-financiere/": "Proposition financière",
         "cahier-des-charges/": "Cahier des charges", "presentation/": "Présentation"}


def page(built, url: str, slug: str = REFERENCE) -> str:
    return (built.dossier(slug) / url / "index.html").read_text()


def test_links_lists_every_mission_with_a_token_url(built):
    rows = {r["slug"]: r for r in built.links}
    assert set(rows) == {PROTECTED, REFERENCE, SAME_CLIENT, STOPPED}
    ref = rows[REFERENCE]
    assert ref["client"] == "Ville de Montclair-sur-Vienne" and ref["statut"] == "en-cours"
    assert re.fullmatch(r"d/[a-z2-7]{32}/", ref["url"])
    documents = ("dossier.pdf", "cahier-des-charges.pdf", "presentation.pdf",
                 "presentation.pptx", "devis.pdf", "atelier-grilles.pdf", "dossier-complet.zip",
                 "agenda.ics", "atelier-roi-citoyen.html")
    assert ref["fichiers"] == [ref["url"] + n for n in documents]
    assert ref["pdfs"] == [ref["url"] + n for n in documents if n.endswith(".pdf")]
    assert len({r["url"] for r in rows.values()}) == 4


def test_token_is_the_hmac_of_the_design(built):
    import base64
    import hashlib
    import hmac

    digest = hmac.new(SECRET.encode(), b"dossier-url-v1\0" + REFERENCE.encode(),
                      hashlib.sha256).digest()
    expected = base64.b32encode(digest[:20]).decode().lower()
    assert next(r["url"] for r in built.links if r["slug"] == REFERENCE) == f"d/{expected}/"


def test_every_dossier_page_exists_private_and_links_only_its_own_pages(built):
    folder = built.dossier(REFERENCE)
    prefix = folder.relative_to(built.site).as_posix() + "/"
    for url, title in PAGES.items():
        file = folder / url / "index.html"
        doc = read(file)
        assert doc.title.startswith(title), (url, doc.title)
        assert [h.rstrip("¶ ") for h in doc.h1] == [
            "Réaménagement de la place du Marché" if url == "" else title], url
        assert doc.meta["robots"].startswith("noindex, nofollow")
        assert doc.meta["referrer"] == "no-referrer"
        linked = targets(built.site, file, doc)
        portal = next(r["portail"] for r in built.links if r["slug"] == REFERENCE)
        outside = [t for t in linked if not t.startswith(prefix)]
        assert outside == ([portal] if url == "" else []), url   # its client's portal
        assert {prefix + u for u in PAGES} <= set(linked), url   # its menu: every page
        assert "Vernillon" not in doc.text and "Orbière" not in doc.text


def test_overview_shows_status_steps_and_downloads(built):
    html = page(built, "")
    assert "Ville de Montclair-sur-Vienne" in html and "En cours" in html
    assert "7 septembre 2026" in html and "15 octobre 2026" in html
    assert f"7{NNBSP}675{NBSP}€{NBSP}HT" in html
    for name in ("dossier.pdf", "cahier-des-charges.pdf", "presentation.pdf",
                 "presentation.pptx", "devis.pdf", "atelier-grilles.pdf", "dossier-complet.zip",
                 "agenda.ics", "atelier-roi-citoyen.html"):
        assert f'href="{name}"' in html


def test_financial_proposal_matches_expected(built):
    html = page(built, "proposition-financiere/")
    for amount in ("5{n}000{s}€", "1{n}875{s}€", "800{s}€", "7{n}675{s}€{s}HT",
                   "1{n}535{s}€", "9{n}210{s}€ TTC"):
        assert amount.format(n=NNBSP, s=NBSP) in html, amount
    assert "400" in html and "Entretiens complémentaires" in html
    assert "2" + NNBSP + "500" + NBSP + "€" in html  # the stop clause, spelled out


def test_stakeholder_map_is_inline_svg_with_a_table(built):
    html = page(built, "cartographie/")
    assert html.count('role="img" aria-labelledby="carte-titre"') == 1
    quadrant_of = dict(re.findall(r'<th scope="row">(.*?)(?: <span.*?</span>)?</th>.*?'
                                  r'data-quadrant="([a-z-]+)"', html))
    assert quadrant_of == {"Maire et adjoints": "acteurs-cles",
                           "Services techniques": "a-satisfaire",
                           "Commerçants non sédentaires du marché": "a-impliquer",
                           "Riverains de la place": "a-impliquer",
                           "Jeunes du quartier": "a-informer",
                           "Architecte des Bâtiments de France": "a-satisfaire"}
    assert "éloigné" in html


def test_roi_page_ranks_and_flags(built):
    html = page(built, "roi-citoyen/")
    ranking = re.findall(r'<td class="amoor-num">(\d)</td><th scope="row">([ABC]) —', html)
    assert ranking == [("1", "B"), ("2", "A"), ("3", "C")]
    assert "2,725" in html and "2,667" in html and "1,558" in html and "1,567" in html
    assert html.count("non atteint</span>") == 2
    assert "retenu" in html and html.count('aria-labelledby="roi-plot-titre"') == 1


def test_scenarios_and_parameters_pages(built):
    html = page(built, "scenarios/")
    for level in ("informer", "consulter", "collaborer"):
        assert f'class="is-active" aria-current="true">{level}' in html
    assert f"12{NNBSP}000{NBSP}€{NBSP}HT" in html
    params = page(built, "parametres/")
    assert "Conseil municipal" in params and "Salle des fêtes" in params
    assert "Sur la place, jour de marché" in params
    assert "Chaque contribution reçoit une réponse écrite dans le bilan" in params


def test_cahier_des_charges_combines_markdown_and_retained_scenario(built):
    html = page(built, "cahier-des-charges/")
    assert "Objet de la prestation" in html and "Stand sur le marché et questionnaire" in html
    assert f"6{NNBSP}000{NBSP}€{NBSP}HT" in html


def test_dossier_pdfs_have_titles_figures_and_nothing_else(built):
    folder = built.dossier(REFERENCE)
    dossier = words(pdf_text(folder / "dossier.pdf"))
    for title in list(PAGES.values())[:-1]:
        assert title in dossier, title
    assert "Sommaire" in dossier
    for fact in ("7 675 € HT", "1 535 €", "9 210 € TTC", "2,725", "Conseil municipal",
                 "Ville de Montclair-sur-Vienne"):
        assert fact in dossier, fact
    for other in ("Vernillon", "Orbière", "Ravergue"):
        assert other not in dossier
    cahier = words(pdf_text(folder / "cahier-des-charges.pdf"))
    assert "Objet de la prestation" in cahier and "Stand sur le marché" in cahier


def test_stopped_mission_is_half_price(built):
    html = page(built, "proposition-financiere/", "val-d-orbiere-pont-de-ravergue")
    assert "Clause appliquée" in html
    assert f"2{NNBSP}500{NBSP}€" in html


def test_show_json_matches_expected_figures(built):
    data = json.loads(run("show", REFERENCE, "--json", root=built.root).out)
    assert data["prix"]["total_ht"] == "7675.00" and data["prix"]["tva"] == "1535.00"
    assert data["prix"]["total_ttc"] == "9210.00"
    assert data["prix"]["options"][1] == {"ref": "entretiens", "quantite": "2",
                                          "prix_unitaire_ht": "400.00", "montant_ht": "800.00"}
    assert data["quadrants"]["abf"] == "a-satisfaire"
    roi = data["roi"]
    assert roi["classement"] == ["B", "A", "C"] and roi["scenario_retenu"] == "B"
    assert roi["scenarios"]["B"]["score_min"] == 2.725
    assert abs(roi["scenarios"]["A"]["score_moyen"] - 1.558) < 1e-3
    assert roi["scenarios"]["C"]["publics"]["commercants"] == {
        "score": 2.25, "effectif": 0.0, "non_atteint": True}


def test_show_prints_the_same_figures_in_french(built):
    text = run("show", REFERENCE, root=built.root).out
    assert f"Total : 7{NNBSP}675{NBSP}€ HT, TVA 1{NNBSP}535{NBSP}€, 9{NNBSP}210{NBSP}€ TTC" in text
    assert "Entretiens" in text and f"2 × 400{NBSP}€ = 800{NBSP}€ HT" in text
    assert "1. scénario B (retenu) : min 2,725" in text


def test_show_unknown_mission(built):
    result = run("show", "inconnue", root=built.root)
    assert result.code == 1 and "mission inconnue : inconnue" in result.err
    assert "Traceback" not in result.err


def test_protected_dossier_pdfs_are_sealed(built):
    folder = built.dossier(PROTECTED)
    assert not list(folder.glob("*.pdf"))
    assert sorted(p.name for p in folder.glob("*.enc")) == [
        "agenda.ics.enc", "atelier-grilles.pdf.enc", "cahier-des-charges.pdf.enc", "devis.pdf.enc",
        "dossier-complet.zip.enc", "dossier.pdf.enc", "presentation.pdf.enc",
        "presentation.pptx.enc"]


def test_pdfs_have_running_headers_page_numbers_and_no_blank_page(built):
    folder = built.dossier(REFERENCE)
    for pdf in [folder / "dossier.pdf", folder / "cahier-des-charges.pdf",
                built.site / "brochure-concertation.pdf"]:
        pages = pdf_text(pdf).split("\f")[:-1]
        assert len(pages) >= 2, pdf
        for number, text in enumerate(pages[1:], start=2):
            assert f"Page {number} / {len(pages)}" in text, (pdf.name, number)
            lines = [line for line in text.splitlines() if line.strip()]
            assert len(lines) >= 4, (pdf.name, number, lines)  # header, footer and content
    dossier = pdf_text(folder / "dossier.pdf").split("\f")
    assert "Ville de Montclair-sur-Vienne — Dossier de mission" in dossier[4]  # running title
    assert "Cartographie des parties prenantes" in dossier[4].splitlines()[0]
