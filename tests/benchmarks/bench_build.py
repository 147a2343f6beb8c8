"""Performance, side by side in one run: preview, null and one-mission rebuilds,
HTML against plain MkDocs, PDFs against the ``mkdocs-to-pdf`` plugin route.

    make bench                       # 43 missions, PDFs on 20
    .venv/bin/python tests/benchmarks/bench_build.py --missions 43 --pdf-missions 20

Not part of the test suite (pytest collects ``test_*.py`` only). The projects are
the test fixture (mkdocs.yml, docs/, its four missions, one protected) completed up
to N missions by synthetic ones the size of the reference mission (six
stakeholders, three scenarios, the full R.O.I. grid, three Markdown pages), in a
temporary folder: never the consultant's content. Builds run in their own Python
process (``amoor build`` as the CLI runs it; plain MkDocs timed inside its process,
imports excluded). Medians; wall time, and CPU time in parentheses (steadier when
the machine is shared). What is measured, each against the target of issue 13:

* preview: ``amoor serve`` running; a mission's ``titre`` edited → the new title
  served over HTTP; a public page edited → served (median of ``--edits``), against
  ≤ 0,5 s and ≤ 0,8 × a plain ``mkdocs build`` of that one dossier's exported pages;
* null build (nothing changed, PDFs cached) ≤ 0,3 × a cold ``amoor build --no-pdf``;
* one mission changed ≤ the null build + that dossier alone (the same change
  rebuilt in a project that holds only that mission);
* HTML: cold ``amoor build --no-pdf`` ≤ 0,65 × plain ``mkdocs build`` of the same
  exported pages (public site and every dossier, one process);
* PDF: full build with PDFs, cold caches, 2 processes, against the plugin route
  (``mkdocs-to-pdf``, one ``mkdocs build`` per exported dossier, 2 at a time):
  ≥ 3× in every run.

``--profile`` writes pyinstrument profiles of the null build and of a cold full
build beside the projects (kept with ``--keep``).
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
    from generator.build.pipeline import Project, build

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


def cli(root: Path, *args: str) -> str:
    from click.testing import CliRunner

    from generator.cli.commands import cli as amoor_cli

    res = CliRunner().invoke(amoor_cli, ["--root", str(root), *args],
                             catch_exceptions=False, env=ENV)
    assert res.exit_code == 0, res.output
    return res.stdout


def export_all(root: Path, dest: Path, *, public: bool = True) -> list[str]:
    """``amoor export`` (pages only) of the public site and of every dossier: the
    plain-MkDocs baselines' input."""
    shutil.rmtree(dest, ignore_errors=True)
    configs = []
    if public:
        cli(root, "export", str(dest / "public"), "--no-pdf")
        configs.append(str(dest / "public" / "mkdocs.yml"))
    for folder in sorted((root / "missions").iterdir()):
        cli(root, "export", str(dest / folder.name), "--dossier", folder.name, "--no-pdf")
        configs.append(str(dest / folder.name / "mkdocs.yml"))
    return configs


def alone(root: Path, slug: str, dest: Path) -> Path:
    """The same project holding only mission ``slug``."""
    shutil.rmtree(dest, ignore_errors=True)
    for name in ("docs", "overrides"):
        shutil.copytree(root / name, dest / name)
    for name in ("mkdocs.yml", "prestataire.yml"):
        shutil.copy(root / name, dest / name)
    shutil.copytree(root / "missions" / slug, dest / "missions" / slug)
    return dest


def median(values) -> float:
    return statistics.median(list(values))


def mib(n: float) -> str:
    return f"{n / 2**20:.0f} MiB"


def phases(result: dict) -> str:
    return ", ".join(f"{k} {v:.2f}" for k, v in result["seconds"].items())


# ------------------------------------------------------------------------ preview


def fetch(url: str) -> str:
    import urllib.request

    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode()


