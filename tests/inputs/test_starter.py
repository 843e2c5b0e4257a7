"""Starter files: the commented profile of ``fichegen init`` and the template of ``modele``."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from fichegen.errors import UnknownCommuneError
from fichegen.inputs.columns import REFERENCE_COLUMNS, columns
from fichegen.inputs.donnees import read_donnees
from fichegen.inputs.labels import field_labels
from fichegen.inputs.modele import template_csv, template_xlsx
from fichegen.inputs.profile import profile_from_text
from fichegen.inputs.starter import starter_profile
from fichegen.reference.lookup import load_reference


def test_starter_profile_validates_as_written_and_names_every_field() -> None:
    text = starter_profile("90010")
    profile = profile_from_text(text, "belfort.yaml")
    assert profile.provided_fields() == {"commune.code_insee"}
    for path, label in field_labels().items():
        name = path.rsplit(".", 1)[-1].removeprefix("[]")
        if path == "version" or "[]" in path:
            continue
        assert re.search(rf"^\s*(# )?{name}:", text, re.M), path
        assert label in text.replace("\n  # ", " ").replace("\n# ", " ") or label in text, path


def test_starter_shows_what_the_reference_knows_with_source_and_vintage() -> None:
    text = " ".join(line.lstrip(" #") for line in starter_profile("90010").splitlines())
    commune = load_reference().get("90010")
    assert f"Référentiel : {commune.population_municipale:,} habitants".replace(",", " ") in (
        text.replace("\u00a0", " ").replace("\u202f", " ")
    )
    assert "millésime 2023" in text
    assert "data.caf.fr" in text and "PMI" in text and "relais petite enfance" in text


def test_uncommenting_a_line_gives_a_value() -> None:
    text = starter_profile("90010").replace("  # places_eaje:", "  places_eaje: 24")
    assert profile_from_text(text).petite_enfance.places_eaje == 24


def test_starter_refuses_an_unknown_code_with_suggestions() -> None:
    with pytest.raises(UnknownCommuneError) as caught:
        starter_profile("90999")
    assert "90099" in caught.value.lines()[0]


def test_xlsx_template_has_validation_locked_reference_and_readme() -> None:
    from openpyxl import load_workbook

    communes = load_reference().communes_of("90")
    workbook = load_workbook(io.BytesIO(template_xlsx(communes, "département 90", "90")))
    assert workbook.sheetnames == ["Communes", "Lisez-moi"]
    sheet = workbook["Communes"]
    header = [cell.value for cell in sheet[1]]
    fixed = 1 + len(REFERENCE_COLUMNS)
    assert header == ["code_insee", *REFERENCE_COLUMNS, *(c.label for c in columns())]
    assert sheet.max_row == len(communes) + 1 == 102
    assert sheet.freeze_panes == "C2"
    assert sheet.protection.sheet
    assert sheet.cell(2, 1).protection.locked and sheet.cell(2, 2).protection.locked
    assert not sheet.cell(2, fixed + 1).protection.locked
    assert sheet.cell(2, 2).value == communes[0].nom
    by_range = {str(dv.sqref): dv for dv in sheet.data_validations.dataValidation}
    for offset, column in enumerate(columns()):
        letter = sheet.cell(1, fixed + 1 + offset).column_letter
        rule = by_range[f"{letter}2:{letter}102"]
        assert sheet.cell(1, fixed + 1 + offset).comment.text.startswith(column.path)
        assert sheet.column_dimensions[letter].width >= 12
        if column.kind == "booleen":
            assert (rule.type, rule.formula1) == ("list", '"oui,non"')
        elif column.kind == "entier":
            assert rule.type == "whole" and rule.formula1 == str(column.minimum)
    readme = workbook["Lisez-moi"]
    text = "\n".join(str(c.value) for row in readme.iter_rows() for c in row if c.value)
    for column in columns():
        assert column.path in text and column.label in text
    assert "fichegen batch 90 --donnees" in text


def test_csv_template_is_utf8_with_bom_and_semicolons() -> None:
    communes = load_reference().communes_of("90")
    raw = template_csv(communes)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 102 and rows[1][:2] == [communes[0].code_insee, communes[0].nom]


def test_round_trip_template_filled_then_read(tmp_path: Path) -> None:
    """modele → filled in (as a person would, in the unlocked cells) → read back."""
    from openpyxl import load_workbook

    communes = load_reference().communes_of("90")
    path = tmp_path / "donnees_90.xlsx"
    path.write_bytes(template_xlsx(communes, "département 90", "90"))
    workbook = load_workbook(path)
    sheet = workbook["Communes"]
    letters = {c.value: c.column_letter for c in sheet[1]}
    sheet[f"{letters['Places en crèche ou multi-accueil (EAJE)']}2"] = 20
    sheet[f"{letters['Relais petite enfance']}2"] = "oui"
    sheet[f"{letters['Auteur de la fiche']}3"] = "Fédération des centres sociaux"
    workbook.save(path)
    sheet_data = read_donnees(path)
    assert len(sheet_data.rows) == 101 and not sheet_data.issues()
    first, second = communes[0].code_insee, communes[1].code_insee
    assert sheet_data.rows[first].values == {
        "petite_enfance.places_eaje": 20,
        "petite_enfance.relais_petite_enfance": True,
    }
    assert sheet_data.rows[second].values == {"fiche.auteur": "Fédération des centres sociaux"}
    # The reference columns are not read: populations stay the reference's.
    assert all(
        not row.values for code, row in sheet_data.rows.items() if code not in (first, second)
    )
