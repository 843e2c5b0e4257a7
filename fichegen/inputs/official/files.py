"""The bytes of official files: Insee's zips read in memory, and CSV tables larger than a
spreadsheet may be.

``ensemble.zip`` (populations de référence) holds ``donnees_communes.csv`` among other
tables; ``base-cc-evol-struct-pop-2022_csv.zip`` (census) holds one CSV. The member whose
header is recognised is read, under the limits of a spreadsheet's archive (declared and
actual unpacked size). A census table keeps only its code and children columns: its
hundred columns of decimals would take hundreds of MB as a grid.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import cast

from fichegen.errors import InputError, os_error_text
from fichegen.inputs.official.detect import detect
from fichegen.inputs.sheet_read import (
    MAX_BYTES,
    MAX_COLUMNS,
    MAX_RATIO,
    MAX_ROWS,
    Cell,
    Grid,
    _separator,
    csv_error_text,
    decode_csv,
)

__all__ = ["MAX_OFFICIAL_BYTES", "big_csv_grid", "file_size", "grid_from_bytes", "zip_grid"]

MAX_OFFICIAL_BYTES = 96 * 1024 * 1024
"""Insee's census tables run to some 100 columns of decimals: larger than a spreadsheet."""
_PREFERRED = "donnees_communes.csv"
_MAX_MEMBERS = 6  # CSV members tried before giving up
_CODES = ("code", "com", "codcom")


def file_size(path: Path) -> int:
    """The size of a file, refused over :data:`MAX_OFFICIAL_BYTES`."""
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


def grid_from_bytes(raw: bytes, name: str) -> Grid:
    """A CSV table as a grid; a census table slimmed to its code and children columns."""
    text, encoding = decode_csv(raw, name)
    if "\x00" in text:
        raise InputError("fichier binaire : ce n’est pas un CSV", file=name)
    separator = _separator(text[: 1024 * 1024])  # (not the whole file split in lines)
    # Lines are sliced one at a time: a StringIO copy of a large table may take four bytes a
    # character, several hundred MB for a file the size limit still accepts.
    reader = csv.reader(_lines(text), delimiter=separator)
    try:
        header = next(reader, [])
    except csv.Error as exc:
        raise InputError(csv_error_text(exc), file=name, line=1) from None
    if len(header) > MAX_COLUMNS:  # (before reading each of its labels)
        raise InputError(f"trop de colonnes (au plus {MAX_COLUMNS})", file=name, line=1)
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
        raise InputError(csv_error_text(exc), file=name, line=len(rows) + 1) from None
    display = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "utf-16": "UTF-16"}.get(encoding)
    return Grid(name, rows, "csv", display or "Windows-1252", separator)


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text``, each with its end, sliced lazily (``\\r`` alone ends a line
    only in a file that has no ``\\n``)."""
    end_mark = "\n" if "\n" in text[: 1024 * 1024] or "\r" not in text else "\r"
    start, size = 0, len(text)
    while start < size:
        end = text.find(end_mark, start)
        if end < 0:
            yield text[start:]
            return
        yield text[start : end + 1]
        start = end + 1


def big_csv_grid(path: Path) -> Grid:
    """A CSV of up to :data:`MAX_OFFICIAL_BYTES`."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"fichier illisible : {os_error_text(exc)}", file=str(path)) from None
    return grid_from_bytes(raw, str(path))


def _unpacked(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, name: str) -> bytes:
    too_big = InputError("archive refusée : contenu décompressé démesuré", file=name)
    # An official table unpacks to at most MAX_OFFICIAL_BYTES, a CSV compresses some tenfold:
    # a zip bomb (500 Mio out of 500 Kio) is refused before it is unpacked in memory.
    limit = min(MAX_OFFICIAL_BYTES, MAX_RATIO * max(entry.compress_size, 1024 * 1024))
    if entry.file_size > limit:
        raise too_big
    chunks: list[bytes] = []
    total = 0
    try:
        with archive.open(entry) as stream:
            while chunk := stream.read(1024 * 1024):
                total += len(chunk)
                if total > limit:
                    raise too_big
                chunks.append(chunk)
    except (zipfile.BadZipFile, NotImplementedError, EOFError, RuntimeError):
        raise InputError("archive endommagée ou chiffrée", file=name) from None
    return b"".join(chunks)


def zip_grid(path: Path) -> Grid:
    """The recognised table of an Insee zip (``donnees_communes.csv`` first)."""
    name = str(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InputError("archive trop grosse", file=name)
        archive = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    except OSError as exc:
        raise InputError(f"fichier illisible : {os_error_text(exc)}", file=name) from None
    except zipfile.BadZipFile:
        raise InputError("archive .zip illisible", file=name) from None
    with archive:
        members = [e for e in archive.infolist() if e.filename.lower().endswith(".csv")]
        members.sort(key=lambda e: Path(e.filename).name.lower() != _PREFERRED)
        for entry in members[:_MAX_MEMBERS]:
            grid = grid_from_bytes(_unpacked(archive, entry, name), f"{name}!{entry.filename}")
            found = detect(grid.rows[0] if grid.rows else [], name)
            by_commune = any(k in (found.columns if found else {}) for k in _CODES)
            if found is not None and (found.family != "populations" or by_commune):
                return grid  # (the départements' table of ensemble.zip has no commune code)
    raise InputError(
        "archive sans table reconnue : la fiche lit « ensemble.zip » des populations de "
        "référence de l’Insee (donnees_communes.csv) et l’archive du recensement "
        "« base-cc-evol-struct-pop » (son fichier CSV)",
        file=name,
    )
