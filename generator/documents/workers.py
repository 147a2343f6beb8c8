"""Documents rendered outside the site builder (PDFs, the editable deck): from the cache
when unchanged, else two at a time in worker processes, as their jobs come.

A job is picklable data with ``key()`` (the content hash of all it depends on),
``run()`` (write ``output``, return its number of pages), ``label``, ``output``,
``suffix`` and ``cache`` (None: never kept, a sealed dossier's documents). The cache
lookup happens in the main process: a build where nothing changed starts no worker.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ..cache.folder import FolderCache
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


def from_cache(job: Job, key: str) -> Result | None:
    """The document linked from the cache when everything it depends on (``key``) is
    unchanged."""
    if job.cache is None:
        return None
    start = time.perf_counter()
    note = FolderCache(job.cache).fetch_file(key, job.suffix, job.output)
    if not isinstance(note, dict) or not isinstance(note.get("pages"), int):
        return None
    return Result(job.label, note["pages"], time.perf_counter() - start, True, key)


def make_document(job: Job, key: str) -> Result:
    """Write the document (in a worker process), then keep it in the cache under
    ``key`` (computed once, by :meth:`Writer.add`)."""
    start = time.perf_counter()
    pages = job.run()
    if job.cache is not None:
        FolderCache(job.cache).store_file(key, job.suffix, job.output, {"pages": pages})
    return Result(job.label, pages, time.perf_counter() - start, False, key)


class Writer:
    """Documents rendered as their jobs come: a dossier's PDFs start in the workers
    while the next dossier's pages are built, so no core waits for the other.
    Results in the order the jobs were added."""

    def __init__(self, *, workers: int = 2,
                 progress: Callable[[int, int, Result], None] | None = None,
                 total: int = 0) -> None:
        self.workers, self.progress, self.total = workers, progress, total
        self.slots: list[Result | Future[Result]] = []
        self.pool: ProcessPoolExecutor | None = None
        self.done = 0

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def _report(self, result: Result) -> Result:
        self.done += 1
        if self.progress:
            self.progress(self.done, max(self.total, len(self.slots)), result)
        return result

    def add(self, jobs: Iterable[Job]) -> None:
        for job in jobs:
            key = job.key() if job.cache is not None else ""
            cached = from_cache(job, key)
            if cached is not None:
                self.slots.append(self._report(cached))
                continue
            if isinstance(job, PrintJob) and self.pool is None:
                check_engine()
            if self.workers <= 1:
                quiet_weasyprint()
                self.slots.append(self._report(make_document(job, key)))
                continue
            if self.pool is None:
                self.pool = ProcessPoolExecutor(max_workers=self.workers,
                                                initializer=quiet_weasyprint)
            self.slots.append(self.pool.submit(make_document, job, key))

    def results(self, on_done: Callable[[int, Result], object] | None = None
                ) -> list[Result]:
        """Every result, waiting for the workers; ``on_done(index, result)`` runs here
        as each document is finished, in the order they finish (this process would
        otherwise only wait)."""
        done: dict[int, Result] = {i: slot for i, slot in enumerate(self.slots)
                                   if isinstance(slot, Result)}
        if on_done is not None:
            for i, result in done.items():
                on_done(i, result)
        running = {slot: i for i, slot in enumerate(self.slots)
                   if not isinstance(slot, Result)}
        for future in as_completed(running):
            i = running[future]
            done[i] = self._report(future.result())
            if on_done is not None:
                on_done(i, done[i])
        return [done[i] for i in range(len(self.slots))]


def write_documents(jobs: Iterable[Job], *, workers: int = 2,
                    progress: Callable[[int, int, Result], None] | None = None
                    ) -> list[Result]:
    """Every document, results in the order of ``jobs``."""
    jobs = list(jobs)
    with Writer(workers=workers, progress=progress, total=len(jobs)) as writer:
        writer.add(jobs)
        return writer.results()
