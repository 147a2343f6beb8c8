"""Performance at scale: N synthetic missions, timed and measured on one run.

    make bench N=100
    .venv/bin/python tests/benchmarks/bench_build.py --missions 100 [--runs 3]

Not part of the test suite (pytest collects ``test_*.py`` only). The missions are
the reference mission (missions/montclair-place-du-marche) with another title,
client, slug, stakeholder labels and seeded random scores, and its three Markdown
pages, in a temporary copy of the project (mkdocs.yml, docs/, overrides/; the
example missions left out). Every build runs in its own Python subprocess
(interpreter start and imports included, the same for ``amoor build`` and for the
plain-MkDocs baseline), so times are comparable and peak memory (``ru_maxrss``)
belongs to that one build. Wall time and CPU time (steadier when other work shares
the machine) are both printed. What is measured:

* HTML overhead: ``amoor build --no-pdf`` (caches emptied first) against plain
  ``mkdocs build`` of the same pages already written as Markdown by
  ``amoor export`` (public site + every dossier, built one after the other in
  ONE Python process, like ``amoor build``). Target ≤ 1.15.
* PDFs: every PDF (brochure + 3 per dossier, cache emptied) with ``--jobs 2``
  against ``--jobs 1``, on ``--pdf-missions`` missions (20 by default, a separate
  project, to keep the run short; ``--pdf-missions N`` for all). Target ≥ 1.7× on
  2 cores; seconds per PDF page.
* Incremental: after a full build, one mission changes (a figure and a sentence),
  rebuild: only its 3 PDFs are rendered again. Target ≤ 10 % of the full build
  (N = 100).
* Memory: peak RSS of a full build (main process + one PDF worker, an upper
  bound), ≤ 1 GiB for N = 100; and growth of time and memory from N = 10 to 100
  to 300 (a point estimated above ``--max-minutes`` is skipped, with a note).

Medians of ``--runs`` runs (``--full-runs`` for the full build); ratios rather
than single times. ``--profile`` writes pyinstrument profiles of a full and of an
incremental build.
"""


from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "project"     # never the consultant's content
REFERENCE = FIXTURE / "missions" / "montclair-place-du-marche"
PY = sys.executable
ENV = {**os.environ, "AMOOR_SECRET": "bench-secret-0123456789-abcdefghijklmnopqrstuv",
       "AMOOR_TEST_MDP_VERNILLON": "bench-mot-de-passe-long", "NO_MKDOCS_2_WARNING": "1",
       "PYTHONPATH": str(REPO)}

# --------------------------------------------------------------------------- data

SYLLABLES = ("bré", "mont", "val", "cour", "ville", "ray", "lan", "gue", "or", "ber",
             "sau", "vign", "roch", "mar", "champ", "fon", "tail", "lis", "bel", "aur")
LABELS = {
    "municipalite": ("Maire et adjoints", "Équipe municipale", "Élus de la majorité"),
    "services-techniques": ("Services techniques", "Direction de l'urbanisme",
                            "Service voirie et espaces verts"),
    "commercants": ("Commerçants non sédentaires du marché", "Commerçants du centre-bourg",
                    "Artisans et commerçants"),
    "riverains": ("Riverains de la place", "Habitants du quartier", "Voisins immédiats"),
    "jeunes": ("Jeunes du quartier", "Collégiens et lycéens", "Conseil municipal des jeunes"),
    "abf": ("Architecte des Bâtiments de France", "Unité départementale de l'architecture",
            "Services de l'État"),
}
STANCES = ("favorable", "neutre", "reservee", "opposee")
KINDS = ("commune", "intercommunalite", "departement")


def town(rng: random.Random, i: int) -> str:
    name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
    return f"{name} {i:04d}"       # zero-padded: no client name inside another one


