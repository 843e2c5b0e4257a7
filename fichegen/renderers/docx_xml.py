"""WordprocessingML written as text: escaped runs, paragraphs, table rows and cells.

The DOCX renderer builds ``word/document.xml`` from these fragments, without an XML
library. Every piece of free text and every attribute value goes through :func:`escape`
or :func:`escape_attr`, so text stays literal whatever it holds; :func:`clean_text`
first drops the characters XML 1.0 or Word refuse. Child elements are written in the
order the WordprocessingML schema requires (``w:pPr``, ``w:rPr``, ``w:tcPr``...).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = [
    "EMPTY_PARAGRAPH",
    "PALETTE",
    "TONES",
    "W_NS",
    "cell",
    "cell_borders",
    "clean_text",
    "escape",
    "escape_attr",
    "paragraph",
    "row",
    "run",
    "table",
]

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# Same palette as scripts/build_reference_docx.py.
PALETTE = {
    "primary": "1D4E6B",
    "accent": "C8671E",
    "muted": "5C6770",
    "rule": "C9D6DF",
    "tint": "EDF3F7",
}
# Callout tones: (border colour, fill colour).
TONES: dict[str, tuple[str, str]] = {
    "info": ("1D4E6B", "EDF3F7"),
    "reasons": ("2F7D57", "EAF5EF"),
    "law": ("5A4E8C", "F1EEF8"),
    "warning": ("C2651A", "FDF1E7"),
}

EMPTY_PARAGRAPH = "<w:p/>"
"""A paragraph with neither style nor text (what Word requires after a table in a cell)."""

# XML 1.0 forbids C0 controls except tab/newline/carriage return, surrogates, U+FFFE and
# U+FFFF; Word also chokes on C1 controls. Everything matched here is dropped.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_BREAKS = re.compile("([\t\n])")
_ATTR_ESCAPES = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\t": "&#9;",
        "\n": "&#10;",
        "\r": "&#13;",
    }
)


def clean_text(text: str) -> str:
    """``text`` without the characters XML 1.0 or Word refuse; line ends as ``\\n``."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _FORBIDDEN.sub("", text)


