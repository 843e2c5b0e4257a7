"""French typography of generated text, as a French publisher prints it.

* typographic apostrophe: ``l'école`` → ``l’école``;
* a narrow no-break space (U+202F) before ``; : ! ? »`` and after ``«``;
* ``n° 15`` with a no-break space;
* no-break spaces inside numbers (``10 000`` → ``10 000`` with U+202F) and between a
  number and its unit (``15 000 €``, ``200 m²``, ``12 km``, ``45 %``).

:func:`typeset` applies all of it to text the tool writes. Free text from a profile or a
user knowledge folder is never passed through it: :func:`sentence` typesets a sentence
pattern and only then inserts such values, untouched.
"""

from __future__ import annotations

import re
import string

__all__ = ["NBSP", "NNBSP", "sentence", "typeset", "unit_after_number"]

NBSP = "\u00a0"
NNBSP = "\u202f"
_SPACES = " \u00a0\u202f"

_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
_BEFORE_PUNCT = re.compile(rf"(?:(?<=\S)|^)[{_SPACES}]*([;:!?])(?=[\s)\]]|$)")
_OPEN_QUOTE = re.compile(rf"«[{_SPACES}]*")
_CLOSE_QUOTE = re.compile(rf"[{_SPACES}]*»")
# "10 000", "2 103 778": a group of 1-3 digits followed by groups of exactly 3.
_GROUPED = re.compile(r"(?<![\d,.])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d])")
_UNITS = r"(?:€|%|km²|km|m²|m|ha|hab\.(?:/km²)?|h|min|ans?\b)"
_BEFORE_UNIT = re.compile(rf"(?<=\d) ({_UNITS})(?![\w²])")
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
    text = _NUMERO.sub(lambda m: m.group(1) + NBSP, text)
    return text


def unit_after_number(text: str) -> str:
    """Text that follows a number: a unit at its start is joined by a no-break space."""
    return re.sub(rf"^ (?={_UNITS}(?![\w²]))", NBSP, text)


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
    # One pass, so that a value holding a private-use character is never substituted into.
    slots = re.compile(f"[{chr(_SLOT)}-{chr(_SLOT + max(len(names) - 1, 0))}]")
    return slots.sub(lambda m: values[names[ord(m.group(0)) - _SLOT]], text) if names else text
