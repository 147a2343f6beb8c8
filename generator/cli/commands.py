"""The ``amoor`` command: the consultant's front end, each command a thin shell over the core.

One error boundary (:class:`AmoorGroup`) turns every expected failure into plain
lines and exit code 1: bad input (every diagnostic, located), a failed step, a
missing tool, a full disk. ``amoor --debug …`` shows the Python trace instead.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import logging
import sys
from pathlib import Path
from typing import Any

import click

from ..content.diagnostics import BuildError, Diagnostic, InputError, errors
from ..content.models.vocab import ClientKind
from ..content.project import Project
from ..content.reader import MissionSource
from ..text.fmt import date


def _report(diagnostics: list[Diagnostic]) -> None:
    for d in diagnostics:
        click.echo(str(d), err=True)


def _os_message(exc: OSError) -> str:
    where = f" : {exc.filename}" if exc.filename else ""
    if exc.errno == errno.ENOSPC:
        return f"plus de place sur le disque{where}"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"permission refusée{where}"
    return f"{exc.strerror or exc}{where}"


class AmoorGroup(click.Group):
    """Every command runs inside one boundary: a clear message and exit 1, never a trace."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except Exception as exc:  # noqa: BLE001 - the one place that reports failures
            if ctx.obj is not None and ctx.obj.debug:
                raise
            command = ctx.invoked_subcommand or ""
            if isinstance(exc, InputError):
                _report(exc.diagnostics)
                n = len(errors(exc.diagnostics))
                click.echo(f"{n} erreur{'s' if n > 1 else ''} : rien n'a été publié.", err=True)
            else:
                if isinstance(exc, BuildError):
                    message = str(exc)
                elif isinstance(exc, OSError):
                    message = _os_message(exc)
                else:
                    message = (f"erreur inattendue ({type(exc).__name__} : {exc}) ; "
                               "relancez avec « amoor --debug » pour la trace")
                click.echo(f"Erreur : {message}", err=True)
                if command in ("build", "export"):
                    click.echo("Rien n'a été publié : le site précédent est inchangé.", err=True)
            ctx.exit(1)


def _say_source_date(ctx: click.Context) -> None:
    """When ``SOURCE_DATE_EPOCH``, not today, decided which dossiers expired."""
    from ..content.clock import PARIS, source_date
    from ..text.fmt import date

    fixed = source_date()
    if fixed is not None and ctx.obj._day is None:     # --date says it itself
        now = dt.datetime.now(PARIS).date()
        click.echo(f"note : expirations jugées au {date(fixed)}, date de SOURCE_DATE_EPOCH"
                   + ("" if fixed == now else f", et non aujourd'hui ({date(now)})"),
                   err=True)


class Context:
    def __init__(self, root: Path, debug: bool, day: dt.date | None = None):
        self.root, self.debug, self._day = root, debug, day
        self._project: Project | None = None

    def today(self) -> dt.date:
        """The date the command works at: ``--date``, else today in Paris (or
        ``SOURCE_DATE_EPOCH``)."""
        from ..content.clock import today

        return self._day or today()

    def project(self) -> Project:
        """The project at ``--root``, found once per command (its mkdocs.yml read once)."""
        if self._project is None:
            self._project = Project.find(self.root)
        return self._project


