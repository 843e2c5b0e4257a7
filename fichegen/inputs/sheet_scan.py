"""Measure a workbook's sheets from their XML, before any cell is loaded.

python-calamine builds the whole rectangle of a sheet, from its first to its last filled
cell, before anything can be checked: a 1.6 KB XLSX with cells A1 and XFD1048576 asks for
half a terabyte and aborts the process. This module reads the sheet's decompressed XML in
chunks and stops as soon as its filled cells pass the limits, so that the reader can
refuse it with a located French message first.

Files of the usual shape (Excel, LibreOffice, openpyxl: ``<c r="B7">``, the ODS table
namespace on the ``table`` prefix) are measured with byte searches and splits run in C;
any other shape is scanned tag by tag with a regular expression that errs on the side of
counting: a cell element with content counts as filled whatever its prefix, and attribute
values are unescaped as an XML parser would (``r="&#88;FD1"`` is XFD1). An expat handler
per element cost 40 s on a sheet of 1.5 million cells on a loaded machine.
"""

from __future__ import annotations

import html
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

__all__ = [
    "MAX_EXACT_SCAN",
    "MAX_TAG",
    "ODS_TAGS",
    "XLSX_TAGS",
    "SheetInfo",
    "TooLarge",
    "measure_sheet",
    "scan_tags",
    "tag_attributes",
]

_CELL_REF = re.compile(r"([A-Za-z]{1,3})?(\d{1,7})?$")
MAX_TAG = 1024 * 1024  # one element's start tag, attributes included
MAX_EXACT_SCAN = 24 * 1024 * 1024  # a sheet of an unusual shape, scanned tag by tag
_CHUNK = 1024 * 1024
_NAME = rb"<(/?)(?:[A-Za-z_][\w.-]*:)?"
_ATTRS = rb"((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>"
XLSX_TAGS = re.compile(_NAME + rb"(row|c)(?=[\s/>])" + _ATTRS)
ODS_TAGS = re.compile(
    _NAME + rb"(table|table-row|table-cell|covered-table-cell)(?=[\s/>])" + _ATTRS
)
_ATTR = re.compile(rb"(?:^|\s)(?:[A-Za-z_][\w.-]*:)?([\w.-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")


@dataclass(frozen=True)
class SheetInfo:
    """One sheet of a workbook: its name, whether it is shown, and where its cells are."""

    name: str
    visible: bool
    part: str  # XLSX: the sheet's XML file in the archive; ODS: "content.xml"
    index: int  # position among the workbook's sheets (ODS: among its tables)


class TooLarge(Exception):
    """A sheet's filled cells reach past a limit; ``rows``/``columns`` say how far, so far."""

    def __init__(self, rows: int, columns: int, cells: int) -> None:
        super().__init__(rows, columns, cells)
        self.rows = rows
        self.columns = columns
        self.cells = cells


def _column_number(letters: str) -> int:
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number


def scan_tags(stream: IO[bytes], pattern: re.Pattern[bytes]) -> Iterator[re.Match[bytes]]:
    """The start and end tags ``pattern`` matches in an XML stream, read in chunks."""
    buffer = b""
    while chunk := stream.read(_CHUNK):
        buffer += chunk
        end = 0
        for match in pattern.finditer(buffer):
            yield match
            end = match.end()
        start = buffer.find(b"<", end)
        buffer = buffer[start:] if start >= 0 else b""
        if len(buffer) > MAX_TAG:
            raise ValueError("balise démesurée")


def tag_attributes(raw: bytes) -> dict[str, str]:
    """Attributes by local name, values unescaped (``&#88;`` is ``X`` for calamine too)."""
    found = {}
    for match in _ATTR.finditer(raw):
        value = match.group(2) if match.group(2) is not None else match.group(3)
        text = value.decode("utf-8", "replace")
        found[match.group(1).decode("ascii", "replace")] = (
            html.unescape(text) if "&" in text else text
        )
    return found


