"""Assemble a DOCX package from the reference document's parts, reproducibly.

The body, running header, core properties, list instances and pictures written by the
renderer replace or join the reference's parts; everything else is copied byte for byte.
The zip has a fixed member order, timestamp and attributes: the same document gives the
same bytes in any process, on any day.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from typing import NamedTuple

from fichegen.errors import RenderError
from fichegen.renderers.docx_picture import Picture
from fichegen.renderers.docx_template import DOCUMENT, NUMBERING, Template
from fichegen.renderers.docx_xml import escape, escape_attr

__all__ = [
    "FIRST_MEMBERS",
    "CoreProperties",
    "Parts",
    "build_package",
    "normalize_zip",
    "zip_timestamp",
]

# Word and LibreOffice read any order; by convention the content types come first.
FIRST_MEMBERS = ("[Content_Types].xml", "_rels/.rels")
XML_DECLARATION = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"

_STORED_SUFFIXES = (".png", ".jpeg", ".jpg")
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
_IMAGE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
_CONTENT_TYPES = "[Content_Types].xml"
_DOCUMENT_RELS = "word/_rels/document.xml.rels"
_CORE = "docProps/core.xml"
_DEFAULT = re.compile(r'<Default\s+Extension="([^"]*)"[^>]*/>')
_CORE_NS = (
    'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
    ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
    ' xmlns:dcmitype="http://purl.org/dc/dcmitype/"'
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
)


class CoreProperties(NamedTuple):
    """The document properties Word shows under File > Info (already cleaned text)."""

    title: str
    subject: str
    author: str
    keywords: str
    comments: str
    category: str
    language: str
    stamp: str
    """Creation, modification and last printing time, ``YYYY-MM-DDTHH:MM:SSZ``."""


class Parts:
    """What the renderer wrote: the body, the header's run, new lists and pictures."""

    __slots__ = ("body", "header_run", "lists", "pictures")

    def __init__(self) -> None:
        self.body = ""
        self.header_run = ""
        self.lists: list[tuple[int, int]] = []
        """New list instances: (numId, abstractNumId), each restarting at 1."""
        self.pictures: list[tuple[str, Picture]] = []
        """Pictures with the relationship id the body uses for each."""


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


def _core_xml(props: CoreProperties) -> str:
    """``docProps/core.xml``, elements in the reference document's order."""
    stamp = props.stamp
    return (
        f"{XML_DECLARATION}<cp:coreProperties {_CORE_NS}>"
        f"<dc:title>{escape(props.title)}</dc:title>"
        f"<dc:subject>{escape(props.subject)}</dc:subject>"
        f"<dc:creator>{escape(props.author)}</dc:creator>"
        f"<cp:keywords>{escape(props.keywords)}</cp:keywords>"
        f"<dc:description>{escape(props.comments)}</dc:description>"
        f"<cp:lastModifiedBy>{escape(props.author)}</cp:lastModifiedBy>"
        "<cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        f"<cp:category>{escape(props.category)}</cp:category>"
        f"<dc:language>{escape(props.language)}</dc:language>"
        f"<cp:lastPrinted>{stamp}</cp:lastPrinted></cp:coreProperties>"
    )


def _insert_before(xml: str, closing: str, addition: str) -> str:
    """``xml`` with ``addition`` just before its last ``closing`` tag."""
    at = xml.rindex(closing)
    return xml[:at] + addition + xml[at:]


def _header_xml(xml: str, run: str) -> str:
    """The header part with ``run`` appended to its first paragraph."""
    empty = re.search(r"<w:p(\s[^>]*)?/>", xml)
    end = xml.find("</w:p>")
    if empty is not None and (end < 0 or empty.start() < end):
        return f"{xml[: empty.start()]}<w:p{empty.group(1) or ''}>{run}</w:p>{xml[empty.end() :]}"
    if end < 0:
        raise RenderError("en-tête de page sans paragraphe dans le document de référence")
    return xml[:end] + run + xml[end:]


def _content_types(xml: str, pictures: list[tuple[str, Picture]]) -> str:
    """The content types with a default for each kind of picture, all the defaults sorted
    by extension (as python-docx and Word write them)."""
    found = list(_DEFAULT.finditer(xml))
    if not found:
        raise RenderError("types de contenu sans valeur par défaut dans le document de référence")
    defaults = {m.group(1): m.group(0) for m in found}
    for _, picture in pictures:
        defaults.setdefault(
            picture.ext,
            f'<Default Extension="{picture.ext}" ContentType="{picture.content_type}"/>',
        )
    ordered = "".join(defaults[ext] for ext in sorted(defaults))
    at = found[0].start()
    return xml[:at] + ordered + _DEFAULT.sub("", xml[at:])


def _media(parts: Parts) -> tuple[dict[str, bytes], str]:
    """The pictures' members and their relationships (an XML fragment)."""
    members: dict[str, bytes] = {}
    rels = []
    for number, (rel_id, picture) in enumerate(parts.pictures, start=1):
        target = f"media/image{number}.{picture.ext}"
        members[f"word/{target}"] = picture.data
        rels.append(
            f'<Relationship Id="{escape_attr(rel_id)}" Type="{_IMAGE_REL}" Target="{target}"/>'
        )
    return members, "".join(rels)


def build_package(
    template: Template, parts: Parts, core: CoreProperties, date_iso: str | None
) -> bytes:
    """The DOCX bytes: the reference's parts with the renderer's body, header, lists,
    pictures and properties."""
    members = dict(template.members)
    members[DOCUMENT] = f"{template.body_start}{parts.body}{template.body_end}".encode()
    members[template.header] = _header_xml(
        members[template.header].decode("utf-8"), parts.header_run
    ).encode()
    if parts.lists:
        nums = "".join(
            f'<w:num w:numId="{num}"><w:abstractNumId w:val="{abstract}"/><w:lvlOverride'
            ' w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
            for num, abstract in parts.lists
        )
        numbering = members[NUMBERING].decode("utf-8")
        members[NUMBERING] = _insert_before(numbering, "</w:numbering>", nums).encode()
    if parts.pictures:
        media, rels = _media(parts)
        members.update(media)
        document_rels = members[_DOCUMENT_RELS].decode("utf-8")
        members[_DOCUMENT_RELS] = _insert_before(document_rels, "</Relationships>", rels).encode()
        types = members[_CONTENT_TYPES].decode("utf-8")
        members[_CONTENT_TYPES] = _content_types(types, parts.pictures).encode()
    members[_CORE] = _core_xml(core).encode()
    return _write_zip(members, date_iso)


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
