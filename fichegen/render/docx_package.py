"""Make a saved DOCX package reproducible: fixed member order, timestamps and attributes.

python-docx writes zip members with the current time; this module rewrites the archive so
that the same document gives the same bytes in any process, on any day.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date

__all__ = ["FIRST_MEMBERS", "normalize_zip", "zip_timestamp"]

# Word and LibreOffice read any order; by convention the content types come first.
FIRST_MEMBERS = ("[Content_Types].xml", "_rels/.rels")

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
    stamp = zip_timestamp(date_iso)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in sorted(contents, key=_member_key):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            target.writestr(info, contents[name], compresslevel=6)
    return out.getvalue()
