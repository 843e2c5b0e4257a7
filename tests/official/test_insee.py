"""Insee's populations de référence (ensemble.zip or its CSV) and census children 0-2."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
from support_donnees import write_csv
from support_official import (
    MARSEILLE_ARRONDISSEMENTS,
    POP_HEADER,
    census_rows,
    populations_rows,
    reference_populations,
    write_ensemble_zip,
)

from fichegen.errors import InputError
from fichegen.inputs.official.read import read_inputs, read_official


def test_zip_read_directly_arrondissements_summed(tmp_path: Path) -> None:
    data = read_official(write_ensemble_zip(tmp_path / "ensemble.zip"))
    pops = reference_populations()
    marseille = data.populations["13055"]
    assert marseille.municipale == pops["13055"]
    assert marseille.totale == pops["13055"] + 150 * len(MARSEILLE_ARRONDISSEMENTS)
    assert marseille.detail == "somme des 16 arrondissements municipaux"
    assert marseille.source.year == 2023
    assert marseille.source.words().startswith(
        "Insee, « populations de référence », millésime 2023, fichier"
    )
    assert data.populations["90010"].totale == pops["90010"] + 200


def test_csv_latin1_reordered_with_old_code_columns(tmp_path: Path) -> None:
    rows = populations_rows()
    # the older layout: CODDEP + CODCOM, COM holding the name; columns reordered
    header = ["PTOT", "CODDEP", "CODCOM", "COM", "PMUN", "PCAP"]
    old = [header]
    for row in rows[1:]:
        code = str(row[6])
        old.append([row[10], code[:2], code[2:], row[7], row[8], row[9]])
    data = read_official(write_csv(tmp_path / "donnees_communes.csv", old, encoding="cp1252"))
    assert data.populations["01001"].municipale == reference_populations()["01001"]


def test_year_in_header_and_unknown_year_format(tmp_path: Path) -> None:
    rows = populations_rows()
    rows[0] = [h.replace("PTOT", "PTOT2023").replace("PMUN", "PMUN2023") for h in rows[0]]
    assert (
        read_official(write_csv(tmp_path / "a.csv", rows)).populations["13055"].source.year == 2023
    )
    rows[0] = [h.replace("PTOT2023", "PTOT_2O23") for h in rows[0]]
    with pytest.raises(InputError) as caught:
        read_official(write_csv(tmp_path / "b.csv", rows))
    issue = caught.value.first
    assert "format d’année inconnu" in issue.message and issue.line == 1 and issue.column == "K"


def test_other_vintage_is_refused(tmp_path: Path) -> None:
    rows = populations_rows()
    rows[0] = [h.replace("PTOT", "PTOT2022") for h in rows[0]]
    with pytest.raises(InputError, match="millésime 2022 : la fiche attend le millésime 2023"):
        read_official(write_csv(tmp_path / "old.csv", rows))
    made_up: list[list[Any]] = [
        list(POP_HEADER),
        ["00", "R", "59", "1", "1", "350", "59350", "Lille", 1000, 10, 1010],
    ]
    with pytest.raises(InputError, match="millésime non reconnu") as caught:
        read_official(write_csv(tmp_path / "unknown.csv", made_up))
    assert caught.value.first.column == "I" and caught.value.first.field == "PMUN"


def test_zip_without_the_communes_file_and_zip_bomb(tmp_path: Path) -> None:
    renamed = write_ensemble_zip(tmp_path / "ensemble.zip", member="autre.csv")
    assert "13055" in read_official(renamed).populations  # found by its header, not its name
    other = tmp_path / "autre.zip"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("donnees_departements.csv", "REG;DEP;PMUN;PCAP;PTOT\r\n84;01;1;0;1\r\n")
        archive.writestr("lisezmoi.csv", "a;b\r\n1;2\r\n")
    with pytest.raises(InputError, match="archive sans table reconnue"):
        read_inputs([other])
    bomb = tmp_path / "bomb.zip"
    with (
        zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("donnees_communes.csv", "w", force_zip64=True) as stream,
    ):
        block = b"0" * (1024 * 1024)
        for _ in range(520):
            stream.write(block)
    with pytest.raises(InputError, match="démesuré"):
        read_inputs([bomb])


def test_bad_population_cell_is_located(tmp_path: Path) -> None:
    rows = populations_rows()
    rows[3][10] = "beaucoup"
    with pytest.raises(InputError) as caught:
        read_official(write_csv(tmp_path / "c.csv", rows))
    issue = caught.value.first
    assert (issue.line, issue.column, issue.field) == (4, "K", "PTOT")


@pytest.mark.parametrize("year", [2021, 2022])
def test_census_children_decimals(tmp_path: Path, year: int) -> None:
    path = write_csv(tmp_path / "base.csv", census_rows(year, {"90010": 1234.56, "1001": 20.4}))
    data = read_official(path)
    assert data.children["90010"].value == pytest.approx(1234.56)
    assert data.children["01001"].source.year == year
    assert "recensement" in data.children["01001"].source.words()


def test_census_unknown_year_format(tmp_path: Path) -> None:
    rows = census_rows(2021, {"90010": 12.5})
    rows[0][2] = "PXX_POP0002"
    with pytest.raises(InputError) as caught:
        read_official(write_csv(tmp_path / "d.csv", rows))
    assert "format d’année inconnu" in caught.value.first.message
    assert caught.value.first.column == "C"


def test_comparateur_is_another_dataset(tmp_path: Path) -> None:
    rows = [["CODGEO", "P18_POP", "P13_POP", "SUPERF"], ["90010", "46000", "47000", "17"]]
    with pytest.raises(InputError, match="autre jeu de données") as caught:
        read_inputs([write_csv(tmp_path / "base_cc_comparateur.csv", rows)])
    assert caught.value.first.line == 1


def test_census_larger_than_a_spreadsheet_keeps_two_columns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fichegen.inputs.official.read as read_module

    rows = census_rows(2021, {"90010": 1234.56, "59350": 3000.25})
    path = write_csv(tmp_path / "base.csv", rows)
    monkeypatch.setattr(read_module, "MAX_BYTES", 10)  # the file is now « big »
    data = read_official(path)
    assert data.children["59350"].value == pytest.approx(3000.25)
    sheet = write_csv(
        tmp_path / "s.csv", [["code_insee", "petite_enfance.places_eaje"], ["90010", "3"]]
    )
    with pytest.raises(InputError, match="trop gros"):
        read_inputs([sheet])
    import fichegen.inputs.official.files as files_module

    monkeypatch.setattr(files_module, "MAX_OFFICIAL_BYTES", 10)
    with pytest.raises(InputError, match="au plus 0 Mio"):
        read_official(path)


def test_census_zip_as_the_download_command_saves_it(tmp_path: Path) -> None:
    csv_path = write_csv(tmp_path / "x.csv", census_rows(2022, {"90010": 1200.4}))
    archive = tmp_path / "base-cc-evol-struct-pop-2022_csv.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr(
            "meta_base-cc-evol-struct-pop-2022.CSV", "COD_VAR;LIB_VAR\r\nP22_POP;Population\r\n"
        )
        out.write(csv_path, "base-cc-evol-struct-pop-2022.CSV")
    data = read_official(archive)
    assert data.children["90010"].value == pytest.approx(1200.4)
    assert data.children["90010"].source.year == 2022


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"])
def test_census_lines_are_read_whatever_their_end(end: str) -> None:
    from fichegen.inputs.official.files import grid_from_bytes

    text = end.join(
        ["CODGEO;P22_POP0002;LIBELLE", '59013;55,5;"deux', 'lignes"', "59350;7419;x", ""]
    )
    grid = grid_from_bytes(text.encode("utf-8"), "recensement.csv")
    codes = [row[0] for row in grid.rows[1:]]
    assert codes == ["59013", "59350"]
    assert grid.rows[1][1] == "55,5"
