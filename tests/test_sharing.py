"""Sharing cards: every public page has its Open Graph and Twitter tags, a canonical
address and a 1200×630 PNG; no private page has any of them."""

from __future__ import annotations

import html.parser
import os
import re
import struct
import subprocess
from pathlib import Path
from urllib.parse import unquote

import pytest

from conftest import copy_project, run, suite_environment
from generator.documents.card import card_svg

TAGS = ("og:title", "og:description", "og:image", "og:url", "og:locale", "twitter:card")


class Head(html.parser.HTMLParser):
    """The meta and link tags of a page, as a crawler reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.canonical: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and ("property" in a or "name" in a):
            self.meta[a.get("property") or a["name"]] = a.get("content", "")
        if tag == "link" and a.get("rel") == "canonical":
            self.canonical = a.get("href")


def head(path: Path) -> Head:
    parser = Head()
    parser.feed(path.read_text())
    return parser


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with suite_environment():
        root = copy_project(tmp_path_factory.mktemp("cards"))
        page = root / "docs" / "contact.md"
        page.write_text('---\ntitle: "Contact \\"><script>alert(1)</script>"\n'
                        "description: 'Écrire <img src=x onerror=alert(1)> & « vite »'\n---\n"
                        + page.read_text())
        result = run("build", "-q", "--no-pdf", root=root)
        assert result.code == 0, result.err
    return root / "site"


def public_pages(site: Path) -> list[Path]:
    return [p for p in site.rglob("*.html") if p.name != "404.html"
            and not p.relative_to(site).as_posix().startswith(("d/", "c/"))]


def test_every_public_page_has_its_sharing_tags_and_a_card(site):
    pages = public_pages(site)
    assert len(pages) >= 6
    for page in pages:
        found = head(page)
        assert all(found.meta.get(t) for t in TAGS), (page, found.meta)
        assert found.meta["og:locale"] == "fr_FR"
        assert found.meta["twitter:card"] == "summary_large_image"
        url = "https://www.amoor.fr/" + page.parent.relative_to(site).as_posix() + "/"
        assert unquote(found.meta["og:url"]) == url.replace("https://www.amoor.fr/./",
                                                            "https://www.amoor.fr/")
        assert found.canonical == found.meta["og:url"]
        image = site / found.meta["og:image"].removeprefix("https://www.amoor.fr/")
        assert png_size(image.read_bytes()) == (1200, 630), page


def test_the_offer_card_shows_its_title_and_price(site):
    found = head(site / "offres" / "concertation-pertinente" / "index.html")
    assert found.meta["og:title"] == "Construire une concertation pertinente"
    svg = card_svg(found.meta["og:title"], badge="à partir de 5\u202f000\xa0€\xa0HT",
                   site_url="https://www.amoor.fr/")
    assert "5\u202f000\xa0€" in svg and "Construire une concertation" in svg
    home = head(site / "index.html").meta["og:image"]
    assert home != found.meta["og:image"]           # each page its own card


def test_no_private_page_has_a_sharing_tag_or_a_canonical_address(site):
    private = [p for p in site.rglob("*.html")
               if p.relative_to(site).as_posix().startswith(("d/", "c/"))]
    assert private
    for page in private:
        text = page.read_text(errors="replace")
        # A tag, not a substring (the workshop page's CSS has « dialog::backdrop »).
        assert not re.search(r"""(?:property|name)\s*=\s*["']?(?:og|twitter):""", text), page
        assert 'rel="canonical"' not in text, page
    assert not any(p.suffix == ".png" for p in (site / "d").rglob("*")
                   if "cartes" in p.as_posix())


def test_a_hostile_title_and_description_stay_text_in_the_tags(site):
    page = site / "contact" / "index.html"
    text = page.read_text()
    assert "<script>alert" not in text and "<img src=x" not in text
    found = head(page)
    assert found.meta["og:title"] == 'Contact "><script>alert(1)</script>'
    assert found.meta["og:description"] == "Écrire <img src=x onerror=alert(1)> & « vite »"



