"""The commune that is one of fiche n° 15's examples is told its own story, not advised to do it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from support_selection import fiche_for

# commune, lever whose story must be told first among its reasons, words that story holds,
# generic advice it must no longer read.
OWN_STORIES = [
    ("69266", "engagement", "depuis le premier trimestre 2021", "est envisageable"),
    ("69266", "cooperation", "depuis 2015", "comme à Villeurbanne"),
    ("69266", "locaux", "870", "Aucun des chiffres"),
    ("54395", "cooperation", "en réseau", "gagnent à travailler en réseau"),
    ("93057", "locaux", "appel à projets", "Aucun des chiffres"),
    ("82038", "locaux", "local restauré", "Aucun des chiffres"),
    ("82038", "engagement", "association de parents", "peut porter l’accueil"),
    ("82038", "creation", "2009", "peut naître"),
    ("59013", "creation", "février 2025", "comme à Anstaing"),
    ("59350", "contractualisation", "10\u00a0places", "aucun signal"),
]


@pytest.mark.parametrize(("code", "lever_id", "told", "not_told"), OWN_STORIES)
def test_reference_only_fiche_tells_the_commune_its_story_and_a_next_step(
    code: str, lever_id: str, told: str, not_told: str
) -> None:
    fiche = fiche_for(code)
    lever = next(lv for lv in fiche.levers if lv.id == lever_id)
    first = lever.reasons[0]
    assert first.startswith("Déjà fait"), lever.reasons
    assert "fiche n°\u00a015" in first
    assert told in first
    assert "Prochaine étape possible" in first
    assert not any(not_told in r for r in lever.reasons), lever.reasons
    assert lever.score > 0


@pytest.mark.parametrize("code", ["69266", "54395", "93057", "82038", "59013", "59350"])
def test_own_example_is_its_story_never_a_nearby_example(code: str) -> None:
    fiche = fiche_for(code)
    assert fiche.self_examples
    assert all(e.commune_code != code for e in fiche.examples)
    assert fiche.story and all(r.commune_code == code for r in fiche.story)


def test_nancy_network_is_not_counted_as_a_creche() -> None:
    reasons = [r for lever in fiche_for("54395").levers for r in lever.reasons]
    assert not any("Une crèche de l’ESS existe déjà" in r for r in reasons)


def test_gruson_keeps_anstaing_nearby_and_is_told_its_own_grant() -> None:
    fiche = fiche_for("59275")
    assert any(e.commune_code == "59013" for e in fiche.examples)
    contract = next(lv for lv in fiche.levers if lv.id == "contractualisation")
    assert contract.reasons[0].startswith("Déjà fait à Gruson")
    assert "25\u202f000" in contract.reasons[0] or "25\u00a0000" in contract.reasons[0]


def test_a_commune_without_example_has_no_story() -> None:
    fiche = fiche_for("75056")
    assert fiche.story == () and fiche.self_examples == ()
    assert not any(r.startswith("Déjà fait") for lv in fiche.levers for r in lv.reasons)


@pytest.mark.parametrize(
    "sections",
    [
        {"petite_enfance": {"enfants_moins_3_ans": 40, "places_eaje": 0}},
        {"petite_enfance": {"places_eaje": 12, "places_eaje_ess": 0}},
    ],
)
def test_figures_against_the_source_are_one_thing_to_check(sections: dict) -> None:
    fiche = fiche_for("82038", **sections)
    assert len(fiche.a_verifier) == 1
    check = fiche.a_verifier[0]
    assert check.startswith("La fiche n°\u00a015 mentionne la micro-crèche Histoire de Bulles")
    assert check.endswith("à vérifier.")
    assert list(fiche.notices).count(check) == 1
    reasons = [r for lever in fiche.levers for r in lever.reasons]
    # Neither side is built on: no « no place » reason, no « the crèche exists » reason.
    for words in (
        "Aucune place en crèche",
        "existe déjà",
        "peut naître",
        "faire naître",
        "peut porter",
        "dix places",
        "Histoire de Bulles, dix",
    ):
        assert not any(words in r for r in reasons), (words, reasons)


def test_explain_json_keeps_its_keys_and_adds_the_story() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "fichegen", "explain", "--commune", "82038", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(out.stdout)
    for key in (
        "commune",
        "sppe",
        "obligations",
        "couverture",
        "levers",
        "examples",
        "self_examples",
        "method",
        "notices",
    ):
        assert key in data
    assert data["self_examples"] == ["caylus-histoire-de-bulles"]
    assert {h["levier"] for h in data["histoire"]} == {"locaux", "engagement", "creation"}
    assert data["a_verifier"] == []
