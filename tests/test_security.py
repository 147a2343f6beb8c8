"""The audit's findings, each reproduced: hostile text in every field, the calendar, the
secret, the demo password, YAML bombs. Each test failed before its fix."""

from __future__ import annotations

import html
import json
import re
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from conftest import (
    FIXTURE,
    PASSWORD_ENV,
    PROTECTED,
    REFERENCE,
    REPO,
    STOPPED,
    copy_project,
    run,
    suite_environment,
)
from generator.content.diagnostics import InputError
from generator.content.yamlio import load_yaml

# --------------------------------------------------------------- 2. hostile text everywhere


def payload(i: int, *, one_line: bool = True) -> str:
    text = (f'P{i}"\'><img src=x onerror=alert({i})></title><script>alert({i})</script>'
            f"[lien](javascript:alert({i})) **g{i}** & «{i}»")
    return text if one_line else text + f"\r\nX-INJECTE-{i}:oui\rX-AUTRE-{i}:oui"


def _leaves(data, path=()):
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _leaves(v, path + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _leaves(v, path + (i,))
    elif isinstance(data, str):
        yield path


def _set(data, path, value):
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def _key(path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def hostile_mission(root: Path, slug: str) -> int:
    """Every text of the mission replaced by a payload, where the mission still validates
    (identifiers and references keep their value). Returns how many texts are hostile."""
    file = root / "missions" / slug / "mission.yml"
    original = yaml.safe_load(file.read_text())
    data = json.loads(json.dumps(original, default=str))
    leaves = list(_leaves(data))
    for i, path in enumerate(leaves):
        _set(data, path, payload(i, one_line=False))
    tries = dict.fromkeys(leaves, 0)
    for _ in range(12):     # cross-checks appear once what hides them is fixed
        file.write_text(yaml.safe_dump(data, allow_unicode=True))
        result = run("check", root=root)
        wrong = {line.split(": ", 2)[1] for line in result.err.splitlines()
                 if line.startswith(f"missions/{slug}/mission.yml:")}
        if not wrong:
            break
        for i, path in enumerate(leaves):
            if any(_key(path) == w or w.startswith(_key(path)) or _key(path).startswith(w + ".")
                   for w in wrong):
                tries[path] += 1
                _set(data, path, payload(i) if tries[path] == 1 else _get(original, path))
    assert run("check", root=root).code == 0
    return sum(1 for path in leaves if str(_get(data, path)).startswith("P"))


def _get(data, path):
    for part in path:
        data = data[part]
    return data


class _Audit(HTMLParser):
    """What a browser would execute: handlers, scripts, javascript: links, injected tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.script: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on") and "alert(" in (value or ""):
                self.found.append(f"<{tag} {name}>")
            if name in ("href", "src") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}=javascript:>")
        if tag == "img" and dict(attrs).get("src") == "x":
            self.found.append("<img src=x>")
        if tag == "script":     # what a browser runs; a JSON data block is only text
            kind = (dict(attrs).get("type") or "").lower()
            executable = kind in ("", "text/javascript", "application/javascript", "module")
            self.script = [] if executable or kind == "application/ld+json" else None

    def handle_data(self, data):
        if self.script is not None:
            self.script.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self.script is not None:
            text = "".join(self.script)
            if re.search(r"(?<![\\\w])alert\(\d+\)", text) and '"@context"' not in text:
                self.found.append("<script>alert</script>")
            self.script = None


def executable(html: str) -> list[str]:
    audit = _Audit()
    audit.feed(html)
    return audit.found


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    with suite_environment():
        return _hostile_site(tmp_path_factory.mktemp("hostile"))


def _hostile_site(folder: Path):
    root = copy_project(folder)
    count = hostile_mission(root, REFERENCE) + hostile_mission(root, PROTECTED)
    assert count > 40
    # Front matter of the consultant's pages: mission pages, public pages, the offer page.
    page = root / "missions" / REFERENCE / "cartographie.md"
    page.write_text(f"---\ntitre: {json.dumps(payload(900))}\n---\n" + page.read_text())
    contact = root / "docs" / "contact.md"
    body = contact.read_text().split("---", 2)[-1] if contact.read_text().startswith("---") \
        else contact.read_text()
    contact.write_text(f"---\ntitle: {json.dumps(payload(901))}\n"
                       f"description: {json.dumps(payload(902))}\n---\n" + body)
    offer = root / "docs" / "offres" / "concertation-pertinente.md"
    text = offer.read_text()
    text = text.replace("template: offre.html\n", "template: offre.html\n"
                        f"title: {json.dumps(payload(903))}\n"
                        f"description: {json.dumps(payload(904))}\n")
    text = text.replace("titre: Construire une concertation pertinente",
                        f"titre: {json.dumps(payload(905))}")
    text = text.replace("accroche: Choisir ses modalités en fonction des enjeux",
                        f"accroche: {json.dumps(payload(906))}")
    offer.write_text(text)
    result = run("build", "-q", "--no-strict", root=root)
    assert result.code == 0, result.err
    links = json.loads(run("links", "--json", root=root).out)
    return root, links


def test_no_hostile_text_runs_anywhere(hostile_site):
    root, _ = hostile_site
    pages = [p for p in (root / "site").rglob("*.html")]
    assert len(pages) > 20
    for page in pages:
        assert executable(page.read_text()) == [], page.relative_to(root)


def test_hostile_text_is_shown_as_text(hostile_site):
    root, links = hostile_site
    folder = root / "site" / next(r["url"] for r in links if r["slug"] == REFERENCE)
    html = (folder / "cartographie" / "index.html").read_text()
    assert "&lt;script&gt;alert(900)&lt;/script&gt;" in html          # page title
    head = html.split("</head>")[0]
    assert "<title>P900&#34;" in head or "<title>P900&quot;" in head  # <title>, escaped
    description = re.search(r'<meta name="description" content="([^"]*)"', head).group(1)
    assert "<" not in description and "onerror" in description       # escaped attribute
    contact = (root / "site" / "contact" / "index.html").read_text()
    assert "&lt;script&gt;alert(901)" in contact


def test_calendar_lines_cannot_be_injected(hostile_site):
    root, links = hostile_site
    url = next(r["url"] for r in links if r["slug"] == REFERENCE)
    ics = (root / "site" / url / "agenda.ics").read_bytes().decode()
    assert "SUMMARY:" in ics and "P0" in ics or "P" in ics.split("SUMMARY:")[1][:40]
    for line in ics.split("\r\n"):
        assert not line.startswith("X-"), line
        assert "\r" not in line and "\n" not in line


def test_mail_links_keep_one_recipient_and_their_two_fields(hostile_site):
    """A title cannot add a recipient, a header or a line to the subject of a mailto."""
    from urllib.parse import parse_qs, urlsplit

    root, _ = hostile_site
    hrefs = [html.unescape(h) for p in (root / "site").rglob("*.html")
             for h in re.findall(r'href="(mailto:[^"]*)"', p.read_text())]
    hostile = [h for h in hrefs if "alert" in h]
    assert len(hostile) >= 4     # accept (the protected one's proposal), feedback, contact
    for href in hrefs:
        parts = urlsplit(href)
        assert parts.path in ("contact@exemple.invalid", "contact@amoor.fr"), href
        query = parse_qs(parts.query, strict_parsing=True) if parts.query else {}
        assert set(query) <= {"subject", "body"} and all(len(v) == 1 for v in query.values())
        assert "\n" not in query.get("subject", [""])[0] and "\r" not in query.get(
            "subject", [""])[0]


# ------------------------------------------------------------------- 3. the calendar's UID

def test_calendar_uid_reveals_nothing_and_is_stable(built, tmp_path):
    ics = (built.dossier(REFERENCE) / "agenda.ics").read_text()
    token = next(r["url"] for r in built.links if r["slug"] == REFERENCE).split("/")[1]
    uids = re.findall(r"^UID:(.*)$", ics, re.M)
    assert uids and all(token not in uid and REFERENCE not in uid for uid in uids)
    root = copy_project(tmp_path / "p")
    assert run("build", "-q", "--no-pdf", root=root).code == 0
    again = next((root / "site").glob(f"d/{token}/agenda.ics")).read_text()
    assert re.findall(r"^UID:(.*)$", again, re.M) == uids


# ------------------------------------------------------------------------ 4. the secret

@pytest.mark.parametrize("value", ["a", "court-0123456789", "a" * 40])
def test_a_weak_secret_is_refused(tmp_path, monkeypatch, value):
    root = copy_project(tmp_path / "p")
    monkeypatch.setenv("AMOOR_SECRET", value)
    for args in (["build", "--no-pdf"], ["links"]):
        result = run(*args, root=root)
        assert result.code == 1 and "clé secrète trop faible" in result.err, result.err
        assert "amoor secret" in result.err
    assert not (root / "site").exists()


@pytest.mark.parametrize("value", [None, ""])
def test_in_ci_a_missing_or_empty_secret_is_refused(tmp_path, monkeypatch, value):
    root = copy_project(tmp_path / "p")
    monkeypatch.setenv("CI", "true")
    if value is None:
        monkeypatch.delenv("AMOOR_SECRET")
    else:
        monkeypatch.setenv("AMOOR_SECRET", value)
    result = run("build", "--no-pdf", root=root)
    assert result.code == 1 and "AMOOR_SECRET" in result.err
    assert not (root / "site").exists() and not (root / ".amoor").exists()


def test_each_purpose_has_its_own_key():
    from generator.protection.keys import Keys

    keys = Keys(b"k" * 16 + b"0123456789abcdef")
    values = {keys.dossier_token("x"), keys.client_token("x"), keys.salt("x").hex(),
              keys.calendar_uid("x", "atelier"), keys.verifier("x")}
    assert len(values) == 5
    assert keys.dossier_token("x", revision=1) != keys.dossier_token("x", revision=2)


# ---------------------------------------------------------------- 5. the demo password

def test_no_password_in_what_the_publish_workflows_run():
    for file in ("Makefile", ".ci/run", ".github/workflows/publish.yml", ".gitlab-ci.yml"):
        text = (REPO / file).read_text()
        assert "vernillon-demo" not in text and "AMOOR_MDP_VERNILLON ?=" not in text, file


def _example(root: Path) -> Path:
    """The protected fixture mission turned into an example with a demo password."""
    file = root / "missions" / PROTECTED / "mission.yml"
    text = file.read_text().replace("titre:", "exemple: true\ntitre:", 1)
    text = text.replace(f"mot_de_passe_env: {PASSWORD_ENV}",
                        f"mot_de_passe_env: {PASSWORD_ENV}\n  mot_de_passe_demo: demo-longue-123")
    file.write_text(text)
    return file


def test_in_ci_a_protected_dossier_without_its_variable_fails(tmp_path, monkeypatch):
    root = copy_project(tmp_path / "p")
    monkeypatch.setenv("CI", "true")
    monkeypatch.delenv(PASSWORD_ENV)
    result = run("build", "--no-pdf", root=root)
    assert result.code == 1 and PASSWORD_ENV in result.err
    assert not (root / "site").exists()


def test_an_example_uses_its_demo_password_outside_ci_only(tmp_path, monkeypatch):
    root = copy_project(tmp_path / "p")
    _example(root)
    monkeypatch.delenv(PASSWORD_ENV)
    result = run("build", "--no-pdf", "-q", root=root)
    assert result.code == 0, result.err
    assert "mot de passe de démonstration « demo-longue-123 »" in result.err
    monkeypatch.setenv("CI", "true")
    result = run("build", "--no-pdf", "-q", root=root)
    assert result.code == 0, result.err
    assert "mission d'exemple (exemple: true), non publiée en CI" in result.err
    links = json.loads(run("links", "--json", root=root).out)
    assert PROTECTED in {r["slug"] for r in links}               # links lists it…
    published = {p.name for p in (root / "site" / "d").iterdir()}
    token = next(r["url"] for r in links if r["slug"] == PROTECTED).split("/")[1]
    assert token not in published                                  # …but CI did not publish it


def test_a_demo_password_outside_an_example_is_an_error(tmp_path):
    root = copy_project(tmp_path / "p")
    file = root / "missions" / PROTECTED / "mission.yml"
    file.write_text(file.read_text().replace(
        f"mot_de_passe_env: {PASSWORD_ENV}",
        f"mot_de_passe_env: {PASSWORD_ENV}\n  mot_de_passe_demo: en-clair-123"))
    result = run("check", root=root)
    assert result.code == 1 and "acces.mot_de_passe_demo" in result.err


# ------------------------------------------------------------------ 7. merge-key bombs

def test_merge_key_bomb_is_stopped_quickly():
    text = "a: &a {x: 1, y: 2}\n"
    for i in range(1, 26):
        text += f"b{i}: &b{i} {{<<: [*{'a' if i == 1 else f'b{i - 1}'}, " \
                f"*{'a' if i == 1 else f'b{i - 1}'}]}}\n"
    assert len(text) < 1000
    start = time.perf_counter()
    with pytest.raises(InputError) as caught:
        load_yaml(text, "bombe.yml")
    assert time.perf_counter() - start < 2
    assert "document trop gros" in str(caught.value)


def test_merges_follow_the_yaml_rules():
    text = ("a: &a {x: 1, y: 1}\nb: &b {<<: *a, x: 9}\nc: {<<: *b}\n"
            "d: {<<: [{x: 5}, *a]}\ne: {<<: *a, y: 3}\n")
    data = load_yaml(text, "t.yml").data
    assert data["c"] == {"x": 9, "y": 1} and data["d"] == {"x": 5, "y": 1}
    assert data["e"] == {"x": 1, "y": 3}


def test_pyyaml_floor_is_the_fixed_release():
    text = (REPO / "pyproject.toml").read_text()
    assert '"PyYAML>=6.0.4"' in text


# ----------------------------------------------------------------------- 8. low findings

def test_a_huge_base60_number_is_text_not_a_crash(tmp_path):
    root = copy_project(tmp_path / "p")
    file = root / "missions" / REFERENCE / "mission.yml"
    file.write_text(file.read_text().replace("titre: Réaménagement de la place du Marché",
                                             "titre: " + ":".join(["1"] * 3000), 1))
    result = run("check", root=root)
    assert result.code == 0 and "Traceback" not in result.err


def test_a_huge_number_where_text_is_expected_is_reported(tmp_path):
    root = copy_project(tmp_path / "p")
    file = root / "missions" / REFERENCE / "mission.yml"
    file.write_text(file.read_text().replace("titre: Réaménagement de la place du Marché",
                                             "titre: " + "9" * 5000, 1))
    result = run("check", root=root)
    assert result.code == 1 and "mission.yml:3:8: titre: valeur illisible" in result.err
    assert "Traceback" not in result.err and len(result.err) < 2000


def test_pdf_cache_forgets_deleted_missions(tmp_path):
    import shutil

    root = copy_project(tmp_path / "p")
    assert run("build", "-q", root=root).code == 0
    cache = root / ".cache" / "amoor" / "documents"
    before = {p.name for p in cache.glob("*.p*")}
    # The only mission of its client: the other dossiers stay as they were.
    shutil.rmtree(root / "missions" / STOPPED)
    assert run("build", "-q", root=root).code == 0
    after = {p.name for p in cache.glob("*.p*")}
    assert after < before and len(before - after) == 5     # its 4 PDFs and its deck


def test_the_fixture_is_the_suites_own():
    """Guard of the guard: the live content is off limits to the suite."""
    with pytest.raises(RuntimeError, match="contenu du consultant"):
        (REPO / "missions" / "x.yml").read_text()
    assert FIXTURE.is_dir()


def test_readme_says_exactly_what_a_sealed_dossier_shows(built):
    """Third audit, finding 14: the README said a sealed dossier's file names were the
    same for every dossier (``agenda.ics.enc`` is there only when the mission is dated)
    and said nothing of their sizes."""
    readme = (REPO / "README.md").read_text()
    start = readme.index("Ce qu'un dossier protégé")
    paragraph = " ".join(readme[start:readme.index("\n- ", start)].split())
    assert "les mêmes pour tous les dossiers" not in paragraph
    assert "taille" in paragraph and "28 octets" in paragraph
    folder = built.dossier(PROTECTED)
    sealed = sorted(p.name for p in folder.glob("*.enc"))
    assert "agenda.ics.enc" in sealed
    for name in sealed:
        assert f"`{name}`" in paragraph, name
    assert re.search(r"`agenda\.ics\.enc`[^.]*seulement", paragraph)
