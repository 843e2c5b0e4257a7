"""Low-level WordprocessingML helpers of the DOCX renderer: clean text, shading, borders.

python-docx covers paragraphs, runs and tables; what it lacks (cell shading, borders,
bookmarks, list restarts, picture alt text) is written here as raw XML, in schema order.
"""

from __future__ import annotations

import re
from typing import Any

from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.text.run import Run

__all__ = [
    "PALETTE",
    "TONES",
    "add_text_run",
    "bookmark",
    "cant_split",
    "clean_text",
    "fixed_widths",
    "new_list_instance",
    "picture_alt_text",
    "repeat_header",
    "set_cell_borders",
    "set_cell_shading",
    "table_look",
]

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NSDECL = f'xmlns:w="{W_NS}"'

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

# XML 1.0 forbids C0 controls except tab/newline/carriage return, surrogates, U+FFFE and
# U+FFFF; Word also chokes on C1 controls. Everything matched here is dropped.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """``text`` without the characters XML 1.0 or Word refuse; line ends as ``\\n``."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _FORBIDDEN.sub("", text)


def _tc_pr(cell: Any) -> Any:
    return cell._tc.get_or_add_tcPr()


def _replace(parent: Any, tag: str, xml: str, before: tuple[str, ...] = ()) -> None:
    """Put ``xml`` as the ``tag`` child of ``parent``, before the first of ``before``."""
    old = parent.find(qn(tag))
    if old is not None:
        parent.remove(old)
    new = parse_xml(xml)
    for name in before:
        anchor = parent.find(qn(name))
        if anchor is not None:
            anchor.addprevious(new)
            return
    parent.append(new)


_TCPR_AFTER_BORDERS = ("w:shd", "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign")
_TCPR_AFTER_SHD = _TCPR_AFTER_BORDERS[1:]


def set_cell_shading(cell: Any, fill: str) -> None:
    """Fill the cell with the hex colour ``fill``."""
    xml = f'<w:shd {_NSDECL} w:val="clear" w:color="auto" w:fill="{fill}"/>'
    _replace(_tc_pr(cell), "w:shd", xml, _TCPR_AFTER_SHD)


def set_cell_borders(cell: Any, **sides: tuple[str, int]) -> None:
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
    xml = f"<w:tcBorders {_NSDECL}>{''.join(parts)}</w:tcBorders>"
    _replace(_tc_pr(cell), "w:tcBorders", xml, _TCPR_AFTER_BORDERS)


def fixed_widths(table: Any, widths_twips: list[int]) -> None:
    """Give the table a fixed layout and these column widths (twentieths of a point)."""
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    total = sum(widths_twips)
    _replace(
        tbl_pr,
        "w:tblW",
        f'<w:tblW {_NSDECL} w:w="{total}" w:type="dxa"/>',
        (
            "w:jc",
            "w:tblCellSpacing",
            "w:tblInd",
            "w:tblBorders",
            "w:shd",
            "w:tblLayout",
            "w:tblCellMar",
            "w:tblLook",
        ),
    )
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_twips, strict=True):
        col.set(qn("w:w"), str(width))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_twips, strict=True):
            tc_pr = _tc_pr(cell)
            _replace(
                tc_pr,
                "w:tcW",
                f'<w:tcW {_NSDECL} w:w="{width}" w:type="dxa"/>',
                ("w:gridSpan", "w:vMerge", "w:tcBorders", "w:shd", *_TCPR_AFTER_SHD),
            )


def table_look(table: Any, *, first_row: bool, banded_rows: bool) -> None:
    """Which conditional formats of the table style apply (header row, banded rows)."""
    look = table._tbl.tblPr.find(qn("w:tblLook"))
    if look is None:
        look = parse_xml(f"<w:tblLook {_NSDECL}/>")
        table._tbl.tblPr.append(look)
    value = (0x0020 if first_row else 0) | (0 if banded_rows else 0x0200) | 0x0400
    look.set(qn("w:val"), f"{value:04X}")
    for name, flag in (
        ("firstRow", first_row),
        ("lastRow", False),
        ("firstColumn", False),
        ("lastColumn", False),
        ("noHBand", not banded_rows),
        ("noVBand", True),
    ):
        look.set(qn(f"w:{name}"), "1" if flag else "0")


