"""The Cnaf's data.caf.fr exports: coverage rates (``txcouv_pe_*``) and places (``nbpla_pe_*``).

One row per territory and year; placeholder rows (``numepci`` = « XX », ``numdep`` =
« XXX ») are skipped; a commune code that lost its leading zero is restored; rates over 100
are kept (they exist). Every year is kept: the caller takes the latest and names it.
"""

from __future__ import annotations

from fichegen.errors import InputError, Issue
from fichegen.inputs.official.detect import Detected
from fichegen.inputs.official.types import CafPlaces, CafRate, OfficialData, OfficialSource
from fichegen.inputs.official.values import (
    MAX_COUNT,
    MAX_RATE,
    code5,
    decimal,
    out_of_range,
    year_of,
)
from fichegen.inputs.sheet_read import Cell, Grid, column_letter

__all__ = ["DATASETS", "read_caf"]

DATASETS = {
    ("txcouv", "commune"): ("txcouv_pe_com", "taux de couverture petite enfance par commune"),
    ("txcouv", "epci"): ("txcouv_pe_epci", "taux de couverture petite enfance par EPCI"),
    ("txcouv", "national"): ("txcouv_pe_nat", "taux de couverture petite enfance national"),
    ("nbpla", "commune"): ("nbpla_pe_com", "nombre de places petite enfance par commune"),
    ("nbpla", "epci"): ("nbpla_pe_epci", "nombre de places petite enfance par EPCI"),
}
_KEYS = {"commune": "numcom", "epci": "numepci", "national": None}
_NAMES = {"commune": "nomcom", "epci": "nomepci", "national": "national"}


def _blank_code(text: str) -> bool:
    return not text or set(text) == {"X"}


def read_caf(grid: Grid, found: Detected) -> OfficialData:
    """Read one Cnaf export already recognised by :func:`detect`."""
    dataset = DATASETS.get((found.family, found.level))
    if dataset is None:
        what = {"dep": "par département", "reg": "par région"}.get(found.level, found.level)
        raise InputError(
            f"fichier de la Caf {what} : la fiche lit les fichiers par commune, par EPCI et "
            "national (txcouv_pe_com, txcouv_pe_epci, txcouv_pe_nat, nbpla_pe_com, "
            "nbpla_pe_epci)",
            file=grid.name,
            line=1,
        )
    dataset_id, title = dataset
    cols = found.columns
    key = _KEYS[found.level]
    missing = [name for name in (key, "annee") if name is not None and name not in cols]
    suffix = {"commune": "com", "epci": "epci", "national": "nat"}[found.level]
    if found.family == "txcouv" and "txcouv" not in cols:
        missing.append(f"txcouv_{suffix}")
    if missing:
        raise InputError(
            f"fichier {dataset_id} de la Caf sans colonne {', '.join(missing)} "
            "(ou son libellé) : téléchargez-le à nouveau depuis data.caf.fr",
            file=grid.name,
            line=1,
        )
    result = OfficialData(files=[(grid.name, dataset_id)])
    sources: dict[int, OfficialSource] = {}
    issues: list[Issue] = []
    modes = {
        name: index
        for name, index in cols.items()
        if name.startswith(("txcouv_", "pl_", "tot_offre"))
    }
    for offset, cells in enumerate(grid.rows[1:]):
        line = offset + 2

        def cell(name: str | None, cells: list[Cell] = cells) -> Cell:
            index = cols.get(name or "")
            return cells[index] if index is not None and index < len(cells) else None

        if all(c is None or str(c).strip() == "" for c in cells):
            continue
        code = code5(cell(key)) if key else "FRANCE"
        if _blank_code(code):
            continue  # the portal's placeholder rows
        year = year_of(cell("annee"), (grid.name, line, cols["annee"]), "annee")
        if isinstance(year, Issue):
            issues.append(year)
            continue
        source = sources.setdefault(year, OfficialSource("Caf", title, dataset_id, year, grid.name))
        nom = str(cell(_NAMES[found.level]) or "").strip()
        values = {name: decimal(cell(name)) for name in modes}
        upper = MAX_RATE if found.family == "txcouv" else MAX_COUNT
        checked = [*modes, "txcouv"] if "txcouv" in cols else list(modes)
        wrong = [
            out_of_range(decimal(cell(n)), upper, cell(n), (grid.name, line, cols[n]), n)
            for n in checked
        ]
        if any(wrong):
            issues.extend(w for w in wrong if w is not None)
            continue
        if found.family == "txcouv":
            rate = CafRate(
                found.level,
                code,
                nom,
                year,
                decimal(cell("txcouv")),
                {k[len("txcouv_") :]: v for k, v in values.items() if v is not None},
                source,
            )
            if found.level == "national":
                result.rates_nat.append(rate)
            else:
                table = result.rates_com if found.level == "commune" else result.rates_epci
                table.setdefault(code, []).append(rate)
        else:
            places = CafPlaces(
                found.level,
                code,
                year,
                {
                    (k[3:] if k.startswith("pl_") else k): v
                    for k, v in values.items()
                    if v is not None
                },
                source,
            )
            places_table = result.places_com if found.level == "commune" else result.places_epci
            places_table.setdefault(code, []).append(places)
    if issues:
        raise InputError(issues=issues[:20])
    if not sources:
        raise InputError(
            f"fichier {dataset_id} de la Caf sans aucune ligne de chiffres",
            file=grid.name,
            line=2,
            column=column_letter(cols.get(key or "annee", 0)),
        )
    return result
