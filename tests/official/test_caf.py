"""The Cnaf's data.caf.fr exports read as users download them: field names or French
labels, BOM or Latin-1, any column order, decimal comma, placeholder rows, several years,
codes that lost a leading zero, rates over 100, arrondissements."""

from __future__ import annotations

from pathlib import Path

import pytest
from support_donnees import write_csv
from support_official import MARSEILLE_ARRONDISSEMENTS, txcouv_rows, write_txcouv

from fichegen.errors import InputError
from fichegen.inputs.official.apply import official_for
from fichegen.inputs.official.read import read_inputs, read_official


def test_commune_file_latest_year_placeholders_lost_zero_and_rates_over_100(
    tmp_path: Path,
) -> None:
    rows = txcouv_rows(
        "com",
        [
            ("1053", "Bourg-en-Bresse", 2022, 55.5),  # lost its leading zero
            ("1053", "Bourg-en-Bresse", 2023, 58.25),
            ("59350", "Lille", 2023, 104.2),  # over 100: kept
        ],
    )
    rows.append(["XX", "", "XX", "", "2023", *[""] * 7, "195,8"])  # the portal's placeholder
    path = write_csv(tmp_path / "export.csv", rows, encoding="utf-8-sig")
    data = read_official(path)
    assert set(data.rates_com) == {"01053", "59350"}
    latest = official_for("01053", None, data).rate
    assert latest is not None and latest.year == 2023 and latest.rate == pytest.approx(58.25)
    assert latest.modes["eaje"] == pytest.approx(round(58.25 / 4, 1))
    assert latest.source.words() == (
        "Caf, données ouvertes « taux de couverture petite enfance par commune », 2023, "
        "fichier export.csv"
    )
    lille = official_for("59350", None, data).rate
    assert lille is not None and lille.rate == pytest.approx(104.2)


def test_labels_latin1_comma_separator_and_reordered_columns(tmp_path: Path) -> None:
    header = [
        "Taux de couverture global",
        "Date référence",
        "Nom commune",
        "Numéro commune",
        "Taux de couverture EAJE",
        "Numéro EPCI",
    ]
    rows = [header, ["62,5", "01/01/2023", "Besançon", "25056", "30,1", "242500361"]]
    path = write_csv(tmp_path / "labels.csv", rows, sep=",", encoding="cp1252")
    data = read_official(path)
    rate = official_for("25056", None, data).rate
    assert rate is not None and rate.year == 2023 and rate.rate == pytest.approx(62.5)
    assert rate.modes == {"eaje": pytest.approx(30.1)}


def test_confirmed_place_labels(tmp_path: Path) -> None:
    rows = [
        ["Numéro commune", "Date référence", "Places offertes - Ensemble", "Places offertes EAJE"],
        ["59350", "2023", "5 123", "2 001,0"],
    ]
    data = read_official(write_csv(tmp_path / "places.csv", rows))
    places = data.places_com["59350"][0]
    assert places.places == {"tot_offre": 5123.0, "eaje": 2001.0}
    assert places.source.dataset_id == "nbpla_pe_com"


def test_small_commune_gets_its_epci_rate(tmp_path: Path) -> None:
    path = write_txcouv(
        tmp_path / "epci.csv", "epci", [("200069052", "CA Grand Belfort", 2023, 70.0)]
    )
    data = read_official(path)
    chosen = official_for("90001", "200069052", data).rate
    assert chosen is not None and chosen.level == "epci" and chosen.rate == 70.0


def test_marseille_arrondissements_combined_with_population_weights(tmp_path: Path) -> None:
    from support_official import write_ensemble_zip

    rates = [
        (code, f"Marseille {i}", 2023, 40.0 + i) for i, code in enumerate(MARSEILLE_ARRONDISSEMENTS)
    ]
    read = read_inputs(
        [
            write_txcouv(tmp_path / "com.csv", "com", rates),
            write_ensemble_zip(tmp_path / "ensemble.zip"),
        ]
    )
    rate = official_for("13055", "200054807", read.official).rate
    assert rate is not None and rate.level == "arrondissements"
    assert (
        rate.detail
        and "16 arrondissements" in rate.detail
        and "population municipale" in rate.detail
    )
    pops = {c: read.official.populations[c].municipale for c in MARSEILLE_ARRONDISSEMENTS}
    expected = sum((40.0 + i) * pops[c] for i, c in enumerate(MARSEILLE_ARRONDISSEMENTS)) / sum(
        pops.values()
    )
    assert rate.rate == pytest.approx(round(expected, 1))


def test_arrondissements_without_weights_fall_back_to_the_epci(tmp_path: Path) -> None:
    rates = [(code, "", 2023, 40.0) for code in MARSEILLE_ARRONDISSEMENTS]
    com = write_txcouv(tmp_path / "com.csv", "com", rates)
    alone = read_inputs([com]).official
    assert official_for("13055", "200054807", alone).rate is None
    assert "par arrondissement" in (official_for("13055", "200054807", alone).note or "")
    epci = write_txcouv(tmp_path / "epci.csv", "epci", [("200054807", "Métropole", 2023, 55.0)])
    both = read_inputs([com, epci]).official
    chosen = official_for("13055", "200054807", both).rate
    assert chosen is not None and chosen.level == "epci"


def test_national_file_with_dates(tmp_path: Path) -> None:
    path = write_txcouv(tmp_path / "nat.csv", "nat", [("", "", 2022, 60.3), ("", "", 2023, 61.5)])
    data = read_official(path)
    assert sorted((r.year, r.rate) for r in data.rates_nat) == [(2022, 60.3), (2023, 61.5)]


@pytest.mark.parametrize(
    ("header", "row", "expected"),
    [
        (
            ["numdep", "nomdep", "annee", "txcouv_dep"],
            ["59", "Nord", "2023", "55"],
            "par département",
        ),
        (["numcom", "nomcom", "txcouv_com"], ["59350", "Lille", "55"], "sans colonne annee"),
        (["numcom", "nomcom", "population"], ["59350", "Lille", "5"], "autre jeu de données"),
    ],
)
def test_other_dataset_or_missing_column_is_refused_at_the_header(
    tmp_path: Path, header: list[str], row: list[str], expected: str
) -> None:
    path = write_csv(tmp_path / "x.csv", [header, row])
    with pytest.raises(InputError) as caught:
        read_inputs([path])
    issue = caught.value.first
    assert expected in issue.message and issue.file == str(path) and issue.line == 1


def test_unknown_year_format_is_located(tmp_path: Path) -> None:
    rows = txcouv_rows("com", [("59350", "Lille", 2023, 55.0)])
    rows[1][4] = "année 23"
    path = write_csv(tmp_path / "bad.csv", rows)
    with pytest.raises(InputError) as caught:
        read_inputs([path])
    issue = caught.value.first
    assert "format d’année inconnu" in issue.message
    assert (issue.line, issue.column, issue.field) == (2, "E", "annee")
