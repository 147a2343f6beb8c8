"""The ``amoor`` command: build, check, links, show — the consultant's front end."""

from __future__ import annotations

import json
import logging
import os
import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import click

from .diagnostics import Diagnostic, InputError, errors

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def _setup_logging(quiet: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    for name in ("mkdocs", "amoor"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(logging.WARNING)
        logger.propagate = False
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)


def _report(diagnostics: list[Diagnostic]) -> None:
    for d in diagnostics:
        click.echo(str(d), err=True)


class Context:
    def __init__(self, root: Path, debug: bool):
        self.root, self.debug = root, debug
        self._project = None

    def project(self):
        """The project at ``--root``, found once per command (its mkdocs.yml read once)."""
        if self._project is None:
            from .site import Project

            self._project = Project.find(self.root)
        return self._project


def _fail(ctx: click.Context, exc: Exception) -> None:
    """Bad input or a failed step: a clear message and exit 1, a traceback only with --debug."""
    if ctx.obj.debug:
        raise exc
    if isinstance(exc, InputError):
        _report(exc.diagnostics)
        n = len(errors(exc.diagnostics))
        click.echo(f"{n} erreur{'s' if n > 1 else ''} : rien n'a été publié.", err=True)
    else:
        click.echo(f"Erreur : {exc}", err=True)
        click.echo("La construction a échoué : le site précédent est inchangé.", err=True)
    ctx.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=".",
              help="Racine du projet (où se trouve mkdocs.yml).")
@click.option("--debug", is_flag=True, help="Afficher la trace Python des erreurs.")
@click.version_option(package_name="amoor-site")
@click.pass_context
def cli(ctx: click.Context, root: Path, debug: bool) -> None:
    """Site public et dossiers de mission privés d'a.m.o.o.r."""
    ctx.obj = Context(root, debug)


