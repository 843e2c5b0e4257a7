"""Read the files given with ``--donnees``: each official file by its header, the rest as
the user's spreadsheet of local figures.

Insee's zips are read without unpacking them to disk (see
:mod:`fichegen.inputs.official.files`). A file whose header belongs to another dataset, or
lacks a key column, is refused with a located message.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fichegen.errors import InputError
from fichegen.inputs.official.caf import read_caf
from fichegen.inputs.official.detect import detect, fold
from fichegen.inputs.official.files import big_csv_grid, file_size, zip_grid
from fichegen.inputs.official.insee import read_census, read_populations
from fichegen.inputs.official.types import OfficialData
from fichegen.inputs.sheet_read import MAX_BYTES, Grid, read_grid

if TYPE_CHECKING:
    from fichegen.inputs.donnees import Donnees

__all__ = ["ReadInputs", "donnees_paths", "read_inputs", "read_sheet_and_official"]

_CAF_LIKE = ("numcom", "numepci", "numdep", "nomcom", "nomepci", "numero commune")
_INSEE_LIKE = ("codgeo", "com", "coddep", "codcom", "reg", "dep", "libgeo")


@dataclass
class ReadInputs:
    """What the ``--donnees`` files hold: at most one user spreadsheet, official figures."""

    sheet_path: Path | None = None
    sheet_grid: Grid | None = None
    official: OfficialData = field(default_factory=OfficialData)


def _other_dataset(grid: Grid) -> InputError | None:
    """A header that looks like an official file the fiche does not read."""
    header = [fold(cell) for cell in (grid.rows[0] if grid.rows else [])]
    if "code insee" in header or "code_insee" in header:
        return None
    if any(h in _CAF_LIKE for h in header):
        expected = "txcouv_pe_com, txcouv_pe_epci, txcouv_pe_nat, nbpla_pe_com ou nbpla_pe_epci"
    elif any(h in _INSEE_LIKE for h in header):
        expected = (
            "populations de référence (PMUN, PTOT) ou recensement « évolution et structure "
            "de la population » (P21_POP0002)"
        )
    else:
        return None
    return InputError(
        f"fichier d’un autre jeu de données : la fiche lit, de ce producteur, {expected}, "
        "ou un tableur de chiffres locaux avec une colonne code_insee",
        file=grid.name,
        line=1,
    )


def read_official_grid(grid: Grid, shown_name: str | None = None) -> OfficialData | None:
    """The official figures of one grid, or None when it is not an official file."""
    header = grid.rows[0] if grid.rows else []
    found = detect(header, shown_name or grid.name)
    if found is None:
        error = _other_dataset(grid)
        if error is not None:
            raise error
        return None
    if found.family == "populations":
        return read_populations(grid, found, shown_name)
    if found.family == "census":
        return read_census(grid, found, shown_name)
    return read_caf(grid, found)


def read_inputs(paths: list[Path] | tuple[Path, ...]) -> ReadInputs:
    """Read every ``--donnees`` file; refuse a second user spreadsheet."""
    result = ReadInputs()
    for path in paths:
        path = Path(path)
        if path.suffix.lower() == ".zip":
            grid = zip_grid(path)
            data = read_official_grid(grid, str(path))
            assert data is not None  # zip_grid returns only a recognised table
        else:
            big = path.suffix.lower() in (".csv", ".txt") and file_size(path) > MAX_BYTES
            grid = big_csv_grid(path) if big else read_grid(path)
            if big and detect(grid.rows[0] if grid.rows else [], str(path)) is None:
                size = file_size(path) // (1024 * 1024)
                raise InputError(
                    f"fichier trop gros ({size} Mio) pour un tableur de chiffres locaux "
                    f"(au plus {MAX_BYTES // (1024 * 1024)} Mio)",
                    file=str(path),
                )
            data = read_official_grid(grid)
        if data is not None:
            result.official.merge(data)
            continue
        if result.sheet_path is not None:
            raise InputError(
                f"deux tableurs de chiffres locaux ({result.sheet_path.name} et {path.name}) : "
                "réunissez-les en un seul (les fichiers de données ouvertes de la Caf et de "
                "l’Insee peuvent s’y ajouter)",
                file=str(path),
            )
        result.sheet_path, result.sheet_grid = path, grid
    return result


def read_official(path: str | os.PathLike[str]) -> OfficialData:
    """One official file's figures (raise when it is not one)."""
    read = read_inputs([Path(path)])
    if read.sheet_path is not None:
        raise InputError("fichier de données ouvertes non reconnu", file=str(path), line=1)
    return read.official


def donnees_paths(donnees: str | os.PathLike[str] | Sequence[Any] | None) -> list[Path]:
    """``--donnees`` as a list of paths (one path, several, or none)."""
    if donnees is None:
        return []
    if isinstance(donnees, str | os.PathLike):
        return [Path(donnees)]
    return [Path(p) for p in donnees]


def read_sheet_and_official(
    donnees: str | os.PathLike[str] | Sequence[Any] | None,
) -> tuple[Donnees | None, OfficialData]:
    """The user spreadsheet (at most one) and the official files among ``donnees``."""
    inputs = read_inputs(donnees_paths(donnees))
    sheet = None
    if inputs.sheet_path is not None:
        from fichegen.inputs.donnees import read_donnees

        sheet = read_donnees(inputs.sheet_path, inputs.sheet_grid)
    return sheet, inputs.official
