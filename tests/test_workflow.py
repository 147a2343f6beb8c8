"""The consultant's workflow: scaffold, schemas, export, agenda, publishing files."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import jsonschema
import pytest
import yaml

from conftest import FIXTURE, REFERENCE, REPO, copy_project, run


def test_new_mission_is_valid_at_once_and_never_overwrites(tmp_path):
    root = copy_project(tmp_path / "p", missions=False)
    result = run("new", "ville-test", "--client", "Ville de Test <b>&", root=root)
    assert result.code == 0, result.err
    folder = root / "missions" / "ville-test"
    text = (folder / "mission.yml").read_text()
    assert text.startswith("# yaml-language-server: $schema=../../schemas/mission.schema.json")
    assert sum(1 for line in text.splitlines() if "#" in line) > 20  # every key explained
    assert {p.name for p in folder.iterdir()} == {"mission.yml", "cartographie.md",
                                                  "parametres.md", "cahier-des-charges.md"}
    assert run("check", root=root).code == 0
    (folder / "cartographie.md").write_text("mon texte")
    again = run("new", "ville-test", "--client", "Autre", root=root)
    assert again.code == 1 and "existe déjà" in again.err
    assert (folder / "cartographie.md").read_text() == "mon texte"
    built = run("build", "--no-pdf", "-q", root=root)
    assert built.code == 0, built.err
    links = json.loads(run("links", "--json", root=root).out)
    html = (root / "site" / links[0]["url"] / "index.html").read_text()
    assert "Ville de Test &lt;b&gt;&amp;" in html


def test_new_refuses_a_bad_slug(tmp_path):
    root = copy_project(tmp_path / "p", missions=False)
    result = run("new", "Ville Test", "--client", "X", root=root)
    assert result.code == 1 and "minuscules" in result.err


def _plain(data):
    """YAML dates as the strings an editor sees."""
    return json.loads(json.dumps(data, default=str))


def test_schemas_are_up_to_date_and_validate_the_reference(tmp_path):
    assert run("schema", str(tmp_path), root=REPO).code == 0
    for name in ("mission.schema.json", "offre.schema.json", "prestataire.schema.json"):
        assert (tmp_path / name).read_text() == (REPO / "schemas" / name).read_text(), name
    schema = json.loads((tmp_path / "mission.schema.json").read_text())
    assert schema["properties"]["tarif"]["description"].startswith("Proposition")
    mission = _plain(yaml.safe_load((FIXTURE / "missions" / REFERENCE / "mission.yml").read_text()))
    jsonschema.validate(mission, schema)
    broken = dict(mission, statut="finie")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)
    unknown = dict(mission, tarif=dict(mission["tarif"], remise=10))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(unknown, schema)
    offer_schema = json.loads((tmp_path / "offre.schema.json").read_text())
    text = (FIXTURE / "docs" / "offres" / "concertation-pertinente.md").read_text()
    jsonschema.validate(_plain(yaml.safe_load(text.split("---")[1])), offer_schema)


def test_export_builds_with_plain_mkdocs(tmp_path):
    root = copy_project(tmp_path / "p")
    for args, name in ((["export", str(tmp_path / "pub")], "pub"),
                       (["export", str(tmp_path / "dos"), "--dossier", REFERENCE], "dos")):
        assert run(*args, root=root).code == 0
        done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q"],
                              cwd=tmp_path / name, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    offer = (tmp_path / "pub" / "site" / "offres" / "concertation-pertinente" / "index.html")
    assert "5\u202f000\u00a0€" in offer.read_text()
    roi = (tmp_path / "dos" / "site" / "roi-citoyen" / "index.html").read_text()
    assert "2,725" in roi
    assert not (tmp_path / "pub" / "docs" / "d").exists()


def test_agenda_file_has_the_workshop(built):
    ics = (built.dossier(REFERENCE) / "agenda.ics").read_bytes().decode()
    assert ics.startswith("BEGIN:VCALENDAR\r\n") and ics.endswith("END:VCALENDAR\r\n")
    assert "DTSTART;VALUE=DATE:20261015" in ics
    assert "SUMMARY:Atelier" in ics
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))
    assert 'href="agenda.ics"' in (built.dossier(REFERENCE) / "index.html").read_text()


def _readme_commands() -> tuple[str, list[str]]:
    head = (REPO / "README.md").read_text().split("```")[1]
    apt = next(line for line in head.splitlines() if "apt-get install" in line)
    commands = [line.split("#")[0].strip() for line in head.splitlines()
                if line.startswith("make ")]
    return apt, commands


SITE_PACKAGES = {"libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0",
                 "fonts-dejavu-core"}     #: all the main job asks of the system


def test_publishing_files_run_the_readme_commands():
    apt, commands = _readme_commands()
    assert commands == ["make site", "make test"]
    packages = set(apt.split("install -y")[1].split())
    assert SITE_PACKAGES <= packages
    github = yaml.safe_load((REPO / ".github" / "workflows" / "publish.yml").read_text())
    runs = [s.get("run", "") for s in github["jobs"]["build"]["steps"]]
    assert runs.index("make install") < runs.index("make check") < runs.index("make site")
    apt_step = next(s for s in runs if "apt-get install" in s)
    assert set(apt_step.split("install -y")[1].split()) == SITE_PACKAGES
    gitlab = yaml.safe_load((REPO / ".gitlab-ci.yml").read_text())
    assert "make test" in gitlab["tests"]["script"]
    pages = gitlab["pages"]["script"]
    assert [next(i for i, c in enumerate(pages) if c.endswith(command))
            for command in ("make install", "make check", "make site")] == [1, 2, 3]
    assert SITE_PACKAGES <= set(pages[0].rstrip("'").split())
    assert gitlab["pages"]["artifacts"]["paths"] == ["public"]
    ci = (REPO / ".ci" / "run").read_text()
    assert "make test" in ci and packages <= set(re.split(r"[\s\\]+", ci))


def test_secrets_reach_the_build_step_only():
    github = yaml.safe_load((REPO / ".github" / "workflows" / "publish.yml").read_text())
    assert github["permissions"] == {"contents": "read"}
    build, deploy = github["jobs"]["build"], github["jobs"]["deploy"]
    assert "env" not in github and "env" not in build
    with_secrets = [s for s in build["steps"] if "secrets." in yaml.safe_dump(s)]
    assert [s.get("run") for s in with_secrets] == ["make site"]
    assert build["permissions"] == {"contents": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert github[True]["schedule"]            # "on:" reads as True in YAML 1.1
    gitlab = yaml.safe_load((REPO / ".gitlab-ci.yml").read_text())
    assert gitlab["pages"]["environment"] == "production"
    assert "environment" not in gitlab["tests"]
    assert gitlab["pages"]["script"][0].startswith("env -i ")   # install without secrets
    assert gitlab["pages"]["artifacts"]["expire_in"]
    ci = (REPO / ".ci" / "run").read_text()
    assert "AMOOR_SECRET" not in ci and "AMOOR_MDP" not in ci


def test_dependencies_come_from_the_lock_file_with_hashes():
    import tomllib

    makefile = (REPO / "Makefile").read_text()
    assert "--require-hashes -r requirements.lock" in makefile
    lock = (REPO / "requirements.lock").read_text()
    pinned = {line.split("==")[0].lower().replace("_", "-")
              for line in lock.splitlines() if "==" in line and not line.startswith(" ")}
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    wanted = project["dependencies"] + project["optional-dependencies"]["test"]
    for requirement in wanted:
        name = re.split(r"[<>=\[ ]", requirement)[0].lower().replace("_", "-")
        assert name in pinned, requirement


def test_export_builds_with_zensical_too(tmp_path):
    """The exit from Material for MkDocs (end of life 2027-05-05): the export of the
    public site and of a dossier builds with Zensical, header and search included."""
    pytest.importorskip("zensical")
    root = copy_project(tmp_path / "p")
    for args, name in ((["export", str(tmp_path / "pub"), "--no-pdf"], "pub"),
                       (["export", str(tmp_path / "dos"), "--dossier", REFERENCE, "--no-pdf"],
                        "dos")):
        assert run(*args, root=root).code == 0
        done = subprocess.run([sys.executable, "-m", "zensical", "build", "--strict"],
                              cwd=tmp_path / name, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
    offer = (tmp_path / "pub" / "site" / "offres" / "concertation-pertinente" / "index.html")
    html = offer.read_text()
    assert "5\u202f000\u00a0€" in html and 'class="md-search"' in html
    assert '<script type="application/ld+json">' in html
    dossier = (tmp_path / "dos" / "site" / "roi-citoyen" / "index.html").read_text()
    assert "2,725" in dossier and "Dossier confidentiel" in dossier
    assert '<meta name="robots" content="noindex, nofollow' in dossier


def test_a_new_missions_devis_is_dated_the_day_it_is_written(tmp_path):
    """No start date yet (a proposition): the devis is dated the day ``amoor new`` ran,
    not a fixed day long past, so it is valid when it is sent."""
    root = copy_project(tmp_path / "p", missions=False)
    assert run("--date", "2027-03-01", "new", "ville-test", "--client", "Ville de Test",
               root=root).code == 0
    mission = yaml.safe_load((root / "missions" / "ville-test" / "mission.yml").read_text())
    assert mission["devis"]["date"].isoformat() == "2027-03-01"
    assert mission["dates"]["debut"] is None
    assert run("build", "--no-pdf", "-q", root=root).code == 0
    links = json.loads(run("links", "--json", root=root).out)
    page = root / "site" / links[0]["url"] / "proposition-financiere" / "index.html"
    assert "DEV-20270301-" in page.read_text()
