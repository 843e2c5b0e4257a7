"""Batches with ``--donnees``: a bad row fails only its commune, the resume key includes the
row, profiles and spreadsheet together, the manifest says where the figures came from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support_donnees import row_task, write_csv, write_xlsx

from fichegen.batch.report import run_batch
from fichegen.errors import InputError
from fichegen.options import RenderOptions, output_name

CODES = ["90010", "90001", "90002"]
OPTIONS = RenderOptions(formats=("html",))
HEADER = [
    "code_insee",
    "Commune",
    "Places en crèche ou multi-accueil (EAJE)",
    "Assistants maternels",
]


def _sheet(tmp_path: Path, belfort_places: int = 12) -> Path:
    return write_csv(
        tmp_path / "donnees.csv",
        [
            HEADER,
            ["90010", "Belfort", str(belfort_places), "40"],
            ["90001", "Andelnans", "7", ""],
            ["90002", "Angeot", "beaucoup", "1"],
            ["25056", "Besançon", "99", ""],  # another département: ignored
            ["90999", "Inconnue", "1", ""],  # no such commune: a warning, the row is ignored
        ],
    )


def _run(tmp_path: Path, donnees: Path, profiles: Path | None = None):  # type: ignore[no-untyped-def]
    return run_batch(
        "90",
        output_dir=tmp_path / "out",
        options=OPTIONS,
        profiles_dir=profiles,
        codes=CODES,
        task=row_task,
        jobs=1,
        progress=False,
        donnees=donnees,
    )


def _output(tmp_path: Path, code: str, nom: str) -> dict[str, object]:
    data = (tmp_path / "out" / output_name(code, nom, "html")).read_text(encoding="utf-8")
    return json.loads(data)  # type: ignore[no-any-return]


def _records(tmp_path: Path) -> dict[str, dict[str, object]]:
    data = json.loads((tmp_path / "out" / "index.json").read_text(encoding="utf-8"))
    return {record["code_insee"]: record for record in data["communes"]}


def test_bad_row_fails_only_its_commune_and_profiles_win(tmp_path: Path) -> None:
    profiles = tmp_path / "profils"
    profiles.mkdir()
    (profiles / "andelnans.yaml").write_text(
        'commune:\n  code_insee: "90001"\npetite_enfance:\n  places_eaje: 5\n', encoding="utf-8"
    )
    donnees = _sheet(tmp_path)
    summary = _run(tmp_path, donnees, profiles)
    assert (summary.produced, summary.failed) == (2, 1)
    (failure,) = summary.failures
    assert failure.code_insee == "90002"
    assert (failure.error or "").startswith(
        f"{donnees}:4:C: « Places en crèche ou multi-accueil (EAJE) » : "
    )
    assert any("hors du département" in warning for warning in summary.warnings)
    assert any(
        w.startswith(f"{donnees}:6:A: « code_insee » : ") and w.endswith("ligne ignorée")
        for w in summary.warnings
    )
    belfort = _output(tmp_path, "90010", "Belfort")
    assert belfort["values"]["petite_enfance"] == {  # type: ignore[index]
        "places_eaje": 12,
        "assistants_maternels": 40,
    }
    assert belfort["origins"]["petite_enfance.places_eaje"] == ["tableur", 2]  # type: ignore[index]
    andelnans = _output(tmp_path, "90001", "Andelnans")
    assert andelnans["values"]["petite_enfance"] == {"places_eaje": 5}  # type: ignore[index]
    assert andelnans["origins"]["petite_enfance.places_eaje"] == ["profil", None]  # type: ignore[index]
    records = _records(tmp_path)
    assert records["90010"]["sources"] == [f"tableur {donnees}, ligne 2"]
    assert records["90001"]["sources"] == [
        f"profil {profiles / 'andelnans.yaml'}",
        f"tableur {donnees}, ligne 3",
    ]
    assert records["90002"]["status"] == "failed"
    csv_text = (tmp_path / "out" / "index.csv").read_text(encoding="utf-8")
    assert f"tableur {donnees}, ligne 2" in csv_text


def test_changing_one_cell_renders_that_commune_again_and_only_it(tmp_path: Path) -> None:
    donnees = _sheet(tmp_path)
    first = _run(tmp_path, donnees)
    assert (first.produced, first.failed) == (2, 1)
    again = _run(tmp_path, donnees)
    assert (again.produced, again.skipped, again.failed) == (0, 2, 1)
    _sheet(tmp_path, belfort_places=13)  # one cell of Belfort's row changes
    changed = _run(tmp_path, donnees)
    assert (changed.produced, changed.skipped, changed.failed) == (1, 1, 1)
    assert _output(tmp_path, "90010", "Belfort")["values"]["petite_enfance"]["places_eaje"] == 13  # type: ignore[index]
    # Two headers swapped: the same cells now mean other fields, every commune is redone.
    rows = (donnees.read_text(encoding="utf-8")).splitlines()
    header = rows[0].split(";")
    header[2], header[3] = header[3], header[2]
    donnees.write_text("\n".join([";".join(header), *rows[1:]]) + "\n", encoding="utf-8")
    swapped = _run(tmp_path, donnees)
    assert (swapped.produced, swapped.skipped) == (2, 0)


def test_a_bad_header_stops_the_batch_before_anything_is_written(tmp_path: Path) -> None:
    donnees = write_xlsx(tmp_path / "d.xlsx", [["code_insee", "Places en crèche"], ["90010", 3]])
    with pytest.raises(InputError) as caught:
        _run(tmp_path, donnees)
    assert caught.value.lines()[0].startswith(f"{donnees}:1:B: colonne inconnue")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_two_rows_for_one_commune_stop_the_batch(tmp_path: Path) -> None:
    donnees = write_csv(
        tmp_path / "d.csv", [["code_insee", "mam"], ["90010", "1"], ["90001", "2"], ["90010", "3"]]
    )
    with pytest.raises(InputError) as caught:
        _run(tmp_path, donnees)
    assert "deux lignes pour la commune 90010 (lignes 2 et 4)" in caught.value.lines()[0]


@pytest.mark.slow
def test_federation_walkthrough_modele_fill_batch_real_cli(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """docs/donnees.md end to end: ``modele 90`` → filled in → ``batch 90 --donnees``:
    101 real fiches, the figures in them, the annex saying they came from the spreadsheet."""
    from openpyxl import load_workbook

    template = tmp_path / "donnees_90.xlsx"
    made = run_cli("modele", "90", "-o", template)
    assert made.code == 0, made.err
    workbook = load_workbook(template)
    sheet = workbook["Communes"]
    letters = {c.value: c.column_letter for c in sheet[1]}
    row = next(r for r in range(2, sheet.max_row + 1) if sheet[f"A{r}"].value == "90010")
    sheet[f"{letters['Places en crèche ou multi-accueil (EAJE)']}{row}"] = 987
    sheet[f"{letters['Auteur de la fiche']}{row}"] = "Fédération test"
    workbook.save(template)
    out = tmp_path / "fiches"
    result = run_cli("batch", "90", "--donnees", template, "-f", "html", "-o", out, "-j", "2")
    assert result.code == 0, result.err
    records = _records_of(out)
    assert len(records) == 101 and all(r["status"] == "ok" for r in records.values())
    html = (out / output_name("90010", "Belfort", "html")).read_text(encoding="utf-8")
    assert "987" in html and "Fédération test" in html
    # The fiche says the figure came from the spreadsheet; the manifest names file and row.
    assert "tableur de chiffres locaux" in html and "donnees_90" not in html
    assert records["90010"]["sources"] == [f"tableur {template}, ligne {row}"]

    # A colleague fills three more rows: three fiches are redone, 98 are up to date.
    places = letters["Places en crèche ou multi-accueil (EAJE)"]
    for code, value in (("90001", 5), ("90002", 0), ("90003", 12)):
        line = next(r for r in range(2, sheet.max_row + 1) if sheet[f"A{r}"].value == code)
        sheet[f"{places}{line}"] = value
    workbook.save(template)
    again = run_cli("batch", "90", "--donnees", template, "-f", "html", "-o", out, "-j", "2")
    assert again.code == 0, again.err
    assert "3\u00a0fiches produites, 98\u00a0fiches à jour ignorées" in again.err
    # The same figures sorted backwards, saved as CSV under another name: nothing is redone.
    rows = [[cell.value for cell in line] for line in sheet.iter_rows()]
    moved = write_csv(tmp_path / "chiffres 2026.csv", [rows[0], *reversed(rows[1:])])
    last = run_cli("batch", "90", "--donnees", moved, "-f", "html", "-o", out, "-j", "2")
    assert last.code == 0, last.err
    assert "0\u00a0fiche produite, 101\u00a0fiches à jour ignorées" in last.err
    now_at = 2 + [line[0] for line in reversed(rows[1:])].index("90010")
    assert _records_of(out)["90010"]["sources"] == [f"tableur {moved}, ligne {now_at}"]


def _records_of(out: Path) -> dict[str, dict[str, object]]:
    data = json.loads((out / "index.json").read_text(encoding="utf-8"))
    return {record["code_insee"]: record for record in data["communes"]}
