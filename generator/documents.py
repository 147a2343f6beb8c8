"""Documents rendered outside the site builder (PDFs, the editable deck): from the cache
when unchanged, else two at a time in worker processes.

A job is picklable data with ``key()`` (the content hash of all it depends on),
``run()`` (write ``output``, return its number of pages), ``label``, ``output``,
``suffix`` and ``cache`` (None: never kept, a sealed dossier's documents). The cache
lookup happens in the main process: a build where nothing changed starts no worker.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from .pdf import PrintJob, check_engine, quiet_weasyprint


class Job(Protocol):
    @property
    def output(self) -> Path: ...

    @property
    def label(self) -> str: ...

    @property
    def cache(self) -> Path | None: ...

    @property
    def suffix(self) -> str: ...

    def key(self) -> str: ...

    def run(self) -> int: ...


@dataclass
class Result:
    label: str
    pages: int
    seconds: float
    cached: bool
    key: str = ""


def from_cache(job: Job) -> Result | None:
    """The document linked from the cache when everything it depends on is unchanged."""
    if job.cache is None:
        return None
    start = time.perf_counter()
    key = job.key()
    cached = job.cache / f"{key}{job.suffix}"
    try:
        pages = json.loads((job.cache / f"{key}.json").read_text())["pages"]
    except (OSError, ValueError, KeyError):
        return None
    if not cached.is_file():
        return None
    job.output.parent.mkdir(parents=True, exist_ok=True)
    job.output.unlink(missing_ok=True)
    try:
        os.link(cached, job.output)     # never rewritten in place: a link is a copy
    except OSError:                     # another file system
        shutil.copyfile(cached, job.output)
    return Result(job.label, pages, time.perf_counter() - start, True, key)


def render(job: Job) -> Result:
    """Write the document (in a worker process), then keep it in the cache."""
    start = time.perf_counter()
    pages = job.run()
    key = ""
    if job.cache is not None:
        key = job.key()
        job.cache.mkdir(parents=True, exist_ok=True)
        cached = job.cache / f"{key}{job.suffix}"
        tmp = cached.with_name(f"{key}.{os.getpid()}.tmp")
        shutil.copyfile(job.output, tmp)
        (job.cache / f"{key}.json").write_text(json.dumps({"pages": pages}))
        tmp.replace(cached)
    return Result(job.label, pages, time.perf_counter() - start, False, key)


def prune(cache: Path, used: Iterable[str]) -> None:
    """Keep only the documents of this build: none of a deleted mission lingers."""
    keep = set(used)
    if cache.is_dir():
        for file in cache.iterdir():
            if file.name.split(".", 1)[0] not in keep:
                file.unlink(missing_ok=True)


def write_documents(jobs: Iterable[Job], *, workers: int = 2,
                    progress: Callable[[int, int, Result], None] | None = None
                    ) -> list[Result]:
    """Every document, results in the order of ``jobs``."""
    todo = list(jobs)
    results: list[Result | None] = [from_cache(j) for j in todo]
    done = 0

    def report(result: Result) -> Result:
        nonlocal done
        done += 1
        if progress:
            progress(done, len(todo), result)
        return result

    for result in results:
        if result is not None:
            report(result)
    missing = [i for i, r in enumerate(results) if r is None]
    if any(isinstance(todo[i], PrintJob) for i in missing):
        check_engine()
    if missing and workers <= 1:
        quiet_weasyprint()
        for i in missing:
            results[i] = report(render(todo[i]))
    elif missing:
        with ProcessPoolExecutor(max_workers=min(workers, len(missing)),
                                 initializer=quiet_weasyprint) as pool:
            futures = {i: pool.submit(render, todo[i]) for i in missing}
            for i, future in futures.items():
                results[i] = report(future.result())
    return [r for r in results if r is not None]
