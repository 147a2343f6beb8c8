"""Hostile input: YAML text is shown as text, PDFs read nothing outside their folder."""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from conftest import REFERENCE, copy_project, pdf_text, run
from generator.documents.pdf import local_fetcher

HOSTILE_CLIENT = 'Ville <script>alert("x")</script> & "Fils" \'d\''
HOSTILE_LABEL = "Riverains <img src=x onerror=alert(1)>"
HOSTILE_TITLE = "Stand [clic](javascript:alert(1)) **gras**"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("hostile"))
    folder = root / "missions" / REFERENCE
    mission = folder / "mission.yml"
    text = mission.read_text()
    text = text.replace("nom: Ville de Montclair-sur-Vienne", f"nom: {json.dumps(HOSTILE_CLIENT)}")
    text = text.replace("libelle: Riverains de la place", f"libelle: {json.dumps(HOSTILE_LABEL)}")
    text = text.replace("titre: Stand sur le marché et questionnaire",
                        f"titre: {json.dumps(HOSTILE_TITLE)}")
    mission.write_text(text)
    page = folder / "parametres.md"
    page.write_text(page.read_text() + "\n\n![secret](file:///etc/passwd)\n\n"
                    '<img src="/etc/passwd" alt="x">\n\n'
                    '<img src="http://127.0.0.1:9/pixel.png" alt="distant">\n\n'
                    '<link rel="attachment" href="file:///etc/passwd">\n')
    mp = pytest.MonkeyPatch()
    mp.setenv("AMOOR_SECRET", "hostile-secret-0123456789-abcdefghijklmnop")
    mp.setenv("AMOOR_TEST_MDP_VERNILLON", "un-mot-de-passe-assez-long")
    try:
        result = run("build", "-q", "--no-strict", root=root)
        assert result.code == 0, result.err
        links = json.loads(run("links", "--json", root=root).out)
    finally:
        mp.undo()
    url = next(r["url"] for r in links if r["slug"] == REFERENCE)
    return root / "site" / url


def test_yaml_text_is_escaped_in_every_page(hostile):
    for page in hostile.rglob("*.html"):
        html = page.read_text()
        assert "<script>alert" not in html, page
        assert "onerror=alert" not in html.replace("onerror=alert(1)&gt;", ""), page
        assert 'href="javascript:' not in html, page
    overview = (hostile / "index.html").read_text()
    assert "Ville &lt;script&gt;alert(" in overview
    roi = (hostile / "roi-citoyen" / "index.html").read_text()
    assert "Riverains &lt;img src=x onerror=alert(1)&gt;" in roi
    scenarios = (hostile / "scenarios" / "index.html").read_text()
    assert "Stand [clic](javascript:alert(1)) **gras**" in scenarios.replace("&#34;", '"')
    assert "<strong>gras</strong>" not in scenarios


def test_pdf_embeds_nothing_from_outside(hostile):
    pdf = hostile / "dossier.pdf"
    text = pdf_text(pdf)
    assert 'Ville <script>alert("x")</script> & "Fils"' in " ".join(text.split())
    assert "root:x:0:0" not in text
    raw = pdf.read_bytes()
    assert b"/EmbeddedFile" not in raw and b"root:x:0:0" not in raw
    listed = subprocess.run(["pdfdetach", "-list", str(pdf)], capture_output=True, text=True)
    assert re.search(r"^0 embedded files", listed.stdout, re.M)


def test_fetcher_refuses_network_and_foreign_files(tmp_path):
    (tmp_path / "ok.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    fetcher = local_fetcher(tmp_path)
    for url in ("http://127.0.0.1:9/x.png", "https://example.org/x.css", "file:///etc/passwd",
                (tmp_path / ".." / "x").resolve().as_uri(), "ftp://example.org/x"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    response = fetcher.fetch((tmp_path / "ok.svg").as_uri())
    assert b"<svg" in response.read()


def test_hostile_text_is_text_in_the_deck_and_its_notes(hostile):
    """The retained scenario's slide, the chart's key and the speaker's notes carry the
    client's, a stakeholder's and a scenario's names: as text, in the page, the PPTX's
    XML (slides and notes) and the PDF."""
    import zipfile

    page = (hostile / "presentation" / "index.html").read_text()
    notes = page[page.index('class="amoor-slide-notes"'):]
    assert "Riverains &lt;img src=x onerror=alert(1)&gt;" in notes
    assert "<img src=x" not in page and "<script>alert" not in page
    scale = page[page.index("amoor-slide--echelle"):page.index("amoor-slide__why")]
    assert "Riverains &lt;img src=x onerror=alert(1)&gt;" in scale
    with zipfile.ZipFile(hostile / "presentation.pptx") as deck:
        xml = {name: deck.read(name).decode() for name in deck.namelist()
               if name.endswith(".xml")}
    said = " ".join(text for name, text in xml.items() if name.startswith("ppt/notesSlides/"))
    assert len([n for n in xml if n.startswith("ppt/notesSlides/notesSlide")]) == \
        len([n for n in xml if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)])
    assert "Riverains &lt;img src=x onerror=alert(1)&gt;" in said
    assert "Ville &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in said or \
        'Ville &lt;script&gt;alert("x")&lt;/script&gt;' in said
    assert "Stand [clic](javascript:alert(1)) **gras**" in said
    for name, text in xml.items():
        assert "<script>" not in text and "<img src=x" not in text, name
    reading = " ".join(pdf_text(hostile / "presentation.pdf").split())
    assert "Stand [clic](javascript:alert(1)) **gras**" in reading
