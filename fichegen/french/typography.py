"""French typography of generated text, as a French publisher prints it.

* typographic apostrophe: ``l'école`` → ``l’école``;
* a narrow no-break space (U+202F) before ``; : ! ? »`` and after ``«``;
* ``n° 15`` with a no-break space;
* no-break spaces inside numbers (``10 000`` → ``10 000`` with U+202F) and between a
  number and its unit (``15 000 €``, ``200 m²``, ``12 km``);
* a narrow no-break space (U+202F) before ``%`` (``45 %``), as :func:`~fichegen.french.
  formatting.percent` and CLDR French write it;
* a no-break space between a number and the noun it counts (``67 571 habitants``,
  ``12 places``, ``1,5 point``), for the closed list of nouns a fiche counts
  (:data:`COUNTED`), so that a line never breaks between them; any other word after a
  number keeps its space (``en 2023 les…``).

:func:`typeset` applies all of it to text the tool writes. Free text from a profile or a
user knowledge folder is never passed through it: :func:`sentence` typesets a sentence
pattern and only then inserts such values, untouched; the space that follows an inserted
value ending with a digit is joined to a unit or counted noun of the pattern
(:func:`unit_after_number`), never a space inside the value.
"""

from __future__ import annotations

import re
import string

__all__ = ["COUNTED", "NBSP", "NNBSP", "sentence", "typeset", "unit_after_number"]

NBSP = "\u00a0"
NNBSP = "\u202f"
_SPACES = " \u00a0\u202f"

_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
_BEFORE_PUNCT = re.compile(rf"(?:(?<=\S)|^)[{_SPACES}]*([;:!?])(?=[\s)\]]|$)")
_OPEN_QUOTE = re.compile(rf"«[{_SPACES}]*")
_CLOSE_QUOTE = re.compile(rf"[{_SPACES}]*»")
# "10 000", "2 103 778": a group of 1-3 digits followed by groups of exactly 3.
_GROUPED = re.compile(r"(?<![\d,.])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d])")
_UNITS = r"(?:€|km²|km|m²|m|ha|hab\.(?:/km²)?|h|min|ans?\b)"
_BEFORE_UNIT = re.compile(rf"(?<=\d) ({_UNITS})(?![\w²])")
_BEFORE_PERCENT = re.compile(r"(?<=\d)[ \u00a0]%")
#: The nouns a fiche counts, joined to the number before them by a no-break space.
COUNTED = (
    "habitants?", "places?", "enfants?", "naissances?", "ménages?", "communes?",
    "exemples?", "acteurs?", "crèches?", "micro-crèches?", "berceaux?", "points?",
    "réalisations?", "demandes?", "assistant(?:e)?s?", "contrats?", "locaux", "local",
    "structures?",
)  # fmt: skip
_COUNTED = "(?:" + "|".join(COUNTED) + r")(?![\w\-’'])"
# A whole number (not the digits ending a word such as « E2S »), then a plain space.
_BEFORE_COUNTED = re.compile(rf"(?<![\w,.])(\d+(?:[,\u00a0\u202f]\d+)*) (?={_COUNTED})")
# "n° 15", "n°15": the number sign is joined to its number by a no-break space.
_NUMERO = re.compile(r"(?<!\w)(n°|N°)[ \u202f]?(?=\d)")
# Private-use characters stand for inserted values while the pattern is typeset.
_SLOT = 0xE000


def typeset(text: str) -> str:
    """Apply French typography to text written by fichegen (idempotent)."""
    text = _APOSTROPHE.sub("’", text)
    text = _BEFORE_PUNCT.sub(lambda m: NNBSP + m.group(1), text)
    text = _OPEN_QUOTE.sub("«" + NNBSP, text)
    text = _CLOSE_QUOTE.sub(NNBSP + "»", text)
    text = _GROUPED.sub(lambda m: re.sub(f"[{_SPACES}]", NNBSP, m.group(0)), text)
    text = _BEFORE_UNIT.sub(lambda m: NBSP + m.group(1), text)
    text = _BEFORE_PERCENT.sub(NNBSP + "%", text)
    text = _BEFORE_COUNTED.sub(lambda m: m.group(1) + NBSP, text)
    text = _NUMERO.sub(lambda m: m.group(1) + NBSP, text)
    return text


# A plain space before a unit, « % » or a counted noun: what follows an inserted number.
_JOINABLE = rf" (?=%|{_UNITS}(?![\w²])|{_COUNTED})"
_AFTER_NUMBER = re.compile("^" + _JOINABLE)


def unit_after_number(text: str) -> str:
    """Text that follows a number: a unit or a counted noun at its start is joined to it.

    ``" m² (salle)"`` → no-break space, ``" %"`` → narrow no-break space, ``" places
    manquent"`` → no-break space; any other word keeps its space.
    """
    return _AFTER_NUMBER.sub(_space_before, text, count=1)


def _space_before(match: re.Match[str]) -> str:
    """The no-break space to put at ``match``: narrow before « % »."""
    return NNBSP if match.string.startswith("%", match.end()) else NBSP


def sentence(pattern: str, /, **values: str) -> str:
    """Typeset ``pattern`` (``{name}`` fields), then insert ``values`` exactly as given.

    ``sentence("Proches {de}", de="d’Anstaing")``: the punctuation around the fields is
    typeset, the values (names from a profile, titles from a user folder) are not.
    """
    parts: list[str] = []
    names: list[str] = []
    for literal, name, _spec, _conv in string.Formatter().parse(pattern):
        parts.append(literal)
        if name is not None:
            parts.append(chr(_SLOT + len(names)))
            names.append(name)
    text = typeset("".join(parts))
    if not names:
        return text
    # One pass, so that a value holding a private-use character is never substituted into;
    # the pattern's text after a value ending with a digit gets its unit or noun joined.
    slots = re.compile(f"([{chr(_SLOT)}-{chr(_SLOT + len(names) - 1)}])({_JOINABLE})?")

    def insert(match: re.Match[str]) -> str:
        value = values[names[ord(match.group(1)) - _SLOT]]
        if match.group(2) is None:
            return value
        return value + (_space_before(match) if value[-1:].isdigit() else " ")

    return slots.sub(insert, text)
