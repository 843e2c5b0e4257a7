"""Ordinals are printed with raised letters (1er) in every format."""

from __future__ import annotations

import dataclasses
import io

import docx
from support_render import sample_document

from fichegen.document.model import Paragraph, Section, inline
from fichegen.renderers.docx import render_docx
from fichegen.renderers.html import render_html


def _with_ordinal() -> tuple[object, str]:
    sample = sample_document()
    text = "Obligation en vigueur depuis le 1er janvier 2026, 2e alinéa."
    section = Section("essai", "Essai", 1, (Paragraph(inline(text)),))
    return dataclasses.replace(sample, sections=(*sample.sections, section)), text


def test_inline_splits_ordinals_into_a_superscript_run() -> None:
    runs = inline("le 1er janvier, le 2e alinéa, 10 000 places")
    raised = [r.text for r in runs if r.superscript]
    assert raised == ["er", "e"]
    assert "".join(r.text for r in runs) == "le 1er janvier, le 2e alinéa, 10 000 places"


def test_html_raises_the_letters_of_ordinals() -> None:
    doc, _ = _with_ordinal()
    page = render_html(doc)  # type: ignore[arg-type]
    assert "le 1<sup>er</sup> janvier 2026, 2<sup>e</sup> alinéa" in page


def test_docx_raises_the_letters_of_ordinals() -> None:
    doc, text = _with_ordinal()
    document = docx.Document(io.BytesIO(render_docx(doc)))  # type: ignore[arg-type]
    paragraph = next(p for p in document.paragraphs if p.text == text)
    raised = [run.text for run in paragraph.runs if run.font.superscript]
    assert raised == ["er", "e"]
