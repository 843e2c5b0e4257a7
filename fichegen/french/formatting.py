"""French formatting: numbers, amounts, percentages and dates.

Digits are grouped with a narrow no-break space (U+202F) and a unit is joined to its
number by a no-break space, so that no figure is ever split across lines. Typography of
whole sentences lives in :mod:`fichegen.french.typography`.

Numbers are written as Babel writes them for ``fr_FR`` (the decimal value of the number as
Python prints it, rounded half to even; ``tests/french`` compares the two over thousands
of values), without loading Babel and its locale data: 35 ms of every process's start.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_EVEN, Decimal

from fichegen.errors import InputError, shorten
from fichegen.french.typography import NBSP, NNBSP

__all__ = [
    "amount",
    "french_date",
    "generation_date",
    "integer",
    "number",
    "percent",
    "signed_percent",
    "with_unit",
]

_MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


def _decimal(value: float | int, least: int, most: int) -> str:
    """``value`` with ``least`` to ``most`` decimals (trailing zeros dropped down to
    ``least``), groups of three digits: Babel's ``#,##0.0#`` patterns for ``fr_FR``."""
    exact = Decimal(str(value))
    sign = "-" if exact.is_signed() else ""
    if not exact.is_finite():  # never in a fiche; written as Babel would
        return sign + "∞" if exact.is_infinite() else "NaN" + ",00"[: 3 * (least > 0)]
    rounded = abs(exact).normalize().quantize(Decimal(1).scaleb(-most), ROUND_HALF_EVEN)
    whole, _, decimals = f"{rounded:f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", NNBSP)
    decimals = decimals.ljust(least, "0")
    while len(decimals) > least and decimals.endswith("0"):
        decimals = decimals[:-1]
    return sign + grouped + ("," + decimals if decimals else "")


def integer(value: int) -> str:
    """``1631`` → ``1 631`` (narrow no-break space as group separator)."""
    return _decimal(value, 0, 3)


def number(value: float, digits: int = 1) -> str:
    """A decimal with at most ``digits`` decimals: ``60.3`` → ``60,3``."""
    return _decimal(value, 0, digits)


def amount(value: float) -> str:
    """Euros without cents when whole: ``15000`` → ``15 000 €``."""
    digits = 0 if float(value).is_integer() else 2
    return f"{_decimal(value, digits, digits)}{NBSP}€"


def with_unit(value: str, unit: str) -> str:
    """A formatted number and its unit, never split: ``with_unit("12", "km")`` → ``12 km``."""
    return f"{value}{NBSP}{unit}"


def percent(value: float, digits: int = 1) -> str:
    """A percentage given in points: ``12.5`` → ``12,5 %``."""
    return f"{number(value, digits)}{NNBSP}%"


def signed_percent(value: float, digits: int = 1) -> str:
    """A change in points with its sign: ``7.26`` → ``+7,3 %``, ``-8.8`` → ``−8,8 %``."""
    shown = number(abs(value), digits)
    if shown.strip("0,") == "":
        return f"{shown}{NNBSP}%"
    sign = "+" if value > 0 else "\u2212"
    return f"{sign}{shown}{NNBSP}%"


def french_date(value: date) -> str:
    """``2026-11-26`` → ``26 novembre 2026``; the first of the month is ``1er``."""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {_MONTHS[value.month - 1]} {value.year}"


def generation_date(explicit: date | None = None) -> date:
    """The date printed on a fiche: explicit option, else SOURCE_DATE_EPOCH, else today."""
    if explicit is not None:
        return explicit
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return date.today()
    if not (epoch.isascii() and epoch.isdigit() and len(epoch) <= 12):
        raise _epoch_error(epoch)
    try:
        return datetime.fromtimestamp(int(epoch), tz=UTC).date()
    except (OverflowError, OSError, ValueError):
        raise _epoch_error(epoch) from None


def _epoch_error(epoch: str) -> InputError:
    return InputError(
        f"SOURCE_DATE_EPOCH invalide (« {shorten(epoch)} ») : nombre de secondes depuis le "
        "1er janvier 1970 attendu, au plus 253402300799 (31 décembre 9999), "
        "ou variable vide"
    )
