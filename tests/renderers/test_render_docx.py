"""Tests of the DOCX renderer: structure, styles, metadata, hostile text, reproducibility."""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import docx
import pytest
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph
from PIL import Image
from support_render import LEVER_TITLES, SECTION_TITLES, sample_document

import fichegen.renderers.docx as docx_render
from fichegen.document.model import (
    Block,
    BulletList,
    Callout,
    Document,
    ExampleCard,
    KeyFigures,
    MapFigure,
    Paragraph,
    Section,
    Table,
    inline,
)
from fichegen.renderers.docx import render_docx
from fichegen.renderers.docx_xml import clean_text
from fichegen.resources import templates_dir

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = "A\x00B\x0bC\x1bD\ud800E\ufffeF {{ 7*7 }} <b>gras</b> & <img src='file:///etc/hostname'>"
HOSTILE_CLEAN = "ABCDEF {{ 7*7 }} <b>gras</b> & <img src='file:///etc/hostname'>"


def _tiny_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 220, 230)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture()
def tiny_map(monkeypatch: pytest.MonkeyPatch) -> None:
    """Replace the (slow) map drawing by a tiny picture for tests that do not look at it."""
    png = _tiny_png()
    monkeypatch.setattr(docx_render, "map_jpeg", lambda figure, width_px=1600: png)


@pytest.fixture(scope="module")
def sample() -> Document:
    return sample_document()


@pytest.fixture(scope="module")
def rendered(sample: Document) -> bytes:
    return render_docx(sample)


@pytest.fixture(scope="module")
def reopened(rendered: bytes) -> Any:
    return docx.Document(io.BytesIO(rendered))


# Helpers -------------------------------------------------------------------------------


def _inline(runs: Any) -> str:
    return "".join(run.text for run in runs)


def model_strings(blocks: tuple[Block, ...]) -> Iterator[str]:
    """Every piece of text of the model, in reading order."""
    for block in blocks:
        if isinstance(block, Section):
            yield block.title
            yield from model_strings(block.blocks)
        elif isinstance(block, Paragraph):
            yield _inline(block.runs)
        elif isinstance(block, BulletList):
            yield from (_inline(item) for item in block.items)
        elif isinstance(block, KeyFigures):
            for figure in block.items:
                yield figure.value
                yield figure.label
                if figure.detail:
                    yield figure.detail
        elif isinstance(block, Table):
            if block.caption:
                yield block.caption
            yield from block.columns
            for row in block.rows:
                yield from (_inline(cell) for cell in row)
        elif isinstance(block, Callout):
            yield block.title
            yield from model_strings(block.blocks)
        elif isinstance(block, ExampleCard):
            yield block.title
            yield block.place
            if block.distance:
                yield block.distance
            yield from block.why_chosen
            yield from block.facts
            yield from block.levers
        elif isinstance(block, MapFigure):
            yield block.caption


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\xa0", " ")).strip()


def assert_in_order(haystack: str, needles: list[str]) -> None:
    """Each needle occurs in ``haystack`` after the previous one."""
    text = _squash(haystack)
    position = 0
    for needle in needles:
        found = text.find(_squash(needle), position)
        assert found >= 0, f"missing or out of order: {needle!r} (after {text[:position][-80:]!r})"
        position = found + len(_squash(needle))


def body_paragraphs(document: Any) -> list[Any]:
    """All paragraphs of the body, including those inside tables, in document order."""
    body = document.element.body
    return [DocxParagraph(p, document) for p in body.iter(qn("w:p"))]


def _style_name(paragraph: Any, document: Any) -> str:
    style_id = paragraph._p.style
    return str(document.styles.get_by_id(style_id, 1).name) if style_id else "Normal"


# Structure and styles ------------------------------------------------------------------


def test_text_holds_the_model_in_order(sample: Document, reopened: Any) -> None:
    text = "\n".join(p.text for p in body_paragraphs(reopened))
    expected = [sample.theme, sample.title, sample.departement_label, sample.date_text]
    expected += list(model_strings(sample.sections))
    assert_in_order(text, expected)


def test_headings_are_the_sections_in_order(sample: Document, reopened: Any) -> None:
    by_style: dict[str, list[str]] = {}
    for paragraph in reopened.paragraphs:
        by_style.setdefault(paragraph.style.name, []).append(paragraph.text)
    assert by_style["Heading 1"] == list(SECTION_TITLES)
    assert by_style["Heading 2"] == [f"{n}. {t}" for n, t in enumerate(LEVER_TITLES, start=1)]
    assert by_style["Title"] == [sample.title]


def test_heading_styles_carry_outline_levels(reopened: Any) -> None:
    for level in (1, 2, 3):
        ppr = reopened.styles[f"Heading {level}"].element.pPr
        outline = ppr.find(qn("w:outlineLvl"))
        assert outline is not None and outline.get(qn("w:val")) == str(level - 1)