def _show_logs(ctx: click.Context) -> None:
    """MkDocs' warnings on standard error for the command's duration, then as before."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    handler.setLevel(logging.WARNING)
    loggers = [logging.getLogger(name) for name in ("mkdocs", "amoor")]
    saved = [(lg.level, lg.propagate) for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.setLevel(logging.WARNING)
        lg.propagate = False

    def restore() -> None:
        for lg, (level, propagate) in zip(loggers, saved, strict=True):
            lg.removeHandler(handler)
            lg.setLevel(level)
            lg.propagate = propagate

    ctx.call_on_close(restore)


def _valid_mission(project: Project, slug: str) -> MissionSource:
    """The mission ``slug`` read and validated alone, for a command that rewrites its
    ``mission.yml`` (any error stops the command before anything is written)."""
    from ..build.pipeline import read_catalog

    catalog = read_catalog(project, only=slug)
    if errors(catalog.diagnostics):
        raise InputError(catalog.diagnostics)
    source = next((m for m in catalog.missions if m.slug == slug), None)
    if source is None:
        raise BuildError(f"mission inconnue : {slug} (voir amoor check)")
    return source


@click.group(cls=AmoorGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=".",
              help="Racine du projet (où se trouve mkdocs.yml).")
@click.option("--debug", is_flag=True, help="Afficher la trace Python des erreurs.")
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), default=None,
              metavar="AAAA-MM-JJ",
              help="Faire comme si l'on était ce jour-là (expiration des accès).")
@click.version_option(package_name="amoor-site")
@click.pass_context
def cli(ctx: click.Context, root: Path, debug: bool, day: dt.datetime | None) -> None:
    """Site public et dossiers de mission privés d'a.m.o.o.r."""
    ctx.obj = Context(root, debug, day.date() if day else None)
    _show_logs(ctx)


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
    from ..build.pipeline import build as run_build

    def progress(i: int, n: int, result: Any) -> None:
        if not quiet:
            cached = " (cache)" if result.cached else ""
            click.echo(f"[{i}/{n}] {result.label} {result.seconds:.1f} s{cached}")

    project = ctx.obj.project()
    report = run_build(project, site_dir or project.root / "site", pdf=not no_pdf,
                       strict=strict, workers=jobs, progress=progress, day=ctx.obj.today())
    _report(report.warnings)
    for notice in report.notices:
        click.echo(f"note : {notice}", err=True)
    _say_source_date(ctx)
    if not report.secret.production:
        click.echo(f"attention : clé locale ({report.secret.where}) : les liens de ce site "
                   "ne sont pas ceux de la production (définissez AMOOR_SECRET).", err=True)
    if not quiet:
        pages = sum(r.pages for r in report.pdfs)
        click.echo(f"Site construit dans {report.site_dir} : {len(report.dossiers)} "
                   f"dossier(s), {len(report.pdfs)} documents ({pages} pages) en "
                   f"{report.seconds['total']:.1f} s.")
        click.echo("Liens privés : amoor links")


@cli.command()
@click.pass_context
def check(ctx: click.Context) -> None:
    """Valider l'offre et toutes les missions, sans rien construire."""
    from ..build.pipeline import read_catalog
    from ..dossier.access import expiry_warnings

    project = ctx.obj.project()
    catalog = read_catalog(project)
    _report(sorted(catalog.diagnostics
                   + expiry_warnings(catalog.missions, ctx.obj.today(), project.root)))
    n = len(errors(catalog.diagnostics))
    if n:
        click.echo(f"{n} erreur{'s' if n > 1 else ''}.", err=True)
        ctx.exit(1)
    click.echo(f"OK : {len(catalog.offers)} offre(s), {len(catalog.missions)} mission(s).")


def _dossiers(ctx: click.Context, only: str | None = None, *, production: bool = True
              ) -> tuple[list[Any], Any]:
    """The valid missions' dossiers. ``production``: links must be the published ones,
    so a key made on this machine is refused."""
    from ..build.pipeline import make_dossiers, read_catalog
    from ..protection.keys import SECRET_ENV, SECRET_FILE, Keys, load_secret

    project = ctx.obj.project()
    catalog = read_catalog(project, only=only)
    if errors(catalog.diagnostics):
        raise InputError(catalog.diagnostics)
    secret = load_secret(project.root)
    if production and not secret.production:
        raise BuildError(
            f"pas de clé de production : ces liens ne seraient pas ceux du site publié. "
            f"La clé est le secret {SECRET_ENV} de la forge (GitHub : Settings › Secrets ; "
            f"GitLab : Settings › CI/CD › Variables) ; sur ce poste, exportez-la "
            f"({SECRET_ENV}=… amoor links) ou copiez-la dans {SECRET_FILE} (ignoré par git).")
    keys = Keys(secret.value)
    return make_dossiers(catalog, keys), keys


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON.")
@click.option("--base-url", default=None,
              help="Adresse publique du site (par défaut : site_url de mkdocs.yml).")
