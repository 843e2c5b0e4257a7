"""SPPE duties (art. L214-1-3 CASF) and coverage, on real communes around the thresholds."""

from __future__ import annotations

from datetime import date

import pytest
from support_selection import fiche_for, find_commune, profile

from fichegen.reference.lookup import load_reference
from fichegen.reference.types import Commune
from fichegen.selection.builder import build
from fichegen.selection.obligations import NATIONAL_SOURCE

IDS = [
    "recenser",
    "informer",
    "planifier",
    "qualite",
    "schema_pluriannuel",
    "relais_petite_enfance",
]


def duties(code: str, **sections: object) -> dict[str, bool]:
    fiche = fiche_for(code, **sections)
    return {o.id: o.obligatoire for o in fiche.obligations}


def _between(threshold: int) -> str:
    """A commune whose population municipale is at most the threshold but totale above."""

    def straddles(c: Commune) -> bool:
        m, t = c.population_municipale, c.population_totale
        return m is not None and t is not None and m <= threshold < t

    return find_commune(straddles).code_insee


@pytest.mark.parametrize(
    ("threshold", "mandatory"),
    [(3500, {"planifier", "qualite"}), (10000, {"schema_pluriannuel", "relais_petite_enfance"})],
)
def test_totale_decides_when_municipale_is_below(threshold: int, mandatory: set[str]) -> None:
    code = _between(threshold)
    result = duties(code)
    assert all(result[i] for i in mandatory)
    sppe = fiche_for(code).sppe
    assert sppe.population_label == "population totale"
    assert sppe.population_reference == load_reference().get(code).population_totale


def test_all_six_duties_listed_with_legal_basis() -> None:
    code = find_commune(lambda c: (c.population_totale or 0) > 20000).code_insee
    fiche = fiche_for(code)
    assert [o.id for o in fiche.obligations] == IDS
    assert all(o.obligatoire for o in fiche.obligations)
    assert all("L214-1-3" in o.base_legale for o in fiche.obligations)
    relais = fiche.obligations[-1]
    assert relais.en_vigueur_depuis == date(2026, 1, 1)
    assert fiche.obligations[0].en_vigueur_depuis == date(2025, 1, 1)
    assert "CTG" in (fiche.obligations[4].remarque or "")


@pytest.mark.parametrize(
    ("population", "plan", "big"),
    [(3500, False, False), (3501, True, False), (10000, True, False), (10001, True, True)],
)
def test_strictly_more_than(population: int, plan: bool, big: bool) -> None:
    code = find_commune(lambda c: c.zone == "metro" and c.population_totale is not None).code_insee
    fiche = build(profile(code, commune={"code_insee": code, "population_totale": population}))
    result = {o.id: o.obligatoire for o in fiche.obligations}
    assert result["recenser"] and result["informer"]
    assert result["planifier"] is plan and result["qualite"] is plan
    assert result["schema_pluriannuel"] is big and result["relais_petite_enfance"] is big
    assert fiche.sppe.population_reference == population
    assert "profil" in fiche.sppe.population_label
    assert "commune.population_totale" in fiche.commune.overrides


def test_epci_transfer_uses_the_epci_population() -> None:
    reference = load_reference()

    def small_in_big_epci(c: Commune) -> bool:
        epci = reference.epci_of(c.code_insee) if c.epci_code else None
        return (
            (c.population_totale or 10**9) < 2000
            and epci is not None
            and (epci.population_totale > 10000)
        )

    small = find_commune(small_in_big_epci)
    epci = reference.epci_of(small.code_insee)
    assert epci is not None
    alone = duties(small.code_insee)
    assert not alone["planifier"]
    fiche = fiche_for(small.code_insee, petite_enfance={"competence_transferee_epci": True})
    assert fiche.sppe.population_reference == epci.population_totale
    assert all(o.obligatoire for o in fiche.obligations)
    assert epci.nom in fiche.sppe.population_label
    assert "toutes ses communes membres" in (fiche.sppe.notice or "")


