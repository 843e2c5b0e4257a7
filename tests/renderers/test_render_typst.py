"""The Typst PDF engine (--moteur typst): same text, outline, metadata and tags as the
WeasyPrint PDF; free text passed as data, never as Typst markup; compilation confined to
its own root; variants PDF/UA-1 and PDF/A-3b."""

from __future__ import annotations

import dataclasses
import io
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typst
from pypdf import PdfReader
from support_render import LEVER_TITLES, SECTION_TITLES, sample_document

from fichegen.document.model import Callout, Document, Paragraph, Run, Section, Table
from fichegen.errors import RenderError
from fichegen.renderers.typst_data import document_data
from fichegen.renderers.typst_pdf import TEMPLATE, render_typst_pdf, typst_root
from fichegen.resources import fonts_dir

#: Free text that would be Typst code, markup or escapes if it were ever parsed as markup.
HOSTILE = (
    '#import "/etc/passwd": *',
    '#read("/etc/passwd")',
    '#panic("boom") ] [ $x^2$ *gras* _it_ @ref <lbl> \\ \\u{41} // pas un commentaire',
)


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return re.sub(r"\s+", " ", text.replace("\u00ad", "").replace("-\n", ""))


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return render_typst_pdf(sample_document())


@pytest.fixture(scope="module")
def reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def test_text_holds_commune_sections_and_levers_in_order(pdf: bytes) -> None:
    text = _text(pdf)
    assert "Anstaing" in text
    sections = [text.find(title) for title in SECTION_TITLES]
    assert -1 not in sections and sections == sorted(sections)
    levers = [text.find(title) for title in LEVER_TITLES]
    assert -1 not in levers and levers == sorted(levers)


def test_page_numbers_and_outline(reader: PdfReader) -> None:
    pages = len(reader.pages)
    assert 2 <= pages <= 10
    assert f"page {pages} / {pages}" in (reader.pages[-1].extract_text() or "")

    def flatten(items: list[Any], depth: int = 0) -> list[tuple[int, str]]:
        out: list[tuple[int, str]] = []
        for item in items:
            if isinstance(item, list):
                out.extend(flatten(item, depth + 1))
            else:
                out.append((depth, str(item.title)))
        return out

    outline = flatten(reader.outline)
    assert [t for depth, t in outline if depth == 0] == list(SECTION_TITLES)
    nested = [t for depth, t in outline if depth == 1]
    assert [t.split(" ", 1)[1] for t in nested] == list(LEVER_TITLES)


def test_metadata_language_and_tags(reader: PdfReader) -> None:
    info = reader.metadata
    assert info is not None
    assert info.title == "Fiche n°\u00a015 — Anstaing" == sample_document().title
    assert info.author == "fichegen"
    assert str(info.get("/CreationDate", "")).startswith("D:20261126")
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "fr"
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]


def test_bundled_fonts_only(reader: PdfReader) -> None:
    fonts: set[str] = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    assert fonts and all(name.startswith("Inter") for name in fonts), fonts


@pytest.mark.parametrize(
    ("variant", "marker"), [("pdf/ua-1", b"pdfuaid:part"), ("pdf/a-3b", b"pdfaid:part")]
)
def test_variants_carry_their_markers(variant: str, marker: bytes) -> None:
    pdf = render_typst_pdf(sample_document(), variant=variant)
    assert marker in pdf


def test_unknown_variant_and_missing_glyph_in_pdf_a_are_errors() -> None:
    with pytest.raises(RenderError, match="variante PDF inconnue"):
        render_typst_pdf(sample_document(), variant="pdf/x")
    doc = sample_document(free_text="Crèche 🧸")
    with pytest.raises(RenderError, match="absents des polices"):
        render_typst_pdf(doc, variant="pdf/a-3b")
    assert render_typst_pdf(doc)  # outside PDF/A a missing glyph is not fatal


def _hostile_document() -> Document:
    doc = sample_document(free_text=HOSTILE[2])
    extra = Section(
        id="hostile",
        title=HOSTILE[0],
        level=1,
        blocks=(
            Paragraph((Run(HOSTILE[1]), Run(HOSTILE[2], strong=True))),
            Callout(HOSTILE[1], (Paragraph((Run(HOSTILE[0]),)),), tone="warning"),
            Table(columns=("Nom", HOSTILE[0]), rows=(((Run(HOSTILE[1]),), (Run("]"),)),)),
        ),
    )
    return dataclasses.replace(
        doc, commune_name=HOSTILE[1], sections=(*doc.sections, extra), author=HOSTILE[0]
    )


def test_hostile_free_text_is_printed_literally() -> None:
    pdf = render_typst_pdf(_hostile_document(), variant="pdf/ua-1")
    text = _text(pdf)
    for hostile in HOSTILE:
        assert re.sub(r"\s+", " ", hostile) in text, hostile
    assert "root:" not in text and "boom" not in text.replace('#panic("boom")', "")
    assert PdfReader(io.BytesIO(pdf)).metadata.author == HOSTILE[0]  # type: ignore[union-attr]


def test_document_reaches_the_template_as_data_only() -> None:
    data = document_data(_hostile_document(), lambda _base: "map.jpg")
    assert data["kind"] == "Document" and data["commune_name"] == HOSTILE[1]
    template = (typst_root() / TEMPLATE).read_text(encoding="utf-8")
    # The template reads the fiche from sys.inputs as JSON; it never evaluates a string.
    assert "json(bytes(sys.inputs.fiche))" in template
    assert "eval(" not in template


def test_compilation_cannot_read_outside_its_root(pdf: bytes) -> None:
    assert pdf  # the root exists and holds the template and the map pictures only
    assert {p.name for p in typst_root().iterdir()} <= {TEMPLATE} | {
        p.name for p in typst_root().glob("map-*.jpg")
    }
    for path in ("/etc/passwd", "../../../../etc/passwd", "/../etc/passwd"):
        source = f'#read("{path}")'.encode()
        with pytest.raises(typst.TypstError):
            typst.compile(
                source, root=str(typst_root()), font_paths=[str(fonts_dir())], format="pdf"
            )


def test_reproducible(pdf: bytes) -> None:
    assert render_typst_pdf(sample_document()) == pdf


@pytest.mark.slow
def test_cli_moteur_typst_as_a_process(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "fichegen", "render", "--commune", "09122", "-f", "pdf",
         "--moteur", "typst", "--pdf-variant", "pdf/ua-1", "-o", str(tmp_path)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    (out,) = tmp_path.glob("*.pdf")
    assert "Foix" in _text(out.read_bytes())
    bad = subprocess.run(
        [sys.executable, "-m", "fichegen", "render", "--commune", "09122", "--moteur", "x"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert bad.returncode == 2 and "--moteur" in bad.stderr


def test_table_widths_of_the_document_are_kept_else_derived_from_the_text() -> None:
    shared = Table(columns=("Donnée", "Valeur"), rows=(((Run("Naissances"),), (Run("12"),)),))
    derived = document_data(
        dataclasses.replace(
            sample_document(), sections=(Section(id="t", title="T", level=1, blocks=(shared,)),)
        ),
        lambda _base: "map.jpg",
    )
    set_by_document = dataclasses.replace(shared, widths=(70, 30))
    kept = document_data(
        dataclasses.replace(
            sample_document(),
            sections=(Section(id="t", title="T", level=1, blocks=(set_by_document,)),),
        ),
        lambda _base: "map.jpg",
    )
    assert derived["sections"][0]["blocks"][0]["fractions"] == [16, 12]
    assert kept["sections"][0]["blocks"][0]["fractions"] == [70, 30]
