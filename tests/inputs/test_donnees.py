"""Spreadsheets of local figures: real CSV, XLSX and ODS files, every error kind located."""

from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path

import pytest
from support_donnees import write_csv, write_ods, write_xlsx

from fichegen.errors import InputError, ProfileError
from fichegen.inputs.columns import columns
from fichegen.inputs.donnees import read_donnees
from fichegen.inputs.overlay import apply_row
from fichegen.inputs.profile import profile_from_text
from fichegen.inputs.sheet_read import column_letter

ROWS = [
    [
        "code_insee",
        "Places en crèche ou multi-accueil (EAJE)",
        "petite_enfance.relais_petite_enfance",
        "Taux de couverture",
        "Schéma pluriannuel adopté",
    ],
    ["90010", "12", "oui", "12,5", "Non"],
    ["1053", "1 234", "non", "", ""],
]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("sep", [";", ","])
def test_csv_in_every_encoding_and_separator(tmp_path: Path, encoding: str, sep: str) -> None:
    rows = [r[:] for r in ROWS]
    rows[0][3] = "Taux de couverture"
    rows[1][3] = "12,5"  # decimal comma, quoted when the separator is a comma
    path = write_csv(tmp_path / "donnees.csv", rows, sep=sep, encoding=encoding)
    sheet = read_donnees(path)
    assert sheet.rows["90010"].values == {
        "petite_enfance.places_eaje": 12,
        "petite_enfance.relais_petite_enfance": True,
        "petite_enfance.taux_couverture": 12.5,
        "gouvernance.schema_pluriannuel_adopte": False,
    }
    # A code read as a number lost its leading zero; thousands separated by a space.
    assert sheet.rows["01053"].values == {
        "petite_enfance.places_eaje": 1234,
        "petite_enfance.relais_petite_enfance": False,
    }
    assert ("Windows-1252" in sheet.description) == (encoding == "cp1252")
    assert ("point-virgule" in sheet.description) == (sep == ";")


def test_windows_1252_accents_in_headers_are_read(tmp_path: Path) -> None:
    rows = [["code_insee", "Demandes d’accueil en attente", "Schéma pluriannuel adopté"]]
    rows.append(["90010", "7", "Oui"])
    header = ";".join(rows[0]).replace("’", "'")  # Excel's Windows-1252 has no ’ in the label
    path = tmp_path / "w.csv"
    path.write_bytes((header + "\r\n90010;7;Oui\r\n").encode("cp1252"))
    values = read_donnees(path).rows["90010"].values
    assert values == {
        "petite_enfance.demandes_en_attente": 7,
        "gouvernance.schema_pluriannuel_adopte": True,
    }


def test_xlsx_and_ods_give_the_same_values(tmp_path: Path) -> None:
    rows = [
        ["code_insee", "petite_enfance.places_eaje", "Relais petite enfance", "Auteur de la fiche"],
        ["90010", 12, True, "Fédération test"],
        [90001, 3.0, "non", None],
    ]
    for path in (write_xlsx(tmp_path / "d.xlsx", rows), write_ods(tmp_path / "d.ods", rows)):
        sheet = read_donnees(path)
        assert sheet.rows["90010"].values == {
            "petite_enfance.places_eaje": 12,
            "petite_enfance.relais_petite_enfance": True,
            "fiche.auteur": "Fédération test",
        }, path
        assert sheet.rows["90001"].values == {
            "petite_enfance.places_eaje": 3,
            "petite_enfance.relais_petite_enfance": False,
        }


def test_old_and_arrondissement_codes_lead_to_the_commune_with_a_note(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "d.csv", [["code_insee", "mam"], ["75101", "2"]])
    path.write_text("code_insee;petite_enfance.mam\n75101;2\n", encoding="utf-8")
    sheet = read_donnees(path)
    assert list(sheet.rows) == ["75056"]
    assert sheet.rows["75056"].row == 2
    assert any("75101" in note and "75056" in note and "ligne 2" in note for note in sheet.notes)


def _issue_lines(path: Path) -> list[str]:
    return [issue.format() for issue in read_donnees(path).issues()]


