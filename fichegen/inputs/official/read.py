"""Read the files given with ``--donnees``: each official file by its header, the rest as
the user's spreadsheet of local figures.

Insee's ``ensemble.zip`` is read without unpacking it to disk: its
``donnees_communes.csv`` is found inside, under the same limits as a spreadsheet (size,
unpacked size, ratio). A file whose header belongs to another dataset, or lacks a key
column, is refused with a located message.
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from fichegen.errors import InputError, os_error_text
from fichegen.inputs.official.caf import read_caf
from fichegen.inputs.official.detect import detect, fold
from fichegen.inputs.official.insee import read_census, read_populations
from fichegen.inputs.official.types import OfficialData
from fichegen.inputs.sheet_read import (
    MAX_BYTES,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_UNPACKED,
    Cell,
    Grid,
    _read_csv,
    _separator,
    decode_csv,
    read_grid,
)

__all__ = ["ReadInputs", "read_inputs"]

_MEMBER = "donnees_communes.csv"
MAX_OFFICIAL_BYTES = 160 * 1024 * 1024
"""Insee's census tables run to some 100 columns of decimals: larger than a spreadsheet."""
_CAF_LIKE = ("numcom", "numepci", "numdep", "nomcom", "nomepci", "numero commune")
_INSEE_LIKE = ("codgeo", "com", "coddep", "codcom", "reg", "dep", "libgeo")


@dataclass
class ReadInputs:
    """What the ``--donnees`` files hold: at most one user spreadsheet, official figures."""

    sheet_path: Path | None = None
    sheet_grid: Grid | None = None
    official: OfficialData = field(default_factory=OfficialData)


def _zip_member(path: Path) -> Grid:
    """``donnees_communes.csv`` read from Insee's ``ensemble.zip``."""
    name = str(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InputError("archive trop grosse", file=name)
        raw = path.read_bytes()
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except OSError as exc:
        raise InputError(f"fichier illisible : {os_error_text(exc)}", file=name) from None
    except zipfile.BadZipFile:
        raise InputError("archive .zip illisible", file=name) from None
    with archive:
        entries = [e for e in archive.infolist() if Path(e.filename).name.lower() == _MEMBER]
        if not entries:
            raise InputError(
                f"archive sans fichier {_MEMBER} : la fiche lit l’archive « ensemble.zip » des "
                "populations de référence de l’Insee",
                file=name,
            )
        entry = entries[0]
        if entry.file_size > MAX_UNPACKED:
            raise InputError("archive refusée : contenu décompressé démesuré", file=name)
        chunks: list[bytes] = []
        total = 0
        try:
            with archive.open(entry) as stream:
                while chunk := stream.read(1024 * 1024):
                    total += len(chunk)
                    if total > MAX_UNPACKED:
                        raise InputError(
                            "archive refusée : contenu décompressé démesuré", file=name
                        )
                    chunks.append(chunk)
        except (zipfile.BadZipFile, NotImplementedError, EOFError, RuntimeError):
            raise InputError("archive endommagée ou chiffrée", file=name) from None
    return _read_csv(b"".join(chunks), f"{name}!{entry.filename}")


def _read_big_csv(path: Path) -> Grid:
    """A CSV of up to :data:`MAX_OFFICIAL_BYTES`; a census table keeps only its code and
    children columns (the grid of its hundred columns would take hundreds of MB)."""
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"fichier illisible : {os_error_text(exc)}", file=name) from None
    text, encoding = decode_csv(raw, name)
    del raw
    if "\x00" in text:
        raise InputError("fichier binaire : ce n’est pas un CSV", file=name)
    separator = _separator(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    try:
        header = next(reader, [])
    except csv.Error as exc:
        raise InputError(f"CSV mal formé ({exc})", file=name, line=1) from None
    found = detect(cast(list[Cell], header), name)
    keep = None
    if found is not None and found.family == "census" and "code" in found.columns:
        keep = sorted(set(found.columns.values()))
    rows: list[list[Cell]] = [
        cast(list[Cell], header if keep is None else [header[i] for i in keep])
    ]
    try:
        for record in reader:
            if len(rows) > MAX_ROWS:
                raise InputError(f"trop de lignes (au plus {MAX_ROWS})", file=name)
            if len(record) > MAX_COLUMNS:
                raise InputError(
                    f"trop de colonnes (au plus {MAX_COLUMNS})", file=name, line=len(rows) + 1
                )
            if keep is not None:
                record = [record[i] if i < len(record) else "" for i in keep]
            rows.append(cast(list[Cell], record))
    except csv.Error as exc:
        raise InputError(f"CSV mal formé ({exc})", file=name, line=len(rows) + 1) from None
    display = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "utf-16": "UTF-16"}.get(encoding)
    return Grid(name, rows, "csv", display or "Windows-1252", separator)


