"""The client's deliverables: the projectable deck (PDF and PPTX), the devis, one typeface."""

from __future__ import annotations

import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from conftest import (
    FIXTURE,
    PROTECTED,
    REFERENCE,
    SAME_CLIENT,
    STOPPED,
    copy_project,
    pdf_text,
    run,
    words,
)

NNBSP, NBSP = "\u202f", "\u00a0"


# ------------------------------------------------------------------------------ the deck

def page_size(pdf: Path) -> tuple[float, float]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    return width, height


class _Words(HTMLParser):
    """``pdftotext -bbox`` output: each word with its box, page by page."""

    def __init__(self) -> None:
        super().__init__()
        self.pages: list[list[tuple[str, float, float]]] = []
        self.box: tuple[float, float] | None = None

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "page":
            self.pages.append([])
        elif tag == "word":
            self.box = float(values["ymin"]), float(values["ymax"])

    def handle_data(self, data):
        if self.box is not None and data.strip():
            self.pages[-1].append((data.strip(), *self.box))
            self.box = None


def words_with_boxes(pdf: Path) -> list[list[tuple[str, float, float]]]:
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    parser = _Words()
    parser.feed(out)
    return parser.pages


def type_sizes(pdf: Path) -> list[list[tuple[str, float, float]]]:
    """Each printed character of each page with its type size in points, as drawn (the
    font size times the scale of its matrix: a chart's SVG labels are scaled with the
    drawing), and the height of its top above the page's bottom edge. PDFium's own
    reading: a turned axis title has its size, not the width of its words."""
    import ctypes
    import math

    import pypdfium2
    import pypdfium2.raw as raw

    pages = []
    document = pypdfium2.PdfDocument(pdf)
    matrix = raw.FS_MATRIX()
    for page in document:
        text, found = page.get_textpage(), []
        for i in range(text.count_chars()):
            char = chr(raw.FPDFText_GetUnicode(text, i))
            if char.isspace() or not char.isprintable():
                continue
            raw.FPDFText_GetMatrix(text, i, ctypes.byref(matrix))
            size = raw.FPDFText_GetFontSize(text, i) * math.sqrt(
                abs(matrix.a * matrix.d - matrix.b * matrix.c))
            found.append((char, size, text.get_charbox(i)[3]))
        pages.append(found)
    return pages


def test_deck_is_16_9_with_no_body_text_under_18_points(built):
    smallest = []
    for slug in (REFERENCE, SAME_CLIENT, STOPPED):
        pdf = built.dossier(slug) / "presentation.pdf"
        width, height = page_size(pdf)
        assert abs(width / height - 16 / 9) < 0.01, (slug, width, height)
        for number, page in enumerate(type_sizes(pdf), start=1):
            body = [(char, round(size, 2)) for char, size, top in page if top > 40]
            footer = [size for _, size, top in page if top <= 40]   # the footer excepted
            assert footer and body, (slug, number)
            small = [(char, size) for char, size in body if size < 17.95]
            assert small == [], (slug, number, small[:10])
            smallest.append(min(size for _, size in body))
    assert min(smallest) >= 17.95


def test_no_slide_body_is_more_than_two_thirds_empty(built):
    """What a slide shows covers at least a third of its body: the box around every
    character between the title (36 pt) and the footer, against the body (the slide's
    width inside its 20 mm margins, from the title's foot to the footer's top). Not the
    title slide, laid out on its own."""
    import ctypes
    import math

    import pypdfium2
    import pypdfium2.raw as raw

    margin = 20 / 25.4 * 72
    matrix = raw.FS_MATRIX()
    for slug in (REFERENCE, SAME_CLIENT, STOPPED):
        document = pypdfium2.PdfDocument(built.dossier(slug) / "presentation.pdf")
        for number, page in enumerate(document, start=1):
            if number == 1:
                continue
            text = page.get_textpage()
            title, footer, body = [], [], []
            for i in range(text.count_chars()):
                if chr(raw.FPDFText_GetUnicode(text, i)).isspace():
                    continue
                raw.FPDFText_GetMatrix(text, i, ctypes.byref(matrix))
                size = raw.FPDFText_GetFontSize(text, i) * math.sqrt(
                    abs(matrix.a * matrix.d - matrix.b * matrix.c))
                box = text.get_charbox(i, loose=True)          # left, bottom, right, top
                (footer if box[3] <= 40 else title if size >= 35.9 else body).append(box)
            area = (page.get_width() - 2 * margin) * (min(b[1] for b in title)
                                                      - max(b[3] for b in footer))
            covered = (max(b[2] for b in body) - min(b[0] for b in body)) * \
                (max(b[3] for b in body) - min(b[1] for b in body))
            assert covered / area >= 1 / 3, (slug, number, round(covered / area, 2))


