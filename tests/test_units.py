"""Small pieces, tested alone: typography, formats, the privacy matcher, the HTML cache,
the atomic swap, the calendar, print links, the security policy, keys, the runner."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from decimal import Decimal

import pytest
import tinycss2
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO
from generator.build.pipeline import swap
from generator.content.yamlio import load_yaml
from generator.documents.pdf import paper
from generator.dossier import agenda
from generator.engine.stylesheets import minify_css
from generator.privacy.check import check_privacy
from generator.privacy.match import Owned, _trie, normalise
from generator.protection import csp
from generator.protection.keys import Keys
from generator.text import fmt

NBSP, NNBSP = "\u00a0", "\u202f"

# --------------------------------------------------------------------------- typography


@pytest.mark.parametrize("html, expected", [
    ("<p>Prix : 5 €</p>", f"<p>Prix{NBSP}: 5 €</p>"),
    ("<p>Vraiment ? Oui ! Ah ; bon</p>", f"<p>Vraiment{NBSP}? Oui{NBSP}! Ah{NBSP}; bon</p>"),
    ("<p>« citoyen »</p>", f"<p>«{NBSP}citoyen{NBSP}»</p>"),
    ("<p>«citoyen»</p>", f"<p>«{NBSP}citoyen{NBSP}»</p>"),
    ("<p>déjà{NBSP}: fait</p>".replace("{NBSP}", NBSP), f"<p>déjà{NBSP}: fait</p>"),
    ("<code>a : b</code> c : d", f"<code>a : b</code> c{NBSP}: d"),
    ("<pre>x ? y</pre><script>if (a ? b : c) {}</script>",
     "<pre>x ? y</pre><script>if (a ? b : c) {}</script>"),
    ('<a title="a : b" href="https://x.fr/?a=1">lien</a>',
     '<a title="a : b" href="https://x.fr/?a=1">lien</a>'),
    ("<p>http://exemple.fr</p>", "<p>http://exemple.fr</p>"),
])
def test_typography(html, expected):
    assert fmt.typography(html) == expected


@pytest.mark.parametrize("amount, shown", [
    (Decimal("5000"), f"5{NNBSP}000{NBSP}€"), (Decimal("7675.50"), f"7{NNBSP}675,50{NBSP}€"),
    (Decimal("0"), f"0{NBSP}€"), (Decimal("1234567.05"), f"1{NNBSP}234{NNBSP}567,05{NBSP}€"),
])
def test_money_in_french(amount, shown):
    assert fmt.money(amount) == shown
    assert fmt.money_ht(amount) == shown + f"{NBSP}HT"


def test_numbers_dates_percent():
    import datetime as dt
    from fractions import Fraction

    assert fmt.number(Fraction(109, 40), 3) == "2,725" and fmt.number(Decimal("3.00")) == "3"
    assert fmt.date(dt.date(2026, 10, 15)) == "15 octobre 2026" and fmt.date(None) == "à définir"
    assert fmt.date(dt.date(2027, 3, 1)) == "1er mars 2027"
    assert fmt.percent(Decimal("0.2")) == f"20{NBSP}%"
    assert fmt.slugify("Ville de Montclair-sur-Vienne") == "ville-de-montclair-sur-vienne"
    assert fmt.slugify("Département du Val-d'Orbière") == "departement-du-val-d-orbiere"


# ----------------------------------------------------------------------- privacy matcher

def test_normalise_folds_entities_spaces_and_invisible_characters():
    # letters and digits only (third audit, finding 3): spaces and dashes fold away too
    assert normalise("Mont&shy;clair&nbsp;sur\u202fVienne") == "montclairsurvienne"
    assert normalise("Mont\u200bclair \n\t ＶＩＬＬＥ") == "montclairville"   # NFKD folds
    assert normalise("Montclair\u2060-\u2063sur") == "montclairsur"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text("abcé -", min_size=1, max_size=6), min_size=1, max_size=8,
                unique=True),
       st.text("abcé -x", max_size=60))
def test_trie_finds_what_an_alternation_finds(keys, text):
    naive = re.compile("|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True)))
    assert re.findall(_trie(keys), text) == naive.findall(text)


def test_privacy_check_by_client(tmp_path):
    site = tmp_path / "site"
    for rel, text in {"index.html": "accueil", "d/aaaa/index.html": "Ville de Alpha, Projet B",
                      "d/bbbb/index.html": "Ville de Alpha, Projet A",
                      "d/cccc/index.html": "Ville de Gamma et Ville de Alpha"}.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text)
    owned = [Owned("d/aaaa/", "alpha", ("aaaa", "Ville de Alpha", "Projet A"), "a"),
             Owned("d/bbbb/", "alpha", ("bbbb", "Ville de Alpha", "Projet B"), "b"),
             Owned("d/cccc/", "gamma", ("cccc", "Ville de Gamma"), "c")]
    assert check_privacy(site, owned) == [
        "c : index.html contient « ville de alpha » (missions a, b)"]
    (site / "index.html").write_text("voir d/cccc/")
    assert "index.html contient une adresse secrète (mission c)" in check_privacy(site, owned)


def test_privacy_check_opens_archives_and_encoded_links(tmp_path):
    import io
    import zipfile

    site = tmp_path / "site"
    (site / "d" / "cccc").mkdir(parents=True)
    owned = [Owned("d/aaaa/", "alpha", ("aaaa", "Ville de Alpha"), "a"),
             Owned("d/cccc/", "gamma", ("cccc", "Ville de Gamma"), "c")]
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        z.writestr("ppt/slides/slide1.xml", "<a:t>Ville de</a:t> <a:t>Alpha</a:t>")
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w") as z:
        z.writestr("LISEZMOI.txt", "Ville de Gamma")
        z.writestr("presentation.pptx", inner.getvalue())
    (site / "d" / "cccc" / "tout.zip").write_bytes(outer.getvalue())
    (site / "d" / "cccc" / "index.html").write_text(
        '<a href="mailto:x@y.fr?body=Ville%20de%20Alpha">écrire</a>')
    assert check_privacy(site, owned, cache=tmp_path / "cache") == [
        "c : index.html contient « ville de alpha » (mission a)",
        "c : tout.zip contient « ville de alpha » (mission a)"]
    # Cached: the same answer without reading again.
    assert len(check_privacy(site, owned, cache=tmp_path / "cache")) == 2


# --------------------------------------------------------------------------- HTML cache

def test_html_cache_key_follows_every_input(tmp_path):
    from generator.engine.html_cache import HtmlCache

    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    code = tmp_path / "code"
    code.mkdir()
    (code / "template.j2").write_text("a")

    def key(settings=None, files=(("index.md", b"x"),), sealed=False) -> str | None:
        cache = HtmlCache(tmp_path / "cache", config_file=tmp_path / "mkdocs.yml",
                          code_dirs=[code])
        return cache.key(settings or {"nav": []}, files, strict=True, sealed=sealed)

    first = key()
    assert first == key() and first is not None
    assert key(files=(("index.md", b"y"),)) != first
    assert key(settings={"nav": [{"A": "index.md"}]}) != first
    (code / "template.j2").write_text("b")
    assert key() != first
    assert key(sealed=True) is None                        # never a sealed dossier
    (tmp_path / "mkdocs.yml").write_text("site_name: !ENV X\n")
    assert key() is None                                    # depends on the environment


def test_html_cache_stores_links_and_prunes(tmp_path):
    from generator.documents.pdf import Section
    from generator.engine.html_cache import HtmlCache

    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    cache = HtmlCache(tmp_path / "cache", config_file=tmp_path / "mkdocs.yml", code_dirs=[])
    built = tmp_path / "built"
    (built / "a").mkdir(parents=True)
    (built / "a" / "index.html").write_text("page")
    cache.store("k1", built, {"a.md": Section("A &amp; B", "<p>x</p>", "a/")})
    copy = tmp_path / "copy"
    captured = cache.fetch("k1", copy)
    assert (copy / "a" / "index.html").read_text() == "page"
    assert (copy / "a" / "index.html").stat().st_ino == \
        (tmp_path / "cache" / "k1" / "a" / "index.html").stat().st_ino   # a hard link
    assert captured["a.md"].title == "A &amp; B" and hasattr(captured["a.md"].title, "__html__")
    assert cache.fetch("absent", tmp_path / "none") is None
    cache.prune({"k2"})
    assert not list((tmp_path / "cache").iterdir())


# ------------------------------------------------------------------------- atomic swap

def test_swap_replaces_the_folder_by_renames(tmp_path):
    target, new = tmp_path / "site", tmp_path / ".site.new"
    target.mkdir()
    (target / "old.html").write_text("old")
    new.mkdir()
    (new / "new.html").write_text("new")
    swap(new, target)
    assert [p.name for p in target.iterdir()] == ["new.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    other = tmp_path / ".site.other"
    other.mkdir()
    swap(other, tmp_path / "absent")
    assert (tmp_path / "absent").is_dir()


# ----------------------------------------------------------------------------- calendar

def test_calendar_text_escapes_every_line_break():
    assert agenda.text("a\rX-INJ:1") == "a\\nX-INJ:1"
    assert agenda.text("a\r\nb\nc") == "a\\nb\\nc"
    assert agenda.text("a;b,c\\d") == "a\\;b\\,c\\\\d"


# Content lines as fold() receives them: escaped by text(), so without CR or LF.
@given(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"),
               min_size=1, max_size=300))
def test_calendar_folding_keeps_octets_under_75_and_the_text(line):
    folded = agenda.fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode()) <= 75 for p in parts)
    assert parts[0] + "".join(p[1:] for p in parts[1:]) == line


# -------------------------------------------------------------------------- print links

def test_paper_drops_page_links_and_rebases_sources():
    html = ('<p><a href="../contact/">contact</a> <a href="#s2">ici</a> '
            '<a href="https://amoor.fr/">site</a><img src="plan.png" alt="Plan"></p>\n'
            '<p><a class="x" href="../">r</a><br/></p>')
    out, sources = paper(html, "cartographie/")
    assert sources == ("cartographie/plan.png",)
    assert '<a>contact</a>' in out and 'href="#s2"' in out and 'href="https://amoor.fr/"' in out
    assert 'src="cartographie/plan.png"' in out and '<a class="x">r</a><br/>' in out


# ------------------------------------------------------------------- security policy

def test_policy_hashes_inline_scripts_only():
    page = ('<html><head><script>a()</script><script src="x.js"></script>'
            '<script type="application/json">{"b": 1}</script></head>'
            '<body><script type="module">b()</script></body></html>')
    hashes = csp.inline_hashes(page)
    expected = "'sha256-" + base64.b64encode(hashlib.sha256(b"a()").digest()).decode() + "'"
    assert hashes[0] == expected and len(hashes) == 2
    secured = csp.with_policy(page, hashes)
    assert secured.startswith('<html><head><meta http-equiv="Content-Security-Policy"')
    assert csp.declared_hashes(secured) == hashes
    assert "script-src 'self' " in csp.policy(hashes) and "unsafe-inline'; img" in \
        csp.policy(hashes) and "'unsafe-eval'" not in csp.policy(hashes)


# ------------------------------------------------------------------------------- keys

def test_first_revision_keeps_the_design_formula():
    secret = b"s" * 40
    digest = hmac.new(secret, b"dossier-url-v1\0slug", hashlib.sha256).digest()
    assert Keys(secret).dossier_token("slug") == base64.b32encode(digest[:20]).decode().lower()
    assert len(Keys(secret).dossier_token("slug", revision=3)) == 32


# ------------------------------------------------------------------------------- YAML

def test_clock_times_stay_text():
    assert load_yaml("a: 10:30\nb: 1:2:3\nc: 12\n", "t.yml").data == {
        "a": "10:30", "b": "1:2:3", "c": 12}


# ---------------------------------------------------------------------- the MkDocs runner

def test_bytecode_cache_is_bounded():
    from generator.engine.runner import MemoryBytecode

    class Bucket:
        def __init__(self, key):
            self.key = key

        def bytecode_to_string(self):
            return b"code"

    cache = MemoryBytecode(size=3)
    for i in range(10):
        cache.dump_bytecode(Bucket(str(i)))
    assert list(cache.code) == ["7", "8", "9"]


def test_theme_listing_is_made_once_per_theme(tmp_path):
    import jinja2

    from generator.engine.runner import ListingLoader

    (tmp_path / "a.html").write_text("a")
    calls = []

    class Counting(jinja2.FileSystemLoader):
        def list_templates(self):
            calls.append(1)
            return super().list_templates()

    listings: dict = {}
    for _ in range(3):
        loader = ListingLoader(Counting(str(tmp_path)), listings)
        assert jinja2.Environment(loader=loader).list_templates() == ["a.html"]
    assert len(calls) == 1


def test_an_unknown_key_with_brackets_is_reported_where_it_is(tmp_path):
    """Found by the fuzzer: pydantic's own labels (``list[str]``) look like such keys."""
    from generator.content.models.mission import Mission
    from generator.content.reader import _validate

    doc = load_yaml("titre: x\n([ clé: 1\noffre: o\n", "m.yml")
    _, problems = _validate(Mission, doc)
    assert any(p.key == "([ clé" and p.line == 2 and "clé inconnue" in p.message
               for p in problems), problems