def test_lists_use_their_named_styles(sample: Document, reopened: Any) -> None:
    styles = {p.text: _style_name(p, reopened) for p in body_paragraphs(reopened)}
    expected = {"bullet": "List Bullet", "reasons": "Raisons", "actions": "Actions"}
    seen = set()

    def visit(blocks: tuple[Block, ...]) -> None:
        for block in blocks:
            if isinstance(block, BulletList):
                for item in block.items:
                    assert styles[_inline(item)] == expected[block.style]
                seen.add(block.style)
            elif isinstance(block, Section | Callout):
                visit(block.blocks)

    visit(sample.sections)
    assert seen == {"bullet", "reasons", "actions"}
    # The list styles are real lists: each is bound to a numbering definition.
    for name in ("List Bullet", "List Number", "Raisons", "Actions"):
        assert reopened.styles[name].element.pPr.find(qn("w:numPr")) is not None


def test_tables_use_the_table_style(sample: Document, reopened: Any) -> None:
    data_tables = [t for t in reopened.tables if t.style.name == "Fiche Tableau"]
    assert data_tables, "no table uses « Fiche Tableau »"
    territory_table = next(b for b in sample.sections[0].blocks if isinstance(b, Table))
    headers = [tuple(c.text for c in t.rows[0].cells) for t in data_tables]
    assert territory_table.columns in headers
    styles = {t.style.name for t in reopened.tables}
    assert {"Fiche Tuiles", "Fiche Encadré"} <= styles


def test_missing_figures_are_marked_with_the_character_style(
    sample: Document, reopened: Any
) -> None:
    missing_runs = 0

    def count(blocks: tuple[Block, ...]) -> int:
        total = 0
        for block in blocks:
            if isinstance(block, Paragraph):
                total += sum(run.missing for run in block.runs)
            elif isinstance(block, Table):
                total += sum(run.missing for row in block.rows for cell in row for run in cell)
            elif isinstance(block, KeyFigures):
                total += sum(item.missing for item in block.items)
            elif isinstance(block, Section | Callout):
                total += count(block.blocks)
        return total

    missing_runs = count(sample.sections)
    assert missing_runs >= 3
    marked = [
        run
        for paragraph in body_paragraphs(reopened)
        for run in paragraph.runs
        if run.style is not None and run.style.name == "À compléter"
    ]
    assert len(marked) == missing_runs
    assert all(run.text == "à compléter" for run in marked)
    style = reopened.styles["À compléter"].element
    assert style.rPr.find(qn("w:highlight")) is not None


def test_page_setup_header_and_footer(sample: Document, reopened: Any) -> None:
    section = reopened.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert section.left_margin.mm == pytest.approx(20, abs=0.5)
    header = section.header.paragraphs[0].text
    assert sample.header_text in header and sample.footer_text in header  # author in the header
    for footer in (section.footer, section.first_page_footer):
        xml = footer._element.xml
        fields = re.findall(r"<w:instrText[^>]*>\s*(\w+)\s*</w:instrText>", xml)
        assert fields == ["PAGE", "NUMPAGES"]


def test_core_properties_and_language(sample: Document, reopened: Any) -> None:
    props = reopened.core_properties
    midnight = datetime.fromisoformat(sample.date_iso).replace(tzinfo=UTC)
    assert props.title == sample.title
    assert props.subject == sample.subject
    assert props.author == sample.author
    assert all(word in props.keywords for word in sample.keywords)
    assert props.language == "fr-FR"
    assert props.created == midnight.replace(tzinfo=None) or props.created == midnight
    assert props.modified == props.created
    assert props.revision == 1
    defaults = reopened.styles.element.find(qn("w:docDefaults"))
    lang = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert lang.get(qn("w:val")) == "fr-FR"


def test_map_is_a_picture_with_alt_text_and_caption(sample: Document, rendered: bytes) -> None:
    figure = sample.sections[3].blocks[0]
    assert isinstance(figure, MapFigure)
    document = docx.Document(io.BytesIO(rendered))
    doc_prs = list(document.element.body.iter(qn("wp:docPr")))
    assert len(doc_prs) == 1
    assert doc_prs[0].get("descr") == figure.alt_text
    assert doc_prs[0].get("title") == figure.caption
    paragraphs = body_paragraphs(document)
    index = next(i for i, p in enumerate(paragraphs) if p._p.xpath(".//wp:docPr"))
    assert paragraphs[index + 1].text == figure.caption
    assert _style_name(paragraphs[index + 1], document) == "Caption"
    with zipfile.ZipFile(io.BytesIO(rendered)) as archive:
        media = [n for n in archive.namelist() if n.startswith("word/media/")]
        assert len(media) == 1
        assert archive.read(media[0]).startswith(b"\xff\xd8\xff")  # JPEG


def test_package_has_unique_members_and_every_part_parses(rendered: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(rendered)) as archive:
        names = archive.namelist()
        assert len(names) == len(set(names))
        assert names[0] == "[Content_Types].xml"
        assert {"word/document.xml", "word/styles.xml", "docProps/core.xml"} <= set(names)
        for name in names:
            if name.endswith((".xml", ".rels")):
                ElementTree.fromstring(archive.read(name))
        assert {info.date_time for info in archive.infolist()} == {(2026, 11, 26, 0, 0, 0)}


