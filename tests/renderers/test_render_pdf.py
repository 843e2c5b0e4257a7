"""PDF rendering: text, outline, metadata, tags, variants, locked fetching, reproducibility."""

from __future__ import annotations

import hashlib
import io
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from support_render import LEVER_TITLES, SECTION_TITLES, sample_document

from fichegen.errors import RenderError
from fichegen.renderers import fetcher as fetcher_module
from fichegen.renderers.fetcher import LockedFetcher, RefusedURLError, asset_base_url
from fichegen.renderers.html import render_html
from fichegen.renderers.pdf import (
    PDF_VARIANTS,
    missing_glyphs,
    pdf_options,
    render_pdf,
    write_pdf,
)
from fichegen.resources import templates_dir

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = (
    '<img src="file:///etc/hostname"> <link rel=stylesheet href="http://example.invalid/x.css"> '
    '<span style="background: url(data:image/png;base64,AAAA)">x</span> {{ 7*7 }}'
)


@pytest.fixture(scope="module")
def rendered() -> tuple[bytes, list[str]]:
    """The default PDF, through the same steps as render_pdf, with WeasyPrint's messages."""
    doc = sample_document()
    return write_pdf(render_html(doc, standalone=False), pdf_options(), date_iso=doc.date_iso)


@pytest.fixture(scope="module")
def pdf_bytes(rendered: tuple[bytes, list[str]]) -> bytes:
    return rendered[0]


@pytest.fixture(scope="module")
def variant_pdfs() -> dict[str, bytes]:
    return {variant: render_pdf(sample_document(), variant=variant) for variant in PDF_VARIANTS}


@pytest.fixture(scope="module")
def reader(pdf_bytes: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf_bytes))


def _text(reader: PdfReader) -> str:
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return re.sub(r"\s+", " ", text.replace("\u00ad", "").replace("-\n", ""))


def _positions(text: str, needles: tuple[str, ...]) -> list[int]:
    return [text.find(re.sub(r"\s+", " ", needle)) for needle in needles]


def test_text_holds_commune_sections_and_levers_in_order(reader: PdfReader) -> None:
    text = _text(reader)
    assert "Anstaing" in text
    sections = _positions(text, SECTION_TITLES)
    assert -1 not in sections and sections == sorted(sections)
    levers = _positions(text, LEVER_TITLES)
    assert -1 not in levers and levers == sorted(levers)


def test_page_count_and_running_footer(reader: PdfReader) -> None:
    pages = len(reader.pages)
    assert 3 <= pages <= 10
    last = reader.pages[-1].extract_text() or ""
    assert f"page {pages} / {pages}" in last


def test_outline_lists_sections_then_levers(reader: PdfReader) -> None:
    def flatten(items: list[Any], depth: int = 0) -> list[tuple[int, str]]:
        out: list[tuple[int, str]] = []
        for item in items:
            if isinstance(item, list):
                out.extend(flatten(item, depth + 1))
            else:
                out.append((depth, str(item.title)))
        return out

    outline = flatten(reader.outline)
    top = [title for depth, title in outline if depth == 0]
    assert top == list(SECTION_TITLES)
    nested = [title for depth, title in outline if depth == 1]
    assert [t.split(" ", 1)[1] for t in nested] == list(LEVER_TITLES)


def test_metadata_title_author_language(reader: PdfReader) -> None:
    info = reader.metadata
    assert info is not None
    assert info.title == "Fiche n°\u00a015 — Anstaing"
    assert info.author == "fichegen"
    assert str(info.get("/CreationDate", "")).startswith("D:20261126")
    assert reader.trailer["/Root"]["/Lang"] == "fr"


def _figures_alt(node: Any, found: list[str]) -> None:
    node = node.get_object()
    if isinstance(node, list):
        for child in node:
            _figures_alt(child, found)
        return
    if not hasattr(node, "get"):
        return
    if node.get("/S") == "/Figure" and "/Alt" in node:
        found.append(str(node["/Alt"]))
    kids = node.get("/K")
    if kids is not None:
        _figures_alt(kids, found)