def test_bad_cells_are_located_by_row_and_column_letter(tmp_path: Path) -> None:
    rows = [
        [
            "code_insee",
            "Commune",
            "Places en crèche ou multi-accueil (EAJE)",
            "Relais petite enfance",
            "Taux de couverture",
        ],
        ["90010", "Belfort", "douze", "peut-être", "350"],
        ["90001", "Andelnans", "-3", "oui", "12,5"],
        ["90002", "Angeot", "2,5", "oui", ""],
    ]
    path = write_csv(tmp_path / "d.csv", rows)
    lines = _issue_lines(path)
    assert (
        f"{path}:2:C: « Places en crèche ou multi-accueil (EAJE) » : "
        "un nombre entier positif ou nul attendu, reçu « douze »" in lines
    )
    assert (
        f"{path}:2:D: « Relais petite enfance » : oui ou non attendu, reçu « peut-être »" in lines
    )
    assert any(
        line.startswith(f"{path}:2:E: « Taux de couverture » : ") and "300" in line
        for line in lines
    )
    assert any(line.startswith(f"{path}:3:C: ") and "positif ou nul" in line for line in lines)
    assert any(line.startswith(f"{path}:4:C: ") and "« 2,5 »" in line for line in lines)
    with pytest.raises(ProfileError):
        read_donnees(path).check()


def test_a_rule_across_columns_names_the_cell(tmp_path: Path) -> None:
    """Rules across fields are the schema's, checked when the row becomes a profile."""
    rows = [
        [
            "code_insee",
            "Places en crèche ou multi-accueil (EAJE)",
            "Places en crèche gérées par l'ESS",
        ],
        ["90010", 5, 9],
    ]
    path = write_xlsx(tmp_path / "d.xlsx", rows)
    sheet = read_donnees(path)
    assert not sheet.issues()
    with pytest.raises(ProfileError) as caught:
        apply_row(None, sheet.rows["90010"])
    (line,) = caught.value.lines()
    assert line.startswith(f"{path}:2:C: « Places en crèche gérées par l'ESS » : ")
    assert "(9)" in line and "5" in line
    # A profile's value meets the row's: the message sits on the row's cell.
    profile = profile_from_text(
        'commune:\n  code_insee: "90010"\npetite_enfance:\n  places_eaje: 3\n'
    )
    one = write_xlsx(tmp_path / "e.xlsx", [["code_insee", "places_eaje_ess"], ["90010", 4]])
    with pytest.raises(ProfileError) as caught:
        apply_row(profile, read_donnees(one).rows["90010"])
    assert caught.value.lines()[0].startswith(f"{one}:2:B: « places_eaje_ess » : ")


def test_unknown_code_and_missing_code_are_row_errors(tmp_path: Path) -> None:
    rows = [["code_insee", "mam"], ["90999", 1], [None, 2], ["90010", 1]]
    path = write_xlsx(tmp_path / "d.xlsx", rows)
    sheet = read_donnees(path)
    assert list(sheet.rows) == ["90010"]
    lines = [issue.format() for issue in sheet.unmatched]
    assert lines[0].startswith(f"{path}:2:A: « code_insee » : ") and "90999" in lines[0]
    assert lines[1].startswith(f"{path}:3:A: « code_insee » : code INSEE manquant")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            ["code_insee", "Assistants maternel"],
            "1:B: colonne inconnue « Assistants maternel » ; "
            "vouliez-vous dire « Assistants maternels » ?",
        ),
        (
            ["code_insee", "petite_enfance.place_eaje"],
            "vouliez-vous dire « petite_enfance.places_eaje » ?",
        ),
        (["Places en crèche ou multi-accueil (EAJE)"], "colonne code_insee manquante"),
        (
            ["code_insee", "mam", "Maisons d’assistants maternels (MAM)"],
            "1:C: le champ est déjà dans la colonne B",
        ),
        (["code_insee", "acteurs_ess"], "ne se remplit pas dans un tableur"),
        (["code_insee", "mam", "Code INSEE"], "1:C: deuxième colonne code_insee"),
        (["code_insee", "", "mam"], "1:B: colonne sans en-tête mais remplie"),
    ],
)
def test_header_errors_refuse_the_file(tmp_path: Path, header: list[str], expected: str) -> None:
    header = [h if h != "mam" else "petite_enfance.mam" for h in header]
    path = write_csv(tmp_path / "d.csv", [header, ["90010", *(["1"] * (len(header) - 1))]])
    with pytest.raises(InputError) as caught:
        read_donnees(path)
    assert any(expected in line for line in caught.value.lines()), caught.value.lines()
    assert not isinstance(caught.value, ProfileError)


