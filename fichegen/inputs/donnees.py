"""Spreadsheets of local figures (``--donnees``): header, cells and rows, matched to communes.

The header row names each column by its field path or by the French label that
``fichegen modele`` writes; a ``code_insee`` column says which commune each row is about
(old codes, communes déléguées and municipal arrondissements lead to the current commune,
with a note). File and header problems raise :class:`~fichegen.errors.InputError` at once
(nothing is produced); a bad cell is kept with its row as a located issue
(``FILE:ROW:COLUMN_LETTER``), so that a batch fails only that commune.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import time
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fichegen.errors import FichegenError, InputError, Issue, ProfileError, shorten
from fichegen.french.formatting import integer
from fichegen.french.grammar import count
from fichegen.inputs.cells import code_of, convert
from fichegen.inputs.columns import (
    CODE_HEADERS,
    REFERENCE_COLUMNS,
    Column,
    columns,
    normalize_header,
)
from fichegen.inputs.labels import field_labels
from fichegen.inputs.sheet_read import Cell, Grid, column_letter, read_grid

__all__ = ["HINTS_BUDGET_S", "MAX_HINTS", "Donnees", "SheetRow", "read_donnees"]

MAX_HINTS = 20  # unknown codes of a file for which close codes are searched…
HINTS_BUDGET_S = 2.0  # …within this much time in all


@dataclass(frozen=True)
class SheetRow:
    """One row of figures, for one current commune."""

    file: str
    row: int  # as the spreadsheet shows it (the header is row 1)
    code_insee: str
    values: dict[str, Any]  # field path -> typed value, empty cells left out
    letters: dict[str, str]  # field path -> column letter
    headers: dict[str, str]  # field path -> the column's header as written
    issues: tuple[Issue, ...] = ()
    note: str | None = None  # the row's code was an old, délégué or arrondissement code

    @property
    def digest(self) -> str:
        """sha256 of what reaches the commune's fiche from this row: its typed values, field
        by field (and its cell problems, without their place). Neither the file's name, nor
        the row's number, nor the column order, nor the format (CSV, XLSX, ODS) counts: a
        batch redoes this commune only when one of its own figures changes."""
        problems = sorted(f"{issue.field}\0{issue.message}" for issue in self.issues)
        raw = repr((sorted((path, repr(value)) for path, value in self.values.items()), problems))
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()

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
        return sorted(found, key=lambda i: (i.line or 0, len(str(i.column)), str(i.column)))

    def check(self) -> None:
        """Raise :class:`ProfileError` with every bad cell (for validate, and for render of
        every commune of the file)."""
        issues = self.issues()
        if issues:
            raise ProfileError(issues=issues)

    def check_rows(self, codes: Collection[str], shown: int = 3) -> list[str]:
        """Raise :class:`ProfileError` with the bad cells of the rows of ``codes`` only; the
        problems of other rows come back as warning lines (a count and the first ``shown``),
        which do not stop the fiches of ``codes``."""
        wanted = set(codes)
        own = [issue for code in wanted if code in self.rows for issue in self.rows[code].issues]
        if own:
            raise ProfileError(issues=own)
        others = self.issues()
        if not others:
            return []
        head = (
            f"{Path(self.file).name} : {count(len(others), 'erreur')} dans d’autres lignes, sans "
            "effet sur les fiches demandées (« fichegen validate --donnees "
            f"{Path(self.file).name} » les liste toutes)"
        )
        lines = [head, *(f"  {issue.format()}" for issue in others[:shown])]
        if len(others) > shown:
            lines.append(f"  … et {count(len(others) - shown, 'autre')}")
        return ["\n".join(lines)]

    def no_figure(self, codes: Collection[str]) -> str | None:
        """A note when the rows of ``codes`` hold no figure at all (an unfilled template)."""
        if any(self.rows[code].values for code in codes if code in self.rows):
            return None
        return (
            f"{Path(self.file).name} : aucun chiffre lu pour les communes demandées (lignes "
            "vides ou absentes) ; les fiches ne reposent que sur les données de référence"
            " et les profils"
        )

    def summary(self, warnings: int = 0, errors: int | None = None) -> str:
        """One line for ``validate``: rows read, with figures, empty, errors (by default the
        bad cells), warnings."""
        rows = list(self.rows.values())
        filled = sum(1 for row in rows if row.values)
        empty = sum(1 for row in rows if not row.values and not row.issues)
        read = len(rows) + len(self.unmatched)
        return (
            f"{Path(self.file).name} : {count(read, 'ligne lue', 'lignes lues')}, "
            f"{integer(filled)} avec des chiffres, {count(empty, 'vide')} ; "
            f"{count(len(self.issues()) if errors is None else errors, 'erreur')}, "
            f"{count(warnings, 'avertissement')}"
        )


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
            if any(len(row) > index and not _blank(row[index]) for row in grid.rows[1:]):
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


_MISSING = object()
_EMPTY = object()


def _blank(cell: Cell) -> bool:
    return cell is None or (type(cell) is str and not cell.strip())


class _RowReader:
    """Reads the rows of one grid. Conversions are memoised per column (figures repeat:
    0, 1, oui, non…), so most cells cost one dictionary lookup."""

    def __init__(self, grid: Grid, code_index: int, mapped: dict[int, Column]) -> None:
        from fichegen.reference.lookup import load_reference

        self.grid = grid
        self.file_name = Path(grid.name).name
        self.code_index = code_index
        self.code_letter = column_letter(code_index)
        self.reference = load_reference()
        self.codes: dict[Any, Any] = {}  # code cell -> Resolution or message
        self.hints_left = MAX_HINTS
        self.hints_time = 0.0  # seconds spent searching close codes
        # (index, column, letter, header, cache: cell -> value, ValueError or _EMPTY)
        self.slots: list[tuple[int, Column, str, str, dict[Any, Any]]] = [
            (
                index,
                column,
                column_letter(index),
                str(grid.rows[0][index]).strip(),
                {None: _EMPTY, "": _EMPTY},
            )
            for index, column in mapped.items()
        ]
        self.letters = {column.path: letter for _, column, letter, _, _ in self.slots}
        self.headers = {column.path: header for _, column, _, header, _ in self.slots}

    def _resolve(self, cell: Cell) -> Any:
        """The Resolution of a code cell, or the French message saying why not. Memoised per
        cell; past :data:`MAX_HINTS` unknown codes or :data:`HINTS_BUDGET_S` seconds, close
        codes are no longer searched (a search can cost a tenth of a second, and a tiny file
        can hold 100 000 bad rows)."""
        key = cell if type(cell) is not bool else (bool, cell)
        found = self.codes.get(key)
        if found is None:
            text = code_of(cell)
            if self.reference.kind_of(text) is None and (
                self.hints_left <= 0 or self.hints_time > HINTS_BUDGET_S
            ):
                found = (
                    f"code INSEE inconnu « {shorten(text)} » (trop de codes inconnus dans le "
                    "fichier : les codes proches ne sont plus cherchés)"
                )
            else:
                started = time.perf_counter()
                try:
                    found = self.reference.resolve(text)
                except FichegenError as exc:
                    self.hints_left -= 1
                    self.hints_time += time.perf_counter() - started
                    found = exc.first.message
            if len(self.codes) < 10_000:
                self.codes[key] = found
        return found

    @staticmethod
    def _convert(cell: Cell, column: Column) -> Any:
        if type(cell) is str and not cell.strip():
            return _EMPTY
        try:
            return convert(cell, column)
        except ValueError as exc:
            return exc

    def read(self, number: int, cells: list[Cell]) -> SheetRow | Issue:
        where = (self.grid.name, number, self.code_letter)
        code_cell = cells[self.code_index] if self.code_index < len(cells) else None
        if _blank(code_cell):
            return Issue("code INSEE manquant sur une ligne remplie", *where, "code_insee")
        resolution = self._resolve(code_cell)
        if isinstance(resolution, str):
            return Issue(resolution, *where, "code_insee")
        code = resolution.commune.code_insee
        values: dict[str, Any] = {}
        issues: list[Issue] = []
        width = len(cells)
        for index, column, letter, header, cache in self.slots:
            cell = cells[index] if index < width else None
            key = cell if type(cell) is not bool else (bool, cell)  # True == 1 for a dict
            found = cache.get(key, _MISSING)
            if found is _MISSING:
                found = self._convert(cell, column)
                if len(cache) < 10_000:
                    cache[key] = found
            if found is _EMPTY:
                continue  # an empty cell: unknown
            if type(found) is ValueError:
                issues.append(Issue(str(found), self.grid.name, number, letter, header))
            else:
                values[column.path] = found
        note = f"{self.file_name}, ligne {number} : {resolution.note}" if resolution.note else None
        return SheetRow(
            self.grid.name,
            number,
            code,
            values,
            self.letters,
            self.headers,
            tuple(issues),
            note,
        )


def read_donnees(path: str | os.PathLike[str], grid: Grid | None = None) -> Donnees:
    """Read a spreadsheet of local figures (.csv, .xlsx, .ods) and match its rows.

    Raises :class:`InputError` for an unreadable file, a bad header (unknown column, with
    the nearest valid name) or two rows for one commune; bad cells stay with their row.
    ``grid``: the file already read (by the ``--donnees`` dispatcher).
    """
    if grid is None:
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
        if grid.sheet is not None:
            result.description += f", feuille « {grid.sheet} »"
    if grid.note:
        result.notes.append(grid.note)
    first_row: dict[str, int] = {}
    duplicates: list[Issue] = []
    reader = _RowReader(grid, code_index, mapped)
    for offset, cells in enumerate(grid.rows[1:]):
        number = offset + 2
        if all(_blank(cell) for cell in cells):  # stops at the first filled cell
            continue
        read = reader.read(number, cells)
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
