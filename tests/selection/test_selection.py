"""Lever ranking and example choice: reasons with figures, priorities, nearest, determinism."""

from __future__ import annotations

import math

import pytest
from support_selection import fiche_for, find_commune, profile

from fichegen.french.formatting import number
from fichegen.knowledge.base import LEVER_IDS, load_knowledge
from fichegen.reference.lookup import load_reference
from fichegen.selection.builder import PRIORITY_REASON, build
from fichegen.selection.examples import haversine_km

RICH = {
    "petite_enfance": {
        "enfants_moins_3_ans": 55,
        "places_eaje": 0,
        "assistants_maternels": 12,
        "mam": 0,
        "demandes_en_attente": 20,
    },
    "patrimoine": {
        "locaux_disponibles": [
            {"description": "ancienne école", "surface_m2": 200, "domaine": "prive"}
        ]
    },
    "acteurs_ess": [{"nom": "Centre social Le Lien", "type": "centre_social"}],
    "gouvernance": {
        "convention_territoriale_globale": False,
        "contrats_ess": [
            {"acteur": "Crèche Les Lutins", "mode": "subvention", "pluriannuel": False}
        ],
    },
}


def test_reasons_carry_the_figures() -> None:
    fiche = fiche_for("59275", **RICH)
    reasons = {lever.id: lever.reasons for lever in fiche.levers}
    # Reasons are typeset: no-break spaces join figures to their units.
    assert "Un local disponible de 200\u00a0m² (ancienne école)" in reasons["locaux"]
    assert (
        "Aucune place en crèche pour 55\u00a0enfants de moins de 3\u00a0ans" in reasons["creation"]
    )
    assert any("20\u00a0demandes" in r for r in reasons["creation"])
    assert any("Crèche Les Lutins" in r for r in reasons["contractualisation"])
    assert any("Centre social Le Lien" in r for r in reasons["creation"])
    assert [lever.rang for lever in fiche.levers] == [1, 2, 3, 4, 5]
    assert fiche.levers[0].id in {"locaux", "creation"}
    scores = [lever.score for lever in fiche.levers]
    assert scores == sorted(scores, reverse=True)
    assert all(lever.reasons for lever in fiche.levers if lever.score > 0)


def test_big_city_reason_names_the_population_and_the_schema() -> None:
    city = find_commune(lambda c: (c.population_municipale or 0) > 10000 and c.zone == "metro")
    fiche = fiche_for(city.code_insee)
    cooperation = next(lever for lever in fiche.levers if lever.id == "cooperation")
    assert any("schéma pluriannuel, obligatoire" in r for r in cooperation.reasons)
    assert any("10 000" in r or "10\u202f000" in r for r in cooperation.reasons)


def test_code_only_profile_gets_an_order_with_reference_reasons() -> None:
    rural = find_commune(
        lambda c: (
            c.zone == "metro" and (c.densite or 1000) < 30 and (c.population_municipale or 0) > 200
        )
    )
    fiche = fiche_for(rural.code_insee)
    assert fiche.levers[0].id != "contractualisation"
    assert any("hab./km²" in r for lever in fiche.levers for r in lever.reasons)
    assert sorted(lever.id for lever in fiche.levers) == sorted(LEVER_IDS)


def test_priorities_first_in_given_order() -> None:
    fiche = fiche_for("59275", priorites=["contractualisation", "engagement"], **RICH)
    assert [lever.id for lever in fiche.levers][:2] == ["contractualisation", "engagement"]
    assert fiche.levers[0].reasons[0] == PRIORITY_REASON
    assert fiche.levers[0].prioritaire and not fiche.levers[2].prioritaire


def test_excluding_all_but_one_lever() -> None:
    fiche = fiche_for("59275", exclure=["locaux", "engagement", "creation", "contractualisation"])
    assert [lever.id for lever in fiche.levers] == ["cooperation"]
    assert fiche.excluded_levers == ("locaux", "engagement", "creation", "contractualisation")
    kb = load_knowledge()
    for ex in fiche.examples:
        assert "cooperation" in kb.example(ex.id).leviers


def test_neighbour_of_an_example_gets_it_first_at_a_few_km() -> None:
    reference = load_reference()
    anstaing = reference.get("59013")
    neighbour = find_commune(
        lambda c: (
            c.code_insee != "59013"
            and c.latitude is not None
            and c.longitude is not None
            and haversine_km(
                c.latitude, c.longitude, anstaing.latitude or 0, anstaing.longitude or 0
            )
            < 5
        )
    )
    fiche = fiche_for(neighbour.code_insee)
    first = fiche.examples[0]
    assert first.commune_code == "59013"
    assert "proche" in first.criteria
    assert first.distance_km is not None and first.distance_km < 5
    assert first.reasons[0] == f"à {round(first.distance_km)}\u00a0km" or first.reasons[
        0
    ].startswith("à moins de")