def test_tagged_by_default_and_map_has_alt_text(reader: PdfReader) -> None:
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    alts: list[str] = []
    _figures_alt(root["/StructTreeRoot"], alts)
    assert sample_document().sections[3].blocks[0].alt_text in alts  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("variant", "markers"),
    [("pdf/ua-1", (b"pdfuaid:part", b"/StructTreeRoot")), ("pdf/a-3b", (b"pdfaid:part",))],
)
def test_variants_carry_their_markers(
    variant: str, markers: tuple[bytes, ...], variant_pdfs: dict[str, bytes]
) -> None:
    pdf = variant_pdfs[variant]
    reader = PdfReader(io.BytesIO(pdf))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    for marker in markers:
        assert marker in xmp or marker.decode() in root
    if variant == "pdf/a-3b":
        assert re.search(rb"pdfaid:part(=\"|>)3", xmp)
        assert "/OutputIntents" in root


def test_unknown_options_and_variants_raise() -> None:
    assert set(PDF_VARIANTS) == {"pdf/ua-1", "pdf/a-3b"}
    with pytest.raises(RenderError, match="variante PDF inconnue"):
        render_pdf(sample_document(), variant="pdf/a-9z")
    with pytest.raises(RenderError, match="option de rendu PDF inconnue"):
        pdf_options(None, pdf_tagz=True)
    assert pdf_options("pdf/ua-1")["pdf_variant"] == "pdf/ua-1"


def test_missing_glyph_is_an_error_in_pdf_a_only() -> None:
    assert missing_glyphs("Anstaing « 15 000 € » —") == []
    assert missing_glyphs("漢") == ["漢"]
    doc = sample_document(free_text="Crèche 漢")
    with pytest.raises(RenderError, match="U\\+6F22"):
        render_pdf(doc, variant="pdf/a-3b")


def test_sample_renders_without_weasyprint_complaints(rendered: tuple[bytes, list[str]]) -> None:
    assert rendered[1] == []


def test_fetcher_serves_only_template_files() -> None:
    fetcher = LockedFetcher()
    css = fetcher.fetch(asset_base_url() + "fiche.css")
    assert b"@page" in css.read()
    for url in (
        "file:///etc/hostname",
        "http://example.invalid/a.css",
        "https://example.invalid/a.png",
        "data:image/png;base64,AAAA",
        asset_base_url() + "fonts/../../fichegen/model.py",
        asset_base_url() + "missing.css",
        asset_base_url() + "fiche.css?x=1",
    ):
        with pytest.raises(RefusedURLError):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 7
    assert fetcher.served == [asset_base_url() + "fiche.css"]


def test_hostile_text_is_printed_literally_and_fetches_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    requested: list[str] = []
    original = LockedFetcher.fetch

    def spy(self: LockedFetcher, url: str, headers: object = None) -> Any:
        requested.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(fetcher_module.LockedFetcher, "fetch", spy)
    pdf = render_pdf(sample_document(free_text=HOSTILE))
    text = _text(PdfReader(io.BytesIO(pdf)))
    assert '<img src="file:///etc/hostname">' in text
    assert "{{ 7*7 }}" in text
    assert "url(data:image/png;base64,AAAA)" in text
    root = templates_dir().resolve().as_uri()
    assert requested, "the stylesheets and fonts go through the locked fetcher"
    assert all(url.startswith(root) for url in requested)
    assert not [u for u in requested if "hostname" in u or "example" in u or "data:" in u]


_SCRIPT = """
import hashlib, sys
sys.path.insert(0, {tests!r})
from support_render import sample_document
from fichegen.renderers.pdf import render_pdf
from fichegen.renderers.html import render_html
for variant in (None, "pdf/a-3b"):
    print(hashlib.sha256(render_pdf(sample_document(), variant=variant)).hexdigest())
print(hashlib.sha256(render_html(sample_document()).encode()).hexdigest())
"""


@pytest.mark.slow
def test_reproducible_across_processes(pdf_bytes: bytes, variant_pdfs: dict[str, bytes]) -> None:
    script = _SCRIPT.format(tests=str(ROOT / "tests"))
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
        )
        outputs.add(result.stdout)
    assert len(outputs) == 1
    here = [
        hashlib.sha256(pdf_bytes).hexdigest(),
        hashlib.sha256(variant_pdfs["pdf/a-3b"]).hexdigest(),
        hashlib.sha256(render_html(sample_document()).encode()).hexdigest(),
    ]
    assert outputs.pop().split() == here
