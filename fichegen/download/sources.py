"""Which official files ``fichegen donnees-ouvertes`` fetches, and from which addresses.

Every address comes from public code that reads these files (see
``docs/donnees.md``): the Opendatasoft export API of data.caf.fr and Insee's static file
addresses. Nothing here is guessed. For tests only, the environment variable
``FICHEGEN_DONNEES_OUVERTES_URL`` replaces the scheme and host of every address (for
example ``http://127.0.0.1:8123``), so that no test ever reaches the internet.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit, urlunsplit

__all__ = ["BASE_URL_VARIABLE", "CAF_DATASETS", "Source", "sources_for", "sources_for_departements"]

BASE_URL_VARIABLE = "FICHEGEN_DONNEES_OUVERTES_URL"

CAF_PORTAL = "https://data.caf.fr"
CAF_EXPORT = CAF_PORTAL + "/api/explore/v2.1/catalog/datasets/{id}/exports/csv"

# Dataset id -> (what it gives, the field holding the EPCI's SIREN when a département
# filter can be applied safely, else None).
CAF_DATASETS: dict[str, tuple[str, str | None]] = {
    "txcouv_pe_com": ("taux de couverture par commune (plus de 10 000 habitants)", None),
    "txcouv_pe_epci": ("taux de couverture par intercommunalité", "numepci"),
    "txcouv_pe_nat": ("taux de couverture national", None),
    "nbpla_pe_com": ("places d’accueil par commune (plus de 10 000 habitants)", None),
    "nbpla_pe_epci": ("places d’accueil par intercommunalité", "numepci"),
}

INSEE_POPULATIONS = "https://www.insee.fr/fr/statistiques/fichier/8680726/ensemble.zip"
INSEE_POPULATIONS_PAGE = "https://www.insee.fr/fr/statistiques/8680726"
INSEE_CENSUS = (
    "https://www.insee.fr/fr/statistiques/fichier/8581696/base-cc-evol-struct-pop-2022_csv.zip"
)


@dataclass(frozen=True, slots=True)
class Source:
    """One file to fetch: its name in the folder, its address, and how to get it by hand."""

    filename: str
    url: str
    publisher: str
    title: str
    by_hand: str  # French: where a user downloads the file in a browser
    whole_url: str | None = None
    """For a filtered export: the unfiltered address, tried if the portal refuses the filter."""


def _rebase(url: str) -> str:
    """``url`` with the scheme and host of ``FICHEGEN_DONNEES_OUVERTES_URL`` (tests)."""
    base = os.environ.get(BASE_URL_VARIABLE, "").strip()
    if not base:
        return url
    wanted = urlsplit(base)
    parts = urlsplit(url)
    return urlunsplit((wanted.scheme, wanted.netloc, parts.path, parts.query, ""))


def _epci_filter(field: str, epcis: Sequence[str]) -> str:
    """An ODSQL ``where`` clause keeping the rows of these EPCIs (equalities joined by OR)."""
    return " OR ".join(f'{field}="{code}"' for code in epcis)


def caf_source(dataset: str, *, suffix: str = "", where: str | None = None) -> Source:
    """The CSV export of one data.caf.fr dataset, filtered by ``where`` when given."""
    title, _ = CAF_DATASETS[dataset]
    query: dict[str, str] = {"delimiter": ";"}
    if where:
        query["where"] = where
    url = CAF_EXPORT.format(id=dataset) + "?" + urlencode(query)
    plain = CAF_EXPORT.format(id=dataset)
    whole = plain + "?" + urlencode({"delimiter": ";"})
    return Source(
        filename=f"{dataset}{suffix}.csv",
        url=_rebase(url),
        publisher="Cnaf",
        title=title,
        by_hand=f"le portail {CAF_PORTAL}, jeu de données « {dataset} » (export CSV) : {plain}",
        whole_url=_rebase(whole) if where else None,
    )


def insee_sources() -> list[Source]:
    """Insee's populations de référence 2023 and census RP2022 structure zips (national)."""
    return [
        Source(
            filename="ensemble.zip",
            url=_rebase(INSEE_POPULATIONS),
            publisher="Insee",
            title="populations de référence, millésime 2023",
            by_hand=f"la page de l’Insee {INSEE_POPULATIONS_PAGE}",
        ),
        Source(
            filename="base-cc-evol-struct-pop-2022_csv.zip",
            url=_rebase(INSEE_CENSUS),
            publisher="Insee",
            title="recensement 2022, évolution et structure de la population",
            by_hand="le site de l’Insee, fichier « base-cc-evol-struct-pop-2022 » : "
            + INSEE_CENSUS,
        ),
    ]


def sources_for(epcis_by_departement: dict[str, list[str]] | None) -> list[Source]:
    """Every file to fetch: the whole country when ``epcis_by_departement`` is None.

    For chosen départements, the intercommunal exports are filtered on the SIREN of every
    EPCI that holds one of their communes (an EPCI spanning two départements is kept
    whole); the commune and national exports have no département field and are fetched
    whole (about 1 100 rows); Insee's zips exist only for the whole country.
    """
    suffix = ""
    epcis: list[str] = []
    if epcis_by_departement is not None:
        suffix = "_" + "-".join(sorted(epcis_by_departement))
        epcis = sorted({code for codes in epcis_by_departement.values() for code in codes})
    found: list[Source] = []
    for dataset, (_, field) in CAF_DATASETS.items():
        if field is not None and epcis_by_departement is not None:
            found.append(caf_source(dataset, suffix=suffix, where=_epci_filter(field, epcis)))
        else:
            found.append(caf_source(dataset))
    return [*found, *insee_sources()]


def sources_for_departements(departements: Sequence[str]) -> list[Source]:
    """The files for these départements (codes checked against the embedded reference)."""
    from fichegen.reference import load_reference

    reference = load_reference()
    epcis: dict[str, list[str]] = {}
    for code in departements:
        communes = reference.communes_of(code)  # a French message for an unknown code
        epcis[code] = sorted({c.epci_code for c in communes if c.epci_code})
    return sources_for(epcis)