def measure_sheet(
    archive: zipfile.ZipFile,
    kind: str,
    sheet: SheetInfo,
    *,
    max_rows: int,
    max_columns: int,
    max_cells: int,
) -> tuple[int, int]:
    """(rows, columns) reached by the filled cells of ``sheet``; raise :class:`TooLarge` as
    soon as they pass ``max_rows``, ``max_columns`` or a rectangle of ``max_cells``.

    For ODS, every table is measured (calamine loads them all when it opens the file)
    and the extent returned is the largest. Files written the usual way (Excel,
    LibreOffice, openpyxl…) are measured by C-speed byte searches; any other shape is
    scanned tag by tag, which is slower and so allowed only for parts of at most
    :data:`MAX_EXACT_SCAN` bytes."""
    state = _Extent(max_rows, max_columns, max_cells)
    with archive.open(sheet.part) as stream:
        fast = state.fast_xlsx(stream) if kind == "xlsx" else state.fast_ods(stream)
    if fast:
        return state.rows, state.columns
    if archive.getinfo(sheet.part).file_size > MAX_EXACT_SCAN:
        raise ValueError("forme inhabituelle")
    state = _Extent(max_rows, max_columns, max_cells)
    with archive.open(sheet.part) as stream:
        if kind == "xlsx":
            state.xlsx(scan_tags(stream, XLSX_TAGS))
        else:
            state.ods(scan_tags(stream, ODS_TAGS))
    return state.rows, state.columns


_FAST_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"[^>]*?(/?)>')
_FAST_REPEAT = re.compile(rb'number-(?:rows|columns)-repeated="([0-9]{1,9})"')
_ODS_TABLE_NS = b'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'


def _chunks(stream: IO[bytes], cut_at: tuple[bytes, ...]) -> Iterator[bytes]:
    """The stream in pieces of about :data:`_CHUNK` bytes, each ending just before the last
    ``cut_at`` marker it holds (what follows goes with the next piece)."""
    carry = b""
    while chunk := stream.read(_CHUNK):
        data = carry + chunk
        cut = max(data.rfind(marker) for marker in cut_at)
        if cut <= 0:
            if len(data) > 16 * _CHUNK:
                raise ValueError("balise démesurée")
            carry = data
            continue
        carry = data[cut:]
        yield data[:cut]
    if carry:
        yield carry


