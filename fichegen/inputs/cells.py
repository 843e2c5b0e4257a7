"""One spreadsheet cell to one typed value, or a French message saying what was expected.

Numbers accept a decimal comma and spaces between thousands; yes/no cells accept oui, non,
vrai, faux, true, false, 1, 0 (and x for oui); a date where a number is expected is refused
with a hint about the cell's format. Bounds come from the schema (via the column table).
"""

from __future__ import annotations

import datetime
from typing import Any

from fichegen.inputs.columns import Column
from fichegen.inputs.sheet_read import Cell

__all__ = ["code_of", "convert", "shown"]

_TRUE = frozenset({"oui", "o", "vrai", "true", "1", "x"})
_FALSE = frozenset({"non", "n", "faux", "false", "0"})
_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009")


def shown(cell: Cell) -> str:
    if isinstance(cell, datetime.datetime | datetime.date):
        text = cell.strftime("%d/%m/%Y")
    elif isinstance(cell, float) and cell.is_integer():
        text = str(int(cell))
    else:
        text = str(cell).replace("\n", " ")
    return f"« {text if len(text) <= 40 else text[:37] + '…'} »"


def _number(cell: Cell, column: Column) -> int | float:
    if isinstance(cell, bool):
        raise ValueError(f"{column.expected} attendu, reçu une case à cocher")
    if isinstance(cell, datetime.date | datetime.time | datetime.timedelta):
        raise ValueError(
            f"{column.expected} attendu, reçu une date {shown(cell)} (format de cellule "
            "« date » ? mettez-la au format « nombre »)"
        )
    if isinstance(cell, int | float):
        value: float = float(cell)
    else:
        text = str(cell).translate(_SPACES).replace(",", ".").removesuffix("%")
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"{column.expected} attendu, reçu {shown(cell)}") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{column.expected} attendu, reçu {shown(cell)}")
    low, high = column.minimum, column.maximum
    if (
        (column.kind == "entier" and not value.is_integer())
        or (low is not None and (value < low or (column.strict_minimum and value == low)))
        or (high is not None and value > high)
    ):
        raise ValueError(f"{column.expected} attendu, reçu {shown(cell)}")
    return int(value) if column.kind == "entier" else value


def convert(cell: Cell, column: Column) -> Any:
    """The typed value of a non-empty cell, or ValueError with a French message."""
    if column.kind in ("entier", "nombre"):
        return _number(cell, column)
    if column.kind == "booleen":
        if isinstance(cell, bool):
            return cell
        text = shown(cell)[2:-2].strip().casefold()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValueError(f"oui ou non attendu, reçu {shown(cell)}")
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime.date | datetime.time):
        raise ValueError(f"{column.expected} attendu, reçu une date {shown(cell)}")
    return str(cell).strip()


def code_of(cell: Cell) -> str:
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        number = float(cell)
        text = str(int(number)) if number.is_integer() else str(cell)
    else:
        text = str(cell).strip().upper()
    # A spreadsheet that read codes as numbers dropped the leading zero: 1053 -> 01053.
    return text.zfill(5) if text.isdigit() and len(text) == 4 else text
