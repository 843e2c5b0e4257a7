"""``fichegen explain``: the readable text and the JSON object of SPEC.md."""

from __future__ import annotations

import json

from support_selection import fiche_for

from fichegen.selection.explain import explain_json, explain_text


def test_json_has_the_contract_keys() -> None:
    fiche = fiche_for("59275", petite_enfance={"enfants_moins_3_ans": 55, "places_eaje": 0})
    data = json.loads(explain_json(fiche))
    assert {"commune", "obligations", "levers", "examples"} <= set(data)
    assert {
        "code_insee",
        "nom",
        "departement",
        "population_totale",
        "population_municipale",
    } <= set(data["commune"])
    assert data["commune"]["code_insee"] == "59275" and data["commune"]["nom"] == "Gruson"
    assert [o["id"] for o in data["obligations"]] == [
        "recenser",
        "informer",
        "planifier",
        "qualite",
        "schema_pluriannuel",
        "relais_petite_enfance",
    ]
    assert all({"id", "obligatoire", "base_legale"} <= set(o) for o in data["obligations"])
    assert [lever["rang"] for lever in data["levers"]] == list(range(1, len(data["levers"]) + 1))
    assert all({"id", "titre", "rang", "reasons"} <= set(lev) for lev in data["levers"])
    assert all({"id", "commune_code", "distance_km", "reasons"} <= set(e) for e in data["examples"])
    # Texts come typeset (no-break space before the unit « ans »), as in the fiche.
    text = explain_json(fiche)
    assert "Aucune place en crèche pour 55\u00a0enfants de moins de 3\u00a0ans" in text


def test_json_is_stable() -> None:
    assert explain_json(fiche_for("59013")) == explain_json(fiche_for("59013"))


def test_text_tells_levers_examples_and_duties() -> None:
    fiche = fiche_for("59275", exclure=["engagement"])
    text = explain_text(fiche)
    assert "Gruson" in text and "(59275)" in text
    for lever in fiche.levers:
        assert f"{lever.rang}. {lever.titre}" in text
    assert "engagement" in text.split("Leviers exclus par le profil")[1]
    for example in fiche.examples:
        assert example.titre in text
    assert "non obligatoire" in text and "L214-1-3" in text


def test_text_for_a_com_commune_shows_the_notice() -> None:
    text = explain_text(fiche_for("98735"))
    assert "outre-mer" in text
    assert "[planifier]" not in text


def test_saint_pierre_et_miquelon_duties_are_to_check_unless_figures_rule_them_out() -> None:
    # Whether article L214-1-3 applies in the archipelago is to be checked; the four duties
    # of the 3 500 and 10 000 thresholds are ruled out by the population municipale alone.
    text = explain_text(fiche_for("97501"))
    assert "L531-5" in text
    assert text.count(": à vérifier") == 2
    assert text.count(": non obligatoire") == 4
