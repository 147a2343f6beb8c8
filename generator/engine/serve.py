"""``amoor serve``: the public site and every dossier, rebuilt on change, served locally."""

from __future__ import annotations

import tempfile
from pathlib import Path

import click
from mkdocs.livereload import LiveReloadServer

from ..diagnostics import BuildError, InputError
from ..project import Project
from ..render import render


def write_local_index(site: Path, dossiers: list) -> None:
    """A page listing every dossier's private link: preview only, never published."""
    folder = site / "_dossiers"
    folder.mkdir(exist_ok=True)
    (folder / "index.html").write_text(render("preview/index.html", dossiers=dossiers),
                                       encoding="utf-8")


def serve(project: Project, host: str, port: int) -> None:
    from ..site import build

    site = Path(tempfile.mkdtemp(prefix="amoor-serve-")) / "site"
    base = f"http://{host}:{port}/"

    def rebuild() -> None:
        try:
            # A fresh Project each time: mkdocs.yml itself may have been edited.
            report = build(Project.find(project.root), site, pdf=False, strict=False,
                           preview=True)
        except InputError as exc:
            for d in exc.diagnostics:
                click.echo(str(d), err=True)
            click.echo("Erreur : la version précédente reste servie.", err=True)
            return
        except BuildError as exc:
            click.echo(f"Erreur : {exc}", err=True)
            click.echo("Erreur : la version précédente reste servie.", err=True)
            return
        for d in report.warnings:
            click.echo(str(d), err=True)
        write_local_index(site, report.dossiers)
        click.echo(f"Prêt : {base} — dossiers : {base}_dossiers/")

    rebuild()
    server = LiveReloadServer(builder=rebuild, host=host, port=port, root=str(site))
    for path in ("docs", "missions", "overrides", "mkdocs.yml"):
        if (project.root / path).exists():
            server.watch(str(project.root / path))
    try:
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