def synthetic_mission(reference: dict, pages: dict[str, str], i: int, rng: random.Random
                      ) -> tuple[str, dict, dict[str, str]]:
    """One mission of the reference's size: six stakeholders, three scenarios, the
    full R.O.I. grid (3 publics × 3 scenarios), three Markdown pages."""
    data = copy.deepcopy(reference)
    place = town(rng, i)
    kind = rng.choice(KINDS)
    client = {"commune": f"Ville de {place}", "intercommunalite": f"Communauté de communes "
              f"de {place}", "departement": f"Département de {place}"}[kind]
    slug = f"bench-{i:04d}"
    data["titre"] = rng.choice(("Réaménagement de la place", "Avenir du centre-bourg",
                                "Nouvelle halle et mobilités", "Parc et cœur de ville")) \
        + f" — {place}"
    data["client"]["nom"] = client
    data["client"]["type"] = kind
    start = dt.date(2026, 1, 5) + dt.timedelta(days=rng.randint(0, 300))
    data["dates"] = {"debut": start, "atelier": start + dt.timedelta(days=38),
                     "fin": start + dt.timedelta(days=81)}
    data["tarif"]["forfait_ht"] = rng.choice((5000, 5500, 6000, 7500, 9000))
    for s in data["parties_prenantes"]:
        s["libelle"] = rng.choice(LABELS[s["id"]])
        s["pouvoir"], s["interet"] = rng.randint(1, 4), rng.randint(1, 4)
        s["posture"] = rng.choice(STANCES)
    for s in data["scenarios"]:
        s["cout_ht"] = rng.randrange(2000, 20001, 500)
        s["utilite_acteur_public"] = rng.randint(0, 4)
    for e in data["roi_citoyen"]["evaluations"]:
        for group in ("couts", "benefices"):
            e[group] = {k: rng.randint(0, 4) for k in e[group]}
        e["mobilisation"] = rng.randint(0, 4)
    texts = {name: text.replace("place du Marché", f"place centrale de {place}")
             .replace("marché hebdomadaire", "marché du samedi")
             for name, text in pages.items()}
    who = rng.choice(("les associations", "les écoles", "les aînés"))
    texts["cartographie.md"] += f"\nÀ {place}, {who} sont aussi à rencontrer.\n"
    return slug, data, texts


def make_project(dest: Path, n: int, seed: int = 2026) -> Path:
    """The fixture project (mkdocs.yml, docs/, its four missions, one of them
    password-protected) with synthetic missions added up to N missions in all."""
    import yaml

    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(FIXTURE / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copy(FIXTURE / "prestataire.yml", dest / "prestataire.yml")
    shutil.copytree(FIXTURE / "docs", dest / "docs")
    shutil.copytree(REPO / "overrides", dest / "overrides")
    missions = dest / "missions"
    shutil.copytree(FIXTURE / "missions", missions)
    n -= len(list(missions.iterdir()))
    reference = yaml.safe_load((REFERENCE / "mission.yml").read_text(encoding="utf-8"))
    pages = {p: (REFERENCE / p).read_text(encoding="utf-8")
             for p in ("cartographie.md", "parametres.md", "cahier-des-charges.md")}
    rng = random.Random(seed)
    for i in range(1, n + 1):
        slug, data, texts = synthetic_mission(reference, pages, i, rng)
        folder = missions / slug
        folder.mkdir()
        (folder / "mission.yml").write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        for name, text in texts.items():
            (folder / name).write_text(text, encoding="utf-8")
    return dest


def touch_mission(root: Path, i: int, round_: int) -> None:
    """Change one mission for real (a figure and a sentence), as a consultant would."""
    import yaml

    folder = root / "missions" / f"bench-{i:04d}"
    file = folder / "mission.yml"
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    data["tarif"]["forfait_ht"] = int(data["tarif"]["forfait_ht"]) + 100
    file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    page = folder / "parametres.md"
    page.write_text(page.read_text(encoding="utf-8")
                    + f"\nPrécision ajoutée (révision {round_}).\n", encoding="utf-8")


# --------------------------------------------------------------------- children


def child_build(root: str, site: str, pdf: bool, jobs: int, profile: str | None) -> dict:
    """Inside a subprocess: what ``amoor build`` does (same function, same options)."""
    import logging

    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    from generator.site import Project, build

    profiler = None
    if profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.002)
        profiler.start()
    report = build(Project.find(Path(root)), Path(site), pdf=pdf, workers=jobs)
    if profiler:
        profiler.stop()
        Path(profile).write_text(profiler.output_text(unicode=True, color=False,
                                                      show_all=False))
    return {"seconds": report.seconds, "pdfs": len(report.pdfs),
            "pages": sum(r.pages for r in report.pdfs),
            "rendered": sum(1 for r in report.pdfs if not r.cached),
            "render_pages": sum(r.pages for r in report.pdfs if not r.cached)}


