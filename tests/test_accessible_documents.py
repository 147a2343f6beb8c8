"""Documents a public body can put online (RGAA 13.3): tagged PDF/UA-1, charts that speak."""

from __future__ import annotations

import html as html_module
import re
import subprocess

from pdfua import figures, outline, problems

from conftest import REFERENCE, STOPPED, copy_project, pdf_text, words
from pages import read

PAGE_ORDER = ["", "cartographie/", "parametres/", "scenarios/", "roi-citoyen/",
              "proposition-financiere/", "cahier-des-charges/"]   # dossier.pdf's sections
HIDDEN_ON_PAPER = {"Documents à télécharger"}


def documents(built) -> list:
    folder = built.dossier(REFERENCE)
    return [built.site / "brochure-concertation.pdf", built.dossier(STOPPED) / "dossier.pdf",
            *(folder / name for name in ("dossier.pdf", "cahier-des-charges.pdf",
                                         "presentation.pdf", "devis.pdf",
                                         "atelier-grilles.pdf"))]


def test_every_pdf_is_tagged_for_screen_readers(built):
    for path in documents(built):
        assert problems(path) == [], path.name
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
        assert re.search(r"^Tagged:\s+yes", info, re.M), path.name


def test_the_outline_follows_the_headings_of_the_pages(built):
    folder = built.dossier(REFERENCE)
    expected: list[tuple[int, str]] = [(0, "Réaménagement de la place du Marché"),
                                       (1, "Sommaire")]
    for url in PAGE_ORDER:
        page = read(folder / url / "index.html")
        expected.append((0, page.h1[0].rstrip("¶ ")))
        expected += [(1, h.rstrip("¶ ")) for h in page.h2
                     if h.rstrip("¶ ") not in HIDDEN_ON_PAPER]
    assert outline(folder / "dossier.pdf") == expected
    # Every document: its bookmarks in the order the text reads.
    for path in documents(built):
        text, at = words(pdf_text(path)), 0
        entries = outline(path)
        assert entries, path.name
        for _, title in entries:
            found = text.find(words(title), at)
            assert found >= 0, (path.name, title)
            at = found


def test_charts_speak_in_the_pages_and_in_the_pdf(built):
    folder = built.dossier(REFERENCE)
    alts = [words(a) for a in figures(folder / "dossier.pdf")]
    assert len(alts) == 2
    assert alts[0].startswith("Carte pouvoir / intérêt : 6 parties prenantes ; acteurs clés : "
                              "1. Maire et adjoints")
    assert alts[1].startswith("Attrait et utilité des scénarios")
    assert "scénario retenu" in alts[1]
    html = (folder / "cartographie" / "index.html").read_text()
    title = re.search(r'<title id="carte-titre">(.*?)</title>', html).group(1)
    assert words(html_module.unescape(title)) == alts[0]
    # The heat map and the progress timeline are HTML: a sentence says what they show,
    # on the page (tied to it) and on paper.
    roi = read(folder / "roi-citoyen" / "index.html").text
    assert "Carte de chaleur, score effectif de 0 à 4 : scénario B, du public le moins bien " \
           "servi (Jeunes du quartier, 2,325)" in roi
    assert 'aria-describedby="chaleur-resume"' in (folder / "roi-citoyen" /
                                                    "index.html").read_text()
    overview = read(folder / "index.html").text
    assert "Avancement : 4 étapes sur 5 faites ; en cours : Livrables : cahier des charges" \
        in overview
    printed = words(pdf_text(folder / "dossier.pdf"))
    assert "Avancement : 4 étapes sur 5 faites" in printed
    assert "non atteint : Jeunes du quartier" in printed
    # The deck: the same alternatives, and the data table the slide no longer shows.
    deck = [words(a) for a in figures(folder / "presentation.pdf")]
    assert [a.split(" Données : ")[0] for a in deck] == alts
    assert "Partie prenante : Maire et adjoints ; Quadrant : Acteurs clés." in deck[0]
    assert "Rang : 1 ; Scénario : B — Stand sur le marché et questionnaire" in deck[1]


def test_tagging_keeps_the_text_a_reader_extracts(tmp_path):
    """The same print HTML, untagged and tagged: pdftotext reads the same text. And the
    stylesheet parsed once per worker (a user stylesheet) lays the pages out as the
    document's own ``<style>`` would."""
    from weasyprint import HTML

    from generator.build.pipeline import dossier_jobs, make_dossiers, read_catalog
    from generator.content.project import Project
    from generator.documents.pdf import PrintJob, local_fetcher
    from generator.engine.build import Engine
    from generator.protection.keys import Keys, load_secret

    root = copy_project(tmp_path / "p")
    project = Project.find(root)
    keys = Keys(load_secret(root).value)
    dossier = next(d for d in make_dossiers(read_catalog(project), keys) if d.slug == REFERENCE)
    engine = Engine(project)
    try:
        folder = tmp_path / "site" / dossier.path
        built = engine.build_dossier(dossier, folder)
        jobs = [j for j in dossier_jobs(dossier, folder, built.capture, None)
                if isinstance(j, PrintJob)]
    finally:
        engine.close()
    assert len(jobs) == 5       # dossier, cahier, deck, devis, workshop grids
    for job in jobs:
        job.run()
        plain = tmp_path / f"plain-{job.output.name}"
        job.layout().write_pdf(plain)
        assert pdf_text(job.output) == pdf_text(plain), job.output.name
        inline = tmp_path / f"inline-{job.output.name}"
        HTML(string=job.html.replace("</head>", f"<style>{job.css}</style></head>"),
             base_url=folder.as_uri() + "/", url_fetcher=local_fetcher(job.root)
             ).write_pdf(inline)
        assert pdf_text(inline) == pdf_text(plain), job.output.name
        assert problems(job.output) == [] and problems(plain) != []


def test_the_editable_deck_reads_in_order_with_the_same_alternatives(built):
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    folder = built.dossier(REFERENCE)
    deck = Presentation(folder / "presentation.pptx")
    descriptions = []
    for slide in deck.slides:
        shapes = list(slide.shapes)
        assert shapes[0].shape_id == slide.shapes.title.shape_id      # the title first
        body = shapes[1:]
        # Then the slide from top to bottom, left to right within a row.
        assert [(s.top, s.left) for s in body] == sorted((s.top, s.left) for s in body), \
            slide.shapes.title.text
        descriptions += [s._element.xpath("./p:nvPicPr/p:cNvPr")[0].get("descr")
                         for s in body if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert [words(d) for d in descriptions] == [words(a) for a in
                                                figures(folder / "presentation.pdf")]
