"""Safe reason templates of the knowledge base: plain ``{name}`` fields from a whitelist.

A template may only use simple named fields, without attribute or index access,
conversion or format spec, so that a knowledge-base folder given by a user can never
reach Python objects. Fields are checked when the knowledge base is loaded and filled
by plain substitution (never ``str.format``).

A template with a ``{nombre}`` field may write agreement markers, ``contrat(s)``,
``social(aux)``: they are resolved by that number (:func:`fichegen.french.grammar.agree`),
so the fiche never prints « (s) ». Values are inserted exactly as given; after a value
ending with a digit, the template's space before a unit, « % » or a counted noun
(« {population} habitants ») becomes a no-break space
(:func:`fichegen.french.typography.unit_after_number`), so the number is never split from it.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping

from fichegen.errors import shorten
from fichegen.french.grammar import agree
from fichegen.french.typography import unit_after_number

__all__ = ["TemplateSyntaxError", "fill", "template_fields"]

_NAME = re.compile(r"[a-z_][a-z0-9_]*\Z")
_FORMATTER = string.Formatter()


class TemplateSyntaxError(ValueError):
    """A template that is not made of plain text and plain ``{name}`` fields."""


def _parse(template: str) -> list[tuple[str, str | None]]:
    """Split into (literal text, field name or None) pairs, rejecting anything fancy."""
    try:
        parts = list(_FORMATTER.parse(template))
    except ValueError as exc:
        raise TemplateSyntaxError(f"accolade mal formée ({exc})") from exc
    result: list[tuple[str, str | None]] = []
    for literal, name, spec, conversion in parts:
        if name is None:
            result.append((literal, None))
            continue
        if conversion or spec:
            raise TemplateSyntaxError(
                f"champ « {{{shorten(name)}}} » : ni conversion (!r) ni format (:...) "
                "ne sont permis"
            )
        if not _NAME.match(name):
            raise TemplateSyntaxError(
                f"champ « {{{shorten(name)}}} » : seul un nom simple en minuscules est permis"
            )
        result.append((literal, name))
    return result


def template_fields(template: str) -> frozenset[str]:
    """The field names a template uses; raises TemplateSyntaxError if it is not safe."""
    return frozenset(name for _, name in _parse(template) if name is not None)


def fill(template: str, values: Mapping[str, str | None]) -> str | None:
    """Substitute the fields; ``None`` if a field has no value (the caller picks a fallback)."""
    out: list[str] = []
    count = _count(values.get("nombre"))
    for literal, name in _parse(template):
        if out and out[-1][-1:].isdigit():
            literal = unit_after_number(literal)
            if _below_two(out[-1]):  # French: « 0 place », « 1 habitant », « 1,5 place »
                literal = _SINGULAR_AFTER.sub(lambda m: m.group(1) + _SINGULAR[m.group(2)], literal)
        out.append(literal if count is None else agree(literal, count))
        if name is None:
            continue
        value = values.get(name)
        if value is None:
            return None
        out.append(value)
    return "".join(out)


# Plural nouns a template writes after a number field, and their singular (0 and 1, and any
# number under 2, take the singular in French).
_SINGULAR = {
    "places": "place",
    "enfants": "enfant",
    "demandes": "demande",
    "habitants": "habitant",
    "assistants maternels": "assistant maternel",
    "crèches": "crèche",
    "points": "point",
}
_SINGULAR_AFTER = re.compile(r"^([ \u00a0\u202f])(" + "|".join(_SINGULAR) + r")\b")
_NUMBER_END = re.compile(r"(\d[\d\u00a0\u202f ]*(?:,\d+)?)$")


def _below_two(text: str) -> bool:
    """Whether ``text`` ends with a French number under 2 (« 0 », « 1 », « 1,5 »)."""
    found = _NUMBER_END.search(text)
    if found is None:
        return False
    digits = re.sub(r"[\u00a0\u202f ]", "", found.group(1)).replace(",", ".")
    try:
        return float(digits) < 2
    except ValueError:
        return False


def _count(value: str | None) -> int | None:
    """The number a ``{nombre}`` value shows (``"1 234"`` → 1234), None if there is none."""
    digits = "".join(ch for ch in value or "" if ch.isdigit())
    return int(digits) if digits else None
