"""What an official file gives: figures with their source (publisher, dataset, year, file)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

__all__ = [
    "CafPlaces",
    "CafRate",
    "CensusChildren",
    "EpciPopulation",
    "OfficialCommune",
    "OfficialData",
    "OfficialSource",
    "ReferencePopulation",
]


@dataclass(frozen=True)
class OfficialSource:
    """Where an official figure comes from, as the annex words it."""

    publisher: str  # « Caf », « Insee »
    dataset: str  # « taux de couverture petite enfance par commune »
    dataset_id: str  # « txcouv_pe_com »
    year: int | None
    file: str

    @property
    def file_name(self) -> str:
        """The file's name without its folder (what a document may print)."""
        return PurePath(self.file).name

    def words(self) -> str:
        """The origin in words, as the annex prints it: « Caf, données ouvertes « taux de
        couverture petite enfance par commune », 2023, fichier txcouv_pe_com.csv »."""
        if self.publisher == "Caf":
            return (
                f"Caf, données ouvertes « {self.dataset} », {self.year}, fichier {self.file_name}"
            )
        when = "millésime" if self.dataset_id == "populations" else "recensement"
        return f"Insee, « {self.dataset} », {when} {self.year}, fichier {self.file_name}"


@dataclass(frozen=True)
class CafRate:
    """The Cnaf's coverage rate of one territory for one year (places per 100 children
    under 3, every formal mode), and its rate per mode."""

    level: str  # "commune", "epci", "arrondissements" or "national"
    code: str
    nom: str
    year: int
    rate: float | None
    modes: dict[str, float]
    source: OfficialSource
    detail: str | None = None  # how it was computed when not read as such


@dataclass(frozen=True)
class CafPlaces:
    """The Cnaf's count of places offered in one territory, per mode."""

    level: str
    code: str
    year: int
    places: dict[str, float]  # "eaje", "am_ind", "tot_offre"…
    source: OfficialSource


@dataclass(frozen=True)
class ReferencePopulation:
    """Insee's populations de référence of one commune (arrondissements summed)."""

    municipale: int
    comptee_a_part: int | None
    totale: int
    source: OfficialSource
    detail: str | None = None


@dataclass(frozen=True)
class EpciPopulation:
    """The populations de référence of an EPCI's member communes (membership from the
    embedded reference), summed: the population totale of the communes that transferred a
    competence when all of them did (III of article L214-1-3 CASF)."""

    epci_code: str
    members: int
    """How many member communes the embedded reference lists."""
    totale: int
    """Sum of the ``PTOT`` of the members found in the file."""
    missing: tuple[str, ...]
    """Codes of the members the file does not give (the sum is then incomplete)."""
    source: OfficialSource

    @property
    def complete(self) -> bool:
        """True when every member commune was found in the file."""
        return not self.missing


@dataclass(frozen=True)
class CensusChildren:
    """Children aged 0 to 2 at the census (Insee's weighted count, a decimal)."""

    value: float
    source: OfficialSource
    detail: str | None = None


@dataclass
class OfficialData:
    """Every official figure read from the files given, by commune or EPCI code."""

    rates_com: dict[str, list[CafRate]] = field(default_factory=dict)  # all years
    rates_epci: dict[str, list[CafRate]] = field(default_factory=dict)
    rates_nat: list[CafRate] = field(default_factory=list)
    places_com: dict[str, list[CafPlaces]] = field(default_factory=dict)
    places_epci: dict[str, list[CafPlaces]] = field(default_factory=dict)
    populations: dict[str, ReferencePopulation] = field(default_factory=dict)
    children: dict[str, CensusChildren] = field(default_factory=dict)
    files: list[tuple[str, str]] = field(default_factory=list)  # (file, what it is)
    notes: list[str] = field(default_factory=list)

    def merge(self, other: OfficialData) -> None:
        """Add another file's figures (a later file of the same dataset adds years)."""
        for mine, theirs in (
            (self.rates_com, other.rates_com),
            (self.rates_epci, other.rates_epci),
            (self.places_com, other.places_com),
            (self.places_epci, other.places_epci),
        ):
            for code, values in theirs.items():
                mine.setdefault(code, []).extend(values)  # type: ignore[arg-type]
        self.rates_nat.extend(other.rates_nat)
        self.populations.update(other.populations)
        self.children.update(other.children)
        self.files.extend(other.files)
        self.notes.extend(other.notes)

    def __bool__(self) -> bool:
        return bool(self.files)

    def subset(
        self,
        code: str,
        epci_code: str | None,
        prefix: str | None,
        members: tuple[str, ...] = (),
    ) -> OfficialData:
        """Only what concerns one commune (its code, its arrondissements' codes starting with
        ``prefix``, its EPCI, France, and the populations of its EPCI's ``members``, which
        settle the SPPE thresholds when the EPCI exercises the competences): what a batch
        sends to the worker of that commune."""

        def mine(table: dict[str, Any], key: str | None = code) -> dict[str, Any]:
            if prefix is None or key != code:  # one key: a lookup, not a scan
                return {key: table[key]} if key is not None and key in table else {}
            return {k: v for k, v in table.items() if k == code or k.startswith(prefix)}

        return OfficialData(
            rates_com=mine(self.rates_com),
            rates_epci=mine(self.rates_epci, epci_code),
            rates_nat=list(self.rates_nat),
            places_com=mine(self.places_com),
            places_epci=mine(self.places_epci, epci_code),
            populations={
                **mine(self.populations),
                **{m: self.populations[m] for m in members if m in self.populations},
            },
            children=mine(self.children),
            files=list(self.files),
        )

    def digest(self) -> str:
        """sha256 of the figures held: a batch's resume key for the commune they concern."""
        import hashlib

        raw = repr(
            (
                sorted(self.rates_com.items()),
                sorted(self.rates_epci.items()),
                self.rates_nat,
                sorted(self.places_com.items()),
                sorted(self.places_epci.items()),
                sorted(self.populations.items()),
                sorted(self.children.items()),
                sorted(self.files),
            )
        )
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class OfficialCommune:
    """The official figures of one commune that no profile field holds: the Caf's coverage
    rate (of the commune, of its arrondissements combined or of its EPCI), the national
    rates read from ``txcouv_pe_nat``, the places the Caf counts, and which files were
    given (to say where a missing figure can be found)."""

    rate: CafRate | None
    national: tuple[CafRate, ...]
    places: CafPlaces | None
    datasets: tuple[str, ...]  # dataset ids given (« txcouv_pe_com »…)
    note: str | None = None  # why no rate of the commune was used, when one was expected
    epci_population: EpciPopulation | None = None  # its EPCI's members, summed
