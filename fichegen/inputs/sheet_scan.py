"""Measure a workbook's sheets from their XML, before any cell is loaded.

python-calamine builds the whole rectangle of a sheet, from its first to its last filled
cell, before anything can be checked: a 1.6 KB XLSX with cells A1 and XFD1048576 asks for
half a terabyte and aborts the process. This module streams the sheet XML (expat, no
tree, no entity expansion beyond expat's own guards) and stops as soon as a sheet is
over the limits, so the reader can refuse it with a located French message first.

The scan is a regular expression over the decompressed XML, read in chunks (an expat
handler per element costs 40 s on a sheet of 1.5 million cells; this costs about 2 s). It
errs on the side of counting: a cell element with any content counts as filled, whatever
prefix its name has, and attribute values are unescaped as an XML parser would.

It also lists the sheets with their visibility (XLSX ``state``, ODS ``table:display``),
so that a hidden sheet is never read without saying so.
"""

from __future__ import annotations

import contextlib
import html
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO
from xml.parsers import expat

__all__ = ["MAX_EXACT_SCAN", "MAX_TAG", "SheetInfo", "TooLarge", "list_sheets", "measure_sheet"]

_CELL_REF = re.compile(r"([A-Za-z]{1,3})?(\d{1,7})?$")
_SMALL_XML = 8 * 1024 * 1024  # workbook.xml and its relations: read whole
MAX_TAG = 1024 * 1024  # one element's start tag, attributes included
MAX_EXACT_SCAN = 24 * 1024 * 1024  # a sheet of an unusual shape, scanned tag by tag
_CHUNK = 1024 * 1024
_NAME = rb"<(/?)(?:[A-Za-z_][\w.-]*:)?"
_ATTRS = rb"((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>"
_XLSX_TAGS = re.compile(_NAME + rb"(row|c)(?=[\s/>])" + _ATTRS)
_ODS_TAGS = re.compile(
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


def _local(name: str) -> str:
    """The local part of an element or attribute name (any prefix, any namespace)."""
    return name.rsplit(" ", 1)[-1].rsplit(":", 1)[-1]


def _parser() -> expat.XMLParserType:
    """An expat parser that reports names as ``"namespace-uri local-name"``: elements are
    matched by namespace, whatever prefix the file binds to it."""
    return expat.ParserCreate(namespace_separator=" ")


def _attr(attrs: dict[str, str], wanted: str) -> str | None:
    for key, value in attrs.items():
        if _local(key) == wanted:
            return value
    return None


def _column_number(letters: str) -> int:
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number


def _read_small(archive: zipfile.ZipFile, name: str) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > _SMALL_XML:
        raise ValueError(name)
    return archive.read(info)


def _parse(data: bytes, start: Callable[[str, dict[str, str]], None]) -> None:
    parser = _parser()
    parser.StartElementHandler = start
    parser.Parse(data, True)


def list_sheets(archive: zipfile.ZipFile, kind: str) -> list[SheetInfo]:
    """The sheets of an XLSX or ODS archive, in order, with their visibility."""
    return _xlsx_sheets(archive) if kind == "xlsx" else _ods_sheets(archive)


def _xlsx_sheets(archive: zipfile.ZipFile) -> list[SheetInfo]:
    sheets: list[tuple[str, bool, str]] = []
    targets: dict[str, str] = {}

    def on_sheet(name: str, attrs: dict[str, str]) -> None:
        if _local(name) == "sheet":
            state = (_attr(attrs, "state") or "visible").lower()
            sheets.append(
                (_attr(attrs, "name") or "", state == "visible", _attr(attrs, "id") or "")
            )

    def on_relation(name: str, attrs: dict[str, str]) -> None:
        if _local(name) == "Relationship":
            targets[attrs.get("Id", "")] = attrs.get("Target", "")

    _parse(_read_small(archive, "xl/workbook.xml"), on_sheet)
    rels = "xl/_rels/workbook.xml.rels"
    if rels in archive.namelist():
        _parse(_read_small(archive, rels), on_relation)
    found = []
    for index, (name, visible, rel_id) in enumerate(sheets):
        target = targets.get(rel_id, f"worksheets/sheet{index + 1}.xml")
        part = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        found.append(SheetInfo(name, visible, posixpath.normpath(part), index))
    return found


def _ods_sheets(archive: zipfile.ZipFile) -> list[SheetInfo]:
    """The tables of content.xml; a table whose style says ``table:display="false"`` is
    hidden. Styles come before the body: the parse stops at the body's start."""
    hidden_styles: set[str] = set()
    found: list[SheetInfo] = []
    style: list[str] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        local = _local(name)
        if local == "style":
            style[:] = [_attr(attrs, "name") or ""]
        elif local == "table-properties" and style:
            if (_attr(attrs, "display") or "true").lower() == "false":
                hidden_styles.add(style[0])
        elif local == "body":
            raise _BodyReached

    parser = _parser()
    parser.StartElementHandler = start
    with archive.open("content.xml") as stream, contextlib.suppress(_BodyReached):
        parser.ParseFile(stream)
    for attrs in _ods_table_tags(archive):
        visible = attrs.get("style-name", "") not in hidden_styles
        found.append(SheetInfo(attrs.get("name", ""), visible, "content.xml", len(found)))
    return found


class _BodyReached(Exception):
    pass


def _tags(stream: IO[bytes], pattern: re.Pattern[bytes]) -> Iterator[re.Match[bytes]]:
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


def _attributes(raw: bytes) -> dict[str, str]:
    """Attributes by local name, values unescaped (``&#88;`` is ``X`` for calamine too)."""
    found = {}
    for match in _ATTR.finditer(raw):
        value = match.group(2) if match.group(2) is not None else match.group(3)
        text = value.decode("utf-8", "replace")
        found[match.group(1).decode("ascii", "replace")] = (
            html.unescape(text) if "&" in text else text
        )
    return found


def _ods_table_tags(archive: zipfile.ZipFile) -> Iterator[dict[str, str]]:
    with archive.open("content.xml") as stream:
        for match in _tags(stream, _ODS_TAGS):
            if match.group(2) == b"table" and not match.group(1):
                yield _attributes(match.group(3))


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
            state.xlsx(_tags(stream, _XLSX_TAGS))
        else:
            state.ods(_tags(stream, _ODS_TAGS))
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
        """LibreOffice's shape: the table namespace bound once, to the ``table`` prefix."""
        first = True
        row = column = 0
        for data in _chunks(stream, (b"<table:table-row", b"<table:table ")):
            if first and (_ODS_TABLE_NS not in data or data.count(_ODS_TABLE_NS[13:]) != 1):
                return False
            first = False
            if _ODS_TABLE_NS[13:] in data and _ODS_TABLE_NS not in data:
                return False
            for token in data.split(b"<table:")[1:]:
                end = token.find(b">")
                tag = token[: end + 1] if end >= 0 else token
                if b"'" in tag or tag.count(b'"') % 2:
                    return False
                repeat = 1
                if b"repeated" in tag:
                    found = _FAST_REPEAT.search(tag)
                    if found is None:
                        return False
                    repeat = int(found.group(1))
                if token.startswith((b"table-cell", b"covered-table-cell")):
                    column += repeat
                    if not tag.endswith(b"/>") or b"value" in tag:
                        self._mark(row, column)
                elif token.startswith(b"table-row") and token[9:10] in (b" ", b">", b"/"):
                    row += repeat
                    column = 0
                elif token.startswith(b"table ") or token.startswith(b"table>"):
                    row = column = 0
        return True

    def xlsx(self, tags: Iterator[re.Match[bytes]]) -> None:
        """``<row r="7"><c r="B7"><v>…</v></c></row>``; ``r`` may be left out."""
        row = column = 0
        for match in tags:
            closing, name, raw = match.groups()
            if closing:
                continue
            if name == b"row":
                number = _attributes(raw).get("r", "") if b"r" in raw else ""
                row = int(number) if number.isdigit() else row + 1
                column = 0
                continue
            ref = _CELL_REF.match(_attributes(raw).get("r", "")) if b"r" in raw else None
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


def _repeat(raw: bytes, key: str) -> int:
    if b"repeated" not in raw:
        return 1
    value = _attributes(raw).get(key, "1").strip()
    return int(value) if value.isdigit() and 0 < len(value) <= 9 else 1
