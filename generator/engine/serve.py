"""MkDocs' live-reload server for ``amoor serve``: serves a folder, reloads the browsers.

What to rebuild on an edit, and what to print, is the caller's (``rebuild``, called
by the server when a watched path changes): the engine knows neither click nor the
build.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .preview_server import PreviewServer


def live_reload(site: Path, watched: list[Path], rebuild: Callable[[], None], *,
                host: str, port: int) -> None:
    """Serve ``site`` until interrupted; ``rebuild`` runs after each change of ``watched``."""
    # Files polled every 20 ms (a few hundred stat calls): an edit is served well under
    # half a second later.
    server = PreviewServer(builder=rebuild, host=host, port=port, root=str(site),
                           polling_interval=0.02)
    server.build_delay = 0.02
    for path in watched:
        server.watch(str(path))
    try:
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
