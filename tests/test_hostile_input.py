"""Hostile input: YAML text is shown as text, PDFs read nothing outside their folder."""

from __future__ import annotations

import html
import html.parser as html_parser
import json
import re
import subprocess
import sys

import pytest

from conftest import REFERENCE, SAME_CLIENT, copy_project, pdf_text, run, suite_environment
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


# ------------------------------------------- Markdown attributes ({: … }) on every page type

ATTRIBUTES = ('{: onmouseover="alert(71)" style="position:fixed;inset:0" id="__drawer" '
              'data-x="1" .evil-class .amoor-lead }')
ATTRIBUTE_TEXT = (f"\n\nParagraphe piégé.\n{ATTRIBUTES}\n\n"
                  '[Accepter](#){: onclick="alert(72)" style="position:fixed" }\n\n'
                  '## Titre piégé {: onfocus="alert(73)" #__search }\n')


class _Attributes(html_parser.HTMLParser):
    """Every attribute a page's elements carry, as (tag, name, value)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.found += [(tag, name, value or "") for name, value in attrs]


def attributes(page) -> list[tuple[str, str, str]]:
    parser = _Attributes()
    parser.feed(page.read_text())
    return parser.found


@pytest.fixture(scope="module")
def attribute_site(tmp_path_factory):
    """Attribute lists in every page a consultant writes (public page, offer page, each
    mission page) and in the YAML text every dossier page and the portal show."""
    root = copy_project(tmp_path_factory.mktemp("attributes"))
    pages = [root / "docs" / "contact.md", root / "docs" / "offres" / "concertation-pertinente.md",
             *(root / "missions").glob("*/*.md")]
    for page in pages:
        page.write_text(page.read_text() + ATTRIBUTE_TEXT)
    for slug in (REFERENCE, SAME_CLIENT):
        mission = root / "missions" / slug / "mission.yml"
        text = mission.read_text()
        title = re.search(r"^titre: (.*)$", text, re.M).group(1)
        mission.write_text(text.replace(f"titre: {title}", "titre: " + json.dumps(
            f"{title} {{: onclick=alert(74) style=position:fixed }}"), 1))
    with suite_environment():
        result = run("build", "-q", "--no-strict", root=root)
    assert result.code == 0, result.err
    return root


def test_markdown_attributes_set_nothing_outside_the_allow_list(attribute_site):
    site = attribute_site / "site"
    pages = list(site.rglob("*.html"))
    kinds = {"offre": "offres/", "public": "contact/", "dossier": "d/", "portail": "c/"}
    for kind, prefix in kinds.items():
        assert any(p.relative_to(site).as_posix().startswith(prefix) for p in pages), kind
    piege = 0
    for page in pages:
        found = attributes(page)
        where = page.relative_to(site)
        assert not [a for a in found if a[1].startswith("on")], where
        assert not [a for a in found if a[1] == "style" and "position:fixed" in a[2]], where
        assert not [a for a in found if a[1] == "data-x" or "evil-class" in a[2]], where
        assert sum(1 for a in found if a[1] == "id" and a[2] == "__drawer") <= 1, where
        assert sum(1 for a in found if a[1] == "id" and a[2] == "__search") <= 1, where
        text = page.read_text()
        if "Paragraphe piégé" in text:
            piege += 1
            # an allowed class stays
            assert re.search(r'<p class="amoor-lead">Paragraphe piégé', text), where
    # the public page, the offer page and each mission's own pages
    assert piege >= 2 + 4, piege


def test_a_refused_markdown_attribute_stops_a_strict_build(tmp_path):
    root = copy_project(tmp_path / "p")
    contact = root / "docs" / "contact.md"
    contact.write_text(contact.read_text() + ATTRIBUTE_TEXT)
    result = run("build", "-q", root=root)
    assert result.code != 0
    assert "attribut Markdown refusé" in result.err and "onmouseover" in result.err


# ------------------------------------- link schemes: javascript: and the like, in every output

SCHEMES = ("\n\n[clic](javascript:alert(81)) [vb](vbscript:msgbox(82)) "
           "[donnée](data:text/html;base64,PHNjcmlwdD5hbGVydCg4Myk8L3NjcmlwdD4=) "
           "[fichier](file:///etc/passwd) [bon](https://www.exemple.fr/) "
           "[courriel](mailto:contact@exemple.fr)\n\n"
           '<a href=" JaVa&#83;cript:alert(84)">brut</a> '
           '<a href="java\tscript:alert(85)">tab</a>\n')
BAD_SCHEMES = ("javascript:", "vbscript:", "data:text", "file:")


def _schemes(value: str) -> str:
    """A target as a browser reads its scheme: tabs and line breaks removed, C0 controls
    and spaces around it ignored."""
    return re.sub(r"[\t\n\r]", "", html.unescape(value)).strip(
        "".join(map(chr, range(0x21)))).lower()


@pytest.fixture(scope="module")
def scheme_site(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("schemes"))
    for page in (root / "docs" / "contact.md", root / "missions" / REFERENCE / "parametres.md"):
        page.write_text(page.read_text() + SCHEMES)
    with suite_environment():
        result = run("build", "-q", "--no-strict", root=root)
        assert result.code == 0, result.err
        links = json.loads(run("links", "--json", root=root).out)
    return root, root / "site" / next(r["url"] for r in links if r["slug"] == REFERENCE)


def test_links_keep_only_web_and_mail_schemes_in_pages(scheme_site):
    root, dossier = scheme_site
    for page in (root / "site" / "contact" / "index.html", dossier / "parametres" / "index.html"):
        found = attributes(page)
        targets = [_schemes(v) for _, name, v in found if name in ("href", "src")]
        assert "https://www.exemple.fr/" in targets and "mailto:contact@exemple.fr" in targets
        assert not [t for t in targets if t.startswith(BAD_SCHEMES)], (page, targets)


def test_links_keep_only_web_and_mail_schemes_in_pdfs(scheme_site):
    import pikepdf

    root, dossier = scheme_site
    uris = []
    for pdf_file in [*dossier.glob("*.pdf"), root / "site" / "brochure.pdf"]:
        if not pdf_file.exists():
            continue
        with pikepdf.open(pdf_file) as pdf:
            for page in pdf.pages:
                for annot in page.get("/Annots", []):
                    action = annot.get("/A")
                    if action is not None and "/URI" in action:
                        uris.append(_schemes(str(action.URI)))
    assert "https://www.exemple.fr/" in uris, uris
    assert not [u for u in uris if u.startswith(BAD_SCHEMES)], uris


def test_an_exported_site_has_the_content_security_policy(tmp_path):
    from generator.protection.csp import declared_hashes, inline_hashes

    root = copy_project(tmp_path / "p")
    assert run("export", str(tmp_path / "pub"), "--no-pdf", root=root).code == 0
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"],
                          cwd=tmp_path / "pub", capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    for page in ("index.html", "contact/index.html"):
        text = (tmp_path / "pub" / "site" / page).read_text()
        assert 'http-equiv="Content-Security-Policy"' in text, page
        assert set(inline_hashes(text)) <= set(declared_hashes(text)), page


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


# Sharing cards (the page's tags: test_sharing.py, whose site has a hostile title) ------


def test_a_hostile_title_is_text_in_the_card():
    """Titles reach the card as HTML (escaped front matter): tags dropped, text escaped."""
    from generator.documents.card import card_svg

    svg = card_svg('&lt;/text&gt;&lt;script&gt;alert(1) <b>&amp;</b> "x"', badge=None,
                   site_url="https://www.amoor.fr/")
    assert "<script>" not in svg and "</text><" not in svg.replace("</text>\n", "")
    assert "&lt;/text&gt;&lt;script&gt;alert(1) &amp; &#34;x&#34;" in svg


def test_a_profile_address_must_be_a_web_page(tmp_path):
    root = copy_project(tmp_path / "p")
    provider = root / "prestataire.yml"
    provider.write_text(provider.read_text().replace(
        "  - https://twitter.com/oliv_ryckewaert",
        '  - "javascript:alert(1)"'))
    result = run("build", "-q", "--no-pdf", root=root)
    assert result.code != 0 and "reseaux" in result.err