@cli.command()
@click.option("--site-dir", "-d", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Dossier de sortie (par défaut : site/).")
@click.option("--no-pdf", is_flag=True, help="Ne pas produire les PDF (plus rapide).")
@click.option("--strict/--no-strict", default=True, show_default=True,
              help="Échouer au moindre avertissement de MkDocs.")
@click.option("--jobs", "-j", type=click.IntRange(1, 16), default=2, show_default=True,
              help="PDF produits en parallèle.")
@click.option("--quiet", "-q", is_flag=True, help="N'afficher que les erreurs.")
@click.pass_context
def build(ctx: click.Context, site_dir: Path | None, no_pdf: bool, strict: bool, jobs: int,
          quiet: bool) -> None:
    """Construire le site public et tous les dossiers dans site/."""
    from .site import BuildFailed, build as run_build

    _setup_logging(quiet)

    def progress(i: int, n: int, result) -> None:
        if not quiet:
            cached = " (cache)" if result.cached else ""
            click.echo(f"[{i}/{n}] {result.label} {result.seconds:.1f} s{cached}")

    try:
        project = ctx.obj.project()
        report = run_build(project, site_dir or project.root / "site", pdf=not no_pdf,
                           strict=strict, workers=jobs, progress=progress)
    except (InputError, BuildFailed) as exc:
        _fail(ctx, exc)
        return
    _report(report.warnings)
    if report.secret.created:
        click.echo(f"attention : clé secrète créée dans {report.secret.origin} ; en "
                   "production, définissez AMOOR_SECRET.", err=True)
    if not quiet:
        pages = sum(r.pages for r in report.pdfs)
        click.echo(f"Site construit dans {report.site_dir} : {len(report.dossiers)} "
                   f"dossier(s), {len(report.pdfs)} PDF ({pages} pages) en "
                   f"{report.seconds['total']:.1f} s.")
        click.echo("Liens privés : amoor links")


@cli.command()
@click.pass_context
def check(ctx: click.Context) -> None:
    """Valider l'offre et toutes les missions, sans rien construire."""
    from .site import BuildFailed, read_catalog

    try:
        catalog = read_catalog(ctx.obj.project())
    except BuildFailed as exc:
        _fail(ctx, exc)
        return
    _report(sorted(catalog.diagnostics))
    n = len(errors(catalog.diagnostics))
    if n:
        click.echo(f"{n} erreur{'s' if n > 1 else ''}.", err=True)
        ctx.exit(1)
    click.echo(f"OK : {len(catalog.offers)} offre(s), {len(catalog.missions)} mission(s).")


def _dossiers(ctx: click.Context, only: str | None = None):
    from .site import make_dossiers, read_catalog
    from .tokens import load_secret

    project = ctx.obj.project()
    catalog = read_catalog(project, only=only)
    if errors(catalog.diagnostics):
        raise InputError(catalog.diagnostics)
    return make_dossiers(catalog, load_secret(project.root).value)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON.")
@click.option("--base-url", default=None,
              help="Adresse publique du site (par défaut : site_url de mkdocs.yml).")
@click.pass_context
def links(ctx: click.Context, as_json: bool, base_url: str | None) -> None:
    """Lister les liens privés des dossiers (à transmettre à chaque client)."""
    from .site import BuildFailed

    try:
        dossiers = _dossiers(ctx)
        if base_url is None:
            base_url = ctx.obj.project().settings().get("site_url") or ""
    except (InputError, BuildFailed) as exc:
        _fail(ctx, exc)
        return
    rows = [{"slug": d.slug, "client": d.mission.client.name, "statut": d.mission.status,
             "url": d.path, "pdfs": [d.path + p.name for p in d.pdfs],
             "mot_de_passe": bool(d.password_env)} for d in dossiers]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        lock = " (mot de passe)" if row["mot_de_passe"] else ""
        click.echo(f"{row['slug']}\t{row['client']}\t{row['statut']}\t"
                   f"{base_url.rstrip('/') + '/' if base_url else ''}{row['url']}{lock}")


def _amount(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01")))


def _score(value: Fraction) -> float:
    return round(float(value), 6)


def show_data(dossier) -> dict:
    """The computed figures of one mission, as ``amoor show --json`` prints them."""
    q = dossier.quote
    data: dict = {
        "prix": {
            "forfait_ht": _amount(q.flat_fee_ht),
            "options": [{"ref": o.ref, "quantite": str(o.quantity),
                         "prix_unitaire_ht": _amount(o.unit_price_ht),
                         "montant_ht": _amount(o.amount_ht)} for o in q.options],
            "total_ht": _amount(q.total_ht), "tva": _amount(q.vat),
            "total_ttc": _amount(q.total_ttc),
        },
        "quadrants": {k: v.id for k, v in dossier.quadrants.items()},
        "roi": None,
    }
    if dossier.roi is not None:
        data["roi"] = {
            "classement": list(dossier.roi.ranking),
            "scenarios": {
                sid: {"score_min": _score(s.score_min), "score_moyen": _score(s.score_mean),
                      "publics": {p: {"score": _score(ps.score),
                                      "effectif": _score(ps.effective),
                                      "non_atteint": ps.not_reached}
                                  for p, ps in s.publics.items()}}
                for sid, s in dossier.roi.scenarios.items()},
            "scenario_retenu": dossier.roi.retained,
        }
    return data


@cli.command()
@click.argument("slug")
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON.")
@click.pass_context
def show(ctx: click.Context, slug: str, as_json: bool) -> None:
    """Afficher les chiffres calculés d'une mission (prix, quadrants, R.O.I.)."""
    from .fmt import money, number
    from .site import BuildFailed

    try:
        found = _dossiers(ctx, only=slug)
    except (InputError, BuildFailed) as exc:
        _fail(ctx, exc)
        return
    if not found:
        click.echo(f"Mission inconnue : {slug} (voir amoor links)", err=True)
        ctx.exit(1)
    dossier = found[0]
    if as_json:
        click.echo(json.dumps(show_data(dossier), ensure_ascii=False, indent=2))
        return
    q = dossier.quote
    click.echo(f"{dossier.mission.title} — {dossier.mission.client.name}")
    click.echo(f"  Forfait{' (arrêt avant atelier)' if q.stopped else ''} : "
               f"{money(q.flat_fee_ht)} HT")
    for o in q.options:
        click.echo(f"  {o.label} : {number(o.quantity)} × {money(o.unit_price_ht)} = "
                   f"{money(o.amount_ht)} HT")
    click.echo(f"  Total : {money(q.total_ht)} HT, TVA {money(q.vat)}, "
               f"{money(q.total_ttc)} TTC")
    for sid, quad in dossier.quadrants.items():
        click.echo(f"  {sid} : {quad.title}")
    if dossier.roi:
        for sid, s in dossier.roi.scenarios.items():
            mark = " (retenu)" if sid == dossier.roi.retained else ""
            click.echo(f"  {s.rank}. scénario {sid}{mark} : min {number(s.score_min, 3)}, "
                       f"moyen {number(s.score_mean, 3)}")


@cli.command()
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
@click.option("--dossier", "slug", default=None,
              help="Exporter ce dossier (par défaut : le site public).")
@click.pass_context
def export(ctx: click.Context, dest: Path, slug: str | None) -> None:
    """Écrire les pages générées en Markdown, avec un mkdocs.yml, dans DEST."""
    from .export import export_dossier, export_public
    from .reader import read_offers
    from .site import BuildFailed, Catalog

    if dest.exists() and any(dest.iterdir()):
        click.echo(f"Erreur : {dest} n'est pas vide.", err=True)
        ctx.exit(1)
    try:
        project = ctx.obj.project()
        if slug is None:
            offers, problems = read_offers(project.offers_dir, project.root)
            if errors(problems):
                raise InputError(problems)
            export_public(project, Catalog(offers, []), dest)
        else:
            found = _dossiers(ctx, only=slug)
            if not found:
                click.echo(f"Mission inconnue : {slug}", err=True)
                ctx.exit(1)
            export_dossier(project, found[0], dest)
    except (InputError, BuildFailed) as exc:
        _fail(ctx, exc)
        return
    click.echo(f"Exporté dans {dest} : mkdocs build -f {dest / 'mkdocs.yml'}")


@cli.command()
@click.argument("slug")
@click.option("--client", required=True, help="Nom du client, par exemple « Ville de … ».")
@click.option("--titre", "title", default=None, help="Titre de la mission.")
@click.option("--type", "kind", default="commune", show_default=True,
              type=click.Choice(["commune", "intercommunalite", "departement", "region",
                                 "etablissement-public", "association", "autre"]),
              help="Type d'acteur public.")
@click.option("--offre", "offer_id", default=None, help="Offre (par défaut : la seule).")
@click.pass_context
def new(ctx: click.Context, slug: str, client: str, title: str | None, kind: str,
        offer_id: str | None) -> None:
    """Créer missions/SLUG/ avec un mission.yml commenté, valide tout de suite."""
    from .reader import read_offers
    from .scaffold import ScaffoldError, new_mission
    from .site import BuildFailed

    try:
        project = ctx.obj.project()
        offers, problems = read_offers(project.offers_dir, project.root)
        if errors(problems):
            raise InputError(problems)
        offer = offers.get(offer_id) if offer_id else next(iter(offers.values()), None)
        if offer is None:
            raise BuildFailed(f"offre inconnue : {offer_id} ({', '.join(offers)})")
        files = new_mission(project.missions_dir, slug, client=client,
                            title=title or f"Concertation — {client}", kind=kind,
                            offer=offer.offer)
    except ScaffoldError as exc:
        click.echo(f"Erreur : {exc}", err=True)
        ctx.exit(1)
        return
    except (InputError, BuildFailed) as exc:
        _fail(ctx, exc)
        return
    for file in files:
        click.echo(f"créé : {file.relative_to(project.root)}")
    click.echo("Ensuite : complétez mission.yml, puis « amoor check ».")


@cli.command()
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path), default="schemas")
@click.pass_context
def schema(ctx: click.Context, dest: Path) -> None:
    """Écrire les schémas JSON de mission.yml et de l'offre (aide à la saisie)."""
    from .schema import write_schemas

    target = dest if dest.is_absolute() else ctx.obj.root / dest
    for path in write_schemas(target):
        click.echo(f"écrit : {path}")


