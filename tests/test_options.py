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


def test_slug_of_a_200_ligature_name_fits_a_file_name() -> None:
    slug = slugify("\ufb03" * 200)  # « ﬃ » decomposes into three letters
    assert 0 < len(slug) <= 60
    assert len(output_name("90010", "\ufb03" * 200, "docx").encode()) < 255
    assert slugify("Saint-Remy-en-Bouzemont-Saint-Genest-et-Isson") == (
        "saint-remy-en-bouzemont-saint-genest-et-isson"
    )
    long = slugify(" ".join(["Villeneuve"] * 20))
    assert len(long) <= 60 and not long.endswith("-") and long.endswith("villeneuve")


def test_render_options_refuse_wrong_types_in_french() -> None:
    with pytest.raises(InputError, match=r"date : datetime\.date ou None attendu"):
        RenderOptions(date="2026-01-01")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="formats : liste de formats attendue"):
        RenderOptions(formats=None)  # type: ignore[arg-type]
    assert RenderOptions(formats=["html"]).formats == ("html",)  # type: ignore[arg-type]
