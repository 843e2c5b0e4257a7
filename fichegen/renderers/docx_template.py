"""The reference document (``templates/reference.docx``), read once per process.

The DOCX renderer starts from its parts: styles, settings, fonts, theme, footers and
document properties are copied byte for byte; the body, the running header, the core
properties and the numbering definitions are rewritten around what is read here (the
style ids by user-interface name, the page setup, the numbering instances).
"""

from __future__ import annotations

import io
import re
import zipfile
from functools import cache
from pathlib import Path
from typing import NamedTuple

from fichegen.errors import RenderError
from fichegen.resources import templates_dir

__all__ = ["DOCUMENT", "NUMBERING", "Template", "load_template", "reference"]

DOCUMENT = "word/document.xml"
NUMBERING = "word/numbering.xml"
_DOCUMENT_RELS = "word/_rels/document.xml.rels"

# Word stores a few built-in styles under a lower-case name; python-docx, the styles
# pane and this renderer call them by their user-interface name.
_UI_NAMES = {"caption": "Caption", "footer": "Footer", "header": "Header"} | {
    f"heading {level}": f"Heading {level}" for level in range(1, 10)
}
_STYLE = re.compile(r"<w:style\b([^>]*)>(.*?)</w:style>", re.S)
_STYLE_ID = re.compile(r'\bw:styleId="([^"]*)"')
_STYLE_NAME = re.compile(r'<w:name\s+w:val="([^"]*)"')
_NUM = re.compile(r'<w:num\s+w:numId="(\d+)"\s*>\s*<w:abstractNumId\s+w:val="(\d+)"')
_DEFAULT_HEADER = re.compile(r'<w:headerReference\s+w:type="default"\s+r:id="([^"]+)"')
_RELATIONSHIP = re.compile(r"<Relationship\b([^>]*)/>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&apos;": "'"}


def _unescape(value: str) -> str:
    """An attribute value as text (the five predefined entities; the reference uses no
    character references)."""
    return re.sub(r"&\w+;", lambda m: _ENTITIES.get(m.group(0), m.group(0)), value)


class Template(NamedTuple):
    """What the renderer needs of the reference document."""

    members: dict[str, bytes]
    """Every part of the package by member name, as stored."""
    style_ids: dict[str, str]
    """Style id by user-interface name (« Heading 1 », « Chiffre clé valeur »...)."""
    body_start: str
    """``word/document.xml`` up to where the body's content goes."""
    body_end: str
    """The rest of it: the section properties (page, margins, header references)."""
    header: str
    """Member name of the running header (the section's default header)."""
    numbering: dict[int, int]
    """Abstract numbering definition of each list instance (``w:num``) by numId."""
    relationship_ids: frozenset[str]
    """Relationship ids already used by the main document part."""

    def style(self, ui_name: str) -> str:
        """The id of the style named ``ui_name``; RenderError if the reference lacks it."""
        try:
            return self.style_ids[ui_name]
        except KeyError:
            raise RenderError(f"style « {ui_name} » absent du document de référence") from None


def _style_ids(styles: str) -> dict[str, str]:
    ids: dict[str, str] = {}
    for match in _STYLE.finditer(styles):
        ident, name = _STYLE_ID.search(match.group(1)), _STYLE_NAME.search(match.group(2))
        if ident is not None and name is not None:
            ui_name = _unescape(name.group(1))
            ids[_UI_NAMES.get(ui_name, ui_name)] = _unescape(ident.group(1))
    return ids


def _text(members: dict[str, bytes], name: str) -> str:
    try:
        return members[name].decode("utf-8")
    except KeyError:
        raise RenderError(f"partie {name} absente du document de référence") from None


def _relationships(rels: str) -> dict[str, str]:
    """Target of each relationship by id."""
    found = {}
    for match in _RELATIONSHIP.finditer(rels):
        attrs = dict(_ATTR.findall(match.group(1)))
        found[attrs.get("Id", "")] = _unescape(attrs.get("Target", ""))
    return found


def load_template(data: bytes) -> Template:
    """Read the parts of a reference document the renderer writes around."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    document = _text(members, DOCUMENT)
    split = document.rfind("<w:sectPr")
    if split < 0 or "<w:body>" not in document[:split]:
        raise RenderError("document de référence sans corps ni mise en page")
    rels = _relationships(_text(members, _DOCUMENT_RELS))
    header_ref = _DEFAULT_HEADER.search(document, split)
    if header_ref is None or header_ref.group(1) not in rels:
        raise RenderError("document de référence sans en-tête de page")
    numbering = {
        int(num): int(abstract) for num, abstract in _NUM.findall(_text(members, NUMBERING))
    }
    return Template(
        members=members,
        style_ids=_style_ids(_text(members, "word/styles.xml")),
        body_start=document[:split],
        body_end=document[split:],
        header="word/" + rels[header_ref.group(1)].lstrip("/").removeprefix("word/"),
        numbering=numbering,
        relationship_ids=frozenset(rels),
    )


@cache
def reference() -> Template:
    """The bundled reference document, read on first use."""
    path: Path = templates_dir() / "reference.docx"
    return load_template(path.read_bytes())
