"""``fichegen donnees-ouvertes``: download the official open-data files (Cnaf, Insee).

Registered on the ``fichegen`` group by :mod:`fichegen.cli.commands`; it only parses its
arguments, calls :mod:`fichegen.download` and prints what it did.
"""

from __future__ import annotations

from pathlib import Path

import click

from fichegen.errors import InputError, printable

__all__ = ["donnees_ouvertes"]


@click.command("donnees-ouvertes")
@click.option(
    "-d",
    "--departement",
    "departements",
    multiple=True,
    metavar="CODE",
    help="Département dont télécharger les chiffres (option répétable).",
)
@click.option("--france", is_flag=True, help="Télécharger les fichiers de toute la France.")
@click.option(
    "-o",
    "--output",
    "output_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("donnees-ouvertes"),
    show_default=True,
    metavar="DOSSIER",
    help="Dossier où écrire les fichiers et leur manifeste.",
)
@click.option(
    "--force", is_flag=True, help="Tout télécharger à nouveau, même les fichiers complets."
)
@click.option("--debug", is_flag=True, help="Afficher la trace Python des erreurs.")
def donnees_ouvertes(
    departements: tuple[str, ...], france: bool, output_dir: Path, force: bool, debug: bool
) -> None:
    """Télécharger les fichiers officiels de la Cnaf et de l'Insee (connexion à internet)."""
    from fichegen.download.fetch import MANIFEST, download_all
    from fichegen.download.meter import Meter
    from fichegen.download.sources import sources_for, sources_for_departements

    if france == bool(departements):
        raise InputError("indiquez soit --departement CODE (répétable), soit --france")
    sources = sources_for(None) if france else sources_for_departements(departements)
    outcomes = download_all(sources, output_dir, meter=Meter(), force=force)
    from fichegen.french.grammar import count

    fetched = sum(o.status == "fetched" for o in outcomes)
    summary = count(fetched, "fichier(s) téléchargé(s)")
    if len(outcomes) > fetched:
        summary += ", " + count(len(outcomes) - fetched, "fichier(s) déjà complet(s)")
    click.echo(printable(f"{summary} ; manifeste : {output_dir / MANIFEST}", newlines=False))