def escape(text: str) -> str:
    """``text`` as XML character data: ``&``, ``<`` and ``>`` escaped."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def escape_attr(value: str) -> str:
    """``value`` for a double-quoted attribute; tabs and line ends kept as references
    (a parser would otherwise turn them into spaces)."""
    return value.translate(_ATTR_ESCAPES)


def _t(text: str) -> str:
    """One ``w:t``, space-preserving when the text starts or ends with white space."""
    if len(text.strip()) < len(text):
        return f'<w:t xml:space="preserve">{escape(text)}</w:t>'
    return f"<w:t>{escape(text)}</w:t>"


def _content(text: str) -> str:
    """The inner content of a run: text, and a ``w:tab`` or ``w:br`` for each tab or line
    end (as python-docx's ``add_run`` writes them; Word ignores them inside ``w:t``)."""
    if "\t" not in text and "\n" not in text:
        return _t(text) if text else ""
    parts = []
    for piece in _BREAKS.split(text):
        if piece == "\t":
            parts.append("<w:tab/>")
        elif piece == "\n":
            parts.append("<w:br/>")
        elif piece:
            parts.append(_t(piece))
    return "".join(parts)


def run(
    text: str,
    *,
    style: str | None = None,
    bold: bool = False,
    italic: bool = False,
    color: str | None = None,
    half_points: int | None = None,
    superscript: bool = False,
) -> str:
    """A ``w:r`` holding the already cleaned ``text``, with its character formatting.

    ``style`` is a character style id, ``half_points`` a font size in half points.
    """
    props = []
    if style is not None:
        props.append(f'<w:rStyle w:val="{escape_attr(style)}"/>')
    if bold:
        props.append("<w:b/>")
    if italic:
        props.append("<w:i/>")
    if color is not None:
        props.append(f'<w:color w:val="{color}"/>')
    if half_points is not None:
        props.append(f'<w:sz w:val="{half_points}"/>')
    if superscript:
        props.append('<w:vertAlign w:val="superscript"/>')
    inner = _content(text)
    if props:
        return f"<w:r><w:rPr>{''.join(props)}</w:rPr>{inner}</w:r>"
    return f"<w:r>{inner}</w:r>" if inner else "<w:r/>"


def paragraph(
    style: str | None,
    content: str = "",
    *,
    keep_next: bool | None = None,
    num_id: int | None = None,
    center: bool = False,
    bookmark: tuple[int, str] | None = None,
) -> str:
    """A ``w:p`` of paragraph style id ``style`` holding the runs ``content``.

    ``keep_next`` False writes an explicit « not kept with next » (overriding the style);
    ``num_id`` attaches the paragraph to that list at level 0; ``bookmark`` (id, name)
    wraps the content in a bookmark, a target for links and cross-references.
    """
    props = []
    if style is not None:
        props.append(f'<w:pStyle w:val="{escape_attr(style)}"/>')
    if keep_next is not None:
        props.append("<w:keepNext/>" if keep_next else '<w:keepNext w:val="0"/>')
    if num_id is not None:
        props.append(f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>')
    if center:
        props.append('<w:jc w:val="center"/>')
    if bookmark is not None:
        ident, name = bookmark
        content = (
            f'<w:bookmarkStart w:id="{ident}" w:name="{escape_attr(name)}"/>{content}'
            f'<w:bookmarkEnd w:id="{ident}"/>'
        )
    if not props and not content:
        return EMPTY_PARAGRAPH
    ppr = f"<w:pPr>{''.join(props)}</w:pPr>" if props else ""
    return f"<w:p>{ppr}{content}</w:p>"


def cell_borders(**sides: tuple[str, int]) -> str:
    """Cell borders, e.g. ``left=("C8671E", 24)`` (colour, width in eighths of a point).

    Sides not given get no border (``nil``).
    """
    parts = []
    for side in ("top", "left", "bottom", "right"):
        if side in sides:
            color, size = sides[side]
            parts.append(f'<w:{side} w:val="single" w:sz="{size}" w:space="0" w:color="{color}"/>')
        else:
            parts.append(f'<w:{side} w:val="nil"/>')
    return f"<w:tcBorders>{''.join(parts)}</w:tcBorders>"


def cell(width: int, content: Iterable[str], *, borders: str = "", fill: str | None = None) -> str:
    """A ``w:tc`` of fixed ``width`` (twips) holding the block fragments ``content``."""
    shading = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{borders}{shading}</w:tcPr>'
        f"{''.join(content)}</w:tc>"
    )


def row(cells: Iterable[str], *, cant_split: bool = False, header: bool = False) -> str:
    """A ``w:tr``; ``cant_split`` keeps it on one page, ``header`` repeats it on each page
    the table spans (a repeated header row is never split either)."""
    props = ("<w:cantSplit/>" if cant_split or header else "") + (
        "<w:tblHeader/>" if header else ""
    )
    trpr = f"<w:trPr>{props}</w:trPr>" if props else ""
    return f"<w:tr>{trpr}{''.join(cells)}</w:tr>"


def table(
    style: str, widths: list[int], rows: Iterable[str], *, first_row: bool, banded: bool
) -> str:
    """A ``w:tbl`` of table style id ``style`` with a fixed layout and these column widths
    (twips); ``first_row`` and ``banded`` say which conditional formats of the style apply."""
    value = (0x0020 if first_row else 0) | (0 if banded else 0x0200) | 0x0400
    look = (
        f'<w:tblLook w:firstColumn="0" w:firstRow="{int(first_row)}" w:lastColumn="0"'
        f' w:lastRow="0" w:noHBand="{int(not banded)}" w:noVBand="1" w:val="{value:04X}"/>'
    )
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in widths)
    return (
        f'<w:tbl><w:tblPr><w:tblStyle w:val="{escape_attr(style)}"/>'
        f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>{look}'
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )
