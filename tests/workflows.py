"""The publish jobs' own commands, as the forges run them: read from the workflow files,
run in order in a clean clone (for the tests and for the publish timing script)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
WORKFLOWS = REPO / ".github" / "workflows"
GITLAB = REPO / ".gitlab-ci.yml"
TOOL = ("generator", "overrides", "schemas", "Makefile", "pyproject.toml", "README.md",
        "requirements.lock", "requirements-site.lock", "requirements-bootstrap.lock",
        "requirements-bootstrap.in")
SECRET_EXPRESSION = re.compile(r"\$\{\{\s*secrets\.(\w+)\s*\}\}")
Step = tuple[str, dict[str, str]]


def read_yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def github_steps() -> list[Step]:
    """The ``run:`` steps of the publish job with their ``env:``, system packages aside."""
    build = read_yaml(WORKFLOWS / "publish.yml")["jobs"]["build"]
    return [(s["run"], {k: str(v) for k, v in s.get("env", {}).items()})
            for s in build["steps"] if "run" in s and s.get("id") != "system"]


def gitlab_steps() -> list[Step]:
    """The ``pages`` job's script, system packages aside (its variables: the whole job's)."""
    return [(c, {"*": "secrets"}) for c in read_yaml(GITLAB)["pages"]["script"]
            if "apt-get" not in c]


def git_repository(content: Path, dest: Path) -> Path:
    """A git repository holding this tool and ``content`` (docs, missions, mkdocs.yml…)."""
    shutil.copytree(content, dest)
    for name in TOOL:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, dest / name, dirs_exist_ok=True)
        else:
            shutil.copy(REPO / name, dest / name)
    commit(dest, "contenu", init=True)
    return dest


def commit(repo: Path, message: str, *, init: bool = False) -> None:
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(repo)]
    if init:
        subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", message], check=True)


def clean_clone(repo: Path, dest: Path) -> Path:
    subprocess.run(["git", "clone", "-q", str(repo), str(dest)], check=True)
    return dest


def run_steps(steps: list[Step], clone: Path, secrets: dict[str, str],
              **extra: str) -> list[subprocess.CompletedProcess]:
    """Each command in ``clone`` as the runner gives it: no secret but where the step (or,
    on GitLab, the job) names one; stops at the first failure."""
    base = {k: v for k, v in os.environ.items()
            if k in ("PATH", "HOME", "LANG", "TMPDIR") or k.startswith("PIP_")}
    base |= {"CI": "true", "PYTHON": sys.executable, **extra}
    done = []
    for command, env in steps:
        if env.pop("*", None):
            env = {**env, **secrets}
        env = {k: SECRET_EXPRESSION.sub(lambda m: secrets[m.group(1)], v) for k, v in env.items()}
        if "AMOOR_SECRET" in env:
            env |= secrets         # the dossier passwords are given beside it
        result = subprocess.run(command, shell=True, cwd=clone, env={**base, **env},
                                capture_output=True, text=True, timeout=1800)
        done.append(result)
        if result.returncode != 0:
            break
    return done