def served(url: str, text: str, timeout: float = 30) -> float:
    """Seconds until ``url`` serves ``text`` (polled every 5 ms)."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        try:
            if text in fetch(url):
                return time.perf_counter() - start
        except OSError:
            pass
        time.sleep(0.005)
    raise SystemExit(f"{url} ne sert pas « {text} » après {timeout} s")


def preview_latency(root: Path, slug: str, edits: int) -> dict:
    """``amoor serve`` running on the project: edit → served, for a mission and a page."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    base = f"http://127.0.0.1:{port}/"
    log = root.parent / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen([PY, "-m", "generator", "--root", str(root), "serve", "-a",
                                 f"127.0.0.1:{port}"], stdout=out, stderr=subprocess.STDOUT,
                                env=ENV)
    try:
        served(base + "_dossiers/", "Espaces clients", timeout=300)
        url = base + next(r["url"] for r in json.loads(cli(root, "links", "--json"))
                          if r["slug"] == slug)
        file = root / "missions" / slug / "mission.yml"
        page = root / "docs" / "contact.md"
        mission, public = [], []
        for i in range(edits):
            time.sleep(0.5)                       # the previous rebuild is over
            text = file.read_text(encoding="utf-8")
            title = f"Titre modifié {i} pour la mesure"
            new = "\n".join(f"titre: {title}" if line.startswith("titre:") else line
                            for line in text.split("\n"))
            file.write_text(new, encoding="utf-8")
            mission.append(served(url, title))
            time.sleep(0.5)
            page.write_text(page.read_text(encoding="utf-8") + f"\nMesure {i}.\n",
                            encoding="utf-8")
            public.append(served(base + "contact/", f"Mesure {i}."))
        return {"mission": mission, "public": public}
    finally:
        proc.terminate()
        proc.wait(timeout=30)


# ------------------------------------------------------------------ the plugin route


def to_pdf_project(project: Path) -> None:
    """``mkdocs-to-pdf`` in an exported dossier's mkdocs.yml: one PDF of the whole nav,
    cover and table of contents, no JavaScript rendering."""
    import yaml

    file = project / "mkdocs.yml"
    cfg = yaml.safe_load(file.read_text(encoding="utf-8"))
    title = (cfg.get("site_description") or cfg["site_name"]).split("—")[-1].strip()
    plugins = [p for p in cfg.get("plugins", ["search"])
               if not (p == "to-pdf" or (isinstance(p, dict) and "to-pdf" in p))]
    plugins.append({"to-pdf": {
        "output_path": "pdf/dossier.pdf", "cover": True, "cover_title": title,
        "cover_subtitle": "Dossier de mission", "back_cover": False,
        "toc_title": "Table des matières", "toc_level": 2, "ordered_chapter_level": 2,
        "heading_shift": True, "render_js": False, "debug_html": False, "verbose": False}})
    cfg["plugins"] = plugins
    file.write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines()
                    if line.startswith("Pages:")))


def plugin_route(projects: list[Path], jobs: int = 2) -> dict:
    """One ``mkdocs build`` per exported dossier, ``jobs`` at a time; its PDFs."""
    from concurrent.futures import ThreadPoolExecutor

    env = {**ENV, "NO_MKDOCS_2_WARNING": "1"}

    def build(project: Path) -> subprocess.CompletedProcess:
        # The plugin resolves its template folder against the working directory.
        return subprocess.run([PY, "-m", "mkdocs", "build", "--clean", "-q", "-f",
                               str(project / "mkdocs.yml")], cwd=project, env=env,
                              capture_output=True, text=True)

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        done = list(pool.map(build, projects))
    wall = time.perf_counter() - start
    pdfs = [p / "site" / "pdf" / "dossier.pdf" for p in projects]
    failed = [str(p) + "\n" + d.stderr[-1500:] for p, d in zip(projects, done, strict=True)
              if d.returncode or not (p / "site" / "pdf" / "dossier.pdf").is_file()]
    if failed:
        raise SystemExit("mkdocs-to-pdf a échoué :\n" + "\n".join(failed))
    return {"wall": wall, "pdfs": len(pdfs), "pages": sum(pdf_pages(p) for p in pdfs)}


# ------------------------------------------------------------------------ the run