def jsonld(path: Path) -> list[dict]:
    import json
    import re

    return [json.loads(m) for m in re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', path.read_text(), re.S)]


def test_the_about_page_has_the_contact_block_and_person_and_organization(site):
    page = site / "a-propos" / "index.html"
    text = " ".join(page.read_text().split())
    assert "06 32 55 05 30" in text and "contact[@]exemple.invalid" in text
    assert 'href="https://www.linkedin.com/in/olivier-ryckewaert/"' in text
    graph = {n["@type"]: n for d in jsonld(page) for n in d["@graph"]}
    assert graph["Person"]["name"] == "Olivier Ryckewaert"
    assert graph["Organization"]["name"] == "a.m.o.o.r."
    assert graph["Person"]["worksFor"]["@id"] == graph["Organization"]["@id"]
    assert "https://twitter.com/oliv_ryckewaert" in graph["Person"]["sameAs"]
    assert "@" not in json.dumps(graph).replace("@type", "").replace("@id", "").replace(
        "@context", "").replace("@graph", "")           # no e-mail address in clear


import json  # noqa: E402

#: What schema.org and Google's rich results ask of these types (written down from
#: schema.org/Service, schema.org/Offer and Google's « Product snippet » and
#: « Organization » structured data documentation): required, then recommended.
REQUIRED = {
    "Service": {"name", "provider", "offers"},
    "Offer": {"price", "priceCurrency"},
    "Organization": {"name", "url"},
    "Person": {"name"},
}
#: Properties each type may carry (schema.org), so that a typo is caught.
KNOWN = {
    "Service": {"@context", "@type", "name", "description", "serviceType", "areaServed",
                "provider", "url", "offers", "@id", "image"},
    "Offer": {"@type", "url", "priceCurrency", "price", "priceSpecification",
              "itemOffered", "availability", "@id"},
    "Organization": {"@type", "@id", "name", "url", "telephone", "founder", "logo",
                     "sameAs"},
    "Person": {"@type", "@id", "name", "jobTitle", "url", "telephone", "worksFor", "sameAs"},
}


def _nodes(value):
    if isinstance(value, dict):
        if "@type" in value:
            yield value
        for v in value.values():
            yield from _nodes(v)
    elif isinstance(value, list):
        for v in value:
            yield from _nodes(v)


@pytest.mark.parametrize("rel", ["offres/concertation-pertinente/index.html",
                                 "a-propos/index.html"])
def test_structured_data_has_what_schema_org_and_rich_results_require(site, rel):
    data = jsonld(site / rel)
    assert data and all(d["@context"] == "https://schema.org" for d in data)
    tops = [n for d in data for n in d.get("@graph", [d])]
    tops += [t["offers"] for t in tops if "offers" in t]
    assert tops
    for node in tops:       # the items an engine reads (the offer's parts are names only)
        kind = node["@type"]
        assert REQUIRED[kind] <= node.keys(), (kind, node.keys())
        if kind == "Offer":
            assert float(node["price"]) > 0 and node["priceCurrency"] == "EUR"
    for node in (n for d in data for n in _nodes(d) if n["@type"] in KNOWN):
        assert node.keys() <= KNOWN[node["@type"]], node.keys() - KNOWN[node["@type"]]


def test_the_sitemap_lists_public_pages_only_with_their_date(site):
    import re

    sitemap = (site / "sitemap.xml").read_text()
    urls = re.findall(r"<loc>(.*?)</loc>", sitemap)
    assert "https://www.amoor.fr/references/" in urls
    assert "https://www.amoor.fr/a-propos/" in urls
    assert not any("/d/" in u or "/c/" in u for u in urls)
    assert len(re.findall(r"<lastmod>\d{4}-\d\d-\d\d</lastmod>", sitemap)) == len(urls)


def test_news_posts_have_a_feed_and_the_latest_are_on_the_home_page(site):
    import xml.etree.ElementTree as ET

    feed = ET.parse(site / "actualites" / "feed.xml").getroot()
    atom = "{http://www.w3.org/2005/Atom}"
    titles = [e.findtext(f"{atom}title") for e in feed.iter(f"{atom}entry")]
    assert titles == ["Concertation : choisir avant d'engager",
                      "Le R.O.I. citoyen présenté aux agents publics"]
    for entry in feed.iter(f"{atom}entry"):
        link = entry.find(f"{atom}link").get("href")
        assert (site / link.removeprefix("https://www.amoor.fr/") / "index.html").exists() \
            or (site / unquote(link.removeprefix("https://www.amoor.fr/")) / "index.html").exists()
    home = " ".join((site / "index.html").read_text().split())
    assert home.index("Concertation : choisir avant") < home.index("Le R.O.I. citoyen présenté")
    assert 'href="actualites/feed.xml"' in home
    assert home.index('id="actualites-recentes"') < home.index('id="parlons-de-votre-projet"')


def _lastmods(site: Path) -> dict[str, str]:
    sitemap = (site / "sitemap.xml").read_text()
    return dict(re.findall(r"<loc>https://www\.amoor\.fr/(.*?)</loc>\s*<lastmod>(.*?)</lastmod>",
                           sitemap))


def test_the_sitemap_dates_each_page_by_its_last_commit(tmp_path, monkeypatch):
    """lastmod is the day a page's file was last committed; the build's day for a page
    with uncommitted changes, a generated one, or any page of a shallow clone."""
    root = copy_project(tmp_path / "p")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1801440000")           # 2027-02-01, the build

    def git(*args: str, day: str | None = None, cwd: Path = root) -> None:
        env = {"GIT_AUTHOR_DATE": f"{day}T10:00:00+01:00",
               "GIT_COMMITTER_DATE": f"{day}T10:00:00+01:00"} if day else {}
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c",
                        "commit.gpgsign=false", *args], cwd=cwd, check=True,
                       capture_output=True, env={**os.environ, **env})

    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "first", day="2025-03-04")
    contact = root / "docs" / "contact.md"
    contact.write_text(contact.read_text() + "\nNouvelle ligne.\n")
    git("commit", "-qam", "contact", day="2026-01-15")
    about = root / "docs" / "a-propos.md"
    about.write_text(about.read_text() + "\nPas encore validé.\n")          # not committed
    hook = tmp_path / "hook.sh"          # a repository's config may name a program: not run
    hook.write_text(f"#!/bin/sh\ntouch {tmp_path / 'ran'}\n")
    hook.chmod(0o755)
    git("config", "core.fsmonitor", str(hook))
    assert run("build", "-q", "--no-pdf", root=root).code == 0
    dates = _lastmods(root / "site")
    assert dates["contact/"] == "2026-01-15"
    assert dates["offres/concertation-pertinente/"] == "2025-03-04"
    assert dates["a-propos/"] == "2027-02-01"
    assert dates["references/"] == "2027-02-01"                  # made by the generator
    assert not (tmp_path / "ran").exists()

    git("clone", "-q", "--depth", "1", root.as_uri(), str(tmp_path / "shallow"), cwd=tmp_path)
    shallow = tmp_path / "shallow"
    assert run("build", "-q", "--no-pdf", root=shallow).code == 0
    assert set(_lastmods(shallow / "site").values()) == {"2027-02-01"}
