"""Output options, format parsing and output file names."""

from __future__ import annotations

import pytest

from fichegen.errors import InputError
from fichegen.options import RenderOptions, output_name, parse_formats, slugify


@pytest.mark.parametrize(
    ("code", "name", "fmt", "expected"),
    [
        ("59013", "Anstaing", "pdf", "fiche15_59013_anstaing.pdf"),
        ("2A004", "Ajaccio", "docx", "fiche15_2A004_ajaccio.docx"),
        ("85113", "L'Île-d'Yeu", "html", "fiche15_85113_l-ile-d-yeu.html"),
        ("93066", "Saint-Denis", "pdf", "fiche15_93066_saint-denis.pdf"),
    ],
)
def test_output_name(code: str, name: str, fmt: str, expected: str) -> None:
    assert output_name(code, name, fmt) == expected
    assert expected.isascii()


def test_slugify_never_empty() -> None:
    assert slugify("???") == "commune"


def test_parse_formats_keeps_order_and_drops_repeats() -> None:
    assert parse_formats("docx, pdf,docx") == ("docx", "pdf")


@pytest.mark.parametrize("text", ["odt", "pdf,xls", ",", ""])
def test_parse_formats_rejects_unknown(text: str) -> None:
    with pytest.raises(InputError) as info:
        parse_formats(text)
    assert info.value.exit_code == 2


def test_render_options_reject_unknown_variant() -> None:
    with pytest.raises(InputError, match="variante PDF inconnue"):
        RenderOptions(pdf_variant="pdf/x-4")