def measure(args: argparse.Namespace, work: Path) -> dict:
    n, runs = args.missions, args.runs
    root = make_project(work / f"n{n}", n)
    slug = "bench-0001"
    out: dict = {"n": n}
    print(f"\n== {n} missions ({root}) ==", flush=True)

    # HTML: cold amoor build --no-pdf against plain mkdocs of the exported pages.
    configs = export_all(root, work / "export")
    html_a, html_b = [], []
    for r in range(runs):
        a, b = amoor(root, pdf=False, cold=True), run_child("mkdocs", *configs)
        html_a.append(a)
        html_b.append(b)
        print(f"  HTML {r + 1} : amoor {a['wall']:.2f} s ({a['cpu']:.1f} CPU), mkdocs "
              f"{b['wall']:.2f} s ({b['cpu']:.1f} CPU) [{phases(a)}]", flush=True)
    out["cold_html"] = median(a["wall"] for a in html_a)
    out["cold_html_cpu"] = median(a["cpu"] for a in html_a)
    out["plain_html"] = median(b["wall"] for b in html_b)
    out["plain_html_cpu"] = median(b["cpu"] for b in html_b)
    one_config = next(c for c in configs if f"/{slug}/" in c)
    plain_one = [run_child("mkdocs", one_config)["seconds"]["total"] for _ in range(5)]
    out["plain_one"] = median(plain_one)
    shutil.rmtree(work / "export", ignore_errors=True)

    # Full build (PDFs), then the null build and one mission changed.
    full = amoor(root, pdf=True, cold=True)
    out["full"], out["rss"] = full["wall"], full["rss_main"] + full["rss_children"]
    print(f"  complète : {full['wall']:.1f} s, {full['pdfs']} documents, {full['pages']} "
          f"pages, pointe {mib(out['rss'])} [{phases(full)}]", flush=True)
    nulls = [amoor(root, pdf=True) for _ in range(runs)]
    for r, x in enumerate(nulls):
        print(f"  nulle {r + 1} : {x['wall']:.2f} s ({x['cpu']:.2f} CPU) [{phases(x)}]",
              flush=True)
    out["null"] = median(x["wall"] for x in nulls)
    out["null_cpu"] = median(x["cpu"] for x in nulls)
    if args.profile:
        prof = work / "profil-construction-nulle.txt"
        amoor(root, pdf=True, profile=prof)
        out["profile"] = prof
    single = alone(root, slug, work / "seule")
    amoor(single, pdf=True, cold=True)
    ones, solos = [], []
    for r in range(runs):
        touch_mission(root, 1, r)
        touch_mission(single, 1, r)
        one, solo = amoor(root, pdf=True), amoor(single, pdf=True)
        ones.append(one)
        solos.append(solo)
        print(f"  1 mission modifiée {r + 1} : {one['wall']:.2f} s, documents refaits "
              f"{one['rendered']}/{one['pdfs']} ; la même seule : {solo['wall']:.2f} s "
              f"[{phases(one)}]", flush=True)
    out["one"] = median(x["wall"] for x in ones)
    out["solo"] = median(x["wall"] for x in solos)

    # Preview latency.
    lat = preview_latency(root, slug, args.edits)
    out["serve_mission"], out["serve_public"] = median(lat["mission"]), median(lat["public"])
    print("  aperçu, mission : " + ", ".join(f"{x:.2f}" for x in lat["mission"])
          + " s ; page publique : " + ", ".join(f"{x:.2f}" for x in lat["public"]) + " s",
          flush=True)

    # PDFs against the plugin route, on fewer missions.
    k = args.pdf_missions
    pdf_root = make_project(work / f"n{k}", k)
    projects = [Path(c).parent for c in export_all(pdf_root, work / "route", public=False)]
    for project in projects:
        to_pdf_project(project)
    out["pdf_runs"] = []
    for r in range(args.pdf_runs):
        a = amoor(pdf_root, pdf=True, cold=True)
        b = plugin_route(projects)
        out["pdf_runs"].append((a, b))
        print(f"  PDF {r + 1} ({k} dossiers) : amoor {a['wall']:.1f} s, {a['pdfs']} documents, "
              f"{a['pages']} pages ; mkdocs-to-pdf {b['wall']:.1f} s, {b['pdfs']} PDF, "
              f"{b['pages']} pages → {b['wall'] / a['wall']:.2f}×", flush=True)
    out["pdf_k"] = k
    return out


