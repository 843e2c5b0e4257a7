"""Public figures embedded for every commune: population 2015 and 2021, households, births.

Reads ``data/figures.tsv.gz``, written by ``scripts/build_figures.py`` from Insee's « Base du
comparateur de territoires » (2024 edition), mapped to the current COG (see ``data/README.md``).
The file is read on the first request only and its rows stay as text until asked for, so the
layer costs a few milliseconds and nothing at all to a caller that never asks.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fichegen import disk_cache

__all__ = ["FIELDS", "FigureSource", "FiguresTable", "PublicFigures"]

FIELDS = ("population_2015", "population_2021", "menages_2021", "naissances_2022", "deces_2022")
_INDEX_AFTER = 32
"""Lookups answered by searching the text before the rows are indexed."""
YEARS = {
    "population_2015": 2015,
    "population_2021": 2021,
    "menages_2021": 2021,
    "naissances_2022": 2022,
    "deces_2022": 2022,
}


@dataclass(frozen=True, slots=True)
class FigureSource:
    """Where the embedded figures come from: publisher, dataset, edition, licence."""

    publisher: str
    dataset: str
    edition: str
    licence: str
    vintages: tuple[tuple[str, str], ...]
    """Field -> what it measures and its year, in French (« état civil 2022 … »)."""
    birth_rate_all: float | None = None
    """Births 2022 per 1 000 inhabitants (2021) over every commune of the file."""

    @property
    def label(self) -> str:
        """« Insee, base du comparateur de territoires, édition 2024 »."""
        return f"{self.publisher}, {self.dataset}, {self.edition}"

    def vintage(self, field: str) -> str:
        return dict(self.vintages)[field]


@dataclass(frozen=True, slots=True)
class PublicFigures:
    """One commune's embedded figures (None: unknown for this commune) and their source."""

    code_insee: str
    population_2015: int | None
    population_2021: int | None
    menages_2021: int | None
    naissances_2022: int | None
    deces_2022: int | None
    source: FigureSource

    def year(self, field: str) -> int:
        """The year a field describes (2015, 2021 or 2022)."""
        return YEARS[field]

    @property
    def evolution_population(self) -> float | None:
        """Change of the population from 2015 to 2021, in percent (unrounded)."""
        before, after = self.population_2015, self.population_2021
        if before is None or after is None or before == 0:
            return None
        return (after - before) * 100 / before


def _opt_int(text: str) -> int | None:
    return int(text) if text else None


class FiguresTable:
    """The embedded figures file, read on first use."""

    def __init__(self, folder: Path, meta: dict[str, Any]) -> None:
        self._path = folder / "figures.tsv.gz"
        info = meta.get("figures", {})
        self.source = FigureSource(
            publisher="Insee",
            dataset="base du comparateur de territoires",
            edition="édition 2024",
            licence=str(info.get("licence", "Licence Ouverte")),
            vintages=tuple(sorted(dict(info.get("millesimes", {})).items())),
            birth_rate_all=info.get("natalite_ensemble"),
        )
        self._raw: bytes | None = None
        self._lines: dict[str, str] | None = None
        self._searches = 0

    def _line(self, code: str) -> str | None:
        if self._lines is not None:
            return self._lines.get(code)
        if self._raw is None:
            self._raw = disk_cache.gunzipped(self._path)
        self._searches += 1
        if self._searches > _INDEX_AFTER:  # many lookups (a batch): index every row once
            text = self._raw.decode("utf-8")
            self._lines = {line[:5]: line for line in text.splitlines()[1:]}
            self._raw = b""
            return self._lines.get(code)
        # A few lookups: finding the row in the bytes is cheaper than indexing 35 000 rows.
        start = self._raw.find(b"\n" + code.encode("ascii", "replace") + b"\t")
        if start < 0:
            return None
        end = self._raw.find(b"\n", start + 1)
        return self._raw[start + 1 : end if end >= 0 else None].decode("utf-8")

    def get(self, code: str) -> PublicFigures | None:
        """The figures of a current commune's code, or None when none is known."""
        line = self._line(code)
        if line is None:
            return None
        f = line.split("\t")
        return PublicFigures(
            f[0],
            _opt_int(f[1]),
            _opt_int(f[2]),
            _opt_int(f[3]),
            _opt_int(f[4]),
            _opt_int(f[5]),
            self.source,
        )

    def __len__(self) -> int:
        self._searches = _INDEX_AFTER
        self._line("")
        assert self._lines is not None
        return len(self._lines)