def test_numbered_lists_restart_at_one(tiny_map: None, sample: Document) -> None:
    numbered = (
        BulletList((inline("premier"), inline("second")), style="numbered"),
        Paragraph(inline("entre deux listes")),
        BulletList((inline("encore"),), style="numbered"),
    )
    section = Section("n", "Listes", 1, numbered)
    document = docx.Document(
        io.BytesIO(render_docx(dataclasses.replace(sample, sections=(section,))))
    )
    num_ids = []
    for paragraph in document.paragraphs:
        if paragraph.style.name == "List Number":
            num_ids.append(paragraph._p.pPr.numPr.numId.val)
    assert len(num_ids) == 3
    assert num_ids[0] == num_ids[1] != num_ids[2]
    numbering = document.part.numbering_part.element
    for num_id in set(num_ids):
        num = numbering.xpath(f'w:num[@w:numId="{num_id}"]')[0]
        assert num.xpath(".//w:startOverride/@w:val") == ["1"]


# Hostile text ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("a\x00b", "ab"),
        ("a\x0bb\x0cc", "abc"),
        ("\x1b[31mrouge", "[31mrouge"),
        ("x\ud800y\udfffz", "xyz"),
        ("\ufffe\uffffok", "ok"),
        ("c1\x85\x9f", "c1"),
        ("tab\tligne\r\nfin\r", "tab\tligne\nfin\n"),
        ("« à compléter » €", "« à compléter » €"),
    ],
)
def test_clean_text(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def test_hostile_text_is_cleaned_and_literal(tiny_map: None) -> None:
    base = sample_document(free_text=HOSTILE)
    hostile = dataclasses.replace(
        base, title=f"Fiche {HOSTILE}", author=f"auteur\x00{HOSTILE}", header_text=HOSTILE
    )
    data = render_docx(hostile)
    document = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in body_paragraphs(document))
    assert HOSTILE_CLEAN in text
    assert "49" not in text.replace("1\u202f600", "")
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe]", text)
    assert document.core_properties.title == f"Fiche {HOSTILE_CLEAN}"
    assert HOSTILE_CLEAN in document.sections[0].header.paragraphs[0].text
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                ElementTree.fromstring(archive.read(name))
        # Free text never becomes markup or a relationship to an outside file.
        assert "<w:b>gras" not in archive.read("word/document.xml").decode()
        rels = archive.read("word/_rels/document.xml.rels").decode()
        assert "hostname" not in rels and 'TargetMode="External"' not in rels


def test_empty_document_renders(tiny_map: None, sample: Document) -> None:
    empty = dataclasses.replace(sample, sections=(), keywords=(), footer_text="", header_text="")
    document = docx.Document(io.BytesIO(render_docx(empty)))
    assert [p.style.name for p in document.paragraphs] == ["Surtitre", "Title", "Bloc titre infos"]
    assert sample.commune_name in document.sections[0].header.paragraphs[0].text


# Reproducibility ------------------------------------------------------------------------


def test_same_document_same_bytes(sample: Document, rendered: bytes) -> None:
    assert render_docx(sample) == rendered


_CHILD = """
import hashlib, sys
sys.path.insert(0, {tests!r})
from support_render import sample_document
from fichegen.renderers.docx import render_docx
print(hashlib.sha256(render_docx(sample_document())).hexdigest())
"""


@pytest.mark.slow
def test_same_bytes_in_another_process(rendered: bytes) -> None:
    env = {**os.environ, "PYTHONHASHSEED": "12345", "TZ": "Pacific/Auckland"}
    result = subprocess.run(
        [sys.executable, "-c", _CHILD.format(tests=str(ROOT / "tests"))],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=ROOT,
    )
    assert result.stdout.strip() == hashlib.sha256(rendered).hexdigest()


def test_reference_document_matches_its_build_script() -> None:
    spec = importlib.util.spec_from_file_location(
        "build_reference_docx", ROOT / "scripts" / "build_reference_docx.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    committed = (templates_dir() / "reference.docx").read_bytes()
    assert module.build() == committed, "run scripts/build_reference_docx.py and commit"


# LibreOffice ----------------------------------------------------------------------------


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) absent")
def test_libreoffice_reads_the_whole_text(
    sample: Document, rendered: bytes, tmp_path: Path
) -> None:
    source = tmp_path / "fiche.docx"
    source.write_bytes(rendered)
    profile = tmp_path / f"lo_profile_{os.getpid()}"
    result = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--infilter=MS Word 2007 XML",
            "--convert-to",
            "txt:Text",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    converted = tmp_path / "fiche.txt"
    assert converted.exists(), f"LibreOffice could not load the DOCX: {result.stderr}"
    text = converted.read_text(encoding="utf-8-sig")
    expected = [sample.title, *model_strings(sample.sections)]
    assert_in_order(text, expected)