def test_two_rows_for_one_commune_refuse_the_file(tmp_path: Path) -> None:
    # 90010 and an old code of the same commune would also collide; two plain rows here.
    path = write_csv(tmp_path / "d.csv", [["code_insee", "mam"], ["90010", "1"], ["90010", "2"]])
    with pytest.raises(InputError) as caught:
        read_donnees(path)
    assert caught.value.lines() == [
        f"{path}:3:A: deux lignes pour la commune 90010 (lignes 2 et 3) ; gardez-en une seule"
    ]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("vide.csv", b"", "le fichier est vide"),
        ("binaire.csv", b"\x81\x8d\x8f\x90\x9d" * 10, "encodage non reconnu"),
        ("faux.xlsx", b"ceci n'est pas un classeur", "classeur illisible"),
        ("faux.ods", b"PK\x03\x04 tronque", "classeur illisible"),
        ("donnees.json", b"{}", "format de tableur non pris en charge"),
    ],
)
def test_unreadable_files(tmp_path: Path, name: str, content: bytes, expected: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read_donnees(path)
    assert expected in caught.value.lines()[0]
    assert caught.value.file == str(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_donnees(tmp_path / "absent.xlsx")
    assert "tableur illisible : chemin introuvable" in caught.value.lines()[0]


# --- hostile spreadsheets --------------------------------------------------------------------


def test_formulas_give_their_cached_value_and_are_never_evaluated(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "f.xlsx",
        [
            ["code_insee", "Places en crèche ou multi-accueil (EAJE)", "Assistants maternels"],
            ["90010", "=2+3", "=1+1"],
        ],
    )
    # Give the first formula a cached value, as Excel and LibreOffice save it.
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet_xml = parts["xl/worksheets/sheet1.xml"].decode()
    assert "<f>2+3</f><v></v>" in sheet_xml
    parts["xl/worksheets/sheet1.xml"] = sheet_xml.replace(
        "<f>2+3</f><v></v>", "<f>2+3</f><v>41</v>"
    ).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    values = read_donnees(path).rows["90010"].values
    # 41 is the cached value (not 5): the formula is not evaluated; without a cached value
    # the cell is unknown.
    assert values == {"petite_enfance.places_eaje": 41}


def test_dates_in_number_columns_are_refused_with_a_hint(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "d.xlsx",
        [
            ["code_insee", "Places en crèche ou multi-accueil (EAJE)"],
            ["90010", datetime.date(2024, 3, 1)],
        ],
    )
    (line,) = _issue_lines(path)
    assert line.startswith(f"{path}:2:B: « Places en crèche ou multi-accueil (EAJE) » : ")
    assert "date « 01/03/2024 »" in line and "format « nombre »" in line


def test_merged_cells_are_refused(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["code_insee", "Places en crèche ou multi-accueil (EAJE)"])
    sheet.append(["90010", 4])
    sheet.append(["90001", None])
    sheet.merge_cells("B2:B3")
    path = tmp_path / "m.xlsx"
    workbook.save(path)
    with pytest.raises(InputError) as caught:
        read_donnees(path)
    assert "cellules fusionnées (B2:B3)" in caught.value.lines()[0]


def test_huge_sheets_are_refused_before_reading(tmp_path: Path) -> None:
    from fichegen.inputs import sheet_read

    rows = [["code_insee", "mam"]] + [["90010", 1]] * (sheet_read.MAX_ROWS + 5)
    path = tmp_path / "huge.csv"
    path.write_text("\n".join(";".join(map(str, r)) for r in rows), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_donnees(path)
    assert "trop de lignes" in caught.value.lines()[0]
    wide = write_xlsx(
        tmp_path / "wide.xlsx", [["code_insee"] + ["x"] * (sheet_read.MAX_COLUMNS + 1)]
    )
    with pytest.raises(InputError) as caught:
        read_donnees(wide)
    assert "trop grande" in caught.value.lines()[0]


def _zip_with(path: Path, sheet: bytes) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<a/>")
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    path.write_bytes(buffer.getvalue())
    return path


def test_zip_bombs_and_oversized_files_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fichegen.inputs import sheet_read

    # 20 Mio of zeros packed in a few kilobytes: the ratio says bomb.
    bomb = _zip_with(tmp_path / "bombe.xlsx", b"\0" * (20 * 1024 * 1024))
    assert bomb.stat().st_size < 100 * 1024
    with pytest.raises(InputError) as caught:
        read_donnees(bomb)
    assert "bombe de décompression" in caught.value.lines()[0]
    # Over the cap on unpacked size (lowered here to keep the test light).
    monkeypatch.setattr(sheet_read, "MAX_UNPACKED", 1024 * 1024)
    over = _zip_with(tmp_path / "gros.xlsx", b"<row/>" * 200_000)
    with pytest.raises(InputError) as caught:
        read_donnees(over)
    assert "bombe de décompression" in caught.value.lines()[0]
    monkeypatch.undo()
    big = tmp_path / "gros.csv"
    with big.open("wb") as handle:
        handle.truncate(sheet_read.MAX_BYTES + 1)
    with pytest.raises(InputError) as caught:
        read_donnees(big)
    assert "fichier trop gros" in caught.value.lines()[0]


def _set_declared_size(data: bytearray, name: bytes, size: int) -> None:
    """Rewrite the uncompressed size of entry ``name`` in its local and central headers."""
    local = data.index(name) - 30
    assert data[local : local + 4] == b"PK\x03\x04"
    data[local + 22 : local + 26] = size.to_bytes(4, "little")
    central = data.index(name, data.index(b"PK\x01\x02")) - 46
    assert data[central : central + 4] == b"PK\x01\x02"
    data[central + 24 : central + 28] = size.to_bytes(4, "little")


def test_an_archive_that_lies_about_its_sizes_is_refused(tmp_path: Path) -> None:
    path = _zip_with(tmp_path / "menteur.xlsx", b"<worksheet/>" * 100_000)
    data = bytearray(path.read_bytes())
    _set_declared_size(data, b"xl/worksheets/sheet1.xml", 100)
    path.write_bytes(bytes(data))
    with pytest.raises(InputError) as caught:
        read_donnees(path)
    assert "archive endommagée" in caught.value.lines()[0]


# --- rows over profiles ------------------------------------------------------------------------


def test_profile_value_wins_and_the_conflict_is_kept(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "d.csv",
        [
            ["code_insee", "Places en crèche ou multi-accueil (EAJE)", "Assistants maternels"],
            ["90010", "12", "30"],
        ],
    )
    row = read_donnees(path).rows["90010"]
    profile = profile_from_text(
        'commune:\n  code_insee: "90010"\npetite_enfance:\n  places_eaje: 10\n', "belfort.yaml"
    )
    merged = apply_row(profile, row)
    assert merged.petite_enfance.places_eaje == 10
    assert merged.petite_enfance.assistants_maternels == 30
    assert merged.origin_of("petite_enfance.assistants_maternels").row == 2
    assert merged.origin_of("petite_enfance.places_eaje").file == "belfort.yaml"
    (conflict,) = merged.conflicts
    assert (conflict.path, conflict.kept, conflict.ignored) == (
        "petite_enfance.places_eaje",
        10,
        12,
    )
    assert conflict.ignored_from.file_name == "d.csv"


def test_a_bad_row_raises_its_located_issues_when_applied(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "d.csv", [["code_insee", "mam"], ["90010", "beaucoup"]])
    with pytest.raises(ProfileError) as caught:
        apply_row(None, read_donnees(path).rows["90010"])
    assert caught.value.lines()[0].startswith(f"{path}:2:B: ")


def test_every_column_is_recognised_by_path_and_by_label(tmp_path: Path) -> None:
    for use_label in (False, True):
        header = ["code_insee", *(c.label if use_label else c.path for c in columns())]
        path = write_csv(tmp_path / f"all{use_label}.csv", [header, ["90010"]])
        assert read_donnees(path).rows["90010"].values == {}


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]


def test_utf16_csv_from_excel_unicode_text(tmp_path: Path) -> None:
    path = tmp_path / "unicode.csv"
    path.write_bytes("code_insee\tDemandes d’accueil en attente\r\n90010\t4\r\n".encode("utf-16"))
    assert read_donnees(path).rows["90010"].values == {"petite_enfance.demandes_en_attente": 4}


def test_python_api_reads_a_spreadsheet_into_profiles(tmp_path: Path) -> None:
    import fichegen

    path = write_csv(
        tmp_path / "d.csv",
        [
            ["code_insee", "MAM", "Places en crèche ou multi-accueil (EAJE)"],
            ["90010", "2", "8"],
            ["90001", "", "1"],
        ],
    )
    belfort = profile_from_text(
        'commune:\n  code_insee: "90010"\npetite_enfance:\n  mam: 3\n', "b.yaml"
    )
    profiles = {
        p.commune.code_insee: p for p in fichegen.read_spreadsheet(path, profiles=[belfort])
    }
    assert profiles["90010"].petite_enfance.mam == 3  # the profile wins
    assert profiles["90010"].petite_enfance.places_eaje == 8
    assert [c.path for c in profiles["90010"].conflicts] == ["petite_enfance.mam"]
    assert profiles["90001"].origin_of("petite_enfance.places_eaje").row == 3
    bad = write_csv(tmp_path / "e.csv", [["code_insee", "MAM"], ["90010", "-1"]])
    with pytest.raises(ProfileError) as caught:
        fichegen.read_spreadsheet(bad)
    assert caught.value.issues[0].column == "B" and caught.value.issues[0].line == 2


def test_blank_text_is_an_empty_cell_and_blank_rows_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text(
        "code_insee;MAM;Places en crèche ou multi-accueil (EAJE)\n90010;  ;3\n  ;\t; \n;;\n",
        encoding="utf-8",
    )
    sheet = read_donnees(path)
    assert sheet.rows["90010"].values == {"petite_enfance.places_eaje": 3}
    assert not sheet.issues()
