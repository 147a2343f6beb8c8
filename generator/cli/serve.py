"""``amoor serve``: the preview served locally, rebuilt in place on each edit.

The engine's live-reload server (:mod:`generator.engine.serve`) serves and reloads the
browsers and calls back here on each edit; which files changed is found by comparing
the watched folders with their last state (sizes and times), so that only what changed
is rebuilt (:mod:`generator.build.preview`). This side prints to the terminal.
"""

from __future__ import annotations

import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from ..build.preview import build_preview
from ..content.diagnostics import BuildError, InputError
from ..content.project import Project
from ..engine.preview_server import loopback
from ..engine.serve import live_reload

WATCHED = ("docs", "missions", "overrides", "mkdocs.yml")


class Snapshot:
    """Sizes and modification times of the watched files: what changed since last time."""

    def __init__(self, paths: list[Path]) -> None:
        self.paths = paths
        self.state = self._read()

    def _read(self) -> dict[Path, tuple[int, int]]:
        state = {}
        for path in self.paths:
            for file in ([path] if path.is_file() else path.rglob("*")):
                try:
                    st = file.stat()
                except OSError:
                    continue
                if file.is_file():
                    state[file] = (st.st_mtime_ns, st.st_size)
        return state

    def changes(self) -> set[Path]:
        new = self._read()
        changed = {p for p in new.keys() | self.state.keys() if new.get(p) != self.state.get(p)}
        self.state = new
        return changed


@contextmanager
def _stopped_by_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP (a closed terminal) stop the preview as Ctrl+C does, so that
    its clean-up runs; the previous handlers come back after."""
    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    wanted = [s for s in (signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s is not None]
    previous = {s: signal.signal(s, stop) for s in wanted}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def serve(project: Project, host: str, port: int) -> None:
    """The preview in a temporary folder, removed however it stops (Ctrl+C, a signal,
    an error): it holds every dossier in clear and the index of every private link."""
    folder = Path(tempfile.mkdtemp(prefix="amoor-serve-"))
    try:
        with _stopped_by_signals():
            _serve(project, host, port, folder / "site")
    except KeyboardInterrupt:
        pass
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _serve(project: Project, host: str, port: int, site: Path) -> None:
    base = f"http://{host}:{port}/"
    preview = build_preview(project.root, site)
    for d in preview.diagnostics:
        click.echo(str(d), err=True)
    click.echo(f"Prêt : {base} — dossiers : {base}_dossiers/")
    if not loopback(host):
        click.echo(f"Attention : l'aperçu écoute sur {host}, hors de cet ordinateur : tout "
                   "appareil du réseau peut ouvrir /_dossiers/ (tous les dossiers, en clair, "
                   "et tous les liens privés). Sauf besoin, utilisez 127.0.0.1.", err=True)
    watched = [project.root / p for p in WATCHED if (project.root / p).exists()]
    snapshot = Snapshot(watched)

    # One update or check at a time: the check reads the folders an update replaces.
    lock = threading.Lock()

    def settle() -> None:
        with lock:
            before = set(map(str, preview.diagnostics))
            preview.settle()
            for d in preview.diagnostics:
                if str(d) not in before:
                    click.echo(str(d), err=True)

    def rebuild() -> None:
        with lock:
            changed = snapshot.changes()
            try:
                done = preview.update(changed)
            except (InputError, BuildError) as exc:
                lines = [str(d) for d in exc.diagnostics] if isinstance(exc, InputError) \
                    else [str(exc)]
                for line in lines:
                    click.echo(line, err=True)
                click.echo("Erreur : la version précédente reste servie.", err=True)
                return
            for d in preview.diagnostics:
                click.echo(str(d), err=True)
            click.echo(f"Reconstruit : {done}")
        # The server reloads the browsers when this returns; the privacy check of what
        # was rebuilt follows (its warnings reach the page a moment later).
        threading.Thread(target=settle, daemon=True).start()

    try:
        live_reload(site, watched, rebuild, host=host, port=port)
    finally:
        preview.close()
