"""The look-up commands: ``communes`` (the embedded reference) and ``schema`` (JSON Schema)."""

from __future__ import annotations

import json

import click

__all__ = ["communes", "schema"]


@click.command()
@click.argument("query", required=False, metavar="[RECHERCHE]")
@click.option(
    "-d", "--departement", metavar="CODE", help="Limiter à un département (01…95, 2A, 2B, 971…976)."
)
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON.")
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=50,
    show_default=True,
    metavar="N",
    help="Nombre maximal de communes affichées (au moins 1).",
)
@click.option("--tout", "show_all", is_flag=True, help="Afficher toutes les communes trouvées.")
def communes(
    query: str | None, departement: str | None, as_json: bool, limit: int, show_all: bool
) -> None:
    """Chercher une commune dans le référentiel embarqué (nom ou code INSEE)."""
    from fichegen.api import find_communes
    from fichegen.cli.tables import commune_table, left_out_note

    found = find_communes(query, departement)
    shown = found if show_all else found[:limit]
    if as_json:
        click.echo(json.dumps(shown, ensure_ascii=False, indent=2))
    else:
        click.echo(commune_table(shown))
    if len(shown) < len(found):
        click.echo(left_out_note(len(shown), len(found)), err=True)


@click.command()
def schema() -> None:
    """Afficher le schéma JSON du profil (pour les éditeurs)."""
    from fichegen.inputs.profile import profile_json_schema

    click.echo(json.dumps(profile_json_schema(), ensure_ascii=False, indent=2))
