"""The privacy check alone, on a built site of N missions: how long it takes to read
every file (HTML, JSON, PDFs, archives) with no cache, median of a few runs.

    .venv/bin/python tests/benchmarks/bench_privacy.py --missions 20

Not part of the test suite. Run it on two commits to compare (the projects are made
from the frozen fixture, never from the consultant's content).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import ENV, make_project  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--missions", "-n", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    os.environ.update(ENV)
    import logging

    for name in ("mkdocs", "weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    from generator.build.pipeline import Project, build
    from generator.privacy.check import check_privacy
    from generator.privacy.match import owned_folders

    with tempfile.TemporaryDirectory(prefix="amoor-bench-") as tmp:
        root = make_project(Path(tmp) / "p", args.missions)
        report = build(Project.find(root), root / "site", pdf=True, workers=2)
        owned = owned_folders(report.dossiers, report.portals)
        files = [p for p in (root / "site").rglob("*") if p.is_file()]
        pdfs = sum(1 for p in files if p.suffix == ".pdf")
        times, cpu = [], []
        for _ in range(args.runs):
            start, start_cpu = time.perf_counter(), _cpu()
            found = check_privacy(root / "site", owned)
            times.append(time.perf_counter() - start)
            cpu.append(_cpu() - start_cpu)
            assert found == [], found
    print(f"{args.missions} missions, {len(files)} files ({pdfs} PDFs): privacy check "
          f"without cache, median of {args.runs}: {statistics.median(times):.2f} s "
          f"(runs: {', '.join(f'{t:.2f}' for t in times)}); CPU, child processes "
          f"included: {statistics.median(cpu):.2f} s")


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (a PDF reader run as
    a process of its own counts too)."""
    me, children = resource.getrusage(resource.RUSAGE_SELF), \
        resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


if __name__ == "__main__":
    main()
