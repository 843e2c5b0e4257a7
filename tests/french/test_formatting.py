"""French number, amount and date formatting."""

from __future__ import annotations

from datetime import date

import pytest

from fichegen.french import formatting as fmt

NNBSP = "\u202f"
NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1631, f"1{NNBSP}631"), (0, "0"), (2103778, f"2{NNBSP}103{NNBSP}778"), (999, "999")],
)
def test_integer_groups_thousands_with_narrow_space(value: int, expected: str) -> None:
    assert fmt.integer(value) == expected


def test_amount_has_euro_sign_after_no_break_space() -> None:
    assert fmt.amount(15000) == f"15{NNBSP}000{NBSP}€"
    assert fmt.amount(12.5) == f"12,50{NBSP}€"


def test_number_and_percent_use_decimal_comma() -> None:
    assert fmt.number(60.3) == "60,3"
    assert fmt.percent(12.5) == f"12,5{NNBSP}%"


def test_french_date() -> None:
    assert fmt.french_date(date(2026, 11, 26)) == "26 novembre 2026"
    assert fmt.french_date(date(2025, 2, 1)) == "1er février 2025"


def test_generation_date_prefers_option_then_source_date_epoch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    assert fmt.generation_date() == date(2026, 1, 1)
    assert fmt.generation_date(date(2026, 3, 15)) == date(2026, 3, 15)


def test_with_unit_never_splits_a_figure_from_its_unit() -> None:
    assert fmt.with_unit(fmt.integer(15000), "€") == f"15{NNBSP}000{NBSP}€"
    assert fmt.with_unit("12", "km") == f"12{NBSP}km"


@pytest.mark.parametrize("epoch", ["99999999999999", "253402300800", "²", "-5", "1e9", "abc"])
def test_an_unusable_source_date_epoch_is_refused_in_french(
    monkeypatch: pytest.MonkeyPatch, epoch: str
) -> None:
    from fichegen.errors import InputError

    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    with pytest.raises(InputError, match="SOURCE_DATE_EPOCH invalide") as caught:
        fmt.generation_date()
    assert caught.value.exit_code == 2
    assert fmt.generation_date(date(2026, 3, 15)) == date(2026, 3, 15)  # --date wins


def test_the_last_second_of_9999_and_an_empty_epoch_are_accepted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "253402300799")
    assert fmt.generation_date() == date(9999, 12, 31)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "")
    assert fmt.generation_date() == date.today()
