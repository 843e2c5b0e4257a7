"""Files shaped like the official open-data files, built from their headers alone (see
/docs/donnees.md, « Données ouvertes »). Their values are fixture values: they serve tests
only and must never reach an example or a document given to users. Populations
municipales are the embedded ones (so that the vintage is recognised) split or completed
with made-up counts."""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from support_donnees import write_csv

TXCOUV_MODES = ("psu_col", "hors_psu_col", "eaje", "prescol", "am_ind", "gad_ind", "ind")
PLACE_MODES = ("psu_col", "hors_psu_col", "eaje", "prescol", "am_ind", "gad_ind")
MARSEILLE_ARRONDISSEMENTS = tuple(f"132{n:02d}" for n in range(1, 17))


def txcouv_header(level: str) -> list[str]:
    """Field names of ``txcouv_pe_<level>`` (level: com, epci, nat)."""
    if level == "com":
        head = ["numcom", "nomcom", "numepci", "nomepci", "annee"]
    elif level == "epci":
        head = ["numepci", "nomepci", "numdep", "nomdep", "annee"]
    else:
        head = ["national", "annee"]
    return head + [f"txcouv_{m}_{level}" for m in TXCOUV_MODES] + [f"txcouv_{level}"]


def txcouv_rows(level: str, rows: Sequence[tuple[str, str, int, float]]) -> list[list[Any]]:
    """Header and rows (code, name, year, global rate), modes filled with fixture values."""
    out: list[list[Any]] = [txcouv_header(level)]
    for code, name, year, rate in rows:
        modes = [round(rate / (i + 2), 1) for i in range(len(TXCOUV_MODES))]
        if level == "com":
            ident: list[Any] = [code, name, "200054807", "Métropole d'Aix-Marseille-Provence", year]
        elif level == "epci":
            ident = [code, name, "13", "Bouches-du-Rhône", year]
        else:
            ident = ["FRANCE ENTIERE HORS MAYOTTE", f"{year}-01-01"]
        out.append(ident + [str(m).replace(".", ",") for m in modes] + [rate])
    return out


def nbpla_header(level: str) -> list[str]:
    head = (
        ["numcom", "nomcom", "numepci", "nomepci", "annee"]
        if level == "com"
        else [
            "numepci",
            "nomepci",
            "numdep",
            "nomdep",
            "annee",
        ]
    )
    return head + [f"pl_{m}_{level}" for m in PLACE_MODES] + [f"tot_offre_{level}"]


def write_txcouv(
    path: Path, level: str, rows: Sequence[tuple[str, str, int, float]], **kw: Any
) -> Path:
    return write_csv(path, txcouv_rows(level, rows), **kw)


def reference_populations() -> dict[str, int]:
    """The embedded populations municipales (millésime 2023) of a few communes."""
    from fichegen.reference.lookup import load_reference

    reference = load_reference()
    return {
        code: int(reference.get(code).population_municipale or 0)
        for code in ("13055", "90010", "13001", "13002", "01001", "82038")
    }


POP_HEADER = [
    "REG",
    "Région",
    "DEP",
    "CODARR",
    "CODCAN",
    "CODCOM",
    "COM",
    "Commune",
    "PMUN",
    "PCAP",
    "PTOT",
]


def populations_rows(extra: dict[str, tuple[int, int]] | None = None) -> list[list[Any]]:
    """A ``donnees_communes.csv`` of the 2023 layout: Marseille as 16 arrondissements whose
    municipales sum to the embedded one, a few other communes; PCAP are fixture values."""
    pops = reference_populations()
    rows: list[list[Any]] = [list(POP_HEADER)]
    marseille = pops.pop("13055")
    share, rest = divmod(marseille, len(MARSEILLE_ARRONDISSEMENTS))
    for index, code in enumerate(MARSEILLE_ARRONDISSEMENTS):
        pmun = share + (rest if index == 0 else 0)
        rows.append(
            ["93", "Provence-Alpes-Côte d'Azur", "13", "3", "99", code[2:], code,
             f"Marseille {index + 1}e Arrondissement", pmun, 150, pmun + 150]
        )  # fmt: skip
    entries = [(code, pmun, 200) for code, pmun in pops.items()]
    entries += [(code, pmun, pcap) for code, (pmun, pcap) in (extra or {}).items()]
    for code, pmun, pcap in entries:
        rows.append(
            [
                "00",
                "Région",
                code[:2],
                "1",
                "01",
                code[2:],
                code,
                f"Commune {code}",
                pmun,
                pcap,
                pmun + pcap,
            ]
        )
    return rows


def write_ensemble_zip(
    path: Path, rows: list[list[Any]] | None = None, *, member: str = "donnees_communes.csv"
) -> Path:
    """Insee's ``ensemble.zip`` with ``donnees_communes.csv`` and a departments file."""
    csv_path = write_csv(path.with_suffix(".tmp.csv"), rows or populations_rows())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(csv_path, member)
        archive.writestr("donnees_departements.csv", "REG;DEP;PMUN;PCAP;PTOT\r\n")
    csv_path.unlink()
    return path


def census_rows(year: int, values: dict[str, float]) -> list[list[Any]]:
    yy = f"{year % 100:02d}"
    header = ["CODGEO", f"P{yy}_POP", f"P{yy}_POP0002", f"P{yy}_POP0305", f"P{yy}_POP0610"]
    rows: list[list[Any]] = [header]
    for code, value in values.items():
        rows.append([code, "1000", str(value).replace(".", ","), "50,5", "80,25"])
    return rows
