"""The « R.O.I. citoyen » workshop: its page in the dossier, and its result brought back.

The page's computation against the Python is tests/test_atelier_roi.py; the page in a
real browser (file://, network blocked, export, import, ranking) is in test_browser.py.
"""

from __future__ import annotations

import base64
import io
import json
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import PASSWORD, PROTECTED, REFERENCE, copy_project, pdf_text, run, words
from generator.protection.csp import declared_hashes, inline_hashes
from generator.protection.seal import derive_key, unseal

ATELIER = "atelier-roi-citoyen.html"
CRITERIA = ("temps", "deplacement", "effort", "exposition", "influence", "information",
            "reconnaissance", "convivialite", "suivi", "mobilisation")
SCHEMA = Path(__file__).resolve().parent.parent / "schemas" / "mission.schema.json"


class _Controls(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.radios: dict[str, list[str]] = {}
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        self.tags.append((tag, values))
        if tag == "input" and values.get("type") == "radio":
            self.radios.setdefault(values["name"], []).append(values["value"])


def page_data(html: str) -> dict:
    found = re.search(r'<script type="application/json" id="atelier-donnees">(.*?)</script>',
                      html, re.S)
    assert found
    return json.loads(found.group(1))


def unsealed(folder: Path, name: str) -> bytes:
    data = json.loads(re.search(r'id="amoor-sealed">(.*?)</script>',
                                (folder / "index.html").read_text(), re.S).group(1))
    key = derive_key(PASSWORD, base64.b64decode(data["salt"]), data["iterations"])
    if name.endswith(".html"):
        shell = json.loads(re.search(r'id="amoor-sealed">(.*?)</script>',
                                     (folder / name).read_text(), re.S).group(1))
        return unseal(key, name, base64.b64decode(shell["payload"]))
    return unseal(key, name, (folder / (name + ".enc")).read_bytes())


# --------------------------------------------------------------------------- the page

def test_every_score_control_is_in_the_page_from_the_start(built):
    html = (built.dossier(REFERENCE) / ATELIER).read_text()
    parser = _Controls()
    parser.feed(html)
    expected = {f"eval.{s}.{p}.{c}" for s in "ABC" for p in ("riverains", "commercants", "jeunes")
                for c in CRITERIA}
    assert set(parser.radios) == expected
    assert all(values == ["0", "1", "2", "3", "4"] for values in parser.radios.values())
    assert ("ol", {"data-role": "ranking", "aria-labelledby": "classement-titre"}) in parser.tags
    assert any(t == "button" and a.get("data-action") == "export" for t, a in parser.tags)
    for criterion in ("Temps", "Mobilisation", "sait ce que devient sa contribution"):
        assert criterion in html


def test_the_page_is_self_contained_and_runs_its_own_script_only(built):
    html = (built.dossier(REFERENCE) / ATELIER).read_text()
    parser = _Controls()
    parser.feed(html)
    for tag, attrs in parser.tags:
        assert "src" not in attrs or attrs["src"].startswith("data:"), (tag, attrs)
        assert tag != "link", attrs
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in html
    # Its policy allows exactly its one inline script: from disk, on the site, unsealed.
    assert inline_hashes(html) == declared_hashes(html) and len(inline_hashes(html)) == 1
    assert "default-src 'none'" in html


def test_the_page_starts_from_the_mission(built):
    data = page_data((built.dossier(REFERENCE) / ATELIER).read_text())
    assert data["mission"] == REFERENCE and data["retenu"] == "B"
    assert [p["ref"] for p in data["publics"] if p["prioritaire"]] == ["riverains", "commercants"]
    assert data["publics"][0]["libelle"] == "Riverains de la place"
    assert data["evaluations"]["C\0commercants"]["mobilisation"] == 1
    assert len(data["evaluations"]) == 9
    assert data["poids"] == {}      # none in the mission: the export writes none back


def test_a_mission_without_scenarios_or_publics_has_no_workshop_page(built):
    for slug in ("montclair-ecole-des-tilleuls", "val-d-orbiere-pont-de-ravergue"):
        folder = built.dossier(slug)
        assert not (folder / ATELIER).exists() and not (folder / (ATELIER + ".enc")).exists()
        assert ATELIER not in (folder / "index.html").read_text()


def test_the_page_is_linked_from_the_overview_and_the_roi_page(built):
    folder = built.dossier(REFERENCE)
    for page in ("index.html", "roi-citoyen/index.html"):
        html = (folder / page).read_text()
        assert re.search(r'<a href="(\.\./)?atelier-roi-citoyen\.html">', html), page


def test_a_protected_dossier_seals_the_page_and_its_zip_copy(built):
    folder = built.dossier(PROTECTED)
    shell = (folder / ATELIER).read_text()
    assert "Dossier protégé" in shell and "Vernillon" not in shell and "lyceens" not in shell
    page = unsealed(folder, ATELIER).decode()
    data = page_data(page)
    assert data["titre"] == "Plan de mobilité simplifié du Haut-Vernillon"
    assert data["evaluations"] == {}                 # before the workshop: every pair blank
    assert [p["ref"] for p in data["publics"]] == ["aines-isoles", "actifs-pendulaires", "lyceens"]
    # Once unsealed the page runs under the shell's policy and its own: its script is in both.
    assert set(inline_hashes(page)) <= set(declared_hashes(shell))
    archive = zipfile.ZipFile(io.BytesIO(unsealed(folder, "dossier-complet.zip")))
    assert archive.read(ATELIER).decode() == page
    assert not (folder / "dossier-complet.zip").exists()


def test_paper_grids_one_sheet_per_scenario_and_public(built):
    pdf = built.dossier(REFERENCE) / "atelier-grilles.pdf"
    pages = pdf_text(pdf).split("\f")
    assert len([p for p in pages if p.strip()]) == 1 + 9
    sheets = [words(p) for p in pages[1:10]]
    assert "Scénario A — Information renforcée · vu par : Riverains de la place (prioritaire)" \
        in sheets[0]
    assert "Scénario C — Ateliers de co-conception · vu par : Jeunes du quartier" in sheets[8]
    for sheet in sheets:
        for line in ("Temps peu de temps demandé", "Suivi sait ce que devient sa contribution",
                     "Mobilisation sera vraiment atteint (0, 1 : non)"):
            assert line in sheet
        assert sheet.replace(" ", "").count("0·1·2·3·4") == 10
    assert "atelier-grilles.pdf" in zipfile.ZipFile(
        built.dossier(REFERENCE) / "dossier-complet.zip").namelist()
    assert not (built.dossier("montclair-ecole-des-tilleuls") / "atelier-grilles.pdf").exists()


# --------------------------------------------------------------------------- the import

def export_of(mission_file: Path, slug: str, change=None) -> dict:
    """An export as the page writes it, from a mission's own evaluations."""
    import yaml

    roi = yaml.safe_load(mission_file.read_text())["roi_citoyen"]
    if change:
        change(roi)
    return {"mission": slug, "date": "2026-10-15", "roi_citoyen": roi,
            "classement": [], "paires": 9}


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path / "projet")


