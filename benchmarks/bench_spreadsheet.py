"""Benchmark of ``--donnees``: reading a spreadsheet of every commune of France.

Writes, in a temporary folder, one row per current commune (about 35 000) with every
column of figures filled in, as CSV (UTF-8, semicolons), XLSX (openpyxl) and ODS (minimal
OpenDocument), then times, in the same run:

- the baselines: the ``csv`` module reading the CSV rows, python-calamine reading the
  XLSX and ODS sheets into Python lists (what any reader must at least do);
- ``fichegen.inputs.donnees.read_donnees`` on each file: decoding, header, every cell
  converted and checked against the schema's bounds, every row matched to its commune
  (target: under 2 s). Wall and CPU time are both printed: on a shared machine the wall time
  depends on the load, so the target is judged on the CPU time of this process.

Usage, from the repository root:
    PYTHONPATH=.:tests python benchmarks/bench_spreadsheet.py [--runs 3] [--skip-ods]
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _rows() -> list[list[Any]]:
    from fichegen.inputs.columns import columns
    from fichegen.reference.lookup import load_reference

    reference = load_reference()
    figures = columns()
    rows: list[list[Any]] = [["code_insee", *(c.label for c in figures)]]
    for departement, _ in reference.departements():
        for index, commune in enumerate(reference.communes_of(departement)):
            cells: list[Any] = [commune.code_insee]
            for column in figures:
                if column.path == "commune.population_totale":
                    cells.append((commune.population_municipale or 0) + 10)
                elif column.path == "commune.population_municipale":
                    cells.append(commune.population_municipale)
                elif column.path == "petite_enfance.places_eaje_ess":
                    cells.append(index % 3)
                elif column.path == "petite_enfance.population_communes_transferees":
                    cells.append(None)
                elif column.kind == "entier":
                    low = int(column.minimum or 0)
                    cells.append(low + index % 5 + 3 if column.maximum != 7 else 4)
                elif column.kind == "nombre":
                    cells.append(round((index % 900) / 10, 1))
                elif column.kind == "booleen":
                    cells.append("oui" if index % 2 else "non")
                else:
                    cells.append("Fédération test")
            rows.append(cells)
    return rows


def _write_csv(path: Path, rows: list[list[Any]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if c is None else str(c).replace(".", ",") for c in row])
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _write_xlsx(path: Path, rows: list[list[Any]]) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Communes")
    for row in rows:
        sheet.append(row)
    workbook.save(path)


def _time(label: str, function: Callable[[], object], runs: int, baseline: float | None) -> float:
    """Median wall time over ``runs``; the CPU time of this process is printed too (the
    machine may be shared: CPU time is what the code costs)."""
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    median, median_cpu = statistics.median(times), statistics.median(cpu)
    ratio = f"  ({median_cpu / baseline:.1f} × la référence)" if baseline else ""
    print(f"{label:<60} {median:6.3f} s (CPU {median_cpu:6.3f} s){ratio}")
    return median_cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-ods", action="store_true")
    args = parser.parse_args()

    from python_calamine import CalamineWorkbook
    from support_donnees import write_ods

    from fichegen.inputs.donnees import read_donnees
    from fichegen.reference.lookup import load_reference

    load_reference().get("59013")  # the reference is loaded once per process, as in a run
    rows = _rows()
    print(f"{len(rows) - 1} communes, {len(rows[0])} colonnes")
    with tempfile.TemporaryDirectory() as folder:
        paths = {"csv": Path(folder) / "france.csv", "xlsx": Path(folder) / "france.xlsx"}
        _write_csv(paths["csv"], rows)
        _write_xlsx(paths["xlsx"], rows)
        if not args.skip_ods:
            paths["ods"] = write_ods(Path(folder) / "france.ods", rows)
        for path in paths.values():
            print(f"{path.name} : {path.stat().st_size / 1e6:.1f} Mo")
        failed = False
        for kind, path in paths.items():
            if kind == "csv":

                def baseline(p: Path = path) -> object:
                    with p.open(encoding="utf-8", newline="") as handle:
                        return list(csv.reader(handle, delimiter=";"))

                label = "référence : module csv, lecture brute"
            else:

                def baseline(p: Path = path) -> object:
                    sheet = CalamineWorkbook.from_path(str(p)).get_sheet_by_index(0)
                    return sheet.to_python(skip_empty_area=False)

                label = f"référence : python-calamine, feuille {kind.upper()} en listes"
            base = _time(label, baseline, args.runs, None)
            sheet = read_donnees(path)
            assert len(sheet.rows) == len(rows) - 1 and not sheet.issues(), sheet.issues()[:3]
            took = _time(
                f"read_donnees({path.name}) : lecture, contrôle, rattachement",
                lambda p=path: read_donnees(p),
                args.runs,
                base,
            )
            failed |= took >= 2.0
    print(f"médianes sur {args.runs} essais ; ratio : temps CPU de read_donnees / de la référence")
    print(f"charge de la machine (load average 1 min) : {os.getloadavg()[0]:.1f}")
    print("objectif (moins de 2 s de CPU par fichier) :", "non atteint" if failed else "atteint")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
