"""Render the document model as a DOCX, styled by ``templates/reference.docx``.

Every block of the model is laid out in order with the reference document's named styles
(Title, Heading 1-3, List Bullet, "Fiche Tableau"...), so the team editing the file in Word
or LibreOffice keeps a clean structure. The WordprocessingML is written as text
(``docx_xml``) into the reference's package (``docx_package``): neither python-docx nor
an XML library is loaded. The output is reproducible byte for byte.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

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
from fichegen.renderers.breaks import EDGE_ROWS, keeps_box_whole, keeps_table_whole
from fichegen.renderers.docx_package import CoreProperties, Parts, build_package
from fichegen.renderers.docx_picture import inline_drawing, read_picture
from fichegen.renderers.docx_template import Template, reference
from fichegen.renderers.map import map_jpeg

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
MAX_CORE_TEXT = 255  # the length Word and python-docx accept for a core property

Container = list[str]
"""Block fragments (``w:p`` and ``w:tbl``) of the body or of a table cell, in order."""


def _twips_to_emu(twips: int) -> int:
    return twips * 635


class _Writer:
    """Lays the blocks of one document out as WordprocessingML fragments."""

    def __init__(self, template: Template) -> None:
        self.template = template
        self.body: Container = []
        self.parts = Parts()
        self.bookmark_ids = 0
        self.bookmark_names: set[str] = set()
        self.next_num_id = max(template.numbering, default=0) + 1
        self.pictures: dict[bytes, str] = {}  # picture bytes -> relationship id
        self.drawings = 0
        self.spacer = x.paragraph(template.style("Espace"))
        self.missing = template.style(MISSING_STYLE)

    def style(self, name: str) -> str:
        return self.template.style(name)

    # Inline text ---------------------------------------------------------------------

    def runs(self, runs: Inline) -> str:
        return "".join(
            x.run(
                x.clean_text(part.text),
                style=self.missing if part.missing else None,
                bold=part.strong,
                italic=part.emphasis,
                superscript=part.superscript,
            )
            for part in runs
        )

    def text(
        self,
        container: Container,
        text: str,
        style: str,
        *,
        keep_next: bool | None = None,
        bookmark: tuple[int, str] | None = None,
    ) -> None:
        """A paragraph of the named style holding ``text`` (no run when it is empty)."""
        content = x.run(x.clean_text(text)) if text else ""
        paragraph = x.paragraph(self.style(style), content, keep_next=keep_next, bookmark=bookmark)
        container.append(paragraph)

    # Blocks --------------------------------------------------------------------------

    def blocks(
        self, container: Container, blocks: tuple[Block, ...], width: int, boxed: bool
    ) -> None:
        for block in blocks:
            self.block(container, block, width, boxed)

    def block(self, container: Container, block: Block, width: int, boxed: bool) -> None:
        if isinstance(block, Paragraph):
            style = PARAGRAPH_STYLES[block.style]
            if boxed and block.style == "body":
                style = "Encadré"
            container.append(x.paragraph(self.style(style), self.runs(block.runs)))
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

    def section(self, container: Container, section: Section, width: int, boxed: bool) -> None:
        level = min(max(section.level, 1), 3)
        self.text(container, section.title, f"Heading {level}", bookmark=self.bookmark(section.id))
        self.blocks(container, section.blocks, width, boxed)

    def bookmark(self, ident: str) -> tuple[int, str]:
        """A new bookmark (id, unique name) for the heading of section ``ident``."""
        name = re.sub(r"[^A-Za-z0-9_]", "_", ident)[:36] or "section"
        if not name[0].isalpha():
            name = "s_" + name[:34]
        base, suffix = name, 2
        while name in self.bookmark_names:
            name, suffix = f"{base}_{suffix}", suffix + 1
        self.bookmark_names.add(name)
        self.bookmark_ids += 1
        return self.bookmark_ids, name

    def bullet_list(self, container: Container, block: BulletList) -> None:
        style = self.style(LIST_STYLES[block.style])
        num_id = None
        if block.style == "numbered" and block.items:
            num_id = self.new_list_instance(LIST_NUMBER_NUM_ID)
        for item in block.items:
            container.append(x.paragraph(style, self.runs(item), num_id=num_id))

    def new_list_instance(self, template_num_id: int) -> int:
        """A new list numbering restarting at 1, sharing the definition of ``template_num_id``."""
        try:
            abstract = self.template.numbering[template_num_id]
        except KeyError:
            raise RenderError("liste numérotée absente du document de référence") from None
        num_id, self.next_num_id = self.next_num_id, self.next_num_id + 1
        self.parts.lists.append((num_id, abstract))
        return num_id

    def add_table(self, container: Container, table: str) -> None:
        container.append(table)
        if container is not self.body:  # Word requires a paragraph after a table in a cell
            container.append(x.EMPTY_PARAGRAPH)

    def key_figures(self, container: Container, block: KeyFigures, width: int) -> None:
        items = block.items
        if not items:
            return
        cols = 4 if len(items) == 4 else min(len(items), 3)
        rows = -(-len(items) // cols)
        widths = _split(width, cols)
        cells = [
            x.cell(widths[i % cols], self.tile(items[i]))
            if i < len(items)
            else x.cell(widths[i % cols], [x.EMPTY_PARAGRAPH], fill="FFFFFF")
            for i in range(rows * cols)
        ]
        # a tile never starts on one page and ends on the next
        lines = [x.row(cells[r * cols : (r + 1) * cols], cant_split=True) for r in range(rows)]
        style = self.style("Fiche Tuiles")
        self.add_table(container, x.table(style, widths, lines, first_row=False, banded=False))
        container.append(self.spacer)

    def tile(self, item: KeyFigure) -> Container:
        figure, unit = x.clean_text(item.value), x.clean_text(item.unit)
        if not unit and not item.missing and "\u00a0" in figure:  # « 2 129 257 hab. »
            figure, unit = figure.rsplit("\u00a0", 1)
        size = None
        if len(figure) + len(unit) > 10:  # « 2 129 257 hab. » fits a quarter of the page
            size = 28
        if item.missing:
            size = 22
        value = x.run(figure, style=self.missing if item.missing else None, half_points=size)
        if unit:  # smaller, and never broken around the slash of « hab./km² » (word joiners)
            value += x.run("\u00a0" + unit.replace("/", "\u2060/\u2060"), half_points=20)
        content = [x.paragraph(self.style("Chiffre clé valeur"), value)]
        self.text(content, item.label, "Chiffre clé libellé")
        if item.detail:
            self.text(content, item.detail, "Chiffre clé détail")
        return content

    def table(self, container: Container, block: Table, width: int) -> None:
        if block.caption:
            self.text(container, block.caption, "Caption", keep_next=True)
        cols = max(len(block.columns), max((len(row) for row in block.rows), default=0), 1)
        widths = _split(width, cols)
        if len(block.widths) == cols:  # a label column as wide as its labels need
            widths = [width * share // 100 for share in block.widths]
        count = 1 + len(block.rows)
        indices = list(range(count))
        edge = 0 if keeps_table_whole(block) else EDGE_ROWS
        # Keep-with-next on the rows' paragraphs: all rows but the last (edge 0) or the
        # first and last rows at the table's ends, so a page break never leaves them alone.
        kept = set(indices[:-1] if edge == 0 else indices[:edge] + indices[-edge:-1])
        style = self.style("Tableau texte")
        contents = [[x.run(x.clean_text(title)) for title in block.columns]]
        contents += [[self.runs(value) for value in values] for values in block.rows]
        lines = []
        for index, texts in enumerate(contents):
            keep = True if index in kept else None
            cells = [
                x.cell(
                    widths[col],
                    [
                        x.paragraph(style, texts[col], keep_next=keep)
                        if col < len(texts)
                        else x.paragraph(None, keep_next=keep)
                    ],
                )
                for col in range(cols)
            ]
            lines.append(x.row(cells, header=index == 0))
        table_style = self.style("Fiche Tableau")
        self.add_table(container, x.table(table_style, widths, lines, first_row=True, banded=True))
        container.append(self.spacer)

    def box(
        self,
        container: Container,
        width: int,
        content: Container,
        borders: str,
        fill: str,
        whole: bool = True,
    ) -> None:
        """A one-cell « Fiche Encadré » table holding ``content``, then a spacer; the box
        is kept on one page when ``whole`` (else a long law box goes on over the next page
        rather than leave a gap)."""
        self.close_cell(content)
        tc = x.cell(width, content, borders=borders, fill=fill)
        line = x.row([tc], cant_split=whole)
        table = x.table(self.style("Fiche Encadré"), [width], [line], first_row=False, banded=False)
        self.add_table(container, table)
        container.append(self.spacer)

    def callout(self, container: Container, block: Callout, width: int) -> None:
        border, fill = x.TONES.get(block.tone, x.TONES["info"])
        whole = keeps_box_whole(block)
        title = x.run(x.clean_text(block.title), color=border)
        # keep-with-next off when the box may split, else LibreOffice never splits it
        content = [x.paragraph(self.style("Encadré titre"), title, keep_next=whole)]
        self.blocks(content, block.blocks, width - BOX_PADDING_TWIPS, True)
        borders = x.cell_borders(left=(border, 24))
        self.box(container, width, content, borders, fill, whole)

    def example(self, container: Container, card: ExampleCard, width: int) -> None:
        content = [x.paragraph(self.style("Exemple titre"), x.run(x.clean_text(card.title)))]
        place = " · ".join(part for part in (card.place, card.distance) if part)
        if place:
            self.text(content, place, "Exemple lieu")
        if card.why_chosen:
            self.text(content, " · ".join(card.why_chosen), "Exemple raison")
        for fact in card.facts:
            content.append(x.paragraph(self.style("Exemple fait"), self.runs(ordinal_runs(fact))))
        if card.levers:
            self.text(content, " · ".join(card.levers), "Exemple leviers")
        if card.source:
            self.text(content, card.source, "Exemple leviers")
        rule = (x.PALETTE["rule"], 4)
        borders = x.cell_borders(top=rule, bottom=rule, right=rule, left=(x.PALETTE["accent"], 24))
        self.box(container, width, content, borders, "FFFFFF")

    def close_cell(self, content: Container) -> None:
        """Word requires a cell to end with a paragraph; drop a trailing spacer otherwise."""
        paragraphs = sum(1 for fragment in content if fragment.startswith("<w:p"))
        if paragraphs > 1 and content[-1] == self.spacer:
            content.pop()
        if content[-1].startswith("<w:tbl"):
            content.append(x.EMPTY_PARAGRAPH)

    def map_figure(self, container: Container, figure: MapFigure, width: int) -> None:
        data = map_jpeg(figure, width_px=1400)
        picture = read_picture(data)
        rel_id = self.pictures.get(data)
        if rel_id is None:  # the same picture twice is one part
            rel_id = self.new_relationship_id()
            self.pictures[data] = rel_id
            self.parts.pictures.append((rel_id, picture))
        self.drawings += 1
        drawing = inline_drawing(
            picture,
            shape_id=self.drawings,
            rel_id=rel_id,
            width_emu=_twips_to_emu(width),
            descr=x.clean_text(figure.alt_text),
            title=x.clean_text(figure.caption),
        )
        normal = self.style("Normal")
        container.append(x.paragraph(normal, f"<w:r>{drawing}</w:r>", keep_next=True, center=True))
        if figure.caption:
            self.text(container, figure.caption, "Caption")

    def new_relationship_id(self) -> str:
        used = self.template.relationship_ids | set(self.pictures.values())
        return next(f"rId{n}" for n in range(1, len(used) + 2) if f"rId{n}" not in used)

    # Title block, header ---------------------------------------------------------------

    def title_block(self, doc: Document) -> None:
        body = self.body
        self.text(body, doc.theme, "Surtitre")
        self.text(body, doc.title, "Title")
        infos = [doc.departement_label, doc.date_text]
        if doc.commune_name and doc.commune_name not in doc.title:
            infos.insert(0, doc.commune_name)
        line = " · ".join(part for part in infos if part)
        body.append(x.paragraph(self.style("Bloc titre infos"), self.runs(ordinal_runs(line))))
        if doc.footer_text:
            self.text(body, doc.footer_text, "Bloc titre infos")

    def header(self, doc: Document) -> None:
        """Running header: the fiche and commune, then the author line (as in the PDF)."""
        parts = (doc.header_text or doc.commune_name, doc.footer_text)
        self.parts.header_run = x.run(x.clean_text(" · ".join(part for part in parts if part)))


def _split(width: int, cols: int) -> list[int]:
    base = width // cols
    return [base] * (cols - 1) + [width - base * (cols - 1)]


def _stamp(date_iso: str) -> str:
    try:
        day = datetime.fromisoformat(date_iso)
    except ValueError as exc:
        raise RenderError(f"date du document illisible : {date_iso!r}") from exc
    day = day.replace(tzinfo=UTC) if day.tzinfo is None else day.astimezone(UTC)
    return day.strftime("%Y-%m-%dT%H:%M:%SZ")


def _core(value: str) -> str:
    return x.clean_text(value).replace("\n", " ")[:MAX_CORE_TEXT]


def _core_properties(doc: Document) -> CoreProperties:
    return CoreProperties(
        title=_core(doc.title),
        subject=_core(doc.subject),
        author=_core(doc.author),
        keywords=_core(", ".join(doc.keywords)),
        comments=_core(doc.generator),
        category=_core(doc.theme),
        language="fr-FR" if doc.lang in ("fr", "fr-FR") else _core(doc.lang),
        stamp=_stamp(doc.date_iso),
    )


def render_docx(doc: Document) -> bytes:
    """The fiche as the bytes of a DOCX file; same document, same bytes."""
    template = reference()
    writer = _Writer(template)
    writer.title_block(doc)
    for section in doc.sections:
        writer.section(writer.body, section, TEXT_WIDTH_TWIPS, False)
    writer.header(doc)
    core = _core_properties(doc)  # before the body is joined: a bad date fails early
    writer.parts.body = "".join(writer.body)
    return build_package(template, writer.parts, core, doc.date_iso)
