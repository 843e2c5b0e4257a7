"""The ``fichegen`` command line: parse arguments, call the library, print, exit.

No logic lives here. Every error of the package is turned into French lines on
stderr and an exit status in one place, :func:`main`.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

import click

from fichegen import __version__
from fichegen.cli import french as cli_fr
from fichegen.cli.engine import engine_option
from fichegen.cli.lookup import communes, schema
from fichegen.cli.opendata import donnees_ouvertes
from fichegen.cli.starters import init, modele
from fichegen.errors import (
    EXIT_FAILED,
    EXIT_INVALID,
    FichegenError,
    InputError,
    Issue,
    os_error_text,
    printable,
    shorten,
)
from fichegen.options import PDF_VARIANTS, RenderOptions, parse_formats

__all__ = ["cli", "main"]

cli_fr.install()

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _parse_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"date attendue au format AAAA-MM-JJ, reçu « {shorten(value)} »"
        ) from None


formats_option = click.option(
    "-f",
    "--formats",
    default="pdf,docx",
    show_default=True,
    metavar="LISTE",
    help="Formats à produire, séparés par des virgules : pdf, docx, html.",
)
output_option = click.option(
    "-o",
    "--output",
    "output_dir",
    type=click.Path(path_type=Path),
    default=Path("."),
    show_default=True,
    metavar="DOSSIER",
    help="Dossier de sortie.",
)
variant_option = click.option(
    "--pdf-variant",
    type=click.Choice(PDF_VARIANTS),
    default=None,
    help="Variante PDF : pdf/ua-1 (accessibilité) ou pdf/a-3b (archivage). "
    "Par défaut : PDF balisé.",
)
date_option = click.option(
    "--date",
    "when",
    callback=_parse_date,
    metavar="AAAA-MM-JJ",
    help="Date imprimée sur la fiche (par défaut : SOURCE_DATE_EPOCH, sinon aujourd'hui).",
)
knowledge_option = click.option(
    "--knowledge",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    metavar="DOSSIER",
    help="Dossier YAML qui complète ou remplace la base de connaissances.",
)
donnees_option = click.option(
    "--donnees",
    type=click.Path(dir_okay=False, path_type=Path),
    multiple=True,
    metavar="FICHIER",
    help="Tableur des chiffres locaux (.csv, .xlsx, .ods), une ligne par commune, ou fichier "
    "de données ouvertes de la Caf ou de l'Insee (reconnu à son en-tête) ; option "
    "répétable. La valeur d'un profil YAML l'emporte, puis celle du tableur.",
)
debug_option = click.option("--debug", is_flag=True, help="Afficher la trace Python des erreurs.")


@click.group(
    context_settings=CONTEXT_SETTINGS,
    options_metavar=cli_fr.OPTIONS_METAVAR,
    subcommand_metavar=cli_fr.SUBCOMMAND_METAVAR,
)
@click.version_option(
    __version__, "-V", "--version", prog_name="fichegen", message="%(prog)s %(version)s"
)
def cli() -> None:
    """Fiche n°\u00a015 du kit municipal (ESS, petite enfance & famille) pour votre commune."""


@cli.command()
@click.argument(
    "profiles", nargs=-1, metavar="[PROFIL]...", type=click.Path(dir_okay=False, path_type=Path)
)
@click.option(
    "--commune",
    "communes",
    multiple=True,
    metavar="CODE_INSEE",
    help="Produire la fiche d'une commune sans profil (données de référence seules).",
)
@formats_option
@output_option
@variant_option
@engine_option
@date_option
@knowledge_option
@donnees_option
@debug_option
def render(
    profiles: tuple[Path, ...],
    communes: tuple[str, ...],
    formats: str,
    output_dir: Path,
    pdf_variant: str | None,
    engine: str,
    when: date | None,
    knowledge: Path | None,
    donnees: tuple[Path, ...],
    debug: bool,
) -> None:
    """Produire la fiche (PDF, DOCX, HTML) d'une ou plusieurs communes."""
    from fichegen.api import render_many

    if not profiles and not communes and not donnees:
        raise InputError("indiquez au moins un profil YAML, --commune CODE_INSEE ou --donnees")
    options = RenderOptions(parse_formats(formats), pdf_variant, when, knowledge, engine=engine)
    for path in render_many(profiles, communes, options, output_dir, _notice, donnees):
        click.echo(printable(str(path), newlines=False))


@cli.command()
@click.argument(
    "profiles",
    nargs=-1,
    metavar="[PROFIL]...",
    type=click.Path(dir_okay=False, path_type=Path),
)
@donnees_option
@click.option("-v", "--verbose", is_flag=True, help="Une ligne « valide » par ligne du tableur.")
@debug_option
def validate(
    profiles: tuple[Path, ...], donnees: tuple[Path, ...], verbose: bool, debug: bool
) -> None:
    """Vérifier des profils (et un tableur) sans rien produire."""
    from fichegen.api import validate_profiles

    if not profiles and not donnees:
        raise InputError("indiquez au moins un profil YAML ou --donnees TABLEUR")
    summary: list[str] = []  # one line on the spreadsheet, printed last
    for source, commune in validate_profiles(profiles, donnees, _notice, summary.append, _warning):
        if verbose or not donnees:
            click.echo(f"{printable(source, newlines=False)} : valide ({commune})")
    for line in summary:
        click.echo(printable(line))


