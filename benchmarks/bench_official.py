"""Benchmark of the official open-data files read through ``--donnees``.

Writes, in a temporary folder, files of the full size of the real ones, built from their
headers (the values are made up, except the populations municipales, which are the
embedded ones so that the vintage is recognised):

- Insee populations de référence: one row per commune of France, Paris, Lyon and Marseille
  as arrondissements (about 35 000 rows, 11 columns), as ``ensemble.zip`` and as the bare
  ``donnees_communes.csv``;
- Insee census « évolution et structure de la population »: one row per commune, 100
  columns of decimals (the real file has about that many);
- Cnaf ``txcouv_pe_com`` (1 100 communes), ``txcouv_pe_epci`` (1 250 EPCI), ``nbpla_pe_com``
  and ``nbpla_pe_epci``, two years each (so twice those rows), UTF-8 with BOM.

Then times, interleaved in the same run: the baseline (the ``csv`` module splitting the
decoded text, what any reader must at least do) and
``fichegen.inputs.official.read.read_inputs`` on each file (decoding, header detection,
every row read and checked; target: under 2 s). Wall and CPU time are both printed; on a
shared machine the target is judged on the CPU time and the ratio to the baseline.

Usage, from the repository root:
    python benchmarks/bench_official.py [--runs 5]
"""

from __future__ import annotations

import argparse
import csv
import io
import statistics
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

POP_HEADER = ["REG", "Région", "DEP", "CODARR", "CODCAN", "CODCOM", "COM", "Commune"]
POP_HEADER += ["PMUN", "PCAP", "PTOT"]
CITIES = {"75056": ("751", 20, 1), "69123": ("693", 9, 81), "13055": ("132", 16, 1)}
MODES = ("psu_col", "hors_psu_col", "eaje", "prescol", "am_ind", "gad_ind", "ind")


def _write(path: Path, rows: list[list[Any]], encoding: str = "utf-8") -> Path:
    text = "\r\n".join(";".join(str(c) for c in row) for row in rows) + "\r\n"
    path.write_bytes(text.encode(encoding))
    return path


def _communes() -> list[Any]:
    from fichegen.reference.lookup import load_reference

    reference = load_reference()
    found = []
    for departement, _ in reference.departements():
        found.extend(c for c in reference.communes_of(departement) if c.population_municipale)
    return found


def populations(folder: Path, communes: list[Any]) -> tuple[Path, Path]:
    rows: list[list[Any]] = [POP_HEADER]
    for c in communes:
        pmun = int(c.population_municipale)
        if c.code_insee in CITIES:
            prefix, count, first = CITIES[c.code_insee]
            share, rest = divmod(pmun, count)
            for n in range(count):
                code = f"{prefix}{first + n:02d}"
                part = share + (rest if n == 0 else 0)
                rows.append(
                    ["00", "R", c.departement, "1", "01", code[2:], code, "Arr.", part, 5, part + 5]
                )
            continue
        code = c.code_insee
        rows.append(
            ["00", "R", c.departement, "1", "01", code[2:], code, c.nom, pmun, 12, pmun + 12]
        )
    csv_path = _write(folder / "donnees_communes.csv", rows)
    zip_path = folder / "ensemble.zip"
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(csv_path, "donnees_communes.csv")
        archive.writestr("donnees_departements.csv", "REG;DEP;PMUN;PCAP;PTOT\r\n")
    return csv_path, zip_path


def census(folder: Path, communes: list[Any]) -> Path:
    extra = [f"P21_X{n:02d}" for n in range(96)]
    rows: list[list[Any]] = [["CODGEO", "P21_POP", "P21_POP0002", "P21_POP0305", *extra]]
    for index, c in enumerate(communes):
        decimals = [f"{(index * 7 + n) % 1000 + 0.123456:.6f}".replace(".", ",") for n in range(96)]
        rows.append(
            [c.code_insee, c.population_municipale, f"{index % 500 + 0.5:.6f}", "12,5", *decimals]
        )
    return _write(folder / "base-cc-evol-struct-pop-2021.CSV", rows, "latin-1")


def caf(folder: Path, communes: list[Any]) -> list[Path]:
    from fichegen.reference.lookup import load_reference

    big = [c for c in communes if (c.population_municipale or 0) > 10000][:1100]
    epcis = sorted({c.epci_code for c in communes if c.epci_code})[:1250]
    files = []
    for kind, level, codes in (
        ("txcouv", "com", [c.code_insee for c in big]),
        ("txcouv", "epci", epcis),
        ("nbpla", "com", [c.code_insee for c in big]),
        ("nbpla", "epci", epcis),
    ):
        ident = ["numcom", "nomcom", "numepci", "nomepci"] if level == "com" else [
            "numepci", "nomepci", "numdep", "nomdep",
        ]  # fmt: skip
        if kind == "txcouv":
            values = [f"txcouv_{m}_{level}" for m in MODES] + [f"txcouv_{level}"]
        else:
            values = [f"pl_{m}_{level}" for m in MODES[:-1]] + [f"tot_offre_{level}"]
        rows: list[list[Any]] = [[*ident, "annee", *values]]
        for year in (2022, 2023):
            for index, code in enumerate(codes):
                figures = [
                    f"{(index + n) % 900 / 10:.1f}".replace(".", ",") for n in range(len(values))
                ]
                rows.append([code, "Nom", "200000000", "EPCI", year, *figures])
        rows.append(["XX", "", "XX", "", 2023, *["" for _ in values[:-1]], "195,8"])
        files.append(_write(folder / f"{kind}_pe_{level}.csv", rows, "utf-8-sig"))
    del load_reference
    return files


def _time(fn: Callable[[], object]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def _baseline(path: Path) -> Callable[[], object]:
    def run() -> object:
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                raw = archive.read("donnees_communes.csv")
        else:
            raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252")
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from fichegen.inputs.official.read import read_inputs

    communes = _communes()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = [*populations(folder, communes), census(folder, communes), *caf(folder, communes)]
        read_inputs([files[0]])  # warm the reference, as a command does before any file
        print(
            f"{'fichier':34} {'lignes':>7} {'Mo':>5}  référence mur (CPU)   "
            "read_inputs mur (CPU)   rapport CPU"
        )
        for path in files:
            base: list[tuple[float, float]] = []
            ours: list[tuple[float, float]] = []
            for _ in range(args.runs):
                base.append(_time(_baseline(path)))
                ours.append(_time(lambda path=path: read_inputs([path])))
            bw, bc = (statistics.median(x[i] for x in base) for i in (0, 1))
            ow, oc = (statistics.median(x[i] for x in ours) for i in (0, 1))
            rows = len(_baseline(path)())  # type: ignore[arg-type]
            size = path.stat().st_size / 1e6
            print(
                f"{path.name:34} {rows:>7} {size:5.1f}  {bw:6.2f} s ({bc:4.2f} s)      "
                f"{ow:6.2f} s ({oc:4.2f} s)        {oc / max(bc, 1e-6):5.1f}"
            )


if __name__ == "__main__":
    main()