def _c_reaches_everyone(roi):
    for e in roi["evaluations"]:
        if e["scenario"] == "C":
            e["mobilisation"] = 4
    roi["scenario_retenu"] = "C"


def test_import_writes_the_result_and_keeps_the_rest_of_the_file(project, tmp_path):
    mission = project / "missions" / REFERENCE / "mission.yml"
    before = mission.read_text()
    exported = tmp_path / "export.json"
    exported.write_text(json.dumps(export_of(mission, REFERENCE, _c_reaches_everyone)))
    result = run("atelier", "importer", REFERENCE, str(exported), root=project)
    assert result.code == 0, result.err
    assert "9 évaluations écrites, scénario retenu C" in result.out
    assert re.search(r"1\. scénario B .*\n.*2\. scénario A.*\n.*3\. scénario C \(retenu\)",
                     result.out)
    after = mission.read_text()
    assert len(before.splitlines()) == len(after.splitlines())
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True)
               if a != b]
    assert changed == [("      mobilisation: 3", "      mobilisation: 4"),
                       ("      mobilisation: 1", "      mobilisation: 4"),
                       ("      mobilisation: 2", "      mobilisation: 4"),
                       ("  scenario_retenu: B", "  scenario_retenu: C")]
    shown = json.loads(run("show", REFERENCE, "--json", root=project).out)
    assert shown["roi"]["classement"] == ["B", "A", "C"]
    assert shown["roi"]["scenario_retenu"] == "C"