class _Extent:
    """The last row and column holding a value, checked against the limits."""

    def __init__(self, max_rows: int, max_columns: int, max_cells: int) -> None:
        self.limits = (max_rows, max_columns, max_cells)
        self.rows = 0
        self.columns = 0

    def _mark(self, row: int, column: int) -> None:
        if row <= self.rows and column <= self.columns:
            return
        self.rows = max(self.rows, row)
        self.columns = max(self.columns, column)
        max_rows, max_columns, max_cells = self.limits
        if (
            self.rows > max_rows
            or self.columns > max_columns
            or self.rows * self.columns > max_cells
        ):
            raise TooLarge(self.rows, self.columns, self.rows * self.columns)

    def fast_xlsx(self, stream: IO[bytes]) -> bool:
        """Cells written ``<c r="B7" …>`` (False: another shape, to scan tag by tag)."""
        for data in _chunks(stream, (b"<c ", b"<c>", b"<c/")):
            cells = _FAST_CELL.findall(data)
            starts = data.count(b"<c ") + data.count(b"<c>") + data.count(b"<c/")
            if len(cells) != starts or b":c " in data or b":c>" in data or b":row" in data:
                return False
            filled = [(letters, digits) for letters, digits, slash in cells if not slash]
            if filled:
                columns = max(_column_number(name.decode()) for name in {c[0] for c in filled})
                self._mark(max(int(digits) for digits in {c[1] for c in filled}), columns)
        return True

    def fast_ods(self, stream: IO[bytes]) -> bool:
        """LibreOffice's shape: the table namespace bound once, to the ``table`` prefix.

        A plain row (no repeated cells, no covered cell, no table start) costs one split:
        only its last filled cell matters. Any other piece goes tag by tag."""
        first = True
        where = [0, 0]  # current row, current column
        for data in _chunks(stream, (b"<table:table-row", b"<table:table ")):
            if first and (_ODS_TABLE_NS not in data or data.count(_ODS_TABLE_NS[13:]) != 1):
                return False
            first = False
            if _ODS_TABLE_NS[13:] in data and _ODS_TABLE_NS not in data:
                return False
            pieces = data.split(b"<table:table-row")
            if not self._ods_tokens(pieces[0], where):
                return False
            for piece in pieces[1:]:
                end = piece.find(b">")
                body = piece[end + 1 :]
                if (
                    end < 0
                    or piece[:1] not in (b" ", b">", b"/")
                    or b"repeated" in body
                    or b"'" in body
                    or b"<table:table " in body
                    or b"<table:table>" in body
                    or b"covered-table-cell" in body
                ):
                    if not self._ods_tokens(b"<table:table-row" + piece, where):
                        return False
                    continue
                tag = piece[: end + 1]
                if b"'" in tag or tag.count(b'"') % 2:
                    return False
                repeat = _fast_repeat(tag)
                if repeat is None:
                    return False
                where[0] += repeat
                where[1] = 0
                cells = body.split(b"<table:table-cell")
                for index in range(len(cells) - 1, 0, -1):
                    cell = cells[index]
                    close = cell.find(b">")
                    cell_tag = cell[: close + 1] if close >= 0 else cell
                    if not cell_tag.endswith(b"/>") or b"value" in cell_tag:
                        self._mark(where[0], index)
                        break
        return True

    def _ods_tokens(self, data: bytes, where: list[int]) -> bool:
        """Tag by tag, for pieces the row shortcut does not cover (False: unusual shape)."""
        for token in data.split(b"<table:")[1:]:
            end = token.find(b">")
            tag = token[: end + 1] if end >= 0 else token
            if b"'" in tag or tag.count(b'"') % 2:
                return False
            repeat = _fast_repeat(tag)
            if repeat is None:
                return False
            if token.startswith((b"table-cell", b"covered-table-cell")):
                where[1] += repeat
                if not tag.endswith(b"/>") or b"value" in tag:
                    self._mark(where[0], where[1])
            elif token.startswith(b"table-row") and token[9:10] in (b" ", b">", b"/"):
                where[0] += repeat
                where[1] = 0
            elif token.startswith((b"table ", b"table>")):
                where[0] = where[1] = 0
        return True

    def xlsx(self, tags: Iterator[re.Match[bytes]]) -> None:
        """``<row r="7"><c r="B7"><v>…</v></c></row>``; ``r`` may be left out."""
        row = column = 0
        for match in tags:
            closing, name, raw = match.groups()
            if closing:
                continue
            if name == b"row":
                number = tag_attributes(raw).get("r", "") if b"r" in raw else ""
                row = int(number) if number.isdigit() else row + 1
                column = 0
                continue
            ref = _CELL_REF.match(tag_attributes(raw).get("r", "")) if b"r" in raw else None
            letters, digits = (ref.group(1), ref.group(2)) if ref else (None, None)
            column = _column_number(letters) if letters else column + 1
            if digits:
                row = int(digits)
            if not raw.endswith(b"/"):  # <c …>content</c>: filled
                self._mark(row, column)

    def ods(self, tags: Iterator[re.Match[bytes]]) -> None:
        """``<table:table-row table:number-rows-repeated="n"><table:table-cell …>``."""
        row = column = 0
        for match in tags:
            closing, name, raw = match.groups()
            if closing:
                continue
            if name == b"table":
                row = column = 0
            elif name == b"table-row":
                row += _repeat(raw, "number-rows-repeated")
                column = 0
            else:
                repeat = _repeat(raw, "number-columns-repeated")
                column += repeat
                if not raw.endswith(b"/") or b"value" in raw:  # content or a value
                    self._mark(row, column)


def _fast_repeat(tag: bytes) -> int | None:
    """The repeat count a tag declares (1 if none; None if it is written unusually)."""
    if b"repeated" not in tag:
        return 1
    found = _FAST_REPEAT.search(tag)
    return int(found.group(1)) if found is not None else None


def _repeat(raw: bytes, key: str) -> int:
    if b"repeated" not in raw:
        return 1
    value = tag_attributes(raw).get(key, "1").strip()
    return int(value) if value.isdigit() and 0 < len(value) <= 9 else 1
