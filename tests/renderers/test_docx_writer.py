"""The DOCX writer without python-docx: what it loads, and what a reader finds in its files.

The fiche is written as WordprocessingML text into the reference document's package; these
tests reopen real fiches with python-docx and the standard XML parser, render a profile
full of hostile free text, check the picture's proportions, and run the command line in a
process to see that neither python-docx nor lxml is imported to write a DOCX.
"""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import tempfile
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import docx
import pytest
from docx.oxml.ns import qn
from PIL import Image
from support_render import sample_document
from support_selection import fiche_for

import fichegen.renderers.docx as docx_render
from fichegen.document.compose import compose
from fichegen.document.model import Document
from fichegen.errors import RenderError
from fichegen.options import RenderOptions
from fichegen.renderers.docx import render_docx
from fichegen.renderers.docx_picture import read_picture
from fichegen.renderers.docx_template import load_template
from fichegen.renderers.docx_xml import clean_text
from fichegen.resources import templates_dir

OPTIONS = RenderOptions(date=date(2026, 11, 26))
# Markup, a CDATA end, an entity written out, quotes, controls, an emoji, a tab and lines.
NAME = "<w:p>]]> &amp; \"guillemets\" 'apostrophes' \x01\x0b\x1b\x7f\x85 fin 😀 <b>gras</b>"
TEXT = "Début\t« colonne »\n<w:t>deux</w:t> ]]>\r\n&lt;trois&gt; \x00\x08 \"q\" 'a' 😀"


def _paragraph_texts(document: Any) -> list[str]:
    from docx.text.paragraph import Paragraph

    return [Paragraph(p, document).text for p in document.element.body.iter(qn("w:p"))]


