"""The machines users really have: which browser the tests drive, and the workflows that
publish (checked offline against their schemas, their steps run for real)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

import browsers
from conftest import FIXTURE, PASSWORD, PASSWORD_ENV, REPO, SECRET
from workflows import (
    GITLAB,
    SECRET_EXPRESSION,
    WORKFLOWS,
    clean_clone,
    git_repository,
    github_steps,
    gitlab_steps,
    read_yaml,
    run_steps,
)


def _program(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(0o755)
    return path


def _playwright(path: Path) -> SimpleNamespace:
    return SimpleNamespace(chromium=SimpleNamespace(executable_path=str(path)))


@pytest.fixture
def bare(tmp_path, monkeypatch):
    """No browser anywhere: an empty PATH, no variable, no Mac applications."""
    monkeypatch.delenv(browsers.ENV, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.setattr(browsers, "MAC_APPS", ())
    return tmp_path


def test_a_snap_wrapper_is_never_taken_for_a_browser(bare):
    """Ubuntu's chromium-browser deb: a script that asks for the snap."""
    _program(bare / "bin" / "chromium-browser",
             "#!/bin/sh\necho \"Command '/usr/bin/chromium-browser' requires the chromium "
             "snap to be installed.\"\nexit 1\n")
    pw = _program(bare / "ms-playwright" / "chrome", "\x7fELF")
    assert browsers.find_chromium(_playwright(pw)) == (pw, "Playwright")


def test_a_real_system_browser_comes_before_playwrights(bare):
    real = _program(bare / "bin" / "chromium", "\x7fELF binary")
    pw = _program(bare / "ms-playwright" / "chrome", "\x7fELF")
    assert browsers.find_chromium(_playwright(pw)) == (real, "système")


def test_the_variable_comes_first_and_must_name_a_program(bare, monkeypatch):
    _program(bare / "bin" / "chromium", "\x7fELF binary")
    chosen = _program(bare / "elsewhere" / "chrome", "\x7fELF")
    monkeypatch.setenv(browsers.ENV, str(chosen))
    assert browsers.find_chromium(_playwright(bare / "none")) == (chosen, browsers.ENV)
    monkeypatch.setenv(browsers.ENV, str(bare / "missing"))
    path, why = browsers.find_chromium(_playwright(bare / "none"))
    assert path is None and "AMOOR_CHROMIUM" in why


def test_no_browser_says_how_to_install_one(bare):
    path, why = browsers.find_chromium(_playwright(bare / "none"))
    assert path is None
    assert "apt-get install chromium" in why and "brew" in why and "playwright install" in why


# ------------------------------------------------------------------ the workflows


def _check_jsonschema(schema: str, *files: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(Path(sys.executable).parent / "check-jsonschema"),
                           "--builtin-schema", schema, *map(str, files)],
                          capture_output=True, text=True)


def test_the_workflows_pass_their_schemas_offline(tmp_path):
    assert _check_jsonschema("vendor.github-workflows",
                             *sorted(WORKFLOWS.glob("*.yml"))).returncode == 0
    assert _check_jsonschema("vendor.gitlab-ci", GITLAB).returncode == 0
    # A broken workflow fails the same check (the check is not a formality).
    broken = tmp_path / "broken.yml"
    broken.write_text((WORKFLOWS / "publish.yml").read_text().replace("runs-on:", "run-on:"))
    assert _check_jsonschema("vendor.github-workflows", broken).returncode != 0


