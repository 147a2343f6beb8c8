"""The test suite does not depend on the consultant's content: shown on temporary copies.

    .venv/bin/python tests/scripts/content_changes.py [--quick]

For each change a consultant makes to the live ``docs/`` and ``missions/`` (a new
mission from ``amoor new``, a new password-protected mission, all examples deleted,
the offer's price changed, its options changed), a copy of the repository gets the
change, then the test suite runs there (``--quick``: without the browser tests), and
``amoor check`` and ``amoor build --no-pdf`` check the changed content itself. Not
part of the suite (it runs the suite five times).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
OFFER = Path("docs") / "offres" / "concertation-pertinente.md"
SECRET = "content-changes-secret-0123456789abcdefghij"


def copy_repository(dest: Path) -> Path:
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=REPO,
                           capture_output=True, text=True, check=True).stdout.splitlines()
    for name in files:
        source = REPO / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    return dest


def amoor(root: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "--root", str(root), *args],
                          cwd=root, env=env, capture_output=True, text=True)


def new_mission(root: Path, env: dict[str, str]) -> None:
    done = amoor(root, "new", "saint-andre-ecoles", "--client", "Commune de Saint-André",
                 env=env)
    assert done.returncode == 0, done.stderr


def new_protected_mission(root: Path, env: dict[str, str]) -> None:
    done = amoor(root, "new", "cc-vallee-bus", "--client", "Communauté de communes de la Vallée",
                 "--type", "intercommunalite", env=env)
    assert done.returncode == 0, done.stderr
    file = root / "missions" / "cc-vallee-bus" / "mission.yml"
    file.write_text(re.sub(r"mot_de_passe_env: null", "mot_de_passe_env: AMOOR_MDP_VALLEE",
                           file.read_text(), count=1))
    env["AMOOR_MDP_VALLEE"] = "un-mot-de-passe-de-test-assez-long"


def no_examples(root: Path, env: dict[str, str]) -> None:
    shutil.rmtree(root / "missions")
    (root / "missions").mkdir()


def price_changed(root: Path, env: dict[str, str]) -> None:
    offer = root / OFFER
    offer.write_text(offer.read_text().replace("a_partir_de: 5000", "a_partir_de: 6500", 1))


def options_changed(root: Path, env: dict[str, str]) -> None:
    offer = root / OFFER
    text = offer.read_text().replace("prix_unitaire_ht: 350", "prix_unitaire_ht: 420", 1)
    text = text.replace("    - id: animation\n", "    - id: atelier-supplementaire\n"
                        "      libelle: Atelier supplémentaire\n      unite: atelier\n"
                        "      prix_unitaire_ht: 900\n    - id: animation\n", 1)
    offer.write_text(text)


SCENARIOS = {
    "nouvelle mission (amoor new)": new_mission,
    "nouvelle mission protégée, variable définie": new_protected_mission,
    "missions d'exemple supprimées": no_examples,
    "prix de l'offre changé": price_changed,
    "options de l'offre changées": options_changed,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="sans les tests en navigateur")
    args = parser.parse_args()
    failures = 0
    with tempfile.TemporaryDirectory(prefix="amoor-contenu-") as tmp:
        for name, change in SCENARIOS.items():
            root = copy_repository(Path(tmp) / re.sub(r"\W+", "-", name))
            env = {**os.environ, "PYTHONPATH": str(root), "NO_MKDOCS_2_WARNING": "1",
                   "AMOOR_SECRET": SECRET}
            env.pop("CI", None)
            change(root, env)
            start = time.perf_counter()
            check = amoor(root, "check", env=env)
            build = amoor(root, "build", "--no-pdf", "-q", "-d", str(Path(tmp) / "site"),
                          env=env)
            pytest = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider"]
            if args.quick:
                pytest += ["-m", "not browser"]
            tests = subprocess.run(pytest, cwd=root, env=env, capture_output=True, text=True)
            seconds = time.perf_counter() - start
            summary = (tests.stdout.strip().splitlines() or ["?"])[-1]
            ok = check.returncode == build.returncode == tests.returncode == 0
            failures += not ok
            print(f"{'OK  ' if ok else 'ÉCHEC'} {name:45} check {check.returncode}, build "
                  f"{build.returncode}, tests : {summary} ({seconds:.0f} s)", flush=True)
            if not ok:
                print(check.stderr + build.stderr + tests.stdout[-3000:], flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
