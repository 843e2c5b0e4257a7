"""fichegen writes numbers and dates as Babel writes them for ``fr_FR`` (it no longer
loads Babel at run time): the same text for thousands of values, halves and negative
zeros included, and for every day of two years."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from babel.dates import format_date
from babel.numbers import format_decimal

from fichegen.french.formatting import amount, french_date, integer, number


def _values() -> list[float | int]:
    rng = random.Random(15)
    ints: list[float | int] = [0, 1, -1, 999, 1000, -1000, 1631, 999_999, 1_000_000, 2**40]
    ints += [rng.randrange(-(10**7), 10**7) for _ in range(400)]
    floats: list[float | int] = [0.0, -0.0, 0.05, 0.15, 0.25, 0.35, 1.25, 2.675, 60.3, -8.8]
    floats += [1e-7, -1e-7, 0.949, 0.95, 99.95, 999.95, 9999.999, 123456.789, 1e15, 7.26]
    floats += [float("inf"), float("-inf"), float("nan")]
    for _ in range(1500):
        digits = rng.randrange(0, 6)
        floats.append(round(rng.uniform(-20000, 20000), digits))
        floats.append(rng.randrange(0, 4000) / 20)  # many exact halves and quarters
    return ints + floats


@pytest.mark.parametrize("digits", [0, 1, 2, 3])
def test_numbers_are_written_as_babel_writes_them(digits: int) -> None:
    for value in _values():
        pattern = "#,##0" + ("." + "#" * digits if digits else "")
        assert number(value, digits) == format_decimal(value, format=pattern, locale="fr_FR"), value


def test_integers_and_amounts_are_written_as_babel_writes_them() -> None:
    for value in _values():
        if isinstance(value, int):
            assert integer(value) == format_decimal(value, locale="fr_FR"), value
        if value == value and abs(value) != float("inf"):
            pattern = "#,##0" + ("" if float(value).is_integer() else ".00")
            expected = format_decimal(value, format=pattern, locale="fr_FR") + "\u00a0€"
            assert amount(value) == expected, value


def test_dates_are_written_as_babel_writes_them() -> None:
    day = date(2026, 1, 1)
    while day < date(2028, 1, 1):
        expected = format_date(day, format="d MMMM y", locale="fr_FR")
        expected = "1er" + expected[1:] if day.day == 1 else expected
        assert french_date(day) == expected
        day += timedelta(days=1)
    assert french_date(date(999, 8, 1)) == "1er août 999"