def child_mkdocs(configs: list[str]) -> dict:
    """Inside a subprocess: plain ``mkdocs build`` of each exported project, in turn."""
    import logging

    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    start = time.perf_counter()
    for cfg in configs:
        build(load_config(cfg))
    return {"seconds": {"total": time.perf_counter() - start}}


def run_child(*args: str) -> dict:
    """Run this file in a subprocess; wall time, its result and its peak memory."""
    start = time.perf_counter()
    done = subprocess.run([PY, __file__, "--child", *args], env=ENV, capture_output=True,
                          text=True)
    wall = time.perf_counter() - start
    if done.returncode:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"échec : {' '.join(args)}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall"] = wall
    return result


def child_main(argv: list[str]) -> None:
    kind, rest = argv[0], argv[1:]
    if kind == "build":
        root, site, pdf, jobs, profile = rest
        result = child_build(root, site, pdf == "pdf", int(jobs), profile or None)
    else:
        result = child_mkdocs(rest)
    kib = 1024  # ru_maxrss is in KiB on Linux
    me, kids = (resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                    resource.RUSAGE_CHILDREN))
    result["rss_main"] = me.ru_maxrss * kib
    result["rss_children"] = kids.ru_maxrss * kib
    # CPU seconds of the build, PDF workers and pdftotext included: steadier than wall
    # time when other work shares the machine.
    result["cpu"] = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
    print(json.dumps(result))


# ------------------------------------------------------------------- measurement


def amoor(root: Path, *, pdf: bool, jobs: int = 2, cold: bool = False,
          profile: Path | None = None) -> dict:
    if cold:
        shutil.rmtree(root / ".cache", ignore_errors=True)
    return run_child("build", str(root), str(root / "site"), "pdf" if pdf else "html",
                     str(jobs), str(profile or ""))


def export_all(root: Path, dest: Path) -> list[str]:
    """``amoor export`` of the public site and of every dossier (the baseline's input)."""
    from click.testing import CliRunner

    from generator.cli import cli

    def export(*args: str) -> None:
        res = CliRunner().invoke(cli, ["--root", str(root), "export", *args],
                                 catch_exceptions=False, env=ENV)
        assert res.exit_code == 0, res.output

    shutil.rmtree(dest, ignore_errors=True)
    export(str(dest / "public"))
    configs = [str(dest / "public" / "mkdocs.yml")]
    for folder in sorted((root / "missions").iterdir()):
        export(str(dest / folder.name), "--dossier", folder.name)
        configs.append(str(dest / folder.name / "mkdocs.yml"))
    return configs


def median(values) -> float:
    return statistics.median(values)


def gib(n: float) -> str:
    return f"{n / 2**20:.0f} MiB"


def peak(result: dict) -> int:
    """Main process plus one PDF worker (the two live together): a safe upper bound."""
    return result["rss_main"] + result["rss_children"]


def phases(result: dict) -> str:
    return ", ".join(f"{k} {v:.1f}" for k, v in result["seconds"].items())


