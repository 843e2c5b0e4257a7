"""Spreadsheets of local figures (``--donnees``): header, cells and rows, matched to communes.

The header row names each column by its field path or by the French label that
``fichegen modele`` writes; a ``code_insee`` column says which commune each row is about
(old codes, communes déléguées and municipal arrondissements lead to the current commune,
with a note). File and header problems raise :class:`~fichegen.errors.InputError` at once
(nothing is produced); a bad cell is kept with its row as a located issue
(``FILE:ROW:COLUMN_LETTER``), so that a batch fails only that commune.
"""

from __future__ import annotations

import datetime
import difflib
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fichegen.errors import FichegenError, InputError, Issue, ProfileError
from fichegen.inputs.columns import (
    CODE_HEADERS,
    REFERENCE_COLUMNS,
    Column,
    columns,
    normalize_header,
)
from fichegen.inputs.labels import field_labels
from fichegen.inputs.sheet_read import Cell, Grid, column_letter, read_grid

__all__ = ["Donnees", "SheetRow", "read_donnees"]

_TRUE = frozenset({"oui", "o", "vrai", "true", "1", "x"})
_FALSE = frozenset({"non", "n", "faux", "false", "0"})
_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009")


@dataclass(frozen=True)
class SheetRow:
    """One row of figures, for one current commune."""

    file: str
    row: int  # as the spreadsheet shows it (the header is row 1)
    code_insee: str
    values: dict[str, Any]  # field path -> typed value, empty cells left out
    letters: dict[str, str]  # field path -> column letter
    issues: tuple[Issue, ...] = ()
    note: str | None = None  # the row's code was an old, délégué or arrondissement code
    digest: str = ""  # sha256 of the file name, the row number and its cells

    @property
    def file_name(self) -> str:
        """The spreadsheet's file name without its folder, as the fiche names it."""
        return Path(self.file).name


@dataclass
class Donnees:
    """A spreadsheet read and matched: one :class:`SheetRow` per commune it speaks of."""

    file: str
    rows: dict[str, SheetRow] = field(default_factory=dict)
    unmatched: list[Issue] = field(default_factory=list)  # rows without a known commune
    notes: list[str] = field(default_factory=list)
    description: str = ""  # « CSV UTF-8, séparateur ; » …

    def issues(self) -> list[Issue]:
        """Every cell problem of the file, in row order."""
        found = [*self.unmatched]
        for row in self.rows.values():
            found.extend(row.issues)
        return sorted(found, key=lambda i: (i.line or 0, str(i.column or "")))

    def check(self) -> None:
        """Raise :class:`ProfileError` with every bad cell (for render and validate)."""
        issues = self.issues()
        if issues:
            raise ProfileError(issues=issues)


def _header_table() -> dict[str, Column]:
    """Path, label, « label (path) », and the field's own name when no other column has it."""
    table: dict[str, Column] = {}
    short: dict[str, list[Column]] = {}
    for column in columns():
        for name in (column.path, column.label, f"{column.label} ({column.path})"):
            table[normalize_header(name)] = column
        short.setdefault(column.path.rsplit(".", 1)[1], []).append(column)
    for name, found in short.items():
        if len(found) == 1:
            table.setdefault(normalize_header(name), found[0])
    return table


def _unknown_header(text: str, where: tuple[str, int, str]) -> Issue:
    labels = field_labels()
    if text.strip() in labels:
        message = (
            f"le champ « {text.strip()} » ne se remplit pas dans un tableur (liste ou réglage) ; "
            "indiquez-le dans un profil YAML"
        )
    else:
        known = [c.path for c in columns()] + [c.label for c in columns()] + ["code_insee"]
        close = difflib.get_close_matches(text.strip(), known, n=1, cutoff=0.5)
        shown = text.strip() if len(text.strip()) <= 60 else text.strip()[:57] + "…"
        message = f"colonne inconnue « {shown} »"
        message += (
            f" ; vouliez-vous dire « {close[0]} » ?"
            if close
            else " ; voir les colonnes possibles dans docs/donnees.md ou « fichegen modele »"
        )
    return Issue(message, *where)