def report(out: dict, args: argparse.Namespace) -> str:
    ok = lambda good: "OK" if good else "MANQUÉ"  # noqa: E731
    w = 58
    rows = []

    def row(label: str, value: str, target: str = "", verdict: str = "") -> None:
        rows.append(f"{label:<{w}} {value:>16}  {target:<24} {verdict}")

    row(f"Aperçu : titre d'une mission modifié → servi ({out['n']} missions)",
        f"{out['serve_mission']:.2f} s", "≤ 0,5 s", ok(out["serve_mission"] <= 0.5))
    row("  mkdocs build seul des pages exportées de ce dossier", f"{out['plain_one']:.2f} s")
    ratio = out["serve_mission"] / out["plain_one"]
    row("  rapport aperçu / ce mkdocs build", f"{ratio:.2f}", "≤ 0,8", ok(ratio <= 0.8))
    row("Aperçu : page publique modifiée → servie", f"{out['serve_public']:.2f} s", "≤ 0,5 s",
        ok(out["serve_public"] <= 0.5))
    row("amoor build --no-pdf, caches vides", f"{out['cold_html']:.2f} s "
        f"({out['cold_html_cpu']:.1f})")
    row("amoor build sans changement (PDF en cache)", f"{out['null']:.2f} s "
        f"({out['null_cpu']:.1f})")
    ratio = out["null"] / out["cold_html"]
    row("  rapport nulle / --no-pdf à froid", f"{ratio:.2f}", "≤ 0,3", ok(ratio <= 0.3))
    row("amoor build après 1 mission modifiée", f"{out['one']:.2f} s")
    row("  la même modification, projet de cette seule mission", f"{out['solo']:.2f} s")
    bound = out["null"] + out["solo"]
    row("  borne : nulle + mission seule", f"{bound:.2f} s", "1 mission ≤ borne",
        ok(out["one"] <= bound))
    row("HTML : mkdocs build des mêmes pages exportées", f"{out['plain_html']:.2f} s "
        f"({out['plain_html_cpu']:.1f})")
    ratio = out["cold_html"] / out["plain_html"]
    row("  rapport amoor --no-pdf / mkdocs", f"{ratio:.2f}", "≤ 0,65", ok(ratio <= 0.65))
    for r, (a, b) in enumerate(out["pdf_runs"], start=1):
        row(f"PDF, exécution {r} : amoor ({out['pdf_k']} dossiers, {a['pdfs']} documents, "
            f"{a['pages']} p.)", f"{a['wall']:.1f} s")
        row(f"  mkdocs-to-pdf, 2 à la fois ({b['pdfs']} PDF, {b['pages']} p.)",
            f"{b['wall']:.1f} s")
        ratio = b["wall"] / a["wall"]
        row("  accélération", f"{ratio:.2f}×", "≥ 3×", ok(ratio >= 3))
        per_a, per_b = a["wall"] / a["pages"], b["wall"] / b["pages"]
        row("  secondes par page : amoor / mkdocs-to-pdf", f"{per_a:.3f} / {per_b:.3f}")
    row("Construction complète à froid (PDF, 2 processus)", f"{out['full']:.1f} s")
    row("  mémoire de pointe (principal + 1 worker)", mib(out["rss"]))
    head = (f"Machine : {os.cpu_count()} cœurs, Python {sys.version.split()[0]}, "
            f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC ; médianes de {args.runs} "
            f"(aperçu : {args.edits}) ; temps réel, CPU entre parenthèses")
    return "\n".join([head, "", f"{'mesure':<{w}} {'valeur':>16}  {'cible':<24}", *rows])


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        sys.path.insert(0, str(REPO))
        child_main(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--missions", "-n", type=int, default=43)
    parser.add_argument("--runs", type=int, default=3,
                        help="runs of the HTML, null and one-mission builds")
    parser.add_argument("--edits", type=int, default=5, help="edits timed in the preview")
    parser.add_argument("--pdf-missions", type=int, default=20)
    parser.add_argument("--pdf-runs", type=int, default=2,
                        help="runs of the PDF comparison (the target holds in every run)")
    parser.add_argument("--profile", action="store_true",
                        help="pyinstrument profile of the null build (its top lines shown)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary projects")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    os.environ.update(ENV)
    work = Path(tempfile.mkdtemp(prefix="amoor-bench-"))
    print(f"{os.cpu_count()} cœurs ; charge {os.getloadavg()[0]:.1f} ; projets dans {work}",
          flush=True)
    try:
        out = measure(args, work)
        print("\n" + report(out, args))
        if "profile" in out:
            lines = out["profile"].read_text().splitlines()
            print("\nProfil de la construction nulle (pyinstrument, début) :")
            print("\n".join(lines[:45]))
        print(f"charge à la fin : {os.getloadavg()[0]:.1f}")
    finally:
        if args.keep:
            print(f"\n(projets conservés dans {work})")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
