"""Broken inputs, one file each, run through ``amoor check``: every error located.

Each file of ``tests/corpus/`` is a whole input with one defect (sometimes a few):

* ``NN-name.yml``: a ``mission.yml``, derived from the reference mission
  (``missions/montclair-place-du-marche/``), installed as ``missions/<slug>/mission.yml``
  beside the reference mission's Markdown pages;
* ``NN-name.md``: the offer page (``docs/offres/concertation-pertinente.md``), in a
  project without missions;
* ``NN-name.page.md``: a Markdown page of the reference mission (by default
  ``cartographie.md``), beside the reference ``mission.yml``.

Comment lines of the file (``# …``, or ``<!-- … -->`` outside YAML) hold the expectation:

* ``expect: 12:7: key.path: message`` — a diagnostic line of the output starts with
  ``<path of the case file>:12:7: key.path: message`` (is exactly that, if the
  expectation ends with ``$``); an expectation that does not start with a digit is
  matched verbatim (another file, or a folder);
* ``slug: name`` — the mission folder (default ``cas``); ``twin: name`` — a second folder
  holding the valid reference mission; ``page: name.md`` — the page a ``.page.md`` replaces;
* ``exit: 0`` — the case is a warning, not an error (default exit code 1).

The output must hold exactly as many diagnostics as ``expect`` lines, and no traceback.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli.commands import cli

ROOT = Path(__file__).resolve().parent / "fixtures" / "project"
CORPUS = Path(__file__).resolve().parent / "corpus"
REFERENCE = ROOT / "missions" / "montclair-place-du-marche"
OFFER_PAGE = Path("docs") / "offres" / "concertation-pertinente.md"

DIRECTIVE = re.compile(
    r"^\s*(?:#|<!--)\s*(expect|slug|twin|page|exit):\s?(.*?)\s*(?:-->)?\s*$")
#: A diagnostic line starts with the path of a project file or folder.
DIAGNOSTIC = re.compile(r"^(missions|docs)/\S")


@dataclass
class Case:
    file: Path
    kind: str                                   #: mission, offer or page
    expects: list[str] = field(default_factory=list)
    slug: str = "cas"
    twin: str | None = None
    page: str = "cartographie.md"
    exit_code: int = 1

    @property
    def target(self) -> str:
        """Where the case file goes in the project (and the path diagnostics name)."""
        if self.kind == "offer":
            return OFFER_PAGE.as_posix()
        name = self.page if self.kind == "page" else "mission.yml"
        return f"missions/{self.slug}/{name}"

    def expected_lines(self) -> list[str]:
        return [f"{self.target}:{e}" if e[:1].isdigit() else e for e in self.expects]


def parse_case(file: Path) -> Case:
    kind = ("page" if file.name.endswith(".page.md") else
            "offer" if file.suffix == ".md" else "mission")
    case = Case(file, kind)
    text = file.read_bytes().decode("utf-8", errors="replace").removeprefix("\ufeff")
    for line in text.splitlines():
        found = DIRECTIVE.match(line)
        if not found:
            continue
        name, value = found.groups()
        if name == "expect":
            case.expects.append(value)
        elif name == "exit":
            case.exit_code = int(value)
        else:
            setattr(case, name, value)
    return case


def make_project(root: Path) -> Path:
    """A project with the fixture's configuration and offer, and no mission."""
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copy(ROOT / "prestataire.yml", root / "prestataire.yml")
    shutil.copytree(ROOT / "docs", root / "docs")
    (root / "missions").mkdir()
    return root


def add_mission(root: Path, slug: str, mission_yml: bytes | None = None) -> Path:
    """A mission folder with the reference pages and ``mission_yml`` (default: the reference)."""
    folder = root / "missions" / slug
    folder.mkdir(parents=True)
    for page in REFERENCE.glob("*.md"):
        shutil.copy(page, folder / page.name)
    if mission_yml is None:
        mission_yml = (REFERENCE / "mission.yml").read_bytes()
    (folder / "mission.yml").write_bytes(mission_yml)
    return folder


def install(case: Case, root: Path) -> None:
    data = case.file.read_bytes()
    if case.kind == "offer":
        (root / OFFER_PAGE).write_bytes(data)
    elif case.kind == "page":
        add_mission(root, case.slug)
        (root / "missions" / case.slug / case.page).write_bytes(data)
    else:
        add_mission(root, case.slug, data)
    if case.twin:
        add_mission(root, case.twin)


def run_check(root: Path):
    result = CliRunner().invoke(cli, ["--root", str(root), "check"])
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    assert "Traceback" not in result.output
    return result


def diagnostics(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if DIAGNOSTIC.match(line)]


CASES = sorted(p for p in CORPUS.iterdir() if p.suffix in (".yml", ".md"))


def test_corpus_is_large_enough():
    assert len(CASES) >= 45
    assert all(parse_case(p).expects for p in CASES), "a case without expectation"