def measure(n: int, runs: int, pdf_runs: int, full_runs: int, pdf_missions: int,
            work: Path, profile: bool) -> dict:
    root = make_project(work / f"n{n}", n)
    out: dict = {"n": n}
    print(f"\n== N = {n} missions ({root}) ==", flush=True)

    # HTML overhead: cold amoor build --no-pdf against plain mkdocs of the export.
    configs = export_all(root, work / f"export{n}")
    a_runs, b_runs = [], []
    for r in range(runs):
        a = amoor(root, pdf=False, cold=True)
        b = run_child("mkdocs", *configs)
        a_runs.append(a)
        b_runs.append(b)
        print(f"  HTML run {r + 1}: amoor {a['wall']:.1f} s ({a['cpu']:.1f} s CPU), "
              f"mkdocs {b['wall']:.1f} s ({b['cpu']:.1f} s CPU) [{phases(a)}]", flush=True)
    shutil.rmtree(work / f"export{n}", ignore_errors=True)
    out["html_amoor"] = median(a["wall"] for a in a_runs)
    out["html_plain"] = median(b["wall"] for b in b_runs)
    out["html_amoor_cpu"] = median(a["cpu"] for a in a_runs)
    out["html_plain_cpu"] = median(b["cpu"] for b in b_runs)

    # PDFs: cold cache, two processes against one (on a subset when N is large).
    k = min(n, pdf_missions)
    pdf_root = root if k == n else make_project(work / f"n{k}-pdf", k)
    one, two, fulls = [], [], []
    for r in range(pdf_runs):
        a = amoor(pdf_root, pdf=True, jobs=1, cold=True)
        b = amoor(pdf_root, pdf=True, jobs=2, cold=True)
        one.append(a)
        two.append(b)
        if k == n:
            fulls.append(b)
        print(f"  PDF run {r + 1} ({k} missions): {b['pdfs']} PDF, {b['pages']} pages: "
              f"1 process {a['seconds']['PDF']:.1f} s, 2 processes "
              f"{b['seconds']['PDF']:.1f} s", flush=True)
    out["pdf_missions"] = k
    out["pdf_one"] = median(a["seconds"]["PDF"] for a in one)
    out["pdf_two"] = median(b["seconds"]["PDF"] for b in two)
    out["pdfs"], out["pdf_pages"] = two[0]["pdfs"], two[0]["pages"]

    # Full builds (PDFs, 2 processes, cold caches): reference time and peak memory.
    while len(fulls) < full_runs:
        fulls.append(amoor(root, pdf=True, jobs=2, cold=True))
        f = fulls[-1]
        print(f"  full build {len(fulls)}: {f['wall']:.1f} s ({f['cpu']:.1f} s CPU), "
              f"{f['pdfs']} PDF, {f['pages']} pages, peak {gib(peak(f))} [{phases(f)}]",
              flush=True)
    out["full"] = median(f["wall"] for f in fulls)
    out["full_cpu"] = median(f["cpu"] for f in fulls)
    out["full_pdfs"], out["full_pages"] = fulls[0]["pdfs"], fulls[0]["pages"]
    out["rss"] = max(peak(f) for f in fulls)
    out["rss_main"] = max(f["rss_main"] for f in fulls)

    # Incremental: caches warm from the last full build; change one mission, rebuild.
    incs = []
    for r in range(runs):
        touch_mission(root, 1 + (r * 37) % n, r)
        prof = work / f"profile-incremental-n{n}.txt" if profile and r == runs - 1 else None
        inc = amoor(root, pdf=True, jobs=2, profile=prof)
        incs.append(inc)
        print(f"  incremental run {r + 1}: {inc['wall']:.1f} s ({inc['cpu']:.1f} s CPU), "
              f"PDFs rendered {inc['rendered']}/{inc['pdfs']} [{phases(inc)}]", flush=True)
        if inc["rendered"] != 3:
            print(f"  ATTENTION : {inc['rendered']} PDF refaits au lieu de 3", flush=True)
    out["incremental"] = median(i["wall"] for i in incs)
    out["incremental_cpu"] = median(i["cpu"] for i in incs)
    if profile:
        prof = work / f"profile-full-n{n}.txt"
        amoor(root, pdf=True, jobs=2, cold=True, profile=prof)
        print(f"  profiles: {prof} and {work / f'profile-incremental-n{n}.txt'}")
    return out