def _warning(issue: Issue) -> None:
    """A plausibility warning on stderr: ``FILE:LINE:COLUMN: avertissement : …``."""
    click.echo(issue.format(), err=True)


@cli.command()
@click.argument(
    "profile", required=False, metavar="[PROFIL]", type=click.Path(dir_okay=False, path_type=Path)
)
@click.option(
    "--commune", metavar="CODE_INSEE", help="Expliquer la sélection pour une commune sans profil."
)
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON (la même explication).")
@date_option
@knowledge_option
@donnees_option
@debug_option
def explain(
    profile: Path | None,
    commune: str | None,
    as_json: bool,
    when: date | None,
    knowledge: Path | None,
    donnees: tuple[Path, ...],
    debug: bool,
) -> None:
    """Montrer ce qui est retenu pour la commune, et pourquoi, sans rien produire."""
    from fichegen.api import explain_fiche

    if profile is not None and commune is not None:
        raise InputError("indiquez soit un profil YAML, soit --commune CODE_INSEE")
    if profile is None and commune is None and not donnees:
        raise InputError("indiquez un profil YAML, --commune CODE_INSEE ou --donnees TABLEUR")
    text = explain_fiche(
        profile, commune, as_json=as_json, knowledge_dir=knowledge, notify=_notice, donnees=donnees
    )
    click.echo(text)


@cli.command()
@click.argument("departement", metavar="DÉPARTEMENT")
@click.option(
    "--profiles",
    "profiles_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    metavar="DOSSIER",
    help="Dossier de profils YAML (un par commune, nom libre).",
)
@formats_option
@output_option
@variant_option
@engine_option
@date_option
@knowledge_option
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Nombre de processus (par défaut : nombre de cœurs).",
)
@click.option(
    "--scheduler",
    envvar="FICHEGEN_SCHEDULER",
    default=None,
    metavar="ADRESSE",
    help="Adresse d'un ordonnanceur dask.distributed (ou FICHEGEN_SCHEDULER).",
)
@click.option("--force", is_flag=True, help="Tout refaire, même les fiches à jour.")
@donnees_option
@debug_option
def batch(
    departement: str,
    profiles_dir: Path | None,
    formats: str,
    output_dir: Path,
    pdf_variant: str | None,
    engine: str,
    when: date | None,
    knowledge: Path | None,
    jobs: int | None,
    scheduler: str | None,
    force: bool,
    donnees: tuple[Path, ...],
    debug: bool,
) -> None:
    """Produire les fiches de toutes les communes d'un département."""
    from fichegen.batch.report import run_batch
    from fichegen.errors import BatchError
    from fichegen.french.grammar import count

    options = RenderOptions(parse_formats(formats), pdf_variant, when, knowledge, engine=engine)
    summary = run_batch(
        departement,
        output_dir=output_dir,
        options=options,
        profiles_dir=profiles_dir,
        jobs=jobs,
        force=force,
        scheduler=scheduler,
        donnees=donnees,
    )
    if summary.failed:
        failed = count(summary.failed, "commune")
        raise BatchError(f"{failed} en échec ; voir {output_dir / 'index.csv'}")


@cli.command()
@click.option(
    "--host", default="127.0.0.1", show_default=True, metavar="ADRESSE", help="Adresse d'écoute."
)
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=8000,
    show_default=True,
    metavar="PORT",
    help="Port d'écoute.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Processus de rendu (par défaut : nombre de cœurs).",
)
@engine_option
def serve(host: str, port: int, jobs: int | None, engine: str) -> None:
    """Lancer l'application web (extra fichegen[web]) : formulaire, aperçu, API."""
    from fichegen.web.server import serve as run_server

    run_server(host=host, port=port, jobs=jobs, engine=engine)


for _command in (communes, schema, init, modele, donnees_ouvertes):
    cli.add_command(_command)
cli_fr.full_descriptions(cli)


def _notice(message: str) -> None:
    click.echo(printable(f"fichegen: note : {message}"), err=True)


def _report(error: FichegenError) -> NoReturn:
    for line in error.lines():
        click.echo(f"fichegen: {line}" if not error.file else line, err=True)
    sys.exit(error.exit_code)


def _interrupt_code(exc: BaseException | None) -> int:
    """128 + the signal: 130 after Ctrl-C, 143 after SIGTERM (a batch says which)."""
    code = getattr(exc, "exit_code", None)
    return code if isinstance(code, int) else 130


def main(argv: Sequence[str] | None = None) -> Any:
    """Entry point: run the CLI, turning package errors into messages and exit codes."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    try:
        return cli.main(args=args, prog_name="fichegen", standalone_mode=False)
    except click.exceptions.Abort as exc:  # Click's wrapper of KeyboardInterrupt
        click.echo("fichegen: interrompu", err=True)
        sys.exit(_interrupt_code(exc.__cause__))
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except FichegenError as exc:
        if debug:
            raise
        _report(exc)
    except KeyboardInterrupt as exc:  # Ctrl-C: 130; a batch stopped by SIGTERM: 143
        click.echo("fichegen: interrompu", err=True)
        sys.exit(_interrupt_code(exc))
    except OSError as exc:
        if debug:
            raise
        where = printable(str(exc.filename or ""))
        click.echo(f"fichegen: {where} : {os_error_text(exc)}", err=True)
        sys.exit(EXIT_FAILED)
    except RecursionError:
        click.echo("fichegen: entrée trop imbriquée", err=True)
        sys.exit(EXIT_INVALID)
