"""Shared fixtures: a frozen project of the tests' own, copied into temporary folders.

The suite never reads the consultant's live ``docs/`` and ``missions/``: they change
every week, and a test that asserted them would fail the consultant's next publish.
``tests/fixtures/project/`` holds an offer and missions covering every case; the
tool's own files (``overrides/``) come from the repository. An audit hook makes any
test that opens a file of the live content fail at once.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli.commands import cli

REPO = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "project"
SECRET = "test-secret-for-builds-0123456789-abcdefghij"
PASSWORD = "vernillon-test-mot-de-passe"
PASSWORD_ENV = "AMOOR_TEST_MDP_VERNILLON"
PROTECTED = "cc-haut-vernillon-mobilites"
REFERENCE = "montclair-place-du-marche"
SAME_CLIENT = "montclair-ecole-des-tilleuls"
STOPPED = "val-d-orbiere-pont-de-ravergue"
OFFER_PAGE = Path("docs") / "offres" / "concertation-pertinente.md"

_LIVE = tuple(str(REPO / name) + os.sep for name in ("docs", "missions"))


def _guard(event: str, args: tuple) -> None:
    """Fail any test that reads the live content (the consultant's, not the suite's)."""
    if event in ("open", "os.listdir", "os.scandir") and args and isinstance(
            args[0], (str, os.PathLike)) and os.path.isabs(args[0]):
        # Relative paths are left alone: they may be relative to a directory descriptor
        # (shutil.rmtree), and the code under test is always given absolute ones.
        path = os.path.realpath(os.fspath(args[0])) + os.sep
        if path.startswith(_LIVE):
            raise RuntimeError(f"un test lit le contenu du consultant : {args[0]} ; "
                               "utilisez tests/fixtures/project")


sys.addaudithook(_guard)


def copy_project(dest: Path, *, missions: bool = True) -> Path:
    """A throw-away copy of the fixture project, with the tool's theme overrides."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(FIXTURE / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copy(FIXTURE / "prestataire.yml", dest / "prestataire.yml")
    shutil.copytree(FIXTURE / "docs", dest / "docs")
    shutil.copytree(REPO / "overrides", dest / "overrides")
    if missions:
        shutil.copytree(FIXTURE / "missions", dest / "missions")
    else:
        (dest / "missions").mkdir()
    return dest


def run(*args: str, root: Path) -> CliResult:
    result = CliRunner().invoke(cli, ["--root", str(root), *args], catch_exceptions=False)
    return CliResult(result.exit_code, result.stdout, result.stderr)


@dataclass
class CliResult:
    code: int
    out: str
    err: str


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def words(text: str) -> str:
    """Text with every run of spaces (no-break ones included) as one space."""
    return " ".join(text.split())


ENVIRONMENT = {"AMOOR_SECRET": SECRET, PASSWORD_ENV: PASSWORD, "NO_MKDOCS_2_WARNING": "1"}


def set_environment(mp: pytest.MonkeyPatch) -> None:
    for name, value in ENVIRONMENT.items():
        mp.setenv(name, value)
    mp.delenv("CI", raising=False)       # CI behaviour is tested on purpose


@contextmanager
def suite_environment() -> Iterator[None]:
    """The suite's environment, for fixtures wider than one test."""
    mp = pytest.MonkeyPatch()
    set_environment(mp)
    try:
        yield
    finally:
        mp.undo()


@pytest.fixture(autouse=True)
def _environment(monkeypatch):
    set_environment(monkeypatch)


@dataclass
class Built:
    root: Path
    site: Path
    links: list[dict]

    def dossier(self, slug: str) -> Path:
        return self.site / next(r["url"] for r in self.links if r["slug"] == slug)


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Built:
    """The fixture project built once, PDFs included, for read-only tests."""
    import json

    with suite_environment():
        root = copy_project(tmp_path_factory.mktemp("project"))
        result = run("build", "--quiet", root=root)
        assert result.code == 0, result.err
        links = json.loads(run("links", "--json", root=root).out)
    return Built(root, root / "site", links)


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/ from the fixture project (make golden)")