@cli.command()
@click.option("--dev-addr", "-a", default="127.0.0.1:8000", show_default=True,
              help="Adresse et port du serveur local.")
@click.pass_context
def serve(ctx: click.Context, dev_addr: str) -> None:
    """Prévisualiser le site public et tous les dossiers, rechargés à chaque modification."""
    import tempfile

    from mkdocs.livereload import LiveReloadServer

    from .site import BuildFailed, Project, build as run_build

    _setup_logging(quiet=False)
    host, _, port = dev_addr.rpartition(":")
    project = ctx.obj.project()
    site = Path(tempfile.mkdtemp(prefix="amoor-serve-")) / "site"
    base = f"http://{host}:{port}/"

    def rebuild() -> None:
        try:
            # A fresh Project each time: mkdocs.yml itself may have been edited.
            report = run_build(Project.find(project.root), site, pdf=False, strict=False,
                               preview=True)
        except (InputError, BuildFailed) as exc:
            click.echo(str(exc) if isinstance(exc, BuildFailed) else "", err=True)
            if isinstance(exc, InputError):
                _report(exc.diagnostics)
            click.echo("Erreur : la version précédente reste servie.", err=True)
            return
        _report(report.warnings)
        write_local_index(site, report.dossiers)
        click.echo(f"Prêt : {base} — dossiers : {base}_dossiers/")

    rebuild()
    server = LiveReloadServer(builder=rebuild, host=host, port=int(port), root=str(site))
    for path in ("docs", "missions", "overrides", "mkdocs.yml"):
        if (project.root / path).exists():
            server.watch(str(project.root / path))
    try:
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()


def write_local_index(site: Path, dossiers) -> None:
    """A page listing every dossier's private link: preview only, never published."""
    from .render import render

    folder = site / "_dossiers"
    folder.mkdir(exist_ok=True)
    (folder / "index.html").write_text(render("preview/index.html", dossiers=dossiers),
                                       encoding="utf-8")


def main() -> None:
    cli(prog_name="amoor")
