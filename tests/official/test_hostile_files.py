"""Hostile open-data files (issue 20, fresh attack): each refused quickly, with a located
French message, without unpacking a zip bomb or reading a header of millions of labels."""

from __future__ import annotations

import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from support_official import txcouv_rows

from fichegen.errors import InputError
from fichegen.inputs.official.read import read_inputs


def _write(path: Path, rows: list[list[object]]) -> Path:
    path.write_text("\n".join(";".join(str(c) for c in r) for r in rows) + "\n", encoding="utf-8")
    return path


def _caf_with(tmp_path: Path, value: str) -> Path:
    rows = txcouv_rows("com", [("01001", "L'Abergement-Clémenciat", 2023, 50.0)])
    rows[1][-1] = value
    return _write(tmp_path / "txcouv_pe_com.csv", rows)


@pytest.mark.parametrize("value", ["1e308", "-5", "2000"])
def test_caf_impossible_rate_refused_and_located(tmp_path: Path, value: str) -> None:
    path = _caf_with(tmp_path, value)
    with pytest.raises(InputError) as info:
        read_inputs([path])
    (issue,) = info.value.issues
    assert issue.line == 2 and issue.column is not None and issue.field == "txcouv"
    assert f"valeur impossible : « {value} »" in issue.message


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "NaN"])
def test_caf_nan_or_infinite_rate_is_not_a_figure(tmp_path: Path, value: str) -> None:
    """What a script writes for a missing value is read as missing, never printed."""
    data = read_inputs([_caf_with(tmp_path, value)]).official
    (rate,) = data.rates_com["01001"]
    assert rate.rate is None


def test_caf_huge_rate_through_the_cli_is_exit_2_not_a_traceback(tmp_path: Path) -> None:
    path = _caf_with(tmp_path, "1e308")
    done = subprocess.run(
        [sys.executable, "-m", "fichegen", "explain", "--commune", "01001", "--donnees", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "txcouv_pe_com.csv:2:" in done.stderr and "valeur impossible" in done.stderr


def test_zip_bomb_refused_before_unpacking(tmp_path: Path) -> None:
    path = tmp_path / "ensemble.zip"
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("donnees_communes.csv", "w", force_zip64=True) as member,
    ):
        member.write(b"CODGEO;PMUN;PTOT\n")
        block = b"A" * (1024 * 1024)
        for _ in range(300):
            member.write(block)
    assert path.stat().st_size < 1024 * 1024
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    with pytest.raises(InputError, match="contenu décompressé démesuré"):
        read_inputs([path])
    assert time.perf_counter() - start < 2
    grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mib < 100


def test_census_zip_with_a_header_of_a_million_columns(tmp_path: Path) -> None:
    path = tmp_path / "base-cc-evol-struct-pop-2021_csv.zip"
    header = ";".join(["CODGEO", *(f"C{i}" for i in range(1_000_000))])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("base.csv", header + "\n01001;1\n")
    start = time.perf_counter()
    with pytest.raises(InputError, match="trop de colonnes") as info:
        read_inputs([path])
    assert time.perf_counter() - start < 10
    assert info.value.issues[0].line == 1


@pytest.mark.parametrize("name", ["donnees_communes.csv", "chiffres.csv"])
def test_csv_cell_over_the_field_limit_told_in_french(tmp_path: Path, name: str) -> None:
    """Official reader and spreadsheet reader alike: no English from Python's csv module."""
    path = tmp_path / name
    path.write_text("CODGEO;PMUN;PTOT\n01001;" + "9" * 200_000 + ";1\n", encoding="utf-8")
    if name == "chiffres.csv":
        path.write_text("code_insee;population\n01001;" + "9" * 200_000 + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_inputs([path])
    (issue,) = info.value.issues
    assert issue.line == 2
    assert issue.message == "CSV mal formé (une cellule de plus de 131\u202f072 caractères)"
