"""French wording for Click's own messages (usage, help headings, usage errors).

Click looks its strings up through ``gettext``; fichegen ships no .mo catalogue, so the
few strings a user can meet are translated here and installed into Click's modules.
"""

from __future__ import annotations

from collections.abc import Callable

import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.types

__all__ = ["install"]

FRENCH: dict[str, str] = {
    "Usage:": "Usage :",
    "Options": "Options",
    "Commands": "Commandes",
    "Show this message and exit.": "Afficher cette aide et quitter.",
    "Show the version and exit.": "Afficher la version et quitter.",
    "default: {default}": "par défaut : {default}",
    "env var: {var}": "variable d'environnement : {var}",
    "Error: {message}": "Erreur : {message}",
    "Try '{command} {option}' for help.": "Essayez « {command} {option} » pour l'aide.",
    "Missing argument": "Argument manquant",
    "Missing option": "Option manquante",
    "Missing parameter": "Paramètre manquant",
    "Missing command.": "Commande manquante.",
    "No such command {name!r}.": "Commande inconnue {name!r}.",
    "No such option {name!r}.": "Option inconnue {name!r}.",
    "Invalid value for {param_hint}: {message}": "Valeur invalide pour {param_hint} : {message}",
    "Invalid value: {message}": "Valeur invalide : {message}",
    "Aborted!": "Interrompu.",
    "{value!r} is not a valid {number_type}.": "{value!r} n'est pas un {number_type} valide.",
    "{value} is not in the range {range}.": "{value} n'est pas dans l'intervalle {range}.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} n'existe pas.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} est un dossier.",
    "{name} {filename!r} is a file.": "{name} {filename!r} est un fichier.",
    "directory": "le dossier",
    "file": "le fichier",
    "path": "le chemin",
}

PLURALS: dict[tuple[str, str], tuple[str, str]] = {
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."): (
        "{value!r} n'est pas {choice}.",
        "{value!r} n'est pas l'une des valeurs {choices}.",
    ),
}


def _translate(message: str) -> str:
    return FRENCH.get(message, message)


def _translate_plural(msgid1: str, msgid2: str, n: int) -> str:
    french = PLURALS.get((msgid1, msgid2))
    if french is None:
        return msgid1 if n == 1 else msgid2
    return french[0] if n == 1 else french[1]


def install() -> None:
    """Make Click speak French in fichegen's help and usage errors."""
    translate: Callable[[str], str] = _translate
    for module in (click.core, click.decorators, click.exceptions, click.formatting, click.types):
        module._ = translate  # type: ignore[attr-defined]
    click.types.ngettext = _translate_plural  # type: ignore[attr-defined]