def test_a_cache_key_carries_the_version_of_the_code_that_made_it(tmp_path, monkeypatch):
    """Derived from the code, not a constant to bump: an edit makes new keys, bytecode
    caches do not."""
    from generator.cache import version

    room = tmp_path / "room"
    (room / "__pycache__").mkdir(parents=True)
    (room / "a.py").write_text("x = 1")
    monkeypatch.setattr(version, "PACKAGE", tmp_path)

    def fresh(**libraries) -> str:
        version.code_version.cache_clear()
        return version.code_version("room", **libraries)

    try:
        before = fresh()
        (room / "__pycache__" / "a.pyc").write_bytes(b"\0")
        assert fresh() == before
        assert fresh(libraries=("jinja2",)) != before
        (room / "a.py").write_text("x = 2")
        assert fresh() != before
    finally:
        version.code_version.cache_clear()


def test_the_committed_web_fonts_are_the_french_subsets_of_the_ttf_files():
    """``make fonts`` made them: same bytes from the same TTF files, every character of
    French text there, none of the Cyrillic or Greek, no Reserved Font Name left."""
    from fontTools.ttLib import TTFont

    from conftest import REPO
    from generator.documents.fonts import FACES, FOLDER
    from generator.documents.webfonts import web_font, web_name

    for _, _, name in FACES:
        committed = REPO / "overrides" / "assets" / "fonts" / web_name(name)
        assert committed.read_bytes() == web_font(FOLDER / name), "make fonts"
        font = TTFont(committed)
        cmap = font.getBestCmap()
        assert all(ord(c) in cmap for c in "àâçéèêëîïôöùûüÿœŒÆæ«»’‘“”–—…€\u202f\u00a0\u2009")
        assert 0x0416 not in cmap and 0x03A9 not in cmap          # Ж, Ω
        assert not any("Source" in n.toUnicode() for n in font["name"].names
                       if n.nameID in (1, 3, 4, 6, 16, 17))
        assert committed.stat().st_size < 20 * 1024