def growth_only(n: int, work: Path) -> dict:
    """One cold full build (PDFs, 2 processes) of N missions: time and peak memory."""
    root = make_project(work / f"n{n}", n)
    print(f"\n== N = {n} missions: one full build (growth table) ==", flush=True)
    f = amoor(root, pdf=True, jobs=2, cold=True)
    print(f"  {f['wall']:.1f} s ({f['cpu']:.1f} s CPU), peak {gib(peak(f))} [{phases(f)}]",
          flush=True)
    return {"n": n, "full": f["wall"], "full_cpu": f["cpu"], "rss": peak(f),
            "rss_main": f["rss_main"], "full_pdfs": f["pdfs"], "full_pages": f["pages"]}


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def report(main: dict, growth: list[dict], runs: int, pdf_runs: int, full_runs: int,
           notes: list[str]) -> str:
    n = main["n"]
    ok = lambda good: "OK" if good else "MANQUÉ"  # noqa: E731
    html_ratio = main["html_amoor"] / main["html_plain"]
    pdf_label = (f"PDF ({main['pdf_missions']} missions) : {main['pdfs']} PDF, "
                 f"{main['pdf_pages']} pages, 1 processus")
    full_label = f"Complète ({main['full_pdfs']} PDF, {main['full_pages']} pages, 2 processus)"
    html_cpu = main["html_amoor_cpu"] / main["html_plain_cpu"]
    speedup = main["pdf_one"] / main["pdf_two"]
    inc_ratio = main["incremental"] / main["full"]
    inc_cpu = main["incremental_cpu"] / main["full_cpu"]
    big = n >= 100
    w = 50
    lines = [
        f"Machine : {os.cpu_count()} cœurs, Python {sys.version.split()[0]}, "
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        f"N = {n} missions ; médianes de {runs} exécutions (PDF 1/2 processus : {pdf_runs}, "
        f"construction complète : {full_runs}) ;",
        "chaque construction dans son propre processus Python ; temps réel (mur), "
        "et temps CPU entre parenthèses.",
        "",
        f"{'mesure':<{w}} {'valeur':>18}  {'cible':>8}",
        f"{'HTML : amoor build --no-pdf (caches vides)':<{w}} "
        f"{main['html_amoor']:>7.1f} s ({main['html_amoor_cpu']:>5.1f})",
        f"{'HTML : mkdocs build des pages exportées':<{w}} "
        f"{main['html_plain']:>7.1f} s ({main['html_plain_cpu']:>5.1f})",
        f"{'  rapport amoor / mkdocs':<{w}} {html_ratio:>9.2f} ({html_cpu:>5.2f})  "
        f"{'≤ 1,15':>8} {ok(html_ratio <= 1.15)}",
        f"{pdf_label:<{w}} "
        f"{main['pdf_one']:>7.1f} s",
        f"{'PDF : idem, 2 processus':<{w}} {main['pdf_two']:>7.1f} s",
        f"{'  accélération 2 processus / 1':<{w}} {speedup:>8.2f}×{'':9}  {'≥ 1,7':>8} "
        f"{ok(speedup >= 1.7)}",
        f"{'  secondes par page PDF (1 processus)':<{w}} "
        f"{main['pdf_one'] / main['pdf_pages']:>7.3f} s",
        f"{'  secondes par page PDF (2 processus)':<{w}} "
        f"{main['pdf_two'] / main['pdf_pages']:>7.3f} s",
        f"{full_label:<{w}} "
        f"{main['full']:>7.1f} s ({main['full_cpu']:>5.1f})",
        f"{'Incrémentale : 1 mission modifiée':<{w}} "
        f"{main['incremental']:>7.1f} s ({main['incremental_cpu']:>5.1f})",
        f"{'  rapport incrémentale / complète':<{w}} {inc_ratio:>8.1%} ({inc_cpu:>5.1%})  "
        f"{'≤ 10 %':>8} {ok(inc_ratio <= 0.10) if big else '(N < 100)'}",
        f"{'Mémoire de pointe (principal + 1 worker PDF)':<{w}} {gib(main['rss']):>9}"
        f"{'':9}  {'≤ 1 GiB':>8} {ok(main['rss'] <= 2**30) if big else '(N < 100)'}",
        f"{'  dont processus principal':<{w}} {gib(main['rss_main']):>9}",
    ]
    if growth:
        base = growth[0]
        lines += ["", "Croissance (construction complète, caches vides, PDF, 2 processus) :",
                  f"{'N':>5} {'PDF':>5} {'pages':>6} {'temps':>8} {'CPU':>8} {'s/mission':>10} "
                  f"{'× temps':>8} {'mémoire':>9} {'× mém.':>7}"]
        for g in growth:
            lines.append(
                f"{g['n']:>5} {g['full_pdfs']:>5} {g['full_pages']:>6} {g['full']:>7.1f}s "
                f"{g['full_cpu']:>7.1f}s {g['full'] / g['n']:>10.2f} "
                f"{g['full'] / base['full']:>8.2f} {gib(g['rss']):>9} "
                f"{g['rss'] / base['rss']:>7.2f}")
    lines += [f"Note : {s}" for s in notes]
    return "\n".join(lines)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        sys.path.insert(0, str(REPO))
        child_main(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--missions", "-n", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3,
                        help="runs of the HTML and incremental measurements")
    parser.add_argument("--pdf-runs", type=int, default=None,
                        help="runs of the 1- and 2-process PDF builds (default: --runs)")
    parser.add_argument("--pdf-missions", type=int, default=20,
                        help="missions in the 1- vs 2-process PDF comparison (a separate "
                        "project when smaller than N)")
    parser.add_argument("--full-runs", type=int, default=1,
                        help="cold full builds of N missions (time, memory)")
    parser.add_argument("--growth", default="10,100,300",
                        help="N values of the growth table ('' to skip)")
    parser.add_argument("--max-minutes", type=float, default=15,
                        help="skip a growth point estimated to take longer")
    parser.add_argument("--profile", action="store_true",
                        help="write pyinstrument profiles of a full and an incremental build")
    parser.add_argument("--keep", action="store_true", help="keep the temporary projects")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    os.environ.update(ENV)
    pdf_runs = args.pdf_runs or args.runs
    work = Path(tempfile.mkdtemp(prefix="amoor-bench-"))
    notes = [f"charge moyenne au début : {load()}"]
    print(f"{os.cpu_count()} cœurs ; charge {load()} ; projets temporaires dans {work}",
          flush=True)
    try:
        main_result = measure(args.missions, args.runs, pdf_runs, args.full_runs,
                              args.pdf_missions, work, args.profile)
        growth = []
        points = sorted({int(x) for x in args.growth.split(",") if x.strip()})
        per_mission = main_result["full"] / args.missions
        for n in points:
            if n == args.missions:
                growth.append({k: main_result[k] for k in
                               ("n", "full", "full_cpu", "rss", "rss_main", "full_pdfs",
                                "full_pages")})
                continue
            estimate = per_mission * n / 60
            if estimate > args.max_minutes:
                notes.append(f"N = {n} non mesuré : environ {estimate:.0f} min estimées "
                             f"(> {args.max_minutes:g} min, voir --max-minutes)")
                print(notes[-1], flush=True)
                continue
            growth.append(growth_only(n, work))
            if not args.keep:
                shutil.rmtree(work / f"n{n}", ignore_errors=True)
        growth.sort(key=lambda g: g["n"])
        notes.append(f"charge moyenne à la fin : {load()}")
        print("\n" + report(main_result, growth, args.runs, pdf_runs, args.full_runs, notes))
    finally:
        if args.keep:
            print(f"\n(projets conservés dans {work})")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
