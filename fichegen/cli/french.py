"""French wording for Click's own messages (usage, help headings, usage errors).

Click looks its strings up through ``gettext``; fichegen ships no .mo catalogue, so the
few strings a user can meet are translated here and installed into Click's modules.
Headings follow French typography (« Options : »), and the help lists each command's
whole description (:func:`full_descriptions`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.types

__all__ = ["OPTIONS_METAVAR", "SUBCOMMAND_METAVAR", "full_descriptions", "install"]

OPTIONS_METAVAR = "[OPTIONS]"
SUBCOMMAND_METAVAR = "COMMANDE [ARGUMENTS]..."

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
    "Missing {param_type}": "{param_type} manquant",
    "Missing parameter: {param_name}": "Paramètre manquant : {param_name}",
    "Missing command.": "Commande manquante.",
    "Positional arguments": "Arguments",
    "No such command {name!r}.": "Commande inconnue « {name} ».",
    "No such option {name!r}.": "Option inconnue « {name} ».",
    "Option {name!r} does not take a value.": "L'option « {name} » ne prend pas de valeur.",
    "Argument {name!r} takes {nargs} values.": "L'argument « {name} » prend {nargs} valeurs.",
    "Choose from:\n\t{choices}": "Valeurs possibles :\n\t{choices}",
    "Invalid value for {param_hint}: {message}": "Valeur invalide pour {param_hint} : {message}",
    "Invalid value: {message}": "Valeur invalide : {message}",
    "Aborted!": "Interrompu.",
    "{value!r} is not a valid {number_type}.": "{value!r} n'est pas un {number_type} valide.",
    "{value} is not in the range {range}.": "{value} hors limites (valeur attendue : {range}).",
    "{name} {filename!r} does not exist.": "{name} {filename!r} n'existe pas.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} est un dossier.",
    "{name} {filename!r} is a file.": "{name} {filename!r} est un fichier.",
    "directory": "le dossier",
    "file": "le fichier",
    "path": "le chemin",
}

PLURALS: dict[tuple[str, str], tuple[str, str]] = {
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"): (
        "Vouliez-vous dire {possibility} ?",
        "(Vouliez-vous dire l'une de ces valeurs : {possibilities} ?)",
    ),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."): (
        "L'option « {name} » attend une valeur.",
        "L'option « {name} » attend {nargs} valeurs.",
    ),
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"): (
        "Argument en trop ({args})",
        "Arguments en trop ({args})",
    ),
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


def _write_heading(self: click.formatting.HelpFormatter, heading: str) -> None:
    """« Options : », « Commandes : » (a space before the colon)."""
    self.write(f"{'':>{self.current_indent}}{heading} :\n")


_ENGLISH_EXTRA = click.core.Option.get_help_extra


def _help_extra(self: click.core.Option, ctx: click.Context) -> Any:
    """Click's « [default: …; x>=1] » without the range in English notation."""
    extra = _ENGLISH_EXTRA(self, ctx)
    extra.pop("range", None)
    return extra


def _possibilities(possibilities: list[str]) -> str:
    """« Vouliez-vous dire « render » ? » with French quotes instead of Python's repr."""
    names = ", ".join(f"« {p} »" for p in sorted(possibilities))
    return _translate_plural(
        "Did you mean {possibility}?",
        "(Did you mean one of: {possibilities}?)",
        len(possibilities),
    ).format(possibility=names, possibilities=names)


_QUOTED = re.compile(r"'([^']*)'")


def _french_quotes(text: str) -> str:
    """``'--limit'`` → ``« --limit »``."""
    return _QUOTED.sub(r"« \1 »", text)


_PARAM_HINT = click.core.Parameter.get_error_hint
_ARGUMENT_HINT = click.core.Argument.get_error_hint


def _param_hint(self: click.core.Parameter, ctx: click.Context | None) -> str:
    return _french_quotes(_PARAM_HINT(self, ctx))


def _argument_hint(self: click.core.Argument, ctx: click.Context | None) -> str:
    return _french_quotes(_ARGUMENT_HINT(self, ctx))


def _invalid_choice(self: click.Choice[Any], value: Any, ctx: click.Context | None) -> str:
    """« pdf/x » n'est pas l'une des valeurs possibles : « pdf/ua-1 », « pdf/a-3b »."""
    choices = ", ".join(f"« {c} »" for c in self.choices)
    return f"« {value} » n'est pas l'une des valeurs possibles : {choices}."


def _describe_range(self: Any) -> str:
    """A number range in words: « au moins 1 », « au plus 7 », « de 1 à 7 »."""
    if self.min is None:
        return f"au plus {self.max}"
    if self.max is None:
        return f"au moins {self.min}"
    return f"de {self.min} à {self.max}"


def full_descriptions(group: click.Group) -> None:
    """List every command with its whole first paragraph in ``--help`` (never cut with …)."""
    for command in group.commands.values():
        if command.help and not command.short_help:
            command.short_help = command.help.split("\n\n")[0].strip()


def install() -> None:
    """Make Click speak French in fichegen's help and usage errors."""
    translate: Callable[[str], str] = _translate
    modules = (
        click.core,
        click.decorators,
        click.exceptions,
        click.formatting,
        click.parser,
        click.types,
    )
    for module in modules:
        module._ = translate  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _translate_plural  # type: ignore[attr-defined]
    click.formatting.HelpFormatter.write_heading = _write_heading  # type: ignore[method-assign]
    click.core.Option.get_help_extra = _help_extra  # type: ignore[method-assign]
    click.exceptions._format_possibilities = _possibilities
    click.core.Parameter.get_error_hint = _param_hint  # type: ignore[method-assign]
    click.core.Argument.get_error_hint = _argument_hint  # type: ignore[method-assign]
    click.types.Choice.get_invalid_choice_message = _invalid_choice  # type: ignore[method-assign]
    click.types._NumberRangeBase._describe_range = _describe_range  # type: ignore[method-assign]
