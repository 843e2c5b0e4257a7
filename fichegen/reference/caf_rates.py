"""The Cnaf's coverage rates embedded for every commune: its own, else its EPCI's, and France's.

Reads ``data/caf_couverture.tsv.gz``, written by ``scripts/build_caf.py`` from a public copy of
the Cnaf's open data « taux de couverture petite enfance » (data.caf.fr, datasets
``txcouv_pe_com``, ``txcouv_pe_epci``, ``txcouv_pe_nat``, one year: 2023), on COG 2026 codes
(see ``data/README.md``). Only the global rate is kept (places per 100 children under 3, every
formal mode). The Cnaf publishes a commune's own rate above 10 000 inhabitants only; for the
others, the rate is their EPCI's. The file (about 2 300 rows) is read on first request.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["CafCopySource", "CafRatesTable", "EmbeddedCafRate"]


@dataclass(frozen=True, slots=True)
class CafCopySource:
    """Where the embedded rates come from: producer, datasets, year, licence, copy used."""

    year: int
    national: float
    licence: str
    copy: str
    datasets: tuple[tuple[str, str], ...]
    """Level -> the Cnaf's dataset id (``commune`` -> ``txcouv_pe_com``…)."""

    def dataset(self, level: str) -> str:
        return dict(self.datasets)[level]

    def words(self, level: str) -> str:
        """« Cnaf, données ouvertes de data.caf.fr, jeu « txcouv_pe_epci », 2023 (Licence
        Ouverte 2.0), d’après une copie publique de ces données »."""
        return (
            f"Cnaf, données ouvertes de data.caf.fr, jeu « {self.dataset(level)} », {self.year} "
            f"({self.licence}), d’après une copie publique de ces données"
        )


@dataclass(frozen=True, slots=True)
class EmbeddedCafRate:
    """One territory's global coverage rate of the Cnaf (places per 100 children under 3)."""

    level: str
    """``commune`` (the commune's own rate) or ``epci`` (its EPCI's)."""
    code: str
    """The commune's code or the EPCI's SIREN."""
    rate: float
    source: CafCopySource

    @property
    def year(self) -> int:
        return self.source.year

    @property
    def national(self) -> float:
        """France's rate of the same dataset and year."""
        return self.source.national


class CafRatesTable:
    """The embedded rates file, read on first use."""

    def __init__(self, folder: Path, meta: dict[str, Any]) -> None:
        self._path = folder / "caf_couverture.tsv.gz"
        info = meta.get("caf_couverture")
        self.source: CafCopySource | None = None
        if info:
            self.source = CafCopySource(
                year=int(info["annee"]),
                national=float(info["national"]),
                licence=str(info["licence"]),
                copy=str(info["copie"]),
                datasets=tuple(sorted(dict(info["jeux"]).items())),
            )
        self._rates: dict[tuple[str, str], float] | None = None

    def _table(self) -> dict[tuple[str, str], float]:
        if self._rates is None:
            rates: dict[tuple[str, str], float] = {}
            if self.source is not None and self._path.exists():
                text = gzip.decompress(self._path.read_bytes()).decode("utf-8")
                for line in text.splitlines()[1:]:
                    level, code, rate = line.split("\t")
                    rates[(level, code)] = float(rate)
            self._rates = rates
        return self._rates

    def get(self, code: str, epci: str | None) -> EmbeddedCafRate | None:
        """The commune's own rate, else its EPCI's (``epci``: its SIREN), else None."""
        if self.source is None:
            return None
        table = self._table()
        for level, key in (("commune", code), ("epci", epci)):
            if key is not None and (level, key) in table:
                return EmbeddedCafRate(level, key, table[(level, key)], self.source)
        return None

    def __len__(self) -> int:
        return len(self._table())
