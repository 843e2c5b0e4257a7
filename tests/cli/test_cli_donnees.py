"""``fichegen init``, ``fichegen modele`` and ``--donnees`` on render, validate and explain."""

from __future__ import annotations

import json
from pathlib import Path

from support_donnees import write_csv, write_ods

from fichegen.options import output_name


def test_init_writes_a_valid_starter_and_never_overwrites(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "belfort.yaml"
    first = run_cli("init", "90010", "-o", target)
    assert first.code == 0 and first.out.strip() == str(target)
    assert run_cli("validate", target).code == 0
    target.write_text("# mes notes\n", encoding="utf-8")
    again = run_cli("init", "90010", "-o", target)
    assert again.code == 2
    assert (
        again.err.strip() == f"{target}: le fichier existe déjà ; ajoutez --force pour le remplacer"
    )
    assert target.read_text(encoding="utf-8") == "# mes notes\n"
    assert run_cli("init", "90010", "-o", target, "--force").code == 0
    assert 'code_insee: "90010"' in target.read_text(encoding="utf-8")


def test_init_refuses_an_unknown_code(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("init", "90999", "-o", tmp_path / "x.yaml")
    assert result.code == 2 and "90099 (Valdoie)" in result.err
    assert not (tmp_path / "x.yaml").exists()


def test_modele_writes_xlsx_or_csv(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    for name in ("d.xlsx", "d.csv"):
        result = run_cli("modele", "90", "-o", tmp_path / name)
        assert result.code == 0, result.err
        assert (tmp_path / name).stat().st_size > 1000
    bad = run_cli("modele", "90", "-o", tmp_path / "d.ods")
    assert bad.code == 2 and "extension .xlsx ou .csv" in bad.err
    unknown = run_cli("modele", "99", "-o", tmp_path / "e.xlsx")
    assert unknown.code == 2 and not (tmp_path / "e.xlsx").exists()


def test_render_with_a_bad_cell_exits_2_and_writes_nothing(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    donnees = write_csv(
        tmp_path / "d.csv",
        [
            ["code_insee", "Places en crèche ou multi-accueil (EAJE)", "MAM"],
            ["90010", "12", "1"],
            ["90001", "x", "2"],
        ],
    )
    out = tmp_path / "out"
    result = run_cli("render", "--donnees", donnees, "-f", "html", "-o", out)
    assert result.code == 2
    assert result.err.splitlines() == [
        f"{donnees}:3:B: « Places en crèche ou multi-accueil (EAJE) » : "
        "un nombre entier positif ou nul attendu, reçu « x »"
    ]
    assert not out.exists()


def test_render_with_an_unknown_column_names_the_nearest(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    donnees = write_csv(tmp_path / "d.csv", [["code_insee", "places_eaj"], ["90010", "12"]])
    result = run_cli("render", "--donnees", donnees, "-f", "html", "-o", tmp_path / "out")
    assert result.code == 2
    assert result.err.splitlines() == [
        f"{donnees}:1:B: colonne inconnue « places_eaj » ; vouliez-vous dire "
        "« petite_enfance.places_eaje » ?"
    ]


def test_render_every_commune_of_an_ods_and_say_so_in_the_annex(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """The annex says a figure came from the spreadsheet, without its file name or row:
    the fiche depends only on the figures (docs/batch.md, « Reprendre un lot »)."""
    donnees = write_ods(
        tmp_path / "figures.ods",
        [["code_insee", "Places en crèche ou multi-accueil (EAJE)"], ["90010", 31], ["90001", 4]],
    )
    out = tmp_path / "out"
    result = run_cli("render", "--donnees", donnees, "-f", "html", "-o", out)
    assert result.code == 0, result.err
    html = (out / output_name("90010", "Belfort", "html")).read_text(encoding="utf-8")
    assert "tableur de chiffres locaux" in html
    assert "figures.ods" not in html
    assert (out / output_name("90001", "Andelnans", "html")).exists()


def test_explain_lists_origins_and_conflicts(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    donnees = write_csv(
        tmp_path / "d.csv",
        [["code_insee", "Places en crèche ou multi-accueil (EAJE)", "MAM"], ["90010", "12", "2"]],
    )
    profile = tmp_path / "belfort.yaml"
    profile.write_text(
        'commune:\n  code_insee: "90010"\npetite_enfance:\n  places_eaje: 10\n', encoding="utf-8"
    )
    result = run_cli("explain", profile, "--donnees", donnees, "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    origins = {o["champ"]: o for o in data["origines"]}
    assert origins["petite_enfance.mam"] == {
        "champ": "petite_enfance.mam",
        "origine": "tableur",
        "fichier": "d.csv",
        "ligne": 2,
    }
    assert origins["petite_enfance.places_eaje"]["origine"] == "profil"
    assert data["conflits"] == [
        {
            "champ": "petite_enfance.places_eaje",
            "valeur_retenue": 10,
            "valeur_du_tableur": 12,
            "fichier": "d.csv",
            "ligne": 2,
        }
    ]
    text = run_cli("explain", profile, "--donnees", donnees).out
    assert (
        "Désaccord : Places en crèche ou multi-accueil (EAJE) vaut 10 dans le profil "
        "(valeur retenue) et 12" in text
    )


def test_explain_with_a_spreadsheet_of_several_communes_needs_one(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    donnees = write_csv(tmp_path / "d.csv", [["code_insee", "MAM"], ["90010", "2"], ["90001", "1"]])
    assert run_cli("explain", "--donnees", donnees).code == 2
    chosen = run_cli("explain", "--commune", "90001", "--donnees", donnees, "--json")
    assert chosen.code == 0 and json.loads(chosen.out)["commune"]["code_insee"] == "90001"


def test_validate_a_spreadsheet_with_an_old_code(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    donnees = write_csv(tmp_path / "d.csv", [["code_insee", "MAM"], ["75101", "2"]])
    result = run_cli("validate", "-v", "--donnees", donnees)
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        f"{donnees}, ligne 2 : valide (Paris (75056))",
        "d.csv : 1\u00a0ligne lue, 1 avec"
        " des chiffres, 0\u00a0vide ; 0\u00a0erreur, 1\u00a0avertissement",
    ]
    assert "75101" in result.err and "note" in result.err


def test_validate_reports_a_rule_across_columns_at_its_cell(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    donnees = write_csv(
        tmp_path / "d.csv",
        [
            [
                "code_insee",
                "Places en crèche ou multi-accueil (EAJE)",
                "Places en crèche gérées par l'ESS",
            ],
            ["90010", "4", "6"],
        ],
    )
    result = run_cli("validate", "--donnees", donnees)
    assert result.code == 2
    line, summary = result.err.splitlines()
    assert line.startswith(f"{donnees}:2:C: « Places en crèche gérées par l'ESS » : ")
    assert summary == (
        "d.csv : 1\u00a0ligne lue, 1 avec"
        " des chiffres, 0\u00a0vide ; 1\u00a0erreur, 0\u00a0avertissement"
    )


def test_modele_for_some_communes_or_an_epci(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    from fichegen.inputs.donnees import read_donnees
    from fichegen.reference.lookup import load_reference

    some = tmp_path / "deux.csv"
    assert run_cli("modele", "--commune", "90010", "--commune", "75101", "-o", some).code == 0
    assert sorted(read_donnees(some).rows) == ["75056", "90010"]  # the arrondissement's commune
    epci = tmp_path / "epci.xlsx"
    assert run_cli("modele", "--epci", "200069052", "-o", epci).code == 0
    members = set(load_reference().epci("200069052").membres)  # type: ignore[union-attr]
    assert set(read_donnees(epci).rows) == members and len(members) > 40
    from openpyxl import load_workbook

    readme = load_workbook(epci)["Lisez-moi"]
    text = " ".join(str(c.value) for row in readme.iter_rows() for c in row if c.value)
    assert "CA Grand Belfort" in text and "fichegen render --donnees" in text
    both = run_cli("modele", "90", "--epci", "200069052", "-o", tmp_path / "x.xlsx")
    assert both.code == 2 and "soit un département" in both.err
    unknown = run_cli("modele", "--epci", "123", "-o", tmp_path / "y.xlsx")
    assert unknown.code == 2 and "EPCI inconnu" in unknown.err