def _map_header(grid: Grid) -> tuple[int, dict[int, Column]]:
    """The index of the code column and the field of each other column, or raise."""
    header = grid.rows[0] if grid.rows else []
    table = _header_table()
    ignored = {normalize_header(name) for name in REFERENCE_COLUMNS}
    code_index: int | None = None
    mapped: dict[int, Column] = {}
    seen: dict[str, str] = {}
    issues: list[Issue] = []
    for index, cell in enumerate(header):
        where = (grid.name, 1, column_letter(index))
        text = "" if cell is None else str(cell)
        key = normalize_header(text)
        if not key:
            if any(len(row) > index and row[index] is not None for row in grid.rows[1:]):
                issues.append(Issue("colonne sans en-tête mais remplie", *where))
            continue
        if key in CODE_HEADERS:
            if code_index is not None:
                issues.append(Issue("deuxième colonne code_insee", *where))
            code_index = index
        elif key in table:
            column = table[key]
            if column.path in seen:
                issues.append(
                    Issue(f"le champ est déjà dans la colonne {seen[column.path]}", *where)
                )
            seen[column.path] = column_letter(index)
            mapped[index] = column
        elif key not in ignored:
            issues.append(_unknown_header(text, where))
    if code_index is None:
        issues.insert(
            0,
            Issue(
                "colonne code_insee manquante : la première ligne doit nommer les colonnes, "
                "dont « code_insee » (le code INSEE de chaque commune)",
                file=grid.name,
                line=1,
            ),
        )
    if issues:
        raise InputError(issues=issues)
    assert code_index is not None
    return code_index, mapped


def _shown(cell: Cell) -> str:
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
            f"{column.expected} attendu, reçu une date {_shown(cell)} (format de cellule "
            "« date » ? mettez-la au format « nombre »)"
        )
    if isinstance(cell, int | float):
        value: float = float(cell)
    else:
        text = str(cell).translate(_SPACES).replace(",", ".").removesuffix("%")
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"{column.expected} attendu, reçu {_shown(cell)}") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{column.expected} attendu, reçu {_shown(cell)}")
    low, high = column.minimum, column.maximum
    if (
        (column.kind == "entier" and not value.is_integer())
        or (low is not None and (value < low or (column.strict_minimum and value == low)))
        or (high is not None and value > high)
    ):
        raise ValueError(f"{column.expected} attendu, reçu {_shown(cell)}")
    return int(value) if column.kind == "entier" else value


def _convert(cell: Cell, column: Column) -> Any:
    """The typed value of a non-empty cell, or ValueError with a French message."""
    if column.kind in ("entier", "nombre"):
        return _number(cell, column)
    if column.kind == "booleen":
        if isinstance(cell, bool):
            return cell
        text = _shown(cell)[2:-2].strip().casefold()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValueError(f"oui ou non attendu, reçu {_shown(cell)}")
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime.date | datetime.time):
        raise ValueError(f"{column.expected} attendu, reçu une date {_shown(cell)}")
    return str(cell).strip()


def _code_of(cell: Cell) -> str:
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        number = float(cell)
        text = str(int(number)) if number.is_integer() else str(cell)
    else:
        text = str(cell).strip().upper()
    # A spreadsheet that read codes as numbers dropped the leading zero: 1053 -> 01053.
    return text.zfill(5) if text.isdigit() and len(text) == 4 else text


def _digest(grid: Grid, row: int, cells: list[tuple[str, Cell]]) -> str:
    payload = [Path(grid.name).name, row, [(path, repr(cell)) for path, cell in cells]]
    return hashlib.sha256(json.dumps(payload).encode("utf-8")).hexdigest()


