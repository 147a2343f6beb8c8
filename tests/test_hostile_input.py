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
#: Reaches the workshop page's script data: a line separator, a closing tag, a comment.
HOSTILE_SCRIPT_TITLE = "Ateliers\u2028</script><script>alert(2)</script> & <!--"


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
    text = text.replace("titre: Ateliers de co-conception",
                        f"titre: {json.dumps(HOSTILE_SCRIPT_TITLE)}")
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
        # As text: escaped in HTML, or \u003e-escaped in the workshop page's JSON data.
        assert "onerror=alert" not in html.replace("onerror=alert(1)&gt;", "").replace(
            "onerror=alert(1)\\u003e", ""), page
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


def test_workshop_page_keeps_yaml_text_out_of_its_markup_and_script(hostile):
    html = (hostile / "atelier-roi-citoyen.html").read_text()
    assert html.count("</script>") == 2 and html.count("<script") == 2
    assert "<!--" not in html
    assert "Riverains &lt;img src=x onerror=alert(1)&gt;" in html
    assert "Ateliers\u2028&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt; &amp; &lt;!--" \
        in html
    data = re.search(r'id="atelier-donnees">(.*?)</script>', html, re.S).group(1)
    assert not set(data) & {"<", ">", "&", "\u2028", "\u2029"}
    parsed = json.loads(data)
    assert parsed["client"] == HOSTILE_CLIENT
    assert {s["titre"] for s in parsed["scenarios"]} >= {HOSTILE_TITLE, HOSTILE_SCRIPT_TITLE}
    assert HOSTILE_LABEL in {p["libelle"] for p in parsed["publics"]}
    # The script writes the data as text only.
    script = html[html.rindex("<script>"):]
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script \
        and "document.write" not in script


@pytest.mark.parametrize("export", [
    {"mission": REFERENCE, "roi_citoyen": {"publics": [], "evaluations": [
        {"scenario": "A\n  scenario_retenu: C", "public": "riverains"}]}},
    {"mission": REFERENCE, "roi_citoyen": {"publics": [{"ref": "<script>"}], "evaluations": []}},
    {"mission": "../../etc/passwd", "roi_citoyen": {}},
    {"mission": REFERENCE, "roi_citoyen": {"evaluations": "A: [&a, *a]"}},
    ["not", "a", "mapping"],
])
def test_workshop_import_refuses_a_hostile_export(tmp_path, export):
    root = copy_project(tmp_path / "projet")
    mission = root / "missions" / REFERENCE / "mission.yml"
    before = mission.read_bytes()
    file = tmp_path / "export.json"
    file.write_text(json.dumps(export))
    result = run("atelier", "importer", REFERENCE, str(file), root=root)
    assert result.code != 0 and str(file) in result.err and "Traceback" not in result.err
    assert mission.read_bytes() == before


def test_workshop_import_refuses_a_yaml_bomb(tmp_path):
    root = copy_project(tmp_path / "projet")
    mission = root / "missions" / REFERENCE / "mission.yml"
    before = mission.read_bytes()
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(9))
    file = tmp_path / "export.yml"
    file.write_text(bomb)
    result = run("atelier", "importer", REFERENCE, str(file), root=root)
    assert result.code != 0 and "Traceback" not in result.err and str(file) in result.err
    assert mission.read_bytes() == before