def _other_dataset(grid: Grid) -> InputError | None:
    """A header that looks like an official file the fiche does not read."""
    header = [fold(cell) for cell in (grid.rows[0] if grid.rows else [])]
    if "code insee" in header or "code_insee" in header:
        return None
    if any(h in _CAF_LIKE for h in header):
        expected = "txcouv_pe_com, txcouv_pe_epci, txcouv_pe_nat, nbpla_pe_com ou nbpla_pe_epci"
    elif any(h in _INSEE_LIKE for h in header):
        expected = (
            "populations de référence (PMUN, PTOT) ou recensement « évolution et structure "
            "de la population » (P21_POP0002)"
        )
    else:
        return None
    return InputError(
        f"fichier d’un autre jeu de données : la fiche lit, de ce producteur, {expected}, "
        "ou un tableur de chiffres locaux avec une colonne code_insee",
        file=grid.name,
        line=1,
    )


def read_official_grid(grid: Grid, shown_name: str | None = None) -> OfficialData | None:
    """The official figures of one grid, or None when it is not an official file."""
    header = grid.rows[0] if grid.rows else []
    found = detect(header, shown_name or grid.name)
    if found is None:
        error = _other_dataset(grid)
        if error is not None:
            raise error
        return None
    if found.family == "populations":
        return read_populations(grid, found, shown_name)
    if found.family == "census":
        return read_census(grid, found)
    return read_caf(grid, found)


def _size(path: Path) -> int:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"fichier illisible : {os_error_text(exc)}", file=str(path)) from None
    if size > MAX_OFFICIAL_BYTES:
        raise InputError(
            f"fichier trop gros ({size // (1024 * 1024)} Mio ; au plus "
            f"{MAX_OFFICIAL_BYTES // (1024 * 1024)} Mio)",
            file=str(path),
        )
    return size


def read_inputs(paths: list[Path] | tuple[Path, ...]) -> ReadInputs:
    """Read every ``--donnees`` file; refuse a second user spreadsheet."""
    result = ReadInputs()
    for path in paths:
        path = Path(path)
        if path.suffix.lower() == ".zip":
            grid = _zip_member(path)
            data = read_official_grid(grid, str(path))
            if data is None:
                raise InputError(
                    f"{_MEMBER} de l’archive n’a pas l’en-tête des populations de référence",
                    file=str(path),
                    line=1,
                )
        else:
            big = path.suffix.lower() in (".csv", ".txt") and _size(path) > MAX_BYTES
            grid = _read_big_csv(path) if big else read_grid(path)
            if big and detect(grid.rows[0] if grid.rows else [], str(path)) is None:
                raise InputError(
                    f"fichier trop gros ({_size(path) // (1024 * 1024)} Mio) pour un tableur de "
                    f"chiffres locaux (au plus {MAX_BYTES // (1024 * 1024)} Mio)",
                    file=str(path),
                )
            data = read_official_grid(grid)
        if data is not None:
            result.official.merge(data)
            continue
        if result.sheet_path is not None:
            raise InputError(
                f"deux tableurs de chiffres locaux ({result.sheet_path.name} et {path.name}) : "
                "réunissez-les en un seul (les fichiers de données ouvertes de la Caf et de "
                "l’Insee peuvent s’y ajouter)",
                file=str(path),
            )
        result.sheet_path, result.sheet_grid = path, grid
    return result


def read_official(path: str | os.PathLike[str]) -> OfficialData:
    """One official file's figures (raise when it is not one)."""
    read = read_inputs([Path(path)])
    if read.sheet_path is not None:
        raise InputError("fichier de données ouvertes non reconnu", file=str(path), line=1)
    return read.official