@click.pass_context
def links(ctx: click.Context, as_json: bool, base_url: str | None) -> None:
    """Lister les liens privés des dossiers (à transmettre à chaque client)."""
    from ..dossier.summary import link_rows

    dossiers, keys = _dossiers(ctx)
    base = base_url if base_url is not None else ctx.obj.project().site_url
    rows = link_rows(dossiers, keys, ctx.obj.today())
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    prefix = base.rstrip("/") + "/" if base else ""
    for row in rows:
        if row["expire"]:
            where = f"accès expiré le {date(dt.date.fromisoformat(row['expire_le']))}"
        else:
            where = prefix + row["url"] + (" (mot de passe)" if row["mot_de_passe"] else "")
        portal = f"\tespace client : {prefix}{row['portail']}" if row["portail"] else ""
        click.echo(f"{row['slug']}\t{row['client']}\t{row['statut']}\t{where}{portal}")


@cli.command()
@click.argument("slug")
@click.pass_context
def revoke(ctx: click.Context, slug: str) -> None:
    """Retirer le lien d'un dossier et en donner un nouveau (acces.revision + 1) ; l'espace
    client de ce client change aussi d'adresse."""
    from ..dossier.summary import link_rows
    from ..protection.keys import Keys, load_secret
    from ..protection.revoke import raise_revision

    project = ctx.obj.project()
    source = _valid_mission(project, slug)
    revision = raise_revision(project.root / source.path, source.path)
    click.echo(f"{source.path} : acces.revision = {revision}. L'ancien lien et l'ancienne "
               "adresse de l'espace client sont retirés à la prochaine publication.")
    secret = load_secret(project.root)
    if not secret.production:
        click.echo("Nouveaux liens : « amoor links » avec la clé de production (AMOOR_SECRET).")
        return
    base = project.site_url.rstrip("/") + "/" if project.site_url else ""
    try:                    # the portal's address depends on all the client's missions
        dossiers, keys = _dossiers(ctx)
    except (InputError, BuildError):
        token = Keys(secret.value).dossier_token(slug, revision)
        click.echo(f"Nouveau lien : {base}d/{token}/\nEspace client : « amoor links », une "
                   "fois les autres missions corrigées (amoor check).")
        return
    row = next(r for r in link_rows(dossiers, keys, ctx.obj.today()) if r["slug"] == slug)
    if row["expire"]:
        click.echo(f"Accès expiré le {date(dt.date.fromisoformat(row['expire_le']))} : "
                   "aucun lien publié.")
        return
    click.echo(f"Nouveau lien : {base}{row['url']}")
    if row["portail"]:
        click.echo(f"Nouvel espace client : {base}{row['portail']}")


@cli.command()
@click.argument("slug")
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON.")
@click.pass_context
def show(ctx: click.Context, slug: str, as_json: bool) -> None:
    """Afficher les chiffres calculés d'une mission (prix, quadrants, R.O.I.)."""
    from ..dossier.summary import show_data, show_lines

    found, _ = _dossiers(ctx, only=slug, production=False)
    if not found:
        raise BuildError(f"mission inconnue : {slug} (voir amoor check)")
    dossier = found[0]
    if as_json:
        click.echo(json.dumps(show_data(dossier), ensure_ascii=False, indent=2))
        return
    click.echo("\n".join(show_lines(dossier)))


@cli.group()
def atelier() -> None:
    """L'atelier « R.O.I. citoyen » : son résultat, rapporté dans la mission."""