def test_import_fills_a_mission_scored_for_the_first_time(project, tmp_path):
    mission = project / "missions" / PROTECTED / "mission.yml"
    values = {"couts": {"temps": 3, "deplacement": 2, "effort": 3, "exposition": 4},
              "benefices": {"influence": 2, "information": 3, "reconnaissance": 2,
                            "convivialite": 1, "suivi": 2}}
    evaluations = [{"scenario": s, "public": p, **values, "mobilisation": 2 if s == "A" else 3}
                   for s in "AB" for p in ("aines-isoles", "actifs-pendulaires", "lyceens")]
    exported = tmp_path / "export.json"
    exported.write_text(json.dumps({"mission": PROTECTED, "date": "2027-03-18", "roi_citoyen": {
        "publics": [{"ref": "aines-isoles", "prioritaire": True}, {"ref": "actifs-pendulaires"},
                    {"ref": "lyceens"}], "evaluations": evaluations, "scenario_retenu": "B"}}))
    before = mission.read_text()
    result = run("atelier", "importer", PROTECTED, str(exported), root=project)
    assert result.code == 0, result.err
    after = mission.read_text()
    assert "evaluations: []" not in after and "# Scénarios à évaluer à l'atelier" in after
    head = before.split("roi_citoyen:")[0]
    assert after.startswith(head)
    assert after.split("livrables:")[1] == before.split("livrables:")[1]
    assert "  evaluations:   # remplies à l'atelier (amoor atelier importer)\n" in after
    assert after.count("# remplies") == 1 and "  scenario_retenu: B\n" in after
    assert run("check", root=project).code == 0
    shown = json.loads(run("show", PROTECTED, "--json", root=project).out)
    assert shown["roi"]["classement"] == ["B", "A"]


@pytest.mark.parametrize("change, message", [
    (lambda d: d.update(mission="montclair-ecole-des-tilleuls"),
     "export de la mission « montclair-ecole-des-tilleuls », pas de « montclair-place-du-marche »"),
    (lambda d: d["roi_citoyen"]["evaluations"][0].update(scenario="Z"), "scénario inconnu « Z »"),
    (lambda d: d["roi_citoyen"]["evaluations"][0].update(public="abf"), "public inconnu « abf »"),
    (lambda d: d["roi_citoyen"]["publics"].append({"ref": "inconnus"}),
     "public(s) inconnu(s) de la mission : inconnus"),
    (lambda d: d["roi_citoyen"]["evaluations"].pop(), "paire(s) pas encore notée(s) : C × jeunes"),
    (lambda d: d["roi_citoyen"]["evaluations"][0].update(mobilisation=5), "évaluation invalide"),
    (lambda d: d.pop("roi_citoyen"), "ce n'est pas un export de la page d'atelier"),
])
def test_import_refuses_a_wrong_file_and_writes_nothing(project, tmp_path, change, message):
    mission = project / "missions" / REFERENCE / "mission.yml"
    before = mission.read_bytes()
    data = export_of(mission, REFERENCE)
    change(data)
    exported = tmp_path / "export.json"
    exported.write_text(json.dumps(data))
    result = run("atelier", "importer", REFERENCE, str(exported), root=project)
    assert result.code != 0
    assert str(exported) in result.err and message in result.err and "rien n'a été écrit" in \
        result.err, result.err
    assert "Traceback" not in result.err
    assert mission.read_bytes() == before


def test_the_export_block_is_valid_against_the_mission_schema(project):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text())
    block = export_of(project / "missions" / REFERENCE / "mission.yml", REFERENCE)["roi_citoyen"]
    jsonschema.validate(block, {"$defs": schema["$defs"], "$ref": "#/$defs/Roi"})


def test_the_page_holds_its_own_mission_only(built):
    """What a client holding this one file could learn of another: nothing."""
    import yaml

    html = (built.dossier(REFERENCE) / ATELIER).read_text()
    missions = built.root / "missions"
    for folder in missions.iterdir():
        if folder.name == REFERENCE:
            continue
        other = yaml.safe_load((folder / "mission.yml").read_text())
        texts = [other["titre"], folder.name] + \
            [s["libelle"] for s in other.get("parties_prenantes", [])] + \
            [s["titre"] for s in other.get("scenarios", [])]
        for text in texts:
            assert text not in html, (folder.name, text)
