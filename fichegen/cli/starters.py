"""``fichegen init`` and ``fichegen modele``: the files a team or a federation starts from.

Registered on the ``fichegen`` group by :mod:`fichegen.cli.commands`; each only parses its
arguments, calls :mod:`fichegen.api` and prints the path it wrote.
"""

from __future__ import annotations

from pathlib import Path

import click

from fichegen.errors import printable

__all__ = ["init", "modele"]


@click.command()
@click.argument("code_insee")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="FICHIER.yaml",
    help="Fichier à écrire (par défaut : profil_<code>_<commune>.yaml).",
)
@click.option("--force", is_flag=True, help="Remplacer le fichier s'il existe déjà.")
@click.option("--debug", is_flag=True, help="Afficher la trace Python des erreurs.")
def init(code_insee: str, output: Path | None, force: bool, debug: bool) -> None:
    """Écrire un profil de départ commenté pour une commune, à compléter."""
    from fichegen.api import write_starter

    click.echo(printable(str(write_starter(code_insee, output, force=force)), newlines=False))


@click.command()
@click.argument("departement", required=False)
@click.option(
    "--commune",
    "communes",
    multiple=True,
    metavar="CODE_INSEE",
    help="Une ligne pour cette commune (option répétable), au lieu d'un département.",
)
@click.option(
    "--epci", metavar="SIREN", help="Une ligne par commune de cet EPCI, au lieu d'un département."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="FICHIER",
    help="Tableur à écrire, .xlsx ou .csv (par défaut : donnees_<département>.xlsx).",
)
@click.option("--force", is_flag=True, help="Remplacer le fichier s'il existe déjà.")
@click.option("--debug", is_flag=True, help="Afficher la trace Python des erreurs.")
def modele(
    departement: str | None,
    communes: tuple[str, ...],
    epci: str | None,
    output: Path | None,
    force: bool,
    debug: bool,
) -> None:
    """Écrire le tableur à remplir : une ligne par commune du département."""
    from fichegen.api import write_template

    path = write_template(departement, output, force=force, communes=communes, epci=epci)
    click.echo(printable(str(path), newlines=False))