@atelier.command()
@click.argument("slug")
@click.argument("fichier", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def importer(ctx: click.Context, slug: str, fichier: Path) -> None:
    """Écrire dans missions/SLUG/mission.yml le fichier exporté par la page d'atelier."""
    from ..content.workshop_result import read_result, write_result
    from ..dossier.summary import ranking_lines

    project = ctx.obj.project()
    source = _valid_mission(project, slug)
    result = read_result(fichier, str(fichier), slug, source.mission)
    write_result(project.root / source.path, source.path, result)
    found, _ = _dossiers(ctx, only=slug, production=False)
    retained = f", scénario retenu {result.retained}" if result.retained else ""
    click.echo(f"{source.path} : {len(result.evaluations)} évaluations écrites{retained}. "
               "Classement :")
    click.echo("\n".join(ranking_lines(found[0])))
    if result.ranking and found[0].roi and result.ranking != found[0].roi.ranking:
        click.echo("Attention : ce classement diffère de celui de la page d'atelier "
                   f"({', '.join(result.ranking)}) ; signalez-le.", err=True)


@cli.command()
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
@click.option("--dossier", "slug", default=None,
              help="Exporter ce dossier (par défaut : le site public).")
@click.option("--no-pdf", is_flag=True, help="Sans les PDF (les liens de téléchargement "
                                              "resteront sans cible).")
@click.pass_context
def export(ctx: click.Context, dest: Path, slug: str | None, no_pdf: bool) -> None:
    """Écrire les pages générées en Markdown, avec un mkdocs.yml, dans DEST."""
    from ..build.export import export_dossier, export_public
    from ..build.pipeline import read_catalog, references

    if dest.exists() and any(dest.iterdir()):
        raise BuildError(f"{dest} n'est pas vide")
    project = ctx.obj.project()
    if slug is None:
        catalog = read_catalog(project)     # the references are the missions'
        if errors(catalog.diagnostics):
            raise InputError(catalog.diagnostics)
        export_public(project, catalog.offers, dest, pdf=not no_pdf,
                      references=references(catalog))
    else:
        found, _ = _dossiers(ctx, only=slug, production=False)
        if not found:
            raise BuildError(f"mission inconnue : {slug}")
        export_dossier(project, found[0], dest, pdf=not no_pdf)
        if found[0].password_env:
            click.echo("attention : dossier protégé exporté en clair, à ne pas publier tel "
                       "quel.", err=True)
    click.echo(f"Exporté dans {dest} : mkdocs build -f {dest / 'mkdocs.yml'}")


@cli.command()
@click.argument("slug")
@click.option("--client", required=True, help="Nom du client, par exemple « Ville de … ».")
@click.option("--titre", "title", default=None, help="Titre de la mission.")
@click.option("--type", "kind", default=ClientKind.COMMUNE.value, show_default=True,
              type=click.Choice([k.value for k in ClientKind]), help="Type d'acteur public.")
@click.option("--offre", "offer_id", default=None, help="Offre (par défaut : la seule).")
@click.pass_context
def new(ctx: click.Context, slug: str, client: str, title: str | None, kind: str,
        offer_id: str | None) -> None:
    """Créer missions/SLUG/ avec un mission.yml commenté, valide tout de suite."""
    from ..build.scaffold import new_mission
    from ..content.reader import read_offers

    project = ctx.obj.project()
    offers, problems = read_offers(project.offers_dir, project.root)
    if errors(problems):
        raise InputError(problems)
    offer = offers.get(offer_id) if offer_id else next(iter(offers.values()), None)
    if offer is None:
        raise BuildError(f"offre inconnue : {offer_id} ({', '.join(offers) or 'aucune'})")
    files = new_mission(project.missions_dir, slug, client=client,
                        title=title or f"Concertation — {client}", kind=kind,
                        offer=offer.offer, day=ctx.obj.today())
    for file in files:
        click.echo(f"créé : {file.relative_to(project.root)}")
    click.echo("Ensuite : complétez mission.yml, puis « amoor check ».")


def _decimal(text: str, what: str) -> Any:
    from decimal import Decimal, InvalidOperation

    cleaned = text.replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace(",", ".")
    try:
        return Decimal(cleaned.rstrip("%€"))
    except InvalidOperation:
        raise click.BadParameter(f"{what} : un nombre est attendu (lu : {text!r})") from None


@cli.command()
@click.argument("slug")
@click.option("--acompte", "kind", flag_value="acompte", help="Facture d'acompte.")
@click.option("--solde", "kind", flag_value="solde", help="Facture de solde (déduit les "
                                                          "acomptes).")
@click.option("--avoir", "cancels", default=None, metavar="NUMERO",
              help="Avoir annulant la facture NUMERO.")
@click.option("--part", default=None, help="Acompte : part du total HT, 30% ou 0.3 (par "
                                           "défaut l'acompte du devis).")
@click.option("--montant", default=None, help="Acompte : montant HT, à la place de --part.")
@click.option("--prestation", default=None,
              help="Date ou période de la prestation, si elle diffère de la date d'émission.")
@click.pass_context
def facture(ctx: click.Context, slug: str, kind: str | None, cancels: str | None,
            part: str | None, montant: str | None, prestation: str | None) -> None:
    """Émettre la facture suivante de la mission SLUG (numéro suivant, date du jour)."""
    from ..build.invoicing import add_invoice
    from ..content.models.vocab import InvoiceKind
    from ..text.fmt import cents

    if (kind is None) == (cancels is None):
        raise click.UsageError("une et une seule de --acompte, --solde, --avoir NUMERO")
    if (part or montant) and kind != "acompte":
        raise click.UsageError("--part et --montant ne vont qu'avec --acompte")
    if part and montant:
        raise click.UsageError("--part ou --montant, pas les deux")
    share = _decimal(part, "--part") if part else None
    if share is not None and (part or "").strip().endswith("%") or (share and share > 1):
        share = share / 100
    billed, path = add_invoice(
        ctx.obj.project(), slug, {k.value: k for k in InvoiceKind}[kind or "avoir"],
        ctx.obj.today(), share=share,
        amount=_decimal(montant, "--montant") if montant else None, cancels=cancels,
        service=prestation)
    click.echo(f"{path} : {billed.kind.label} n° {billed.number} du {date(billed.date)} "
               f"ajoutée : {cents(billed.total_ht)} HT, TVA {cents(billed.vat)}, "
               f"{cents(billed.total_ttc)} TTC, net à payer {cents(billed.due)} "
               f"(échéance {date(billed.due_date)}).")
    click.echo("Empreinte inscrite dans factures.lock : à committer avec mission.yml. "
               "Le PDF (Factur-X) est produit par amoor build.")


@cli.command()
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path), default="schemas")
@click.pass_context
def schema(ctx: click.Context, dest: Path) -> None:
    """Écrire les schémas JSON de mission.yml et de l'offre (aide à la saisie)."""
    from ..content.schema import write_schemas

    target = dest if dest.is_absolute() else ctx.obj.root / dest
    for path in write_schemas(target):
        click.echo(f"écrit : {path}")


@cli.command()
def secret() -> None:
    """Créer une clé secrète AMOOR_SECRET (à mettre dans les secrets de la forge)."""
    from ..protection.keys import SECRET_ENV, SECRET_FILE, new_secret

    click.echo(new_secret())
    click.echo(f"À copier dans la forge comme secret {SECRET_ENV} (la même à chaque "
               f"publication), et, pour « amoor links » sur ce poste, dans {SECRET_FILE}.",
               err=True)


@cli.command()
@click.option("--dev-addr", "-a", default="127.0.0.1:8000", show_default=True,
              help="Adresse et port du serveur local.")
@click.pass_context
def serve(ctx: click.Context, dev_addr: str) -> None:
    """Prévisualiser le site public et tous les dossiers, rechargés à chaque modification."""
    from .serve import serve as run_serve

    host, _, port = dev_addr.rpartition(":")
    run_serve(ctx.obj.project(), host or "127.0.0.1", int(port))


def main() -> None:
    cli(prog_name="amoor")


if __name__ == "__main__":  # pragma: no cover
    main()
