"""How long a publish takes on the forge, measured here: the publish job's own commands
(read from .github/workflows/publish.yml, system packages and deploy aside), in order, in
a clean clone of a repository with N missions. First cold (empty pip cache, no
.cache/amoor), then after a one-mission edit with both caches restored, as
``actions/cache`` restores them.

    .venv/bin/python tests/scripts/publish_timing.py --missions 20
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(TESTS), str(TESTS / "benchmarks")]
from bench_build import ENV, make_project, touch_mission  # noqa: E402

from workflows import clean_clone, commit, git_repository, github_steps, run_steps  # noqa: E402


def publish(repo: Path, clone: Path, pip_cache: Path, restored: Path | None = None
            ) -> list[tuple[str, float]]:
    """The steps in a clean clone, with ``restored`` as its ``.cache/amoor`` if given."""
    clone = clean_clone(repo, clone)
    if restored is not None:
        shutil.copytree(restored, clone / ".cache" / "amoor")
    secrets = {k: ENV[k] for k in ("AMOOR_SECRET", "AMOOR_TEST_MDP_VERNILLON")}
    timings = []
    for command, env in github_steps():
        start = time.perf_counter()
        done = run_steps([(command, env)], clone, secrets, PIP_CACHE_DIR=str(pip_cache))[0]
        if done.returncode != 0:
            sys.exit(f"{command} a échoué :\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
        timings.append((command, time.perf_counter() - start))
    return timings


def show(title: str, timings: list[tuple[str, float]]) -> None:
    print(f"{title} : {sum(t for _, t in timings):.1f} s  (" +
          ", ".join(f"{c} {t:.1f} s" for c, t in timings) + ")", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--missions", "-n", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="amoor-publish-") as tmp:
        work = Path(tmp)
        repo = git_repository(make_project(work / "content", args.missions), work / "repo")
        pip_cache = work / "pip-cache"
        show(f"{args.missions} missions, à froid", publish(repo, work / "cold", pip_cache))
        touch_mission(repo, 1, 1)
        commit(repo, "une mission modifiée")
        show("après une modification, caches restaurés",
             publish(repo, work / "warm", pip_cache, work / "cold" / ".cache" / "amoor"))


if __name__ == "__main__":
    main()
