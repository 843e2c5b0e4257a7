"""Cells of official files: numbers with a decimal comma, years, codes that lost a zero."""

from __future__ import annotations

import math
import re

from fichegen.errors import Issue, shorten
from fichegen.french.formatting import integer
from fichegen.inputs.sheet_read import Cell, column_letter

__all__ = ["MAX_COUNT", "MAX_RATE", "code5", "decimal", "out_of_range", "year_of"]

MAX_RATE = 1000.0
"""Places per 100 children: rates over 100 exist, tenfold that is a broken file."""
MAX_COUNT = 100_000_000.0
"""Places, inhabitants or children of one territory: more than France holds is a broken file."""

_YEAR = re.compile(r"^\s*(\d{4})(?:[-/]\d{1,2}(?:[-/]\d{1,2})?(?:[T ].*)?)?\s*$")
_FRENCH_DATE = re.compile(r"^\s*\d{1,2}/\d{1,2}/(\d{4})\s*$")


def decimal(cell: Cell) -> float | None:
    """``60,3``, ``60.3``, ``1 234,5`` or a number → float; empty or a marker of secrecy →
    None, and so are ``nan`` and ``inf`` (what a script writes for a missing value)."""
    if cell is None or isinstance(cell, bool):
        return None
    if isinstance(cell, int | float):
        return float(cell) if math.isfinite(cell) else None
    text = str(cell).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if not text:
        return None
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def out_of_range(
    value: float | None, upper: float, cell: Cell, where: tuple[str, int, int], field: str
) -> Issue | None:
    """A located issue when ``value`` is negative or above ``upper`` (a broken file)."""
    if value is None or 0 <= value <= upper:
        return None
    file, line, index = where
    return Issue(
        f"valeur impossible : « {shorten(cell)} » "
        f"(attendu : un nombre de 0 à {integer(int(upper))})",
        file,
        line,
        column_letter(index),
        field,
    )


def year_of(cell: Cell, where: tuple[str, int, int], field: str) -> int | Issue:
    """The year of an ``annee`` cell (``2023``, ``2023-01-01``, ``01/01/2023``, 2023.0)."""
    number = isinstance(cell, int | float) and not isinstance(cell, bool)
    if number and 1990 <= cell <= 2100 and float(cell).is_integer():  # type: ignore[operator,arg-type]
        return int(cell)  # type: ignore[arg-type]
    text = "" if cell is None else str(cell)
    match = _YEAR.match(text) or _FRENCH_DATE.match(text)
    if match and 1990 <= int(match.group(1)) <= 2100:
        return int(match.group(1))
    shown = shorten(text)
    file, line, index = where
    return Issue(
        f"format d’année inconnu : « {shown} » (attendu 2023, 2023-01-01 ou 01/01/2023)",
        file,
        line,
        column_letter(index),
        field,
    )


def code5(cell: Cell) -> str:
    """A commune code as five characters: ``1053`` → ``01053`` (a spreadsheet dropped the
    zero); ``2A004`` kept."""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    text = "" if cell is None else str(cell).strip().upper()
    if text.isdigit() and len(text) == 4:
        return "0" + text
    return text