def test_gruson_gets_anstaing_with_its_distance() -> None:
    reference = load_reference()
    g, a = reference.get("59275"), reference.get("59013")
    assert g.latitude and g.longitude and a.latitude and a.longitude
    expected = haversine_km(g.latitude, g.longitude, a.latitude, a.longitude)
    fiche = fiche_for("59275")
    anstaing = next(e for e in fiche.examples if e.commune_code == "59013")
    assert anstaing.distance_km == pytest.approx(round(expected, 1))
    assert any("taille comparable" in r for r in anstaing.reasons)


def test_commune_that_is_an_example_is_not_its_own_nearby_example() -> None:
    fiche = fiche_for("59013")
    assert fiche.self_examples == ("anstaing-petites-mains-grandes-aventures",)
    assert all(e.commune_code != "59013" for e in fiche.examples)
    assert len(fiche.examples) == 4


def test_number_of_examples_follows_the_profile() -> None:
    fiche = fiche_for("59275", fiche={"nombre_exemples": 2})
    assert len(fiche.examples) == 2
    assert len({e.id for e in fiche_for("59275", fiche={"nombre_exemples": 7}).examples}) == 7
    # Anstaing hosts one example: only the six others can be offered.
    assert len({e.id for e in fiche_for("59013", fiche={"nombre_exemples": 7}).examples}) == 6


def test_com_commune_has_no_distances() -> None:
    com = find_commune(lambda c: c.zone == "com" and c.latitude is None)
    fiche = fiche_for(com.code_insee)
    assert fiche.examples
    assert all(e.distance_km is None for e in fiche.examples)
    assert all("proche" not in e.criteria for e in fiche.examples)
    assert any("Distances non calculées" in n for n in fiche.notices)


def test_determinism() -> None:
    p = profile("59275", **RICH)
    first, second = build(p), build(p)
    assert first.to_dict() == second.to_dict()
    assert first == second


def test_haversine_known_distance() -> None:
    # One degree of latitude along a meridian is about 111.2 km on a 6371 km sphere.
    assert haversine_km(45.0, 3.0, 46.0, 3.0) == pytest.approx(math.pi * 6371 / 180, rel=1e-6)


def test_profile_overrides_are_applied_and_listed() -> None:
    fiche = fiche_for("59275", commune={"code_insee": "59275", "nom": "Gruson (Nord)"})
    assert fiche.commune.commune.nom == "Gruson (Nord)"
    assert fiche.commune.overrides == ("commune.nom",)
    assert fiche.to_dict()["commune"]["nom"] == "Gruson (Nord)"


def test_a_reason_never_cites_the_commune_as_its_own_model() -> None:
    fiche = fiche_for("59013")
    reasons = [r for lever in fiche.levers for r in lever.reasons]
    assert reasons and not any("comme à Anstaing" in r for r in reasons)
    assert any(
        "comme à Anstaing" in r for lever in fiche_for("59275").levers for r in lever.reasons
    )


def _reasons(fiche: object) -> list[str]:
    return [r for lever in fiche.levers for r in lever.reasons]  # type: ignore[attr-defined]


def test_caylus_is_not_told_a_creche_can_be_born_there() -> None:
    fiche = fiche_for("82038")  # reference only; its own example is a micro-crèche since 2009
    reasons = _reasons(fiche)
    assert not any("peut naître" in r or "faire naître" in r for r in reasons)
    creation = next(lever for lever in fiche.levers if lever.id == "creation")
    assert any("Déjà fait à Caylus" in r and "micro-crèche" in r for r in creation.reasons)


@pytest.mark.parametrize(
    "sections",
    [
        {"acteurs_ess": [{"nom": "Les P’tits Loups", "type": "creche_parentale"}]},
        {"petite_enfance": {"places_eaje": 12, "places_eaje_ess": 12}},
    ],
)
def test_a_reported_ess_creche_turns_creation_into_strengthening(sections: dict) -> None:
    small = find_commune(
        lambda c: (
            c.zone == "metro"
            and 500 < (c.population_municipale or 0) < 2000
            and c.code_insee not in {"59013", "82038"}
        )
    )
    before = next(lv for lv in fiche_for(small.code_insee).levers if lv.id == "creation")
    assert any("peut naître" in r for r in before.reasons)
    after = next(lv for lv in fiche_for(small.code_insee, **sections).levers if lv.id == "creation")
    assert not any("peut naître" in r or "faire naître" in r for r in after.reasons)
    assert any("conforter ou l’agrandir" in r for r in after.reasons)


def test_method_describes_the_actual_weights_and_origin() -> None:
    fiche = fiche_for("59013")
    weights = [s.poids for lever in fiche.knowledge.levers for s in lever.signaux]
    text = " ".join(fiche.method)
    assert "chaque point correspond" not in text
    gains = [w for w in weights if w >= 0]
    assert f"de {number(min(gains))} à {number(max(gains))}" in text
    losses = sorted(-w for w in weights if w < 0)
    assert losses and f"lui retire {number(losses[0])} point" in text  # couverture_elevee
    assert "ajouté" not in text  # no user knowledge folder here


def test_caylus_is_not_told_what_it_already_does() -> None:
    reasons = _reasons(fiche_for("82038"))
    assert not any("peut accueillir une micro-crèche" in r for r in reasons)
    assert not any("peut porter l'accueil" in r or "peut porter l’accueil" in r for r in reasons)