def chart_boxes(pdf: Path) -> list[tuple[int, tuple[float, float, float, float], str]]:
    """Each figure of the tagged PDF: its page, its box in points from the page's top
    left, and its text alternative. The structure tree's ``/BBox`` is the drawing's own
    layout box (WeasyPrint writes it in CSS pixels: 0.75 pt)."""
    import pikepdf

    found = []
    with pikepdf.open(pdf) as document:
        pages = {page.objgen: i for i, page in enumerate(document.pages, start=1)}
        stack = [document.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if not isinstance(node, pikepdf.Dictionary):
                continue
            if node.get("/S") == "/Figure":
                x0, y0, x1, y1 = (float(v) * 0.75 for v in node.A.BBox)
                found.append((pages[node.Pg.objgen], (x0, y0, x1, y1), str(node.Alt)))
            kids = node.get("/K")
            if kids is not None:
                stack.extend(kids if isinstance(kids, pikepdf.Array) else [kids])
    return sorted(found, key=lambda f: f[0])


def test_the_chart_is_the_slide(built):
    """Chart slides: the drawing (plot and key) takes at least half of the body, the
    body being the slide's width inside its margins (20 mm) between the title's last
    line and the footer's rule; the data table is not on the slide but in the chart's
    text alternative."""
    for slug in (REFERENCE, STOPPED):
        mission = yaml.safe_load((FIXTURE / "missions" / slug / "mission.yml").read_text())
        pdf = built.dossier(slug) / "presentation.pdf"
        width, height = page_size(pdf)
        pages = words_with_boxes(pdf)
        charts = chart_boxes(pdf)
        assert len(charts) == (2 if slug == REFERENCE else 1), slug   # no R.O.I. if stopped
        for number, (x0, y0, x1, y1), alt in charts:
            words_on = pages[number - 1]
            title = max(bottom for _, top, bottom in words_on if bottom <= y0 + 1)
            footer = min(top for _, top, _ in words_on if top >= height - 40)
            margin = 20 / 25.4 * 72
            body = (width - 2 * margin) * (footer - title)
            ratio = (x1 - x0) * (y1 - y0) / body
            assert ratio >= 0.5, (slug, number, ratio)
            assert "Données :" in alt
        text = pdf_text(pdf)
        assert "les données du graphique" not in text      # no table beside the chart
        alts = " ".join(alt for *_, alt in charts)
        for stakeholder in mission["parties_prenantes"]:
            assert stakeholder["libelle"] in alts, stakeholder["libelle"]


def test_deck_has_the_stakeholder_map_and_the_roi_plot(built):
    pages = pdf_text(built.dossier(REFERENCE) / "presentation.pdf").split("\f")
    titles = [words(p).split(" ")[0:3] for p in pages]
    assert any("Intérêt pour le projet" in words(p) and "Qui est concerné" in words(p)
               for p in pages), titles
    assert any("Attrait pour les citoyens" in words(p) and "Pourquoi ce scénario" in words(p)
               for p in pages)
    text = words(pdf_text(built.dossier(REFERENCE) / "presentation.pdf"))
    for fact in ("Ville de Montclair-sur-Vienne", "Ce qui est ouvert, ce qui est fixé",
                 "Stand sur le marché et questionnaire", "Calendrier", "Nos engagements",
                 "Contact", "15 octobre 2026"):
        assert fact in text, fact


def test_a_proposition_without_scenarios_still_reads_well(built):
    pdf = built.dossier(SAME_CLIENT) / "presentation.pdf"
    pages = [words(p) for p in pdf_text(pdf).split("\f") if p.strip()]
    assert "Comment le scénario sera choisi" in " ".join(pages)
    assert "Notre démarche" in " ".join(pages)
    # Every slide says something beyond its title and footer.
    for page in pages:
        assert len(page.split(" ")) > 12, page


def test_long_lists_split_into_slides_and_nothing_is_clipped(tmp_path):
    root = copy_project(tmp_path / "p")
    mission = root / "missions" / REFERENCE / "mission.yml"
    items = "".join(f"    - Point négociable numéro {i}, décrit en une phrase assez longue "
                    f"pour occuper une ligne entière de diapositive\n" for i in range(1, 17))
    text = mission.read_text().replace(
        "  negociable:\n    - La répartition entre stationnement et espace piéton\n",
        "  negociable:\n" + items, 1)
    mission.write_text(text)
    assert run("build", "-q", root=root).code == 0
    links = json.loads(run("links", "--json", root=root).out)
    folder = root / "site" / next(r["url"] for r in links if r["slug"] == REFERENCE)
    pdf = folder / "presentation.pdf"
    pages = pdf_text(pdf).split("\f")[:-1]
    continued = [p for p in pages if "Ce qui est ouvert, ce qui est fixé (suite)" in p]
    assert len(continued) >= 2
    numbers = [re.search(r"(\d+) / (\d+)", p).groups() for p in pages]
    assert [int(n) for n, _ in numbers] == list(range(1, len(pages) + 1))   # one slide a page
    assert all(int(total) == len(pages) for _, total in numbers)
    found = words(" ".join(pages))
    for i in range(1, 17):
        assert f"Point négociable numéro {i}," in found, i


def test_every_stakeholder_is_named_above_the_footer(built):
    """The chart's key names every stakeholder on the slide, never under the footer."""
    for slug in (REFERENCE, STOPPED):
        mission = yaml.safe_load((FIXTURE / "missions" / slug / "mission.yml").read_text())
        pdf = built.dossier(slug) / "presentation.pdf"
        reading = words(subprocess.run(["pdftotext", str(pdf), "-"], check=True,
                                       capture_output=True, text=True).stdout)
        for stakeholder in mission["parties_prenantes"]:
            assert stakeholder["libelle"] in reading, (slug, stakeholder["libelle"])
        _, height = page_size(pdf)
        for number, page in enumerate(words_with_boxes(pdf), start=1):
            footer = [y0 for _, y0, _ in page if y0 >= height - 40]
            body = [(word, y1) for word, y0, y1 in page if y0 < height - 40]
            assert footer and all(y1 <= min(footer) for _, y1 in body), (slug, number)


def test_a_long_key_goes_on_over_a_suite_slide_with_its_chart(tmp_path):
    root = copy_project(tmp_path / "p")
    mission = root / "missions" / REFERENCE / "mission.yml"
    extra = "".join(f"  - {{id: groupe-{i}, libelle: Association de quartier numéro {i} et "
                    f"ses bénévoles, categorie: habitants, pouvoir: {1 + i % 4}, "
                    f"interet: {1 + (i // 4) % 4}, posture: neutre}}\n" for i in range(12))
    text = mission.read_text().replace("\nparametres:\n", extra + "\nparametres:\n", 1)
    mission.write_text(text)
    assert run("build", "-q", root=root).code == 0
    links = json.loads(run("links", "--json", root=root).out)
    pdf = root / "site" / next(r["url"] for r in links if r["slug"] == REFERENCE) / \
        "presentation.pdf"
    pages = pdf_text(pdf).split("\f")[:-1]
    continued = [p for p in pages if "Qui est concerné (suite)" in p]
    assert continued and all("Intérêt pour le projet" in p for p in continued)
    charts = [number for number, *_ in chart_boxes(pdf)]
    assert len(charts) == 2 + len(continued)          # the chart again on each suite
    found = words(subprocess.run(["pdftotext", str(pdf), "-"], check=True,
                                 capture_output=True, text=True).stdout)
    for i in range(12):
        assert f"Association de quartier numéro {i} et" in found, i
    _, height = page_size(pdf)
    for number, page in enumerate(words_with_boxes(pdf), start=1):
        footer = [y0 for _, y0, _ in page if y0 >= height - 40]
        assert all(y1 <= min(footer) for _, y0, y1 in page if y0 < height - 40), number


def test_presentation_page_has_the_same_slides(built):
    html = (built.dossier(REFERENCE) / "presentation" / "index.html").read_text()
    assert "data-amoor-present" in html
    pdf_pages = len(pdf_text(built.dossier(REFERENCE) / "presentation.pdf").split("\f")) - 1
    # The nine ideas of the deck, one a slide (some go on over a « suite »).
    assert html.count('aria-roledescription="diapositive"') == pdf_pages >= 9


# -------------------------------------------------------------------------- the PPTX

def test_pptx_is_an_editable_16_9_deck(built):
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    deck = Presentation(built.dossier(REFERENCE) / "presentation.pptx")
    assert abs(deck.slide_width / deck.slide_height - 16 / 9) < 0.01
    pdf_pages = len(pdf_text(built.dossier(REFERENCE) / "presentation.pdf").split("\f")) - 1
    assert len(deck.slides) == pdf_pages
    text = " ".join(shape.text_frame.text for slide in deck.slides for shape in slide.shapes
                    if shape.has_text_frame)
    assert "Ville de Montclair-sur-Vienne" in text
    assert "Stand sur le marché et questionnaire" in text
    assert not [s for slide in deck.slides for s in slide.shapes if s.has_table]
    pictures = [s for slide in deck.slides for s in slide.shapes
                if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == 2
    for picture in pictures:
        assert picture._element.xpath("./p:nvPicPr/p:cNvPr")[0].get("descr")
    for slide in deck.slides:
        assert slide.shapes.title is not None and slide.shapes.title.text
        assert slide.shapes[0].shape_id == slide.shapes.title.shape_id   # read first


def test_every_pptx_slide_has_speaker_notes(built):
    """What to say, from the mission's data: who decides, what is open, why this
    scenario; a chart's data table, row by row, in its notes."""
    from pptx import Presentation

    for slug in (REFERENCE, SAME_CLIENT, STOPPED):
        deck = Presentation(built.dossier(slug) / "presentation.pptx")
        notes = {slide.shapes.title.text: slide.notes_slide.notes_text_frame.text
                 for slide in deck.slides if slide.has_notes_slide}
        assert len(notes) == len(deck.slides), slug
        assert all(len(text.split()) >= 6 for text in notes.values()), (slug, notes)
    said = " ".join(notes.values())
    mission = yaml.safe_load((FIXTURE / "missions" / STOPPED / "mission.yml").read_text())
    for stakeholder in mission["parties_prenantes"]:
        assert f"Partie prenante : {stakeholder['libelle']}" in notes["Qui est concerné"]
    assert "Qui décide" in said
    deck = Presentation(built.dossier(REFERENCE) / "presentation.pptx")
    notes = {slide.shapes.title.text: slide.notes_slide.notes_text_frame.text
             for slide in deck.slides}
    retained = notes["Le scénario retenu : Stand sur le marché et questionnaire"]
    assert "Classé premier" in retained and "2,72 sur 4" in retained
    assert "Rang : 1 ; Scénario : B — Stand sur le marché" in notes["Pourquoi ce scénario"]
    assert "Conseil municipal" in notes["Le projet"]
    assert "Le budget d'investissement plafonné" in notes["Ce qui est ouvert, ce qui est fixé"]


def test_private_documents_print_the_real_address(built):
    """The anti-spam form (« [@] ») is for the public pages; a dossier is read by
    people, who copy the address: its pages, PDFs and PPTX give it as it is."""
    import zipfile

    for slug in (REFERENCE, SAME_CLIENT, STOPPED):
        folder = built.dossier(slug)
        for file in folder.rglob("*"):
            if file.suffix == ".html":
                text = file.read_text()
            elif file.suffix == ".pdf":
                text = pdf_text(file)
            elif file.suffix == ".pptx":
                with zipfile.ZipFile(file) as deck:
                    text = " ".join(deck.read(n).decode() for n in deck.namelist()
                                    if n.endswith(".xml"))
            else:
                continue
            assert "[@]" not in text, file
        for name in ("presentation.pdf", "presentation.pptx"):
            assert (folder / name).is_file()
        assert "contact@exemple.invalid" in pdf_text(folder / "presentation.pdf")
    covers = [pdf_text(f) for f in built.dossier(REFERENCE).glob("*.pdf")
              if f.name not in ("presentation.pdf", "devis.pdf", "atelier-grilles.pdf")]
    assert covers and all("contact@exemple.invalid" in words(text) for text in covers)


def test_pptx_and_pdfs_are_the_same_bytes_at_every_build(tmp_path):
    import hashlib
    import shutil

    copy_project(tmp_path / "one")
    shutil.copytree(tmp_path / "one", tmp_path / "two")
    sums = []
    for name in ("one", "two"):
        assert run("build", "-q", root=tmp_path / name).code == 0
        sums.append({p.relative_to(tmp_path / name).as_posix():
                     hashlib.sha256(p.read_bytes()).hexdigest()
                     for p in (tmp_path / name / "site").rglob("presentation.pptx")})
    assert sums[0] and sums[0] == sums[1]


# -------------------------------------------------------------------------- the devis

def test_devis_carries_every_mandatory_mention_and_the_same_totals(built):
    text = words(pdf_text(built.dossier(SAME_CLIENT) / "devis.pdf"))
    figures = json.loads(run("show", SAME_CLIENT, "--json", root=built.root).out)["prix"]

    def euros(amount: str) -> str:
        from decimal import Decimal

        from generator.text.fmt import cents

        return words(cents(Decimal(amount)))    # a financial document: with the cents

    for amount in (figures["total_ht"], figures["tva"], figures["total_ttc"]):
        assert euros(amount) in text, amount
    for mention in (
            "Devis n° DEV-20270111-",                       # number and date
            "Établi le 11 janvier 2027", "Valable 30 jours, jusqu'au 10 février 2027",
            "a.m.o.o.r.", "Olivier Ryckewaert", "Entrepreneur individuel (EI)",  # provider
            "12 rue de l'Exemple", "SIRET : 123 456 789 00007",
            "N° de TVA intracommunautaire : FR00 123456789",
            "Ville de Montclair-sur-Vienne", "1 place de la Mairie",            # client
            "Début prévu : 11 janvier 2027", "durée estimée : 8 jours de mission",
            "Enquête de terrain auprès des habitants",                          # lines
            "Total HT", "TVA 20 %", "Total TTC",
            "Acompte : 30 % du montant TTC",                                    # terms
            "Paiement : à 30 jours à compter de la réception de la facture",
            "Pénalités de retard", "Indemnité forfaitaire pour frais de recouvrement",
            "40,00 €", "Devis gratuit", "Bon pour accord", "Nom et qualité du signataire",
            "Signature"):
        assert words(mention) in text, mention


def test_devis_of_a_stopped_mission_shows_the_half_forfait(built):
    text = words(pdf_text(built.dossier(STOPPED) / "devis.pdf"))
    assert "Arrêt avant l'atelier : forfait de 5 000,00 € HT × 0,5" in text
    assert "2 500,00 €" in text and "2 500 €" not in text


def test_example_provider_values_are_flagged_not_invented(tmp_path):
    root = copy_project(tmp_path / "p")
    (root / "prestataire.yml").write_text(
        (root / "prestataire.yml").read_text()
        .replace("siret: 123 456 789 00007", "siret: à compléter (14 chiffres)"))
    result = run("check", root=root)
    assert result.code == 0
    assert "prestataire.yml:8:8: attention : siret: à compléter" in result.err
    (root / "prestataire.yml").write_text(
        (root / "prestataire.yml").read_text()
        .replace("siret: à compléter (14 chiffres)", "siret: 123 456 789 00008"))
    result = run("check", root=root)
    assert result.code == 1 and "siret: SIRET invalide" in result.err


def test_a_missing_provider_file_is_said(tmp_path):
    root = copy_project(tmp_path / "p")
    (root / "prestataire.yml").unlink()
    result = run("check", root=root)
    assert result.code == 1 and "prestataire.yml: fichier introuvable" in result.err


# ------------------------------------------------------------------------ the typeface

def test_every_pdf_uses_the_brand_typeface(built):
    pdfs = [built.site / "brochure-concertation.pdf"] + [
        built.dossier(REFERENCE) / name for name in
        ("dossier.pdf", "cahier-des-charges.pdf", "presentation.pdf", "devis.pdf")]
    for pdf in pdfs:
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
        names = [line.split()[0] for line in fonts.splitlines()[2:]]
        assert names and all("Source-Sans-3" in n for n in names), (pdf.name, names)


def test_the_site_serves_its_typeface_itself(built):
    css = (built.site / "assets" / "stylesheets" / "amoor.css").read_text()
    sources = re.findall(r'src: ?url\("\.\./fonts/([^"]+)"\) format\("woff2"\)', css)
    assert len(sources) == 5
    for name in sources:
        assert (built.site / "assets" / "fonts" / name).is_file()
        assert (built.dossier(REFERENCE) / "assets" / "fonts" / name).is_file()
    assert (built.site / "assets" / "fonts" / "OFL.txt").is_file()
    assert '"Source Sans 3"' in css.split("--md-text-font-family:", 1)[1].split(";")[0]


@pytest.mark.parametrize("slug", [PROTECTED])
def test_protected_deck_and_devis_are_sealed(built, slug):
    folder = built.dossier(slug)
    assert not (folder / "presentation.pptx").exists()
    assert (folder / "presentation.pptx.enc").is_file() and (folder / "devis.pdf.enc").is_file()
