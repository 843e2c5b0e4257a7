"""Plain records of the embedded commune reference (no loading logic here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Zone = Literal["metro", "drom", "com"]

__all__ = ["Commune", "Epci", "Resolution", "Zone"]


@dataclass(frozen=True, slots=True)
class Commune:
    """One current commune of the Code officiel géographique, with its figures."""

    code_insee: str
    nom: str
    departement: str
    departement_nom: str
    region: str
    region_nom: str
    zone: Zone
    epci_code: str | None
    epci_nom: str | None
    population_municipale: int | None
    population_totale: int | None
    latitude: float | None
    longitude: float | None
    superficie_km2: float | None

    @property
    def densite(self) -> float | None:
        """Inhabitants (population municipale) per km², when both are known."""
        if self.population_municipale is None or not self.superficie_km2:
            return None
        return self.population_municipale / self.superficie_km2


@dataclass(frozen=True, slots=True)
class Epci:
    """An EPCI à fiscalité propre and the codes of its member communes."""

    code: str
    nom: str
    type: str
    population_municipale: int
    population_totale: int
    membres: tuple[str, ...]

    @property
    def metropole_de_lyon(self) -> bool:
        """The Métropole de Lyon, listed by the DGCL among the EPCI (type ``MET69``) but a
        collectivité à statut particulier standing for the département (CGCT, art. L3611-1)."""
        return self.type == "MET69"


@dataclass(frozen=True, slots=True)
class Resolution:
    """The current commune a requested code leads to, and why if it is not the same code."""

    commune: Commune
    requested_code: str
    note: str | None = None