def _validate(code: str, values: dict[str, Any]) -> list[tuple[str | None, str]]:
    """Cross-field rules of the schema (places in ESS ≤ places…): (field path, message)."""
    from fichegen.inputs.profile import Profile
    from fichegen.inputs.validation import validate_located

    data: dict[str, Any] = {"commune": {"code_insee": code}}
    for path, value in values.items():
        section, name = path.split(".", 1)
        data.setdefault(section, {})[name] = value
    try:
        validate_located(Profile, data, error=ProfileError)
    except ProfileError as exc:
        return [(issue.field, issue.message) for issue in exc.issues]
    return []


def _read_row(
    grid: Grid, number: int, cells: list[Cell], code_index: int, mapped: dict[int, Column]
) -> SheetRow | Issue:
    from fichegen.reference.lookup import load_reference

    where = (grid.name, number, column_letter(code_index))
    code_cell = cells[code_index] if code_index < len(cells) else None
    if code_cell is None:
        return Issue("code INSEE manquant sur une ligne remplie", *where, "code_insee")
    try:
        resolution = load_reference().resolve(_code_of(code_cell))
    except FichegenError as exc:
        return Issue(exc.first.message, *where, "code_insee")
    code = resolution.commune.code_insee
    values: dict[str, Any] = {}
    letters: dict[str, str] = {}
    headers: dict[str, str] = {}
    issues: list[Issue] = []
    raw: list[tuple[str, Cell]] = []
    for index, column in mapped.items():
        cell = cells[index] if index < len(cells) else None
        letters[column.path] = column_letter(index)
        header = grid.rows[0][index]
        headers[column.path] = str(header).strip()
        raw.append((column.path, cell))
        if cell is None or (isinstance(cell, str) and not cell.strip()):
            continue
        try:
            values[column.path] = _convert(cell, column)
        except ValueError as exc:
            issues.append(
                Issue(str(exc), grid.name, number, letters[column.path], headers[column.path])
            )
    failed = {issue.field for issue in issues}
    for path, message in _validate(code, values):
        header = headers.get(path or "", path)
        if header not in failed:
            issues.append(Issue(message, grid.name, number, letters.get(path or ""), header))
    note = None
    if resolution.note:
        note = f"{Path(grid.name).name}, ligne {number} : {resolution.note}"
    return SheetRow(
        grid.name,
        number,
        code,
        values,
        letters,
        tuple(issues),
        note,
        _digest(grid, number, [("code_insee", code_cell), *raw]),
    )


def read_donnees(path: str | os.PathLike[str]) -> Donnees:
    """Read a spreadsheet of local figures (.csv, .xlsx, .ods) and match its rows.

    Raises :class:`InputError` for an unreadable file, a bad header (unknown column, with
    the nearest valid name) or two rows for one commune; bad cells stay with their row.
    """
    grid = read_grid(path)
    code_index, mapped = _map_header(grid)
    result = Donnees(grid.name)
    if grid.kind == "csv":
        separator = {";": "point-virgule", ",": "virgule", "\t": "tabulation"}[
            grid.separator or ";"
        ]
        result.description = f"CSV {grid.encoding}, séparateur {separator}"
    else:
        result.description = grid.kind.upper()
    first_row: dict[str, int] = {}
    duplicates: list[Issue] = []
    for offset, cells in enumerate(grid.rows[1:]):
        number = offset + 2
        if all(cell is None for cell in cells):
            continue
        read = _read_row(grid, number, cells, code_index, mapped)
        if isinstance(read, Issue):
            result.unmatched.append(read)
            continue
        if read.code_insee in first_row:
            duplicates.append(
                Issue(
                    f"deux lignes pour la commune {read.code_insee} (lignes "
                    f"{first_row[read.code_insee]} et {number}) ; gardez-en une seule",
                    grid.name,
                    number,
                    column_letter(code_index),
                )
            )
            continue
        first_row[read.code_insee] = number
        result.rows[read.code_insee] = read
        if read.note:
            result.notes.append(read.note)
    if duplicates:
        raise InputError(issues=duplicates)
    return result