def _parts_parse(data: bytes) -> list[str]:
    """Parse every XML part of the package; return the member names."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        for name in names:
            if name.endswith((".xml", ".rels")):
                ElementTree.fromstring(archive.read(name))
    return names


@pytest.fixture(scope="module")
def calais_doc() -> Document:
    return compose(fiche_for("62193"), OPTIONS)


@pytest.fixture(scope="module")
def calais(calais_doc: Document) -> bytes:
    return render_docx(calais_doc)


def test_a_real_fiche_opens_and_every_part_is_well_formed(
    calais_doc: Document, calais: bytes
) -> None:
    names = _parts_parse(calais)
    assert names[:2] == ["[Content_Types].xml", "_rels/.rels"]
    assert "word/media/image1.jpg" in names
    document = docx.Document(io.BytesIO(calais))
    texts = _paragraph_texts(document)
    assert texts[:2] == [calais_doc.theme, calais_doc.title]
    assert "Calais" in calais_doc.title
    assert [p.style.name for p in document.paragraphs[:2]] == ["Surtitre", "Title"]
    assert document.core_properties.title == calais_doc.title
    assert document.core_properties.created == datetime(2026, 11, 26, tzinfo=UTC)
    assert "Calais" in document.sections[0].header.paragraphs[0].text
    assert len(document.inline_shapes) == 1


def test_two_renders_give_the_same_bytes(calais: bytes) -> None:
    assert render_docx(compose(fiche_for("62193"), OPTIONS)) == calais


def test_hostile_free_text_of_a_profile_stays_literal() -> None:
    fiche = fiche_for(
        "59013",
        acteurs_ess=[{"nom": NAME, "type": "autre", "description": TEXT}],
        patrimoine={"locaux_disponibles": [{"description": TEXT}]},
        fiche={"auteur": NAME},
    )
    data = render_docx(compose(fiche, OPTIONS))
    _parts_parse(data)
    document = docx.Document(io.BytesIO(data))
    texts = "\n".join(_paragraph_texts(document))
    name, text = clean_text(NAME), clean_text(TEXT)
    assert "\x01" not in name and "😀" in name and "\t" in text and "\n" in text
    assert name in texts  # the actor's name, exactly
    assert text in texts  # the free text, tab and line break included
    assert name in document.sections[0].header.paragraphs[0].text
    assert document.core_properties.author == name
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        body = archive.read("word/document.xml").decode()
    assert "<w:p>]]>" not in body and "<b>gras" not in body and "<w:t>deux" not in body


def _jpeg(size: tuple[int, int], dpi: tuple[int, int] | None) -> bytes:
    out = io.BytesIO()
    extra = {"dpi": dpi} if dpi else {}
    Image.new("RGB", size, (10, 20, 30)).save(out, "JPEG", **extra)
    return out.getvalue()


@pytest.mark.parametrize(
    ("picture", "size", "dpi"),
    [
        (_jpeg((1400, 826), None), (1400, 826), (72, 72)),
        (_jpeg((300, 200), (300, 150)), (300, 200), (300, 150)),
    ],
)
def test_the_map_keeps_its_proportions(
    picture: bytes, size: tuple[int, int], dpi: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    info = read_picture(picture)
    assert (info.px_width, info.px_height, info.horz_dpi, info.vert_dpi) == (*size, *dpi)
    monkeypatch.setattr(docx_render, "map_jpeg", lambda figure, width_px=1600: picture)
    document = docx.Document(io.BytesIO(render_docx(sample_document())))
    (shape,) = document.inline_shapes
    expected = shape.width * (size[1] / dpi[1]) / (size[0] / dpi[0])
    assert abs(shape.height - expected) <= 2
    assert shape.width == 9638 * 635  # the text width
    assert shape._inline.graphic.graphicData.pic.blipFill.blip.embed in document.part.rels


def test_a_png_map_is_stored_as_png(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.BytesIO()
    Image.new("RGB", (40, 30)).save(out, "PNG", dpi=(96, 96))
    monkeypatch.setattr(docx_render, "map_jpeg", lambda figure, width_px=1600: out.getvalue())
    data = render_docx(sample_document())
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "word/media/image1.png" in archive.namelist()
        types = archive.read("[Content_Types].xml").decode()
    assert 'Extension="png" ContentType="image/png"' in types
    (width,) = struct.unpack(">I", out.getvalue()[16:20])
    assert read_picture(out.getvalue()).horz_dpi == 96 and width == 40


_MODULES = """
import sys
from fichegen.cli.commands import main
main(["render", "--commune", "62193", "-f", "docx", "--date", "2026-11-26", "-o", sys.argv[1]])
print(sorted({{m.split(".")[0] for m in sys.modules}} & {{"docx", "lxml"}}))
"""


@pytest.mark.slow
def test_rendering_a_docx_loads_neither_python_docx_nor_lxml(tmp_path: Path) -> None:
    env = dict(os.environ, FICHEGEN_CACHE=str(tmp_path / "cache"))
    done = subprocess.run(
        [sys.executable, "-c", _MODULES.format(), str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
        cwd=tempfile.gettempdir(),  # never a checkout's fichegen
    )
    assert done.returncode == 0, done.stderr
    written = tmp_path / "fiche15_62193_calais.docx"
    assert done.stdout.splitlines() == [str(written), "[]"]
    assert written.read_bytes() == render_docx(compose(fiche_for("62193"), OPTIONS))


def _reference_with(replacements: dict[str, bytes]) -> bytes:
    """The bundled reference document with some parts replaced."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(templates_dir() / "reference.docx") as source,
        zipfile.ZipFile(out, "w") as target,
    ):
        for name in source.namelist():
            target.writestr(name, replacements.get(name, source.read(name)))
    return out.getvalue()


def test_a_reference_with_an_empty_header_paragraph_still_gets_the_running_header(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with zipfile.ZipFile(templates_dir() / "reference.docx") as source:
        header = source.read("word/header1.xml").decode()
    start = header.index("<w:p>")
    empty = header[:start] + "<w:p/>" + header[header.index("</w:p>") + 6 :]
    template = load_template(_reference_with({"word/header1.xml": empty.encode()}))
    monkeypatch.setattr(docx_render, "reference", lambda: template)
    picture = _jpeg((40, 30), None)
    monkeypatch.setattr(docx_render, "map_jpeg", lambda figure, width_px=1600: picture)
    sample = sample_document()
    document = docx.Document(io.BytesIO(render_docx(sample)))
    expected = f"{sample.header_text} · {sample.footer_text}"
    assert document.sections[0].header.paragraphs[0].text == expected


def test_a_reference_without_a_needed_style_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    with zipfile.ZipFile(templates_dir() / "reference.docx") as source:
        styles = source.read("word/styles.xml").decode()
    renamed = styles.replace('w:val="Chiffre clé valeur"', 'w:val="Autre nom"')
    template = load_template(_reference_with({"word/styles.xml": renamed.encode()}))
    monkeypatch.setattr(docx_render, "reference", lambda: template)
    with pytest.raises(RenderError, match="Chiffre clé valeur"):
        render_docx(sample_document())