def test_island_without_totale_uses_municipale_with_caveat() -> None:
    island = find_commune(
        lambda c: (
            c.zone != "com"
            and c.population_totale is None
            and (c.population_municipale or 0) > 3500
        )
    )
    fiche = fiche_for(island.code_insee)
    assert fiche.sppe.population_reference == island.population_municipale
    assert "municipale" in fiche.sppe.population_label
    assert fiche.sppe.notice and "au moins égale" in fiche.sppe.notice
    assert {o.id: o.obligatoire for o in fiche.obligations}["planifier"] is True


def test_com_commune_gets_a_notice_and_no_duty() -> None:
    com = find_commune(lambda c: c.zone == "com")
    fiche = fiche_for(com.code_insee)
    assert not fiche.sppe.applicable
    assert fiche.obligations == ()
    assert fiche.sppe.notice and "outre-mer" in fiche.sppe.notice
    assert fiche.sppe.notice in fiche.notices


def test_coverage_maths_eaje_only() -> None:
    fiche = fiche_for("59013", petite_enfance={"enfants_moins_3_ans": 80, "places_eaje": 20})
    cov = fiche.coverage
    assert cov.places == 20
    assert cov.places_pour_100 == pytest.approx(25.0)
    assert cov.national_places_pour_100 == pytest.approx(60.3)
    assert cov.national_source == NATIONAL_SOURCE
    assert cov.comparaison and "35,3" in cov.comparaison and "moins" in cov.comparaison
    assert "seulement" in cov.note


def test_coverage_with_assistants_places_says_so() -> None:
    fiche = fiche_for(
        "59013",
        petite_enfance={
            "enfants_moins_3_ans": 50,
            "places_eaje": 20,
            "places_assistants_maternels": 15,
        },
    )
    assert fiche.coverage.places == 35
    assert fiche.coverage.places_pour_100 == pytest.approx(70.0)
    assert "plus" in (fiche.coverage.comparaison or "")
    assert "assistants maternels" in fiche.coverage.note


def test_coverage_unknown_small_commune_asks_for_local_figures() -> None:
    code = find_commune(lambda c: (c.population_totale or 10**9) < 5000).code_insee
    cov = fiche_for(code).coverage
    assert cov.places_pour_100 is None and cov.comparaison is None
    assert "qu'au-dessus de 10" in cov.note and "chiffres locaux" in cov.note


def test_coverage_unknown_big_commune_points_to_caf_data() -> None:
    code = find_commune(lambda c: (c.population_totale or 0) > 50000).code_insee
    cov = fiche_for(code).coverage
    assert cov.places_pour_100 is None
    assert "Caf" in cov.note and "qu'au-dessus" not in cov.note


@pytest.mark.parametrize(
    ("transferred", "planifier", "schema"),
    [(3500, False, False), (3501, True, False), (10001, True, True)],
)
def test_epci_transfer_with_the_population_of_the_transferring_communes(
    transferred: int, planifier: bool, schema: bool
) -> None:
    small = find_commune(
        lambda c: (c.population_totale or 10**9) < 2000 and c.epci_code is not None
    )
    fiche = fiche_for(
        small.code_insee,
        petite_enfance={
            "competence_transferee_epci": True,
            "population_communes_transferees": transferred,
        },
    )
    assert fiche.sppe.population_reference == transferred
    assert "ayant transféré la compétence" in fiche.sppe.population_label
    got = {o.id: o.obligatoire for o in fiche.obligations}
    assert (got["planifier"], got["schema_pluriannuel"]) == (planifier, schema)
    if planifier:  # the reason names what the population is, not « commune de plus de »
        reasons = [r for lever in fiche.levers for r in lever.reasons if "3\u202f500" in r]
        assert reasons and all("ayant transféré" in r for r in reasons)


def test_size_reasons_and_threshold_reasons_name_their_population() -> None:
    fiche = fiche_for("01269")  # Nantua: municipale 3 416, totale 3 591 (reference data)
    commune = load_reference().get("01269")
    assert commune.population_municipale is not None and commune.population_totale is not None
    assert commune.population_municipale <= 3500 < commune.population_totale
    reasons = [r for lever in fiche.levers for r in lever.reasons]
    assert any("population totale" in r and "3\u202f591" in r for r in reasons)
    small = [r for r in reasons if r.startswith("Commune de ")]
    assert small and all("3\u202f416" in r and "population municipale" in r for r in small)