def test_publishing_needs_no_browser_and_only_the_build_sees_secrets():
    build = read_yaml(WORKFLOWS / "publish.yml")["jobs"]["build"]
    assert build["environment"] == "production" and "refs/heads/main" in build["if"]
    runs = [s for s in build["steps"] if "run" in s]
    assert not any(re.search(r"chromium|chrome|playwright|make test", s["run"]) for s in runs)
    with_secrets = [s["run"] for s in build["steps"]
                    if SECRET_EXPRESSION.search(str(s.get("env")))]
    assert with_secrets == ["make site"]
    assert runs[-1]["run"] == "make site"       # nothing runs after it with the secrets
    pages = read_yaml(GITLAB)["pages"]
    assert pages["environment"] == "production" and "before_script" not in pages
    assert not any(re.search(r"chromium|playwright|make test", c) for c in pages["script"])
    assert [c for c in pages["script"] if not c.startswith("env -i ")] == \
        ["make site", "rm -rf public && mv site public"]


def test_the_tests_run_with_a_browser_when_the_tool_changes():
    tests = read_yaml(WORKFLOWS / "tests.yml")
    triggers = tests.get("on") or tests[True]        # YAML 1.1 reads « on » as true
    assert "workflow_dispatch" in triggers
    assert {"generator/**", "tests/**", "requirements*.lock"} <= set(triggers["push"]["paths"])
    commands = [s["run"] for s in tests["jobs"]["test"]["steps"] if "run" in s]
    assert "make test" in commands and any("playwright install chromium" in c for c in commands)
    job = read_yaml(GITLAB)["tests"]
    assert "make test" in job["script"] and "chromium" in job["script"][0]


@pytest.mark.slow
@pytest.mark.parametrize("forge", ["github", "gitlab"])
def test_the_publish_steps_build_a_clean_clone(tmp_path, forge):
    """The publish job's own commands, in order, in a clean clone of a repository holding
    the tool and the fixture's content (system packages and the deploy aside), with a
    test secret given as the forge gives it."""
    clone = clean_clone(git_repository(FIXTURE, tmp_path / "repo"), tmp_path / "clone")
    steps = github_steps() if forge == "github" else gitlab_steps()
    assert "make site" in [c for c, _ in steps]
    done = run_steps(steps, clone, {"AMOOR_SECRET": SECRET, PASSWORD_ENV: PASSWORD})
    assert len(done) == len(steps)
    for step in done:
        assert step.returncode == 0, (step.args, step.stdout[-2000:], step.stderr[-3000:])
    site = clone / ("public" if forge == "gitlab" else "site")
    assert (site / "index.html").is_file()
    assert any((site / "d").iterdir()) and any((site / "c").iterdir())
    assert list(site.rglob("*.pdf"))


def _pins(lock: Path) -> dict[str, str]:
    return dict(re.findall(r"^([a-z0-9._-]+)==([^\s\\]+)", lock.read_text(), re.M))


def test_the_site_lock_is_the_test_lock_without_the_test_tools():
    """A publish installs requirements-site.lock, the tests requirements.lock: the same
    versions, so what the tests passed with is what publishes."""
    site, full = _pins(REPO / "requirements-site.lock"), _pins(REPO / "requirements.lock")
    assert {"weasyprint", "mkdocs-material", "pypdfium2", "pydantic"} <= set(site)
    assert not {"pytest", "playwright", "mypy"} & set(site)
    assert {name: full.get(name) for name in site} == site
    bootstrap = _pins(REPO / "requirements-bootstrap.lock")
    assert set(bootstrap) == {"pip", "setuptools"}
    # Third audit, finding 12: the package is built by that setuptools, never by one a
    # build isolation would fetch unpinned, outside the hashes.
    install = [line.strip() for line in (REPO / "Makefile").read_text().splitlines()
               if "pip install" in line]
    assert "--require-hashes -r requirements-bootstrap.lock" in install[0]
    assert all("--require-hashes" in line or "--no-build-isolation" in line
               for line in install if "pip-tools" not in line and "[bench]" not in line)
    for lock in ("requirements-site.lock", "requirements.lock", "requirements-bootstrap.lock"):
        blocks = re.split(r"^(?=[a-z0-9])", (REPO / lock).read_text(), flags=re.M)[1:]
        assert blocks and all("--hash=sha256:" in block for block in blocks), lock
