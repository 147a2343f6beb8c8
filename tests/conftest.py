"""Shared fixtures: real projects copied into temporary folders, real builds."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli

REPO = Path(__file__).resolve().parent.parent
PASSWORD = "vernillon-demo"
PROTECTED = "cc-haut-vernillon-mobilites"
REFERENCE = "montclair-place-du-marche"


def copy_project(dest: Path, *, missions: bool = True) -> Path:
    """A throw-away copy of the project's content (not its .venv, site or cache)."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    for folder in ("docs", "overrides"):
        shutil.copytree(REPO / folder, dest / folder)
    if missions:
        shutil.copytree(REPO / "missions", dest / "missions")
    else:
        (dest / "missions").mkdir()
    return dest


def run(*args: str, root: Path) -> "CliResult":
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


@pytest.fixture(autouse=True)
def _environment(monkeypatch):
    monkeypatch.setenv("AMOOR_SECRET", "test-secret-for-builds")
    monkeypatch.setenv("AMOOR_MDP_VERNILLON", PASSWORD)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")


@dataclass
class Built:
    root: Path
    site: Path
    links: list[dict]

    def dossier(self, slug: str) -> Path:
        return self.site / next(r["url"] for r in self.links if r["slug"] == slug)


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Built:
    """The example project built once, PDFs included, for read-only tests."""
    import json

    mp = pytest.MonkeyPatch()
    mp.setenv("AMOOR_SECRET", "test-secret-for-builds")
    mp.setenv("AMOOR_MDP_VERNILLON", PASSWORD)
    try:
        root = copy_project(tmp_path_factory.mktemp("project"))
        result = run("build", "--quiet", root=root)
        assert result.code == 0, result.err
        links = json.loads(run("links", "--json", root=root).out)
    finally:
        mp.undo()
    return Built(root, root / "site", links)
