"""Make a saved DOCX package reproducible: fixed member order, timestamps and attributes.

python-docx writes zip members with the current time; this module rewrites the archive so
that the same document gives the same bytes in any process, on any day.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date
from typing import Any

from docx.opc.pkgwriter import PackageWriter

__all__ = ["FIRST_MEMBERS", "normalize_zip", "save_reproducible", "zip_timestamp"]

# Word and LibreOffice read any order; by convention the content types come first.
FIRST_MEMBERS = ("[Content_Types].xml", "_rels/.rels")

_STORED_SUFFIXES = (".png", ".jpeg", ".jpg")
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def zip_timestamp(date_iso: str | None) -> tuple[int, int, int, int, int, int]:
    """The zip timestamp for a document dated ``date_iso`` (midnight), 1980-01-01 otherwise.

    Zip dates cannot be before 1980 nor after 2107; anything unusable gives the zip epoch.
    """
    if not date_iso:
        return _ZIP_EPOCH
    try:
        day = date.fromisoformat(date_iso[:10])
    except ValueError:
        return _ZIP_EPOCH
    if not 1980 <= day.year <= 2107:
        return _ZIP_EPOCH
    return (day.year, day.month, day.day, 0, 0, 0)


def _member_key(name: str) -> tuple[int, str]:
    if name in FIRST_MEMBERS:
        return (FIRST_MEMBERS.index(name), "")
    return (len(FIRST_MEMBERS), name)


def _write_zip(contents: dict[str, bytes], date_iso: str | None) -> bytes:
    stamp = zip_timestamp(date_iso)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in sorted(contents, key=_member_key):
            info = zipfile.ZipInfo(name, date_time=stamp)
            # Pictures are compressed already: storing them saves time, not space.
            stored = name.lower().endswith(_STORED_SUFFIXES)
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            target.writestr(info, contents[name], compresslevel=None if stored else 6)
    return out.getvalue()


class _Collector:
    """Stands in for python-docx's zip writer: keeps the serialized members in memory."""

    def __init__(self) -> None:
        self.members: dict[str, bytes] = {}

    def write(self, pack_uri: Any, blob: bytes) -> None:
        name = str(pack_uri.membername)
        if name in self.members:
            raise ValueError(f"duplicate member in DOCX package: {name}")
        self.members[name] = blob


def save_reproducible(document: Any, date_iso: str | None = None) -> bytes:
    """Serialize a python-docx document straight into a reproducible zip.

    Same steps as ``OpcPackage.save`` (python-docx 1.x), but the members are collected and
    zipped once, with fixed order and timestamps, instead of zipped, read back and re-zipped.
    """
    package = document.part.package
    parts = list(package.parts)
    for part in parts:
        part.before_marshal()
    collector = _Collector()
    writer: Any = PackageWriter  # private, untyped helpers of python-docx 1.x
    writer._write_content_types_stream(collector, parts)
    writer._write_pkg_rels(collector, package.rels)
    writer._write_parts(collector, parts)
    return _write_zip(collector.members, date_iso)


def normalize_zip(data: bytes, date_iso: str | None = None) -> bytes:
    """Rewrite a zip archive with sorted members, one fixed timestamp and fixed attributes.

    Raises ``ValueError`` if the archive holds the same member name twice (a corrupt
    package that Word would refuse).
    """
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        names = source.namelist()
        if len(set(names)) != len(names):
            raise ValueError("duplicate member in DOCX package")
        contents = {name: source.read(name) for name in names}
    return _write_zip(contents, date_iso)
