"""Official files in the fiche: precedence, origins in the annex, coverage like with like,
SPPE thresholds settled, and the whole command as a user runs it."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from support_donnees import write_csv
from support_official import (
    MARSEILLE_ARRONDISSEMENTS,
    census_rows,
    populations_rows,
    reference_populations,
    write_ensemble_zip,
    write_txcouv,
)

from fichegen.api import explain_fiche
from fichegen.document.compose import compose
from fichegen.inputs.official.apply import apply_official
from fichegen.inputs.official.read import read_inputs
from fichegen.inputs.profile import profile_from_dict
from fichegen.options import RenderOptions
from fichegen.selection.builder import build


def _official(tmp_path: Path, *files: Path):  # type: ignore[no-untyped-def]
    return read_inputs(list(files)).official


def test_profile_wins_and_the_conflict_is_listed(tmp_path: Path) -> None:
    data = _official(
        tmp_path,
        write_ensemble_zip(tmp_path / "ensemble.zip"),
        write_csv(tmp_path / "rp.csv", census_rows(2021, {"90010": 1234.6})),
    )
    profile = profile_from_dict(
        {"commune": {"code_insee": "90010"}, "petite_enfance": {"enfants_moins_3_ans": 1500}}
    )
    done = apply_official(profile, data)
    assert done.petite_enfance.enfants_moins_3_ans == 1500
    [conflict] = done.conflicts
    assert conflict.path == "petite_enfance.enfants_moins_3_ans"
    assert conflict.ignored == 1235 and conflict.ignored_from.kind == "officiel"
    origin = done.origin_of("commune.population_totale")
    assert origin.kind == "officiel" and origin.source is not None
    assert origin.source.year == 2023
    assert done.commune.population_totale == reference_populations()["90010"] + 200
    text = _plain(" ".join(_texts(compose(build(done), RenderOptions()))))
    assert "Insee, « populations de référence », millésime 2023, fichier ensemble.zip" in text
    assert "Valeurs en désaccord entre les sources" in text
    assert "1 235 (Insee, « évolution et structure de la population », recensement 2021" in text


def test_census_children_rounded_and_named(tmp_path: Path) -> None:
    data = _official(tmp_path, write_csv(tmp_path / "rp.csv", census_rows(2022, {"90010": 1234.4})))
    done = apply_official(profile_from_dict({"commune": {"code_insee": "90010"}}), data)
    assert done.petite_enfance.enfants_moins_3_ans == 1234
    origin = done.origin_of("petite_enfance.enfants_moins_3_ans")
    assert origin.detail and "recensement 2022" in origin.detail and "234,4" in origin.detail


def test_user_rate_is_kept_beside_the_caf_rate(tmp_path: Path) -> None:
    com = write_txcouv(tmp_path / "com.csv", "com", [("90010", "Belfort", 2023, 71.4)])
    nat = write_txcouv(tmp_path / "nat.csv", "nat", [("", "", 2023, 61.5)])
    profile = profile_from_dict(
        {"commune": {"code_insee": "90010"}, "petite_enfance": {"taux_couverture": 80.0}}
    )
    fiche = build(apply_official(profile, _official(tmp_path, com, nat)))
    cov = fiche.coverage
    assert cov.caf_taux == pytest.approx(71.4) and cov.caf_annee == 2023
    assert cov.national_places_pour_100 == pytest.approx(61.5) and cov.national_annee == 2023
    assert cov.comparaison is not None
    assert "71,4 places pour 100 enfants de moins de 3\u00a0ans en 2023" in cov.comparaison
    assert "contre 61,5 en France la même année" in cov.comparaison
    assert "Taux de couverture fourni : 80 places" in cov.comparaison
    assert cov.taux_comparable == pytest.approx(80.0)  # the user's rate is never replaced


def test_years_differ_and_the_fiche_says_so(tmp_path: Path) -> None:
    com = write_txcouv(tmp_path / "com.csv", "com", [("90010", "Belfort", 2023, 71.4)])
    fiche = build(
        apply_official(
            profile_from_dict({"commune": {"code_insee": "90010"}}), _official(tmp_path, com)
        )
    )
    cov = fiche.coverage
    assert cov.national_annee == 2022 and "ONAPE" in cov.national_source
    assert "contre 60,3 en France en 2022 (les deux années diffèrent" in (cov.comparaison or "")


def test_small_commune_uses_its_epci_rate_said_as_such(tmp_path: Path) -> None:
    epci = write_txcouv(tmp_path / "epci.csv", "epci", [("200069052", "CA", 2023, 66.6)])
    fiche = build(
        apply_official(
            profile_from_dict({"commune": {"code_insee": "90001"}}), _official(tmp_path, epci)
        )
    )
    cov = fiche.coverage
    assert (
        cov.caf_portee == "epci"
        and cov.caf_libelle == "Taux de couverture de l’intercommunalité (Caf, 2023)"
    )
    assert "ne publie de taux par commune qu’au-dessus de 10 000 habitants" in (
        cov.comparaison or ""
    )


def test_population_file_settles_uncertain_duties(tmp_path: Path) -> None:
    code = "59314"  # Hornaing: its 2023 totale is not settled by the embedded figures
    before = build(profile_from_dict({"commune": {"code_insee": code}}))
    assert any(not o.certain for o in before.obligations)
    from fichegen.reference.lookup import load_reference

    pmun = int(load_reference().get(code).population_municipale or 0)
    zip_path = write_ensemble_zip(tmp_path / "ensemble.zip", populations_rows({code: (pmun, 30)}))
    after = build(
        apply_official(
            profile_from_dict({"commune": {"code_insee": code}}), _official(tmp_path, zip_path)
        )
    )
    assert all(o.certain for o in after.obligations)
    assert "population totale 2023 publiée par l’Insee" in after.sppe.population_label
    assert "estimée" not in " ".join(o.explication for o in after.obligations)


def test_two_user_spreadsheets_are_refused(tmp_path: Path) -> None:
    from fichegen.errors import InputError

    a = write_csv(
        tmp_path / "a.csv", [["code_insee", "petite_enfance.places_eaje"], ["90010", "3"]]
    )
    b = write_csv(
        tmp_path / "b.csv", [["code_insee", "petite_enfance.places_eaje"], ["90010", "4"]]
    )
    with pytest.raises(InputError, match="deux tableurs de chiffres locaux"):
        read_inputs([a, b])


def test_spreadsheet_wins_over_official_file(tmp_path: Path) -> None:
    sheet = write_csv(
        tmp_path / "a.csv", [["code_insee", "petite_enfance.enfants_moins_3_ans"], ["90010", "999"]]
    )
    census = write_csv(tmp_path / "rp.csv", census_rows(2021, {"90010": 1234.6}))
    text = explain_fiche(None, "90010", as_json=True, donnees=[census, sheet])
    import json

    data = json.loads(text)
    assert data["couverture"]["enfants_moins_3_ans"] == 999


def _plain(text: str) -> str:
    """Spaces of every kind as one space, words cut at a line end joined again."""
    return " ".join(text.replace("\u2010 ", "").split())


def _texts(document: object) -> list[str]:
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, str):
            found.append(node)
        elif isinstance(node, tuple | list):
            for item in node:
                walk(item)
        elif hasattr(node, "__dataclass_fields__"):
            for name in node.__dataclass_fields__:
                walk(getattr(node, name))

    walk(document)
    return found


@pytest.mark.slow
def test_marseille_with_caf_and_insee_files_whole_process(tmp_path: Path) -> None:
    """The issue's « done when »: Caf rate against the national rate of the same year,
    duties settled without « à vérifier », as a user runs the command."""
    from pypdf import PdfReader

    rates = [(c, f"Marseille {i}", 2023, 50.0 + i) for i, c in enumerate(MARSEILLE_ARRONDISSEMENTS)]
    rates += [(c, f"Marseille {i}", 2022, 45.0) for i, c in enumerate(MARSEILLE_ARRONDISSEMENTS)]
    com = write_txcouv(tmp_path / "txcouv_pe_com.csv", "com", rates, encoding="utf-8-sig")
    nat = write_txcouv(
        tmp_path / "txcouv_pe_nat.csv", "nat", [("", "", 2022, 60.3), ("", "", 2023, 61.5)]
    )
    ensemble = write_ensemble_zip(tmp_path / "ensemble.zip")
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1780000000"}
    if os.environ.get("FICHEGEN_EXPECT_INSTALLED") != "1":
        env["PYTHONPATH"] = str(ROOT)
    out = tmp_path / "out"
    args = [sys.executable, "-m", "fichegen", "render", "--commune", "13055"]
    args += ["--donnees", str(com), "--donnees", str(ensemble), "--donnees", str(nat)]
    done = subprocess.run(
        [*args, "-f", "pdf,html", "-o", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    pdf = (out / "fiche15_13055_marseille.pdf").read_bytes()
    text = " ".join(
        " ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )
    html = (out / "fiche15_13055_marseille.html").read_text("utf-8")
    for content in (_plain(text), _plain(html)):
        assert (
            "en 2023 (Caf, tous modes d’accueil formels), contre 61,5 en France la même année"
            in content
        )
        duties = content.split("Vos obligations", 1)[1].split("Les leviers", 1)[0]
        # thresholds settled: the only check left is whether the competences were transferred
        transfer = "à vérifier (CASF, art. L214-1-3, III)"
        assert duties.count("à vérifier") == duties.count(transfer) == 1, duties
        assert "estimée" not in duties
        assert "population totale 2023 publiée par l’Insee" in content
        assert "txcouv_pe_com.csv" in content and "ensemble.zip" in content
    # a file of another dataset: exit 2, located message, nothing written
    bad = write_csv(tmp_path / "dep.csv", [["numdep", "annee", "txcouv_dep"], ["13", "2023", "50"]])
    out2 = tmp_path / "out2"
    refused = subprocess.run(
        [*args[:6], "--donnees", str(bad), "-o", str(out2)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert refused.returncode == 2
    assert f"{bad}:1:" in refused.stderr and "par département" in refused.stderr
    assert not out2.exists()


def test_caf_places_of_the_epci_are_named_as_such(tmp_path: Path) -> None:
    rows = [
        ["numepci", "nomepci", "numdep", "nomdep", "annee", "pl_eaje_epci", "tot_offre_epci"],
        ["200069052", "CA", "90", "Territoire de Belfort", "2023", "900,0", "2 345,0"],
    ]
    data = _official(tmp_path, write_csv(tmp_path / "nbpla.csv", rows))
    fiche = build(apply_official(profile_from_dict({"commune": {"code_insee": "90001"}}), data))
    note = fiche.coverage.note
    assert "La Caf compte 2\u202f345 places offertes dans l’intercommunalité (CA" in note
    assert "en 2023, tous modes d’accueil formels" in note and "nbpla.csv" in note
    assert fiche.profile.petite_enfance.places_eaje is None  # no team figure replaced