def test_the_atom_feed_keeps_hostile_text_as_text():
    """Post titles, summaries and addresses come from the consultant's pages and the
    site's settings: in the feed they stay text, quotes in attributes included."""
    import datetime as dt
    import xml.etree.ElementTree as ET

    from generator.dossier.news import NewsItem, atom_feed

    title = '</title><script>alert(1)</script> & « guillemets » "x"'
    item = NewsItem(title, dt.datetime(2026, 12, 1), 'actualites/a"onmouseover="x/',
                    "Résumé <b>gras</b> & ]]>")
    site = 'https://exemple.fr/"<>/'
    feed = ET.fromstring(atom_feed([item], site_url=site, site_name='Site "<b>"'))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entry = feed.find("a:entry", ns)
    assert entry.find("a:title", ns).text == title
    assert entry.find("a:summary", ns).text == "Résumé <b>gras</b> & ]]>"
    assert entry.find("a:link", ns).get("href") == site + 'actualites/a"onmouseover="x/'
    assert feed.find("a:title", ns).text == 'Site "<b>" — Actualités'
    assert [link.get("href") for link in feed.findall("a:link", ns)] == \
        [site + "actualites/", site + "actualites/feed.xml"]


# --------------------------------------------------------------------- served stylesheets

OVERRIDES = REPO / "overrides"


