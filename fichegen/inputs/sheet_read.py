"""Read a spreadsheet file (CSV, XLSX, ODS) into a grid of cells, safely.

CSV: UTF-8 with or without BOM and Windows-1252 (as French Excel writes it) are told apart
by decoding: a BOM decides; otherwise text that decodes as strict UTF-8 is UTF-8 (Windows-1252
text with accents almost never does), and anything else is read as Windows-1252, whose five
unassigned bytes make a binary file fail. The separator (semicolon, comma or tab) is the one
that appears in the header line outside quotes. XLSX and ODS are read with python-calamine:
a formula gives its cached value and is never evaluated. A file over :data:`MAX_BYTES`, a
workbook whose unpacked size or ratio says zip bomb, and a sheet whose filled cells reach
past :data:`MAX_ROWS` rows, :data:`MAX_COLUMNS` columns or a rectangle of :data:`MAX_CELLS`
cells are refused before they are loaded (the sheet XML is measured first by
:mod:`fichegen.inputs.sheet_scan`: calamine allocates the whole rectangle at once).

The sheet read is the visible sheet named « Communes » (as ``fichegen modele`` writes it),
else the first visible sheet; hidden sheets are never read, and the grid's ``note`` says
which sheet was read when the workbook has several.
"""

from __future__ import annotations

import csv
import datetime
import io
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import cast
from xml.parsers import expat

from fichegen.errors import InputError, os_error_text, shorten
from fichegen.french.formatting import integer
from fichegen.french.grammar import count
from fichegen.inputs.files import read_regular
from fichegen.inputs.sheet_list import list_sheets
from fichegen.inputs.sheet_scan import SheetInfo, TooLarge, measure_sheet

__all__ = [
    "MAX_BYTES",
    "MAX_CELLS",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "SHEET_NAME",
    "Cell",
    "Grid",
    "column_letter",
    "read_grid",
]

Cell = (
    str
    | int
    | float
    | bool
    | datetime.date
    | datetime.datetime
    | datetime.time
    | datetime.timedelta
    | None
)

MAX_BYTES = 32 * 1024 * 1024
MAX_UNPACKED = 512 * 1024 * 1024
MAX_RATIO = 200
MAX_ROWS = 100_000
MAX_COLUMNS = 200
MAX_CELLS = 1_000_000  # rows × columns: every commune of France with 28 columns
SHEET_NAME = "Communes"  # the sheet read first when present and visible
_SEPARATORS = (";", ",", "\t")


@dataclass(frozen=True)
class Grid:
    """The cells of the first sheet, row 1 first (an empty cell is None or blank text);
    ``encoding`` and ``separator`` for CSV."""

    name: str
    rows: list[list[Cell]]
    kind: str  # "csv", "xlsx" or "ods"
    encoding: str | None = None
    separator: str | None = None
    sheet: str | None = None  # the sheet read, in a workbook
    note: str | None = None  # which sheet was read, when the workbook has several


def column_letter(index: int) -> str:
    """0 → ``A``, 25 → ``Z``, 26 → ``AA``: the column as a spreadsheet shows it."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_grid(path: str | os.PathLike[str]) -> Grid:
    """Read the first sheet of ``path`` (by extension: .csv, .xlsx, .xlsm, .ods)."""
    file = Path(path)
    name = str(path)
    suffix = file.suffix.lower()
    if suffix not in (".csv", ".txt", ".xlsx", ".xlsm", ".ods"):
        raise InputError(
            "format de tableur non pris en charge : .csv, .xlsx ou .ods attendu", file=name
        )
    try:
        size = file.stat().st_size
        if size > MAX_BYTES:
            raise InputError(
                f"fichier trop gros ({size // (1024 * 1024)} Mio ; au plus "
                f"{MAX_BYTES // (1024 * 1024)} Mio)",
                file=name,
            )
        raw = read_regular(file, MAX_BYTES)
    except OSError as exc:
        raise InputError(f"tableur illisible : {os_error_text(exc)}", file=name) from None
    if not raw.strip():
        raise InputError("le fichier est vide", file=name)
    if suffix in (".csv", ".txt"):
        return _read_csv(raw, name)
    return _read_workbook(raw, name, "ods" if suffix == ".ods" else "xlsx")


def csv_error_text(exc: csv.Error) -> str:
    """Python's English CSV error, in French (« CSV mal formé (…) »)."""
    text = str(exc)
    if "field larger than field limit" in text:
        return "CSV mal formé (une cellule de plus de 131\u202f072 caractères)"
    if "NUL" in text:
        return "CSV mal formé (caractère nul)"
    if "new-line" in text or "expected after" in text or "end of data" in text:
        return "CSV mal formé (guillemets mal fermés ou saut de ligne dans une cellule)"
    return "CSV mal formé"


