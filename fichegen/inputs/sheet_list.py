"""List a workbook's sheets, with their visibility, without loading any cell.

XLSX: ``xl/workbook.xml`` gives each sheet's name and ``state`` (``hidden`` and
``veryHidden`` sheets are not visible) and its relation the sheet's XML part. ODS: a
table whose style sets ``table:display="false"`` is hidden; styles come before the body,
so the style parse stops there, and the tables are found by the byte scan of
:mod:`fichegen.inputs.sheet_scan`.
"""

from __future__ import annotations

import contextlib
import posixpath
import zipfile
from collections.abc import Callable
from xml.parsers import expat

from fichegen.inputs.sheet_scan import MAX_TAG, ODS_TAGS, SheetInfo, scan_tags, tag_attributes

__all__ = ["list_sheets"]

_SMALL_XML = 8 * 1024 * 1024  # workbook.xml and its relations: read whole


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


def _ods_table_tags(archive: zipfile.ZipFile) -> list[dict[str, str]]:
    """Attributes of each table element: found by byte search when the tables are
    written ``<table:table …>`` (LibreOffice), else by the tag-by-tag scan."""
    found = []
    with archive.open("content.xml") as stream:
        carry = b""
        while chunk := stream.read(1024 * 1024):
            data = carry + chunk
            start = data.find(b"<table:table ")
            carry = b""
            while start >= 0:
                end = data.find(b">", start)
                if end < 0:
                    carry = data[start:]
                    break
                found.append(tag_attributes(data[start + 13 : end]))
                start = data.find(b"<table:table ", end)
            else:
                carry = data[-12:]  # a marker cut by the chunk's end
            if len(carry) > MAX_TAG:
                raise ValueError("balise démesurée")
    if found:
        return found
    with archive.open("content.xml") as stream:
        return [
            tag_attributes(match.group(3))
            for match in scan_tags(stream, ODS_TAGS)
            if match.group(2) == b"table" and not match.group(1)
        ]
