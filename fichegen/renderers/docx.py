"""Render the document model as a DOCX (python-docx), styled by ``templates/reference.docx``.

Every block of the model is laid out in order with the reference document's named styles
(Title, Heading 1-3, List Bullet, "Fiche Tableau"...), so the team editing the file in Word
or LibreOffice keeps a clean structure. The output is reproducible byte for byte.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from functools import cache
from typing import Any

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Emu, Pt, RGBColor
from docx.styles import BabelFish

from fichegen.document.model import (
    Block,
    BulletList,
    Callout,
    Document,
    ExampleCard,
    Inline,
    KeyFigure,
    KeyFigures,
    MapFigure,
    Paragraph,
    Section,
    Table,
    ordinal_runs,
)
from fichegen.errors import RenderError
from fichegen.renderers import docx_xml as x
from fichegen.renderers.docx_package import save_reproducible
from fichegen.renderers.map import map_jpeg
from fichegen.resources import templates_dir

__all__ = ["render_docx"]

TEXT_WIDTH_TWIPS = 9638  # 170 mm of text between the reference's 20 mm margins
BOX_PADDING_TWIPS = 400  # left + right cell margins of the "Fiche Encadré" style
MISSING_STYLE = "À compléter"
PARAGRAPH_STYLES = {"body": "Normal", "lead": "Chapeau", "note": "Note", "source": "Source"}
LIST_STYLES = {
    "bullet": "List Bullet",
    "reasons": "Raisons",
    "actions": "Actions",
    "numbered": "List Number",
}
LIST_NUMBER_NUM_ID = 2  # numId of "List Number" in the reference document
MAX_CORE_TEXT = 255  # python-docx refuses longer core properties


def _twips_to_emu(twips: int) -> int:
    return twips * 635


class _Writer:
    """Lays the blocks of one document into one python-docx document."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self.bookmark_ids = 0
        self.bookmark_names: set[str] = set()
        # python-docx resolves a style name by scanning every style on each use: too slow
        # for hundreds of paragraphs, so names are resolved once here.
        self.style_ids = _style_ids(document)

    def para(self, container: Any, style: str) -> Any:
        """A new paragraph of the named style at the end of ``container``."""
        paragraph = container.add_paragraph()
        self.restyle(paragraph, style)
        return paragraph

    def restyle(self, paragraph: Any, style: str) -> None:
        # What ``paragraph._p.style = id`` writes, without python-docx's search for the
        # place of each child (w:pStyle is always the first child of w:pPr).
        p = paragraph._p
        ppr = p.pPr
        if ppr is None:
            ppr = OxmlElement("w:pPr")
            p.insert(0, ppr)
        pstyle = ppr.find(qn("w:pStyle"))
        if pstyle is None:
            pstyle = OxmlElement("w:pStyle")
            ppr.insert(0, pstyle)
        pstyle.set(qn("w:val"), self.style_ids[style])

    # Inline text ---------------------------------------------------------------------

    def runs(self, paragraph: Any, runs: Inline) -> None:
        for part in runs:
            run = x.add_text_run(paragraph, x.clean_text(part.text))
            if part.missing:
                run._r.style = self.style_ids[MISSING_STYLE]
            if part.strong:
                run.bold = True
            if part.emphasis:
                run.italic = True
            if part.superscript:
                run.font.superscript = True

    def text(self, container: Any, text: str, style: str) -> Any:
        paragraph = self.para(container, style)
        if text:
            x.add_text_run(paragraph, x.clean_text(text))
        return paragraph

    # Blocks --------------------------------------------------------------------------

    def blocks(self, container: Any, blocks: tuple[Block, ...], width: int, boxed: bool) -> None:
        for block in blocks:
            self.block(container, block, width, boxed)

    def block(self, container: Any, block: Block, width: int, boxed: bool) -> None:
        if isinstance(block, Paragraph):
            style = PARAGRAPH_STYLES[block.style]
            if boxed and block.style == "body":
                style = "Encadré"
            self.runs(self.para(container, style), block.runs)
        elif isinstance(block, BulletList):
            self.bullet_list(container, block)
        elif isinstance(block, KeyFigures):
            self.key_figures(container, block, width)
        elif isinstance(block, Table):
            self.table(container, block, width)
        elif isinstance(block, Callout):
            self.callout(container, block, width)
        elif isinstance(block, ExampleCard):
            self.example(container, block, width)
        elif isinstance(block, MapFigure):
            self.map_figure(container, block, width)
        elif isinstance(block, Section):
            self.section(container, block, width, boxed)
        else:  # pragma: no cover - the model's Block union is closed
            raise RenderError(f"bloc inconnu pour le rendu DOCX : {type(block).__name__}")

    def section(self, container: Any, section: Section, width: int, boxed: bool) -> None:
        level = min(max(section.level, 1), 3)
        heading = self.text(container, section.title, f"Heading {level}")
        self.bookmark(heading, section.id)
        self.blocks(container, section.blocks, width, boxed)

    def bookmark(self, paragraph: Any, ident: str) -> None:
        name = re.sub(r"[^A-Za-z0-9_]", "_", ident)[:36] or "section"
        if not name[0].isalpha():
            name = "s_" + name[:34]
        base, suffix = name, 2
        while name in self.bookmark_names:
            name, suffix = f"{base}_{suffix}", suffix + 1
        self.bookmark_names.add(name)
        self.bookmark_ids += 1
        x.bookmark(paragraph, self.bookmark_ids, name)

    def bullet_list(self, container: Any, block: BulletList) -> None:
        style = LIST_STYLES[block.style]
        num_id = None
        if block.style == "numbered" and block.items:
            numbering = self.document.part.numbering_part.element
            num_id = x.new_list_instance(numbering, LIST_NUMBER_NUM_ID)
        for item in block.items:
            paragraph = self.para(container, style)
            if num_id is not None:
                x.set_num_id(paragraph, num_id)
            self.runs(paragraph, item)

    def spacer(self, container: Any) -> None:
        self.para(container, "Espace")

    def new_table(self, container: Any, rows: int, cols: int, style: str, widths: list[int]) -> Any:
        table = container.add_table(rows, cols)
        table._tbl.tblPr.style = self.style_ids[style]
        x.fixed_widths(table, widths)
        return table

    def key_figures(self, container: Any, block: KeyFigures, width: int) -> None:
        items = block.items
        if not items:
            return
        cols = 4 if len(items) == 4 else min(len(items), 3)
        rows = -(-len(items) // cols)
        table = self.new_table(container, rows, cols, "Fiche Tuiles", _split(width, cols))
        x.table_look(table, first_row=False, banded_rows=False)
        cells = [cell for row in table.rows for cell in row.cells]
        for cell, item in zip(cells, items, strict=False):
            self.tile(cell, item)
        for cell in cells[len(items) :]:
            x.set_cell_shading(cell, "FFFFFF")
        for row in table.rows:
            x.cant_split(row)  # a tile never starts on one page and ends on the next
        self.spacer(container)

    def tile(self, cell: Any, item: KeyFigure) -> None:
        value = cell.paragraphs[0]
        self.restyle(value, "Chiffre clé valeur")
        figure, unit = x.clean_text(item.value), x.clean_text(item.unit)
        if not unit and not item.missing and "\u00a0" in figure:  # « 2 129 257 hab. »
            figure, unit = figure.rsplit("\u00a0", 1)
        run = x.add_text_run(value, figure)
        if len(figure) + len(unit) > 10:  # « 2 129 257 hab. » fits a quarter of the page
            run.font.size = Pt(14)
        if unit:  # smaller, and never broken around the slash of « hab./km² » (word joiners)
            small = x.add_text_run(value, "\u00a0" + unit.replace("/", "\u2060/\u2060"))
            small.font.size = Pt(10)
        if item.missing:
            run._r.style = self.style_ids[MISSING_STYLE]
            run.font.size = Pt(11)
        self.text(cell, item.label, "Chiffre clé libellé")
        if item.detail:
            self.text(cell, item.detail, "Chiffre clé détail")

    def table(self, container: Any, block: Table, width: int) -> None:
        if block.caption:
            self.text(container, block.caption, "Caption").paragraph_format.keep_with_next = True
        cols = max(len(block.columns), max((len(row) for row in block.rows), default=0), 1)
        widths = _split(width, cols)
        if len(block.widths) == cols:  # a label column as wide as its labels need
            widths = [width * share // 100 for share in block.widths]
        table = self.new_table(container, 1 + len(block.rows), cols, "Fiche Tableau", widths)
        x.table_look(table, first_row=True, banded_rows=True)
        header = table.rows[0]
        x.repeat_header(header)
        for cell, title in zip(header.cells, block.columns, strict=False):
            self.restyle(cell.paragraphs[0], "Tableau texte")
            x.add_text_run(cell.paragraphs[0], x.clean_text(title))
        for row, values in zip(table.rows[1:], block.rows, strict=True):
            for cell, value in zip(row.cells, values, strict=False):
                self.restyle(cell.paragraphs[0], "Tableau texte")
                self.runs(cell.paragraphs[0], value)
        self.spacer(container)

    def box(self, container: Any, width: int, fill: str) -> Any:
        table = self.new_table(container, 1, 1, "Fiche Encadré", [width])
        x.table_look(table, first_row=False, banded_rows=False)
        x.cant_split(table.rows[0])
        cell = table.rows[0].cells[0]
        x.set_cell_shading(cell, fill)
        return cell

    def callout(self, container: Any, block: Callout, width: int) -> None:
        border, fill = x.TONES.get(block.tone, x.TONES["info"])
        cell = self.box(container, width, fill)
        x.set_cell_borders(cell, left=(border, 24))
        title = cell.paragraphs[0]
        self.restyle(title, "Encadré titre")
        x.add_text_run(title, x.clean_text(block.title)).font.color.rgb = _rgb(border)
        self.blocks(cell, block.blocks, width - BOX_PADDING_TWIPS, True)
        _close_cell(cell)
        self.spacer(container)

    def example(self, container: Any, card: ExampleCard, width: int) -> None:
        cell = self.box(container, width, "FFFFFF")
        rule = (x.PALETTE["rule"], 4)
        x.set_cell_borders(cell, top=rule, bottom=rule, right=rule, left=(x.PALETTE["accent"], 24))
        title = cell.paragraphs[0]
        self.restyle(title, "Exemple titre")
        x.add_text_run(title, x.clean_text(card.title))
        place = " · ".join(part for part in (card.place, card.distance) if part)
        if place:
            self.text(cell, place, "Exemple lieu")
        if card.why_chosen:
            self.text(cell, " · ".join(card.why_chosen), "Exemple raison")
        for fact in card.facts:
            self.runs(self.para(cell, "Exemple fait"), ordinal_runs(fact))
        if card.levers:
            self.text(cell, " · ".join(card.levers), "Exemple leviers")
        if card.source:
            self.text(cell, card.source, "Exemple leviers")
        _close_cell(cell)
        self.spacer(container)

    def map_figure(self, container: Any, figure: MapFigure, width: int) -> None:
        picture = map_jpeg(figure, width_px=1400)
        paragraph = self.para(container, "Normal")
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.keep_with_next = True
        run = paragraph.add_run()
        run.add_picture(io.BytesIO(picture), width=Emu(_twips_to_emu(width)))
        x.picture_alt_text(run, x.clean_text(figure.alt_text), x.clean_text(figure.caption))
        if figure.caption:
            self.text(container, figure.caption, "Caption")

    # Title block, header, footer -----------------------------------------------------

    def title_block(self, doc: Document) -> None:
        body = self.document
        self.text(body, doc.theme, "Surtitre")
        self.text(body, doc.title, "Title")
        infos = [doc.departement_label, doc.date_text]
        if doc.commune_name and doc.commune_name not in doc.title:
            infos.insert(0, doc.commune_name)
        line = " · ".join(part for part in infos if part)
        self.runs(self.para(body, "Bloc titre infos"), ordinal_runs(line))
        if doc.footer_text:
            self.text(body, doc.footer_text, "Bloc titre infos")

    def header_footer(self, doc: Document) -> None:
        """Running header: the fiche and commune, then the author line (as in the PDF)."""
        section = self.document.sections[0]
        parts = (doc.header_text or doc.commune_name, doc.footer_text)
        header = " · ".join(part for part in parts if part)
        section.header.paragraphs[0].add_run(x.clean_text(header))


def _style_ids(document: Any) -> dict[str, str]:
    """Map each style's user-interface name (as python-docx shows it) to its id."""
    ids: dict[str, str] = {}
    for style in document.styles.element.findall(qn("w:style")):
        name = style.find(qn("w:name"))
        if name is not None:
            ui_name = BabelFish.internal2ui(name.get(qn("w:val")))
            ids[ui_name] = style.get(qn("w:styleId"))
    return ids


def _split(width: int, cols: int) -> list[int]:
    base = width // cols
    return [base] * (cols - 1) + [width - base * (cols - 1)]


def _rgb(hex_color: str) -> RGBColor:
    return RGBColor.from_string(hex_color)


def _close_cell(cell: Any) -> None:
    """Word requires a cell to end with a paragraph; drop the trailing spacer otherwise."""
    tc = cell._tc
    last = tc[-1]
    if last.tag.endswith("}tbl"):
        tc.append(
            parse_xml(
                '<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'
            )
        )
        return
    paragraphs = cell.paragraphs
    if len(paragraphs) > 1 and paragraphs[-1]._p.style == "Espace" and not paragraphs[-1].text:
        tc.remove(paragraphs[-1]._p)
        if tc[-1].tag.endswith("}tbl"):
            tc.append(
                parse_xml(
                    '<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'
                )
            )


def _date(date_iso: str) -> datetime:
    try:
        day = datetime.fromisoformat(date_iso)
    except ValueError as exc:
        raise RenderError(f"date du document illisible : {date_iso!r}") from exc
    return day.replace(tzinfo=UTC) if day.tzinfo is None else day.astimezone(UTC)


def _core(value: str) -> str:
    return x.clean_text(value).replace("\n", " ")[:MAX_CORE_TEXT]


def _core_properties(document: Any, doc: Document) -> None:
    props = document.core_properties
    stamp = _date(doc.date_iso)
    props.title = _core(doc.title)
    props.subject = _core(doc.subject)
    props.author = _core(doc.author)
    props.last_modified_by = _core(doc.author)
    props.keywords = _core(", ".join(doc.keywords))
    props.comments = _core(doc.generator)
    props.category = _core(doc.theme)
    props.language = "fr-FR" if doc.lang in ("fr", "fr-FR") else _core(doc.lang)
    props.created = stamp
    props.modified = stamp
    props.last_printed = stamp
    props.revision = 1


@cache
def _reference_bytes() -> bytes:
    return (templates_dir() / "reference.docx").read_bytes()


def render_docx(doc: Document) -> bytes:
    """The fiche as the bytes of a DOCX file; same document, same bytes."""
    document = docx.Document(io.BytesIO(_reference_bytes()))
    writer = _Writer(document)
    writer.title_block(doc)
    for section in doc.sections:
        writer.section(document, section, TEXT_WIDTH_TWIPS, False)
    writer.header_footer(doc)
    _core_properties(document, doc)
    return save_reproducible(document, doc.date_iso)