def decode_csv(raw: bytes, name: str) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was written in."""
    if raw.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "cp1252"]
    for encoding in candidates:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise InputError(
        "encodage non reconnu : enregistrez le fichier en « CSV UTF-8 » ou en CSV Windows "
        "(point-virgule)",
        file=name,
    )


def _separator(text: str) -> str:
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = dict.fromkeys(_SEPARATORS, 0)
    quoted = False
    for char in header:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(_SEPARATORS, key=lambda sep: counts[sep])
    return best if counts[best] else ";"


def _read_csv(raw: bytes, name: str) -> Grid:
    text, encoding = decode_csv(raw, name)
    if "\x00" in text:
        raise InputError("fichier binaire : ce n’est pas un CSV", file=name)
    separator = _separator(text)
    rows: list[list[Cell]] = []
    cells = 0
    try:
        for record in csv.reader(io.StringIO(text, newline=""), delimiter=separator):
            if len(rows) >= MAX_ROWS:
                raise InputError(f"trop de lignes (au plus {MAX_ROWS})", file=name)
            if len(record) > MAX_COLUMNS:
                raise InputError(
                    f"trop de colonnes (au plus {MAX_COLUMNS})", file=name, line=len(rows) + 1
                )
            cells += len(record)
            if cells > MAX_CELLS:
                raise InputError(
                    f"trop de cellules (au plus {integer(MAX_CELLS)} en tout)",
                    file=name,
                    line=len(rows) + 1,
                )
            rows.append(cast(list[Cell], record))
    except csv.Error as exc:
        raise InputError(csv_error_text(exc), file=name, line=len(rows) + 1) from None
    display = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "utf-16": "UTF-16"}.get(encoding)
    return Grid(name, rows, "csv", display or "Windows-1252", separator)


def _bomb(name: str) -> InputError:
    return InputError(
        "classeur refusé : son contenu décompressé est démesuré (bombe de décompression ?)",
        file=name,
    )


def _check_zip(raw: bytes, name: str) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile:
        raise InputError(
            "classeur illisible : ce n’est pas un fichier .xlsx ou .ods valide", file=name
        ) from None
    with archive:
        entries = archive.infolist()
        if len(entries) > 10_000:
            raise InputError("classeur refusé : trop de fichiers dans l’archive", file=name)
        unpacked = sum(entry.file_size for entry in entries)
        ratio = unpacked / max(sum(entry.compress_size for entry in entries), 1)
        if unpacked > MAX_UNPACKED or (unpacked > 16 * 1024 * 1024 and ratio > MAX_RATIO):
            raise _bomb(name)
        # The sizes above are declared by the archive itself: decompress once, counting,
        # so that an archive that lies about them is refused too (zipfile stops each entry
        # at its declared size and checks its CRC).
        total = 0
        try:
            for entry in entries:
                with archive.open(entry) as stream:
                    while chunk := stream.read(1024 * 1024):
                        total += len(chunk)
                        if total > MAX_UNPACKED:
                            raise _bomb(name)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError):
            raise InputError(
                "classeur illisible : archive endommagée ou chiffrée", file=name
            ) from None


def _choose_sheet(archive: zipfile.ZipFile, name: str, kind: str) -> tuple[SheetInfo, str | None]:
    """The sheet to read and, when the workbook has several, the note saying which."""
    try:
        sheets = list_sheets(archive, kind)
    except (KeyError, ValueError, expat.ExpatError, zipfile.BadZipFile, OSError):
        raise InputError(
            "classeur illisible : liste des feuilles introuvable ou mal formée", file=name
        ) from None
    visible = [sheet for sheet in sheets if sheet.visible]
    if not sheets:
        raise InputError("le classeur ne contient aucune feuille", file=name)
    if not visible:
        raise InputError(
            "toutes les feuilles du classeur sont masquées : affichez celle des communes",
            file=name,
        )
    wanted = SHEET_NAME.casefold()
    chosen = next((s for s in visible if s.name.strip().casefold() == wanted), visible[0])
    if len(sheets) == 1:
        return chosen, None
    hidden = [s.name for s in sheets if not s.visible]
    note = f"{Path(name).name} : feuille « {shorten(chosen.name)} » lue"
    if hidden:
        listed = ", ".join(f"« {shorten(h)} »" for h in hidden[:5])
        ignored = count(len(hidden), "feuille masquée ignorée", "feuilles masquées ignorées")
        note += f" ; {ignored} : {listed}"
    return chosen, note


def _measure(archive: zipfile.ZipFile, name: str, kind: str, sheet: SheetInfo) -> None:
    """Refuse a sheet whose filled cells reach too far, before calamine allocates them."""
    try:
        measure_sheet(
            archive, kind, sheet, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS, max_cells=MAX_CELLS
        )
    except TooLarge as exc:
        raise InputError(
            f"feuille « {shorten(sheet.name)} » trop grande : une cellule remplie en "
            f"{column_letter(exc.columns - 1)}{exc.rows} (au plus {integer(MAX_ROWS)} lignes, "
            f"{MAX_COLUMNS} colonnes et {integer(MAX_CELLS)} cellules en tout)",
            file=name,
            line=exc.rows,
            column=column_letter(exc.columns - 1),
        ) from None
    except (KeyError, ValueError, expat.ExpatError, zipfile.BadZipFile, OSError):
        raise InputError(
            f"classeur illisible : feuille « {shorten(sheet.name)} » mal formée", file=name
        ) from None


def _read_workbook(raw: bytes, name: str, kind: str) -> Grid:
    _check_zip(raw, name)
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        chosen, note = _choose_sheet(archive, name, kind)
        _measure(archive, name, kind, chosen)
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(raw))
        if not workbook.sheet_names:
            raise InputError("le classeur ne contient aucune feuille", file=name)
        sheet = workbook.get_sheet_by_name(chosen.name)
        if sheet.height > MAX_ROWS or sheet.width > MAX_COLUMNS:
            raise InputError(
                f"feuille trop grande ({sheet.height} lignes, {sheet.width} colonnes ; au plus "
                f"{MAX_ROWS} lignes et {MAX_COLUMNS} colonnes)",
                file=name,
            )
        rows = sheet.to_python(skip_empty_area=False)
        merged = list(sheet.merged_cell_ranges or ())
    except InputError:
        raise
    except (CalamineError, ValueError, OSError) as exc:
        raise InputError(f"classeur illisible ({type(exc).__name__})", file=name) from None
    if merged:
        (top, left), (bottom, right) = merged[0]
        where = f"{column_letter(left)}{top + 1}:{column_letter(right)}{bottom + 1}"
        raise InputError(
            f"cellules fusionnées ({where}) : chaque commune a sa ligne et chaque chiffre sa "
            "cellule ; défusionnez-les",
            file=name,
        )
    # an empty cell is "" here, None in a CSV
    return Grid(name, cast(list[list[Cell]], rows), kind, sheet=chosen.name, note=note)
