"""Errors stay with their rows: a clean commune's fiche comes out of a spreadsheet with
errors elsewhere; ``validate`` lists every error and ends with one summary line; an
unfilled spreadsheet is said to give no figure."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from support_donnees import write_csv, write_xlsx

from fichegen.options import output_name

HEADER = ["code_insee", "Commune", "Places en crèche ou multi-accueil (EAJE)", "MAM"]


def _faulty(tmp_path: Path) -> Path:
    return write_xlsx(
        tmp_path / "fautes.xlsx",
        [
            HEADER,
            ["90010", "Belfort", 120, 2],
            ["90001", "Andelnans", "beaucoup", None],
            ["90002", "Angeot", -3, "zz"],
            ["90999", "Inconnue", 1, None],
            ["90003", "Anjoutey", None, None],
        ],
    )


def test_render_a_clean_commune_despite_errors_in_other_rows(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    donnees = _faulty(tmp_path)
    out = tmp_path / "out"
    result = run_cli("render", "--commune", "90010", "--donnees", donnees, "-f", "html", "-o", out)
    assert result.code == 0, result.err
    html = (out / output_name("90010", "Belfort", "html")).read_text(encoding="utf-8")
    assert "120" in html
    lines = result.err.splitlines()
    assert lines[0] == (
        "fichegen: note : fautes.xlsx : 4\u00a0erreurs dans d’autres lignes, sans effet sur les "
        "fiches demandées (« fichegen validate --donnees fautes.xlsx » les liste toutes)"
    )
    assert lines[1].startswith(f"  {donnees}:3:C: « Places en crèche ou multi-accueil (EAJE) »")
    assert len(lines) == 5 and lines[4] == "  … et 1\u00a0autre"
    # The bad commune itself still fails, with its cells named.
    bad = run_cli("render", "--commune", "90001", "--donnees", donnees, "-f", "html", "-o", out)
    assert bad.code == 2
    assert bad.err.splitlines()[0].startswith(f"{donnees}:3:C: ")
    assert not (out / output_name("90001", "Andelnans", "html")).exists()


def test_explain_a_clean_commune_despite_errors_in_other_rows(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    donnees = _faulty(tmp_path)
    result = run_cli("explain", "--commune", "90010", "--donnees", donnees, "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["commune"]["code_insee"] == "90010"
    assert "4\u00a0erreurs dans d’autres lignes" in result.err


def test_render_the_whole_spreadsheet_still_stops_on_any_error(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("render", "--donnees", _faulty(tmp_path), "-f", "html", "-o", tmp_path / "o")
    assert result.code == 2 and len(result.err.splitlines()) == 4
    assert not (tmp_path / "o").exists()


def test_validate_lists_every_error_then_one_summary_line(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    donnees = _faulty(tmp_path)
    result = run_cli("validate", "--donnees", donnees)
    assert result.code == 2 and result.out == ""
    lines = result.err.splitlines()
    assert [line.split(": ", 1)[0] for line in lines[:4]] == [
        f"{donnees}:3:C",
        f"{donnees}:4:C",
        f"{donnees}:4:D",
        f"{donnees}:5:A",
    ]
    assert lines[4:] == [
        "fautes.xlsx : 5\u00a0lignes lues, 1 avec"
        " des chiffres, 1\u00a0vide ; 4\u00a0erreurs, 0\u00a0avertissement"
    ]


def test_validate_a_sound_sheet_prints_only_its_summary(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    donnees = write_csv(
        tmp_path / "d.csv",
        [HEADER, ["90010", "Belfort", "12", ""], ["90001", "A", "", ""], ["90002", "B", "", ""]],
    )
    result = run_cli("validate", "--donnees", donnees)
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        "d.csv : 3\u00a0lignes lues, 1 avec"
        " des chiffres, 2\u00a0vides ; 0\u00a0erreur, 0\u00a0avertissement"
    ]
    verbose = run_cli("validate", "--donnees", donnees, "-v")
    assert verbose.out.splitlines()[:3] == [
        f"{donnees}, ligne 2 : valide (Belfort (90010))",
        f"{donnees}, ligne 3 : valide (Andelnans (90001))",
        f"{donnees}, ligne 4 : valide (Angeot (90002))",
    ]
    assert len(verbose.out.splitlines()) == 4


def test_an_unfilled_spreadsheet_is_said_to_give_no_figure(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    donnees = write_csv(tmp_path / "modele.csv", [HEADER, ["90010", "Belfort", "", ""]])
    out = tmp_path / "out"
    result = run_cli("render", "--donnees", donnees, "-f", "html", "-o", out)
    assert result.code == 0, result.err
    assert "modele.csv : aucun chiffre lu pour les communes demandées" in result.err
    checked = run_cli("validate", "--donnees", donnees)
    assert checked.out.splitlines() == [
        "modele.csv : 1\u00a0ligne lue, 0 avec"
        " des chiffres, 1\u00a0vide ; 0\u00a0erreur, 1\u00a0avertissement"
    ]


@pytest.mark.slow
def test_whole_process_render_with_errors_elsewhere(tmp_path: Path) -> None:
    donnees = _faulty(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "fichegen", "render", "--commune", "90010", "--donnees",
         str(donnees), "-f", "html", "-o", str(tmp_path)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(tmp_path / output_name("90010", "Belfort", "html"))
    assert "4\u00a0erreurs dans d’autres lignes" in result.stderr