@pytest.mark.parametrize("file", CASES, ids=[p.name for p in CASES])
def test_case(file: Path, tmp_path: Path):
    case = parse_case(file)
    assert case.expects, f"{file.name}: no « expect: » line"
    install(case, make_project(tmp_path))
    result = run_check(tmp_path)
    lines = diagnostics(result)
    assert result.exit_code == case.exit_code, result.output
    for expected in case.expected_lines():
        assert any(line == expected[:-1] if expected.endswith("$") else
                   line.startswith(expected) for line in lines), \
            f"{file.name}: expected\n  {expected}\ngot\n  " + "\n  ".join(lines)
    assert len(lines) == len(case.expects), "\n".join(lines)
    if case.exit_code == 0:
        assert all(" attention : " in line for line in lines)
        assert result.stdout.startswith("OK")


# ------------------------------------------------------- inputs no file can describe

@pytest.mark.parametrize("content, message", [
    (b"", "1:1: le fichier est vide"),
    (b"  \n\n   \n", "1:1: le fichier est vide"),
    ("titre: x\n".encode("utf-16"), "1:1: le fichier n'est pas en UTF-8 (octet 0xff)"),
    (b"\xef\xbb\xbf" + (REFERENCE / "mission.yml").read_bytes().replace(
        b"statut: en-cours ", b"statut: encours  "),
     "9:9: statut: valeur non prévue"),        # a BOM shifts neither lines nor columns
    ((REFERENCE / "mission.yml").read_bytes().replace(b"\n", b"\r\n").replace(
        b"  type: commune", b"  type: mairie"),
     "7:9: client.type: valeur non prévue"),   # Windows line ends
])
def test_odd_mission_files(tmp_path: Path, content: bytes, message: str):
    add_mission(make_project(tmp_path), "cas", content)
    result = run_check(tmp_path)
    assert result.exit_code == 1
    assert diagnostics(result) and diagnostics(result)[0].startswith(
        "missions/cas/mission.yml:" + message), result.stderr


def test_mission_yml_is_a_folder(tmp_path: Path):
    folder = add_mission(make_project(tmp_path), "cas")
    (folder / "mission.yml").unlink()
    (folder / "mission.yml").mkdir()
    result = run_check(tmp_path)
    assert result.exit_code == 1
    lines = diagnostics(result)
    assert len(lines) == 1 and lines[0].startswith(
        "missions/cas/mission.yml: fichier illisible : "), result.stderr


def test_empty_offer_page(tmp_path: Path):
    make_project(tmp_path)
    (tmp_path / OFFER_PAGE).write_bytes(b"")
    result = run_check(tmp_path)
    assert result.exit_code == 1
    assert diagnostics(result) == [
        f"{OFFER_PAGE.as_posix()}:1:1: en-tête YAML (--- … ---) avec la clé « offre » attendu"]


def test_all_missions_reported_in_one_run(tmp_path: Path):
    """Three broken missions and a valid one: one run names the three, then exit 1."""
    make_project(tmp_path)
    reference = (REFERENCE / "mission.yml").read_bytes()
    add_mission(tmp_path, "a-cle-inconnue",
                reference.replace(b"      quantite: 2\n", b"      quantitee: 2\n"))
    add_mission(tmp_path, "b-score-5", reference.replace(
        b"{temps: 1, deplacement: 2, effort: 1, exposition: 1}",
        b"{temps: 1, deplacement: 2, effort: 5, exposition: 1}"))
    add_mission(tmp_path, "c-tabulation", reference.replace(b"  nom: Ville", b"\tnom: Ville"))
    add_mission(tmp_path, "d-valide")
    result = run_check(tmp_path)
    assert result.exit_code == 1
    lines = diagnostics(result)
    assert [line.split(":")[0] for line in lines] == [
        "missions/a-cle-inconnue/mission.yml", "missions/a-cle-inconnue/mission.yml",
        "missions/b-score-5/mission.yml", "missions/c-tabulation/mission.yml"], lines
    assert lines[0].startswith("missions/a-cle-inconnue/mission.yml:22:7: "
                               "tarif.options[1].quantite: clé obligatoire manquante")
    assert lines[1].startswith("missions/a-cle-inconnue/mission.yml:23:7: "
                               "tarif.options[1].quantitee: clé inconnue ; vouliez-vous "
                               "dire « quantite » ?")
    assert lines[2].startswith("missions/b-score-5/mission.yml:130:49: "
                               "roi_citoyen.evaluations[8].couts.effort: valeur hors limites")
    assert lines[3].startswith("missions/c-tabulation/mission.yml:6:1: tabulation interdite")
    assert "4 erreurs." in result.stderr


def test_reference_project_is_clean(tmp_path: Path):
    """The corpus is meaningful only if the untouched inputs pass."""
    add_mission(make_project(tmp_path), "cas")
    result = run_check(tmp_path)
    assert result.exit_code == 0, result.output
    assert diagnostics(result) == []