def _meaning(css: str) -> list[str]:
    """A stylesheet's tokens, whitespace and comments left out, blocks opened (a block's
    last ``;`` separates nothing)."""
    def walk(nodes):
        for node in nodes:
            if node.type in ("whitespace", "comment"):
                continue
            if node.type == "function":
                yield f"{node.name}("
                yield from walk(node.arguments)
                yield ")"
            elif node.type in ("() block", "[] block", "{} block"):
                inside = list(walk(node.content))
                while node.type == "{} block" and inside[-1:] == [";"]:
                    inside.pop()
                yield node.type
                yield from inside
            else:
                yield node.serialize()
    return list(walk(tinycss2.parse_component_value_list(css)))


@pytest.mark.parametrize("sheet", sorted(OVERRIDES.glob("assets/stylesheets/*.css")),
                         ids=lambda p: p.name)
def test_minified_stylesheets_keep_every_token(sheet):
    source = sheet.read_text(encoding="utf-8")
    served = minify_css(source)
    assert len(served) < 0.85 * len(source)
    assert "/*" not in served and "\n" not in served.rstrip("\n")
    assert _meaning(served) == _meaning(source)
    assert minify_css(served) == served


@pytest.mark.parametrize("source, served", [
    (".a :is(.b, .c) > .d { width: calc(1px + 2px) !important }",
     ".a :is(.b,.c)>.d{width:calc(1px + 2px)!important}"),          # the space before : stays
    (".a:hover , .b ~ .c + .d { margin : 0  auto ; }", ".a:hover,.b ~ .c + .d{margin:0 auto}"),
    ("@media screen and (max-width: 37.5em) { .x { color: red } }",
     "@media screen and (max-width: 37.5em){.x{color:red}}"),
    ("@keyframes pulse { from { opacity: 0 } 50% { opacity: .5 } }",
     "@keyframes pulse{from{opacity:0}50%{opacity:.5}}"),
    ('a::after { content: " : /* x */ " }', 'a::after{content:" : /* x */ "}'),
    ("@font-face { font-family: 'A B'; src: url(a.woff2) format('woff2') }",
     '@font-face{font-family:"A B";src:url(a.woff2) format("woff2")}'),
    (".a { --Gap: 1px /* x */ 2px }", ".a{--Gap:1px 2px}"),
])
def test_minifying_drops_only_whitespace_that_means_nothing(source, served):
    assert minify_css(source) == served + "\n"


def test_an_unreadable_stylesheet_is_an_error_with_its_line():
    with pytest.raises(ValueError, match="ligne 3"):
        minify_css(".a { color: red }\n\n{ oops }\n")