def cant_split(row: Any) -> None:
    """Keep this table row on one page."""
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn("w:cantSplit")) is None:
        tr_pr.insert(0, parse_xml(f"<w:cantSplit {_NSDECL}/>"))


def keep_rows_together(rows: list[Any], edge: int) -> None:
    """Keep-with-next on the rows' paragraphs: all rows (``edge`` 0) or the header and the
    first and last ``edge`` body rows, so a page break never leaves fewer rows alone."""
    kept = rows[:-1] if edge == 0 else rows[:edge] + rows[-edge:-1]
    for row in kept:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True


def repeat_header(row: Any) -> None:
    """Repeat this table row at the top of each page the table spans."""
    cant_split(row)
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn("w:tblHeader")) is None:
        tr_pr.append(parse_xml(f"<w:tblHeader {_NSDECL}/>"))


def bookmark(paragraph: Any, bookmark_id: int, name: str) -> None:
    """Wrap the paragraph's content in a bookmark (a target for links and cross-references)."""
    p = paragraph._p
    start = parse_xml(f'<w:bookmarkStart {_NSDECL} w:id="{bookmark_id}" w:name="{name}"/>')
    end = parse_xml(f'<w:bookmarkEnd {_NSDECL} w:id="{bookmark_id}"/>')
    ppr = p.find(qn("w:pPr"))
    if ppr is not None:
        ppr.addnext(start)
    else:
        p.insert(0, start)
    p.append(end)


def new_list_instance(numbering: Any, template_num_id: int) -> int:
    """A new list numbering restarting at 1, sharing the definition of ``template_num_id``."""
    nums = numbering.findall(qn("w:num"))
    abstract = next(
        num.find(qn("w:abstractNumId")).get(qn("w:val"))
        for num in nums
        if num.get(qn("w:numId")) == str(template_num_id)
    )
    num_id = max(int(num.get(qn("w:numId"))) for num in nums) + 1
    numbering.append(
        parse_xml(
            f'<w:num {_NSDECL} w:numId="{num_id}"><w:abstractNumId w:val="{abstract}"/>'
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
        )
    )
    return num_id


def set_num_id(paragraph: Any, num_id: int) -> None:
    """Attach the paragraph to list ``num_id`` at level 0 (overriding its style's list)."""
    ppr = paragraph._p.get_or_add_pPr()
    xml = f'<w:numPr {_NSDECL}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'
    _replace(
        ppr,
        "w:numPr",
        xml,
        ("w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc"),
    )


def picture_alt_text(run: Any, description: str, title: str) -> None:
    """Set the alt text (``wp:docPr`` descr and title) of the picture held by ``run``."""
    for doc_pr in run._r.iter(qn("wp:docPr")):
        doc_pr.set("descr", description)
        doc_pr.set("title", title)
    for c_nv_pr in run._r.iter(qn("pic:cNvPr")):
        c_nv_pr.set("descr", description)


def add_text_run(paragraph: Any, text: str) -> Any:
    """``paragraph.add_run(text)`` without python-docx's per-character pass (it looks for
    tabs and line breaks) and child-order search (a run simply goes last) when possible."""
    if "\t" in text or "\n" in text or "\r" in text:
        return paragraph.add_run(text)
    r = OxmlElement("w:r")
    if text:
        t = OxmlElement("w:t")
        t.text = text
        if len(text.strip()) < len(text):
            t.set(qn("xml:space"), "preserve")
        r.append(t)
    paragraph._p.append(r)
    return Run(r, paragraph)
