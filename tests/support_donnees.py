"""Real spreadsheet files written by the tests: CSV (both encodings, both separators),
XLSX (openpyxl), ODS (a minimal OpenDocument zip built by hand), and a picklable batch
task that applies a commune's row without rendering."""

from __future__ import annotations

import datetime
import json
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from fichegen.batch.worker import CommuneTask, TaskOutput

Rows = Sequence[Sequence[Any]]


def write_csv(path: Path, rows: Rows, *, sep: str = ";", encoding: str = "utf-8") -> Path:
    """A CSV as Excel writes it: ``encoding`` "utf-8", "utf-8-sig" (BOM) or "cp1252"."""
    lines = []
    for row in rows:
        cells = ["" if cell is None else str(cell) for cell in row]
        lines.append(sep.join(f'"{c}"' if sep in c or '"' in c else c for c in cells))
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def write_xlsx(path: Path, rows: Rows) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def _ods_cell(cell: Any) -> str:
    if cell is None:
        return "<table:table-cell/>"
    if isinstance(cell, bool):
        value = "true" if cell else "false"
        return (
            f'<table:table-cell office:value-type="boolean" office:boolean-value="{value}">'
            f"<text:p>{value.upper()}</text:p></table:table-cell>"
        )
    if isinstance(cell, int | float):
        return (
            f'<table:table-cell office:value-type="float" office:value="{cell}">'
            f"<text:p>{cell}</text:p></table:table-cell>"
        )
    if isinstance(cell, datetime.date):
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{cell.isoformat()}">'
            f"<text:p>{cell.isoformat()}</text:p></table:table-cell>"
        )
    return (
        f'<table:table-cell office:value-type="string"><text:p>{escape(str(cell))}</text:p>'
        "</table:table-cell>"
    )


def write_ods(path: Path, rows: Rows) -> Path:
    """A minimal valid ODS: mimetype first and stored, a manifest, one table."""
    body = "".join(
        "<table:table-row>" + "".join(_ods_cell(c) for c in row) + "</table:table-row>"
        for row in rows
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Feuille1">'
        f"{body}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:version="1.2"'
        ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.spreadsheet",
            compress_type=zipfile.ZIP_STORED,
        )
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path


def row_task(task: CommuneTask) -> TaskOutput:
    """A batch task that builds the commune's profile with its row, and renders, instead of
    a fiche, the JSON of its figures and their origins (fast; picklable)."""
    from fichegen.inputs.overlay import apply_row
    from fichegen.inputs.profile import profile_for_commune, profile_from_bytes

    if task.profile_bytes is not None:
        profile = profile_from_bytes(task.profile_bytes, task.profile_path or "<profil>")
    else:
        profile = profile_for_commune(task.code_insee)
    if task.row is not None:
        profile = apply_row(profile, task.row)
    data = {
        "values": profile.model_dump(mode="json", exclude_unset=True),
        "origins": {
            path: [profile.origin_of(path).kind, profile.origin_of(path).row]
            for path in sorted(profile.provided_fields())
        },
    }
    payload = json.dumps(data, sort_keys=True).encode("utf-8")
    return TaskOutput(outputs=tuple((fmt, payload) for fmt in task.options.formats))
