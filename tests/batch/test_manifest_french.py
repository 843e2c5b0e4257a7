"""The batch manifest for French users: ``index.csv`` opens in columns in a French
spreadsheet (UTF-8 with BOM, « ; », French headers and statuses), ``index.json`` keeps its
machine keys, ``index.html`` gives the time in French, in local time, zone named."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from support_donnees import row_task, write_csv

from fichegen.batch.index import local_time
from fichegen.batch.report import run_batch
from fichegen.options import RenderOptions

HEADER = ["code_insee", "Places en crèche ou multi-accueil (EAJE)"]


def _batch(tmp_path: Path) -> Path:
    donnees = write_csv(
        tmp_path / "donnees.csv",
        [HEADER, ["90010", "12"], ["90001", "beaucoup"], ["90002", "3"]],
    )
    out = tmp_path / "out"
    for _ in range(2):  # the second run skips what is up to date
        run_batch(
            "90",
            output_dir=out,
            options=RenderOptions(formats=("html",)),
            codes=["90010", "90001", "90002", "90003"],
            task=row_task,
            jobs=1,
            progress=False,
            donnees=donnees,
        )
    write_csv(donnees, [HEADER, ["90010", "13"], ["90001", "beaucoup"], ["90002", "3"]])
    run_batch(
        "90",
        output_dir=out,
        options=RenderOptions(formats=("html",)),
        codes=["90010", "90001", "90002", "90003"],
        task=row_task,
        jobs=1,
        progress=False,
        donnees=donnees,
    )
    return out


def test_index_csv_is_french_and_index_json_keeps_machine_keys(tmp_path: Path) -> None:
    out = _batch(tmp_path)
    raw = (out / "index.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Code INSEE",
        "Commune",
        "Population municipale",
        "Statut",
        "Fichiers",
        "Empreintes SHA-256",
        "Leviers",
        "Exemples",
        "Erreur",
        "Durée (s)",
        "Origine des chiffres",
    ]
    status = {row[0]: row[3] for row in rows[1:]}
    assert status == {
        "90001": "échec",
        "90002": "ignorée (à jour)",
        "90003": "ignorée (à jour)",
        "90010": "produite",
    }
    belfort = next(row for row in rows if row[0] == "90010")
    assert "," in belfort[9] and "." not in belfort[9]  # decimal comma
    assert belfort[10].startswith("tableur ") and belfort[10].endswith(", ligne 2")
    data = json.loads((out / "index.json").read_text(encoding="utf-8"))
    keys = {record["code_insee"]: record["status"] for record in data["communes"]}
    assert keys == {"90001": "failed", "90002": "skipped", "90003": "skipped", "90010": "ok"}
    assert set(data["counts"]) == {"ok", "skipped", "failed"}
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "ignorée (à jour)" in page and "T0" not in page.split("<time", 1)[1].split(">", 1)[1]


def test_local_time_is_french_with_its_zone_named(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    moment = datetime(2026, 12, 5, 3, 11, 55, tzinfo=UTC)
    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    try:
        assert local_time(moment) == "5 décembre 2026 à 4\u00a0h\u00a011 (heure CET, UTC+1)"
        summer = datetime(2026, 7, 1, 12, 5, tzinfo=UTC)
        assert local_time(summer) == "1er juillet 2026 à 14\u00a0h\u00a005 (heure CEST, UTC+2)"
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()
        assert local_time(moment).endswith("à 3\u00a0h\u00a011 (heure UTC)")
        monkeypatch.setenv("TZ", "America/Cayenne")
        time.tzset()
        assert local_time(moment).endswith("à 0\u00a0h\u00a011 (UTC−3)")
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) absent")
def test_libreoffice_calc_in_french_opens_index_csv_in_columns(tmp_path: Path) -> None:
    """LibreOffice Calc, French language, « ; » as French settings propose: each header
    in its own cell, the BOM not in the first one, numbers as numbers."""
    from openpyxl import load_workbook

    out = _batch(tmp_path)
    profile = tmp_path / f"lo_profile_{os.getpid()}"
    result = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            # separator « ; », quote ", UTF-8, from row 1, standard columns, French (1036)
            "--infilter=CSV:59,34,76,1,,1036",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(tmp_path),
            str(out / "index.csv"),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    converted = tmp_path / "index.xlsx"
    assert result.returncode == 0 and converted.exists(), result.stderr
    sheet = load_workbook(converted).active
    assert sheet is not None
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:4] == ["Code INSEE", "Commune", "Population municipale", "Statut"]
    assert rows[0][10] == "Origine des chiffres" and len(rows) == 5
    belfort = next(row for row in rows if str(row[0]) == "90010")
    assert belfort[1] == "Belfort" and belfort[3] == "produite"
    assert isinstance(belfort[2], int | float) and belfort[2] > 40_000
    assert isinstance(belfort[9], int | float)  # « 0,012 » read as a number in French
    assert str(belfort[10]).endswith(", ligne 2")
