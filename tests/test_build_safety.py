"""Builds that cannot hurt: atomic swap, byte-identical output, help everywhere."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from conftest import REFERENCE, copy_project, run
from generator.cli.commands import cli


def snapshot(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def test_every_command_has_help():
    runner = CliRunner()
    top = runner.invoke(cli, ["--help"])
    assert top.exit_code == 0 and "Usage" in top.output
    for name, command in cli.commands.items():
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
        summary = command.help.split("\n")[0] if command.help else ""
        assert summary and " ".join(summary.split()) in " ".join(result.output.split()), name


def test_broken_mission_after_a_good_build_leaves_site_untouched(tmp_path):
    root = copy_project(tmp_path / "p")
    assert run("build", "--no-pdf", "-q", root=root).code == 0
    before = snapshot(root / "site")
    mission = root / "missions" / REFERENCE / "mission.yml"
    mission.write_text(mission.read_text().replace("pouvoir: 4, interet: 4",
                                                   "pouvoir: 9, interet: 4"))
    result = run("build", "--no-pdf", "-q", root=root)
    assert result.code == 1
    assert f"missions/{REFERENCE}/mission.yml:" in result.err
    assert "parties_prenantes[0].pouvoir" in result.err
    assert snapshot(root / "site") == before
    assert not list(root.glob(".site.*"))


def test_killed_build_leaves_site_untouched(tmp_path):
    root = copy_project(tmp_path / "p")
    assert run("build", "--no-pdf", "-q", root=root).code == 0
    before = snapshot(root / "site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "generator", "--root", str(root), "build"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + 60
    while not list(root.glob(".site.*/d")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(root.glob(".site.*")), "the build never started writing"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert snapshot(root / "site") == before
    # The next build clears what the killed one left and succeeds.
    assert run("build", "--no-pdf", "-q", root=root).code == 0
    assert not list(root.glob(".site.*"))


def test_two_builds_are_byte_identical(tmp_path):
    import shutil

    sites = []
    copy_project(tmp_path / "one")
    shutil.copytree(tmp_path / "one", tmp_path / "two")  # separate folders, separate caches
    for name in ("one", "two"):
        root = tmp_path / name
        assert run("build", "-q", root=root).code == 0
        sites.append(snapshot(root / "site"))
    assert sites[0].keys() == sites[1].keys()
    assert any(k.endswith(".pdf") for k in sites[0])
    different = [k for k in sites[0] if sites[0][k] != sites[1][k]]
    assert different == []
