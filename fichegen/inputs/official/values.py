"""Cells of official files: numbers with a decimal comma, years, codes that lost a zero."""

from __future__ import annotations

import re

from fichegen.errors import Issue
from fichegen.inputs.sheet_read import Cell, column_letter

__all__ = ["code5", "decimal", "year_of"]

_YEAR = re.compile(r"^\s*(\d{4})(?:[-/]\d{1,2}(?:[-/]\d{1,2})?(?:[T ].*)?)?\s*$")
_FRENCH_DATE = re.compile(r"^\s*\d{1,2}/\d{1,2}/(\d{4})\s*$")


def decimal(cell: Cell) -> float | None:
    """``60,3``, ``60.3``, ``1 234,5`` or a number → float; empty or a marker of secrecy →
    None."""
    if cell is None or isinstance(cell, bool):
        return None
    if isinstance(cell, int | float):
        return float(cell)
    text = str(cell).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if not text:
        return None
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None


def year_of(cell: Cell, where: tuple[str, int, int], field: str) -> int | Issue:
    """The year of an ``annee`` cell (``2023``, ``2023-01-01``, ``01/01/2023``, 2023.0)."""
    number = isinstance(cell, int | float) and not isinstance(cell, bool)
    if number and 1990 <= cell <= 2100 and float(cell).is_integer():  # type: ignore[operator,arg-type]
        return int(cell)  # type: ignore[arg-type]
    text = "" if cell is None else str(cell)
    match = _YEAR.match(text) or _FRENCH_DATE.match(text)
    if match and 1990 <= int(match.group(1)) <= 2100:
        return int(match.group(1))
    shown = text if len(text) <= 40 else text[:39] + "…"
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
