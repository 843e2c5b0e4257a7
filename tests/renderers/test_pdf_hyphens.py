"""Names are never hyphenated by WeasyPrint, other words still are (renderers/pdf_hyphens.py),
checked against the installed WeasyPrint: a narrow column where both would be cut."""

from __future__ import annotations

import io

from pypdf import PdfReader

from fichegen.renderers.breaks import is_name
from fichegen.renderers.pdf import pdf_options, write_pdf

WORDS = ("Villeurbanne", "accompagnement", "Montpellier", "établissement", "Seine-Saint-Denis")


def _lines(html_body: str) -> list[str]:
    html = f'<html lang="fr"><body>{html_body}</body></html>'
    pdf, _messages = write_pdf(html, pdf_options())
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    return [line.strip() for line in text.splitlines() if line.strip()]


def test_names_stay_whole_and_other_words_are_hyphenated() -> None:
    body = " ".join(WORDS * 4)
    lines = _lines(f'<p style="width: 31mm; font-size: 10pt; hyphens: auto">{body}</p>')
    cut = [line for line in lines if line.endswith(("‐", "-"))]
    assert any(line.endswith(("ac‐", "éta‐")) for line in cut), lines  # hyphenation is on
    assert not any(line.endswith(("Vil‐", "Villeur‐", "Mont‐", "Montpel‐")) for line in lines)
    assert all("Villeurbanne" in line or "Vil" not in line for line in lines), lines
    assert all("Montpellier" in line or "Mont" not in line for line in lines), lines


def test_weasyprint_is_left_as_it_was_after_a_render() -> None:
    from weasyprint.text import line_break

    before = line_break.pyphen
    _lines("<p>Villeurbanne</p>")
    assert line_break.pyphen is before


def test_what_counts_as_a_name() -> None:
    assert is_name("Villeurbanne") and is_name("Insee") and is_name("Écully")
    assert not is_name("accompagnement") and not is_name("l’Insee") and not is_name("")
