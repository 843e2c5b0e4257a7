"""A federation's spreadsheet day: fill rows, sort them, rename the file, save it as CSV or
ODS. A batch redoes only the communes whose own figures changed (docs/batch.md,
« Reprendre un lot »); the fiche names neither the file nor the row."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support_donnees import row_task, write_csv, write_ods, write_xlsx

from fichegen.batch.report import run_batch
from fichegen.options import RenderOptions, output_name

CODES = ["90010", "90001", "90002", "90003", "90004"]
HEADER = ["code_insee", "Commune", "Places en crèche ou multi-accueil (EAJE)", "MAM"]
EMPTY = [
    ["90010", "Belfort", None, None],
    ["90001", "Andelnans", None, None],
    ["90002", "Angeot", None, None],
    ["90003", "Anjoutey", None, None],
]


def _run(out: Path, donnees: Path, *, task=row_task, codes=CODES):  # type: ignore[no-untyped-def]
    summary = run_batch(
        "90",
        output_dir=out,
        options=RenderOptions(formats=("html",)),
        codes=codes,
        task=task,
        jobs=1,
        progress=False,
        donnees=donnees,
    )
    assert summary.failed == 0, summary.failures
    return summary


def test_filling_sorting_renaming_and_converting_redo_only_what_changed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    template = write_xlsx(tmp_path / "donnees_90.xlsx", [HEADER, *EMPTY])
    first = _run(out, template)
    assert (first.produced, first.skipped) == (5, 0)
    assert any("aucun chiffre lu" in warning for warning in first.warnings)

    # Three rows filled: those three communes, and only them.
    filled = [
        ["90010", "Belfort", 120, 2],
        ["90001", "Andelnans", 7, None],
        ["90002", "Angeot", None, 1],
        ["90003", "Anjoutey", None, None],
    ]
    write_xlsx(template, [HEADER, *filled])
    after_fill = _run(out, template)
    assert (after_fill.produced, after_fill.skipped) == (3, 2)
    assert not any("aucun chiffre lu" in warning for warning in after_fill.warnings)

    # Rows sorted the other way, an empty row added for a commune that had none: nothing.
    sorted_rows = [*reversed(filled), ["90004", "Argiésans", None, None]]
    write_xlsx(template, [HEADER, *sorted_rows])
    after_sort = _run(out, template)
    assert (after_sort.produced, after_sort.skipped) == (0, 5)

    # Columns in another order, the file renamed: nothing.
    renamed = tmp_path / "chiffres fédération.xlsx"
    swapped = [[row[0], row[1], row[3], row[2]] for row in [HEADER, *sorted_rows]]
    write_xlsx(renamed, swapped)
    template.unlink()
    assert _run(out, renamed).produced == 0

    # The same figures saved as CSV (Excel's « CSV UTF-8 », then Windows-1252) and as ODS.
    as_csv = write_csv(tmp_path / "chiffres.csv", swapped, encoding="utf-8-sig")
    assert _run(out, as_csv).produced == 0
    write_csv(as_csv, swapped, sep=",", encoding="cp1252")
    assert _run(out, as_csv).produced == 0
    assert _run(out, write_ods(tmp_path / "chiffres.ods", swapped)).produced == 0

    # One figure changed in the CSV: that commune.
    changed = [row if row[0] != "90002" else ["90002", "Angeot", 2, None] for row in swapped]
    write_csv(as_csv, changed)
    again = _run(out, as_csv)
    assert (again.produced, again.skipped) == (1, 4)

    # The manifest, not the fiche, says which file and row gave each commune's figures.
    data = json.loads((out / "index.json").read_text(encoding="utf-8"))
    sources = {record["code_insee"]: record["sources"] for record in data["communes"]}
    assert sources["90002"] == [f"tableur {as_csv}, ligne 3"]
    assert sources["90004"] == [f"tableur {as_csv}, ligne 6"]


@pytest.mark.slow
def test_real_fiches_are_not_redone_after_a_rename_and_a_conversion(tmp_path: Path) -> None:
    """Real HTML fiches of three communes of the Territoire de Belfort."""
    from fichegen.batch.worker import produce_fiche

    codes = ["90010", "90001", "90002"]
    out = tmp_path / "out"
    rows = [HEADER, ["90010", "Belfort", 987, 3], ["90001", "Andelnans", None, 1]]
    xlsx = write_xlsx(tmp_path / "donnees_90.xlsx", rows)
    first = _run(out, xlsx, task=produce_fiche, codes=codes)
    assert first.produced == 3
    html = (out / output_name("90010", "Belfort", "html")).read_text(encoding="utf-8")
    assert "987" in html and "tableur de chiffres locaux" in html
    assert "donnees_90" not in html and "ligne 2" not in html
    moved = write_csv(tmp_path / "copie.csv", [rows[0], rows[2], rows[1]])
    assert _run(out, moved, task=produce_fiche, codes=codes).produced == 0
    write_csv(moved, [rows[0], rows[2], ["90010", "Belfort", 988, 3]])
    redone = _run(out, moved, task=produce_fiche, codes=codes)
    assert (redone.produced, redone.skipped) == (1, 2)
    html = (out / output_name("90010", "Belfort", "html")).read_text(encoding="utf-8")
    assert "988" in html
