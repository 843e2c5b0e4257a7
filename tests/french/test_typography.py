"""French typography of generated text: apostrophes, no-break spaces, units."""

from __future__ import annotations

import re

import pytest

from fichegen.french.grammar import count
from fichegen.french.typography import COUNTED, sentence, typeset, unit_after_number

NNBSP = "\u202f"
NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pourquoi ?", f"Pourquoi{NNBSP}?"),
        ("Attention !", f"Attention{NNBSP}!"),
        ("a ; b", f"a{NNBSP}; b"),
        ("Seuil : 3 500", f"Seuil{NNBSP}: 3{NNBSP}500"),
        ("« oui »", f"«{NNBSP}oui{NNBSP}»"),
        (" : 12 habitants", f"{NNBSP}: 12{NBSP}habitants"),
        ("l'école d'Anstaing", "l’école d’Anstaing"),
        ("aujourd'hui", "aujourd’hui"),
        ("10 000 habitants", f"10{NNBSP}000{NBSP}habitants"),
        ("2 103 778", f"2{NNBSP}103{NNBSP}778"),
        ("15 000 €", f"15{NNBSP}000{NBSP}€"),
        ("un local de 200 m²", f"un local de 200{NBSP}m²"),
        ("à 12 km", f"à 12{NBSP}km"),
        ("12,5 %", f"12,5{NNBSP}%"),
        ("12,5\u00a0%", f"12,5{NNBSP}%"),
        ("moins de 3 ans", f"moins de 3{NBSP}ans"),
        ("3 mois", "3 mois"),
        ("https://exemple.fr/a?b=1", "https://exemple.fr/a?b=1"),
        ("10:30", "10:30"),
        ("en 2025, 40 places", f"en 2025, 40{NBSP}places"),
        ("1,500 kg", "1,500 kg"),
    ],
)
def test_typeset(text: str, expected: str) -> None:
    assert typeset(text) == expected


def test_typeset_is_idempotent() -> None:
    once = typeset("« Pourquoi ? » : parce que ; voilà l'an 10 000 à 12 km !")
    assert typeset(once) == once


def test_sentence_typesets_the_pattern_but_not_the_values() -> None:
    free = "L'Arbre : « ok »"
    text = sentence("Acteur : « {nom} » d'après {who}", nom=free, who="l'équipe")
    assert text == f"Acteur{NNBSP}: «{NNBSP}{free}{NNBSP}» d’après l'équipe"


def test_unit_after_number() -> None:
    assert unit_after_number(" m² (salle)") == f"{NBSP}m² (salle)"
    assert unit_after_number(" mètres") == " mètres"
    assert unit_after_number(" % des enfants") == f"{NNBSP}% des enfants"
    assert unit_after_number(" places manquent") == f"{NBSP}places manquent"
    assert unit_after_number(" habitants, 12 places") == f"{NBSP}habitants, 12 places"
    assert unit_after_number(" placettes") == " placettes"


def test_sentence_inserts_each_value_once_even_if_it_looks_like_a_slot() -> None:
    tricky = "\ue001"
    assert sentence("{a} et {b}", a=tricky, b="B") == f"{tricky} et B"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("67 571 habitants", f"67{NNBSP}571{NBSP}habitants"),
        ("1 habitant", f"1{NBSP}habitant"),
        ("12 places pour 100 enfants", f"12{NBSP}places pour 100{NBSP}enfants"),
        ("à partir de 10 naissances", f"à partir de 10{NBSP}naissances"),
        ("7 exemples, 4 réalisations", f"7{NBSP}exemples, 4{NBSP}réalisations"),
        ("lui retire 1,5 point ;", f"lui retire 1,5{NBSP}point{NNBSP};"),
        ("3 crèches, 15 berceaux", f"3{NBSP}crèches, 15{NBSP}berceaux"),
        ("2 micro-crèches", f"2{NBSP}micro-crèches"),
        ("9 assistantes maternelles", f"9{NBSP}assistantes maternelles"),
        ("2 locaux, 1 local", f"2{NBSP}locaux, 1{NBSP}local"),
        ("12 ménages, 3 communes", f"12{NBSP}ménages, 3{NBSP}communes"),
        # Not a counted noun, or not after a whole number: the plain space stays.
        ("en 2023 les crèches", "en 2023 les crèches"),
        ("la population totale 2023 serait", "la population totale 2023 serait"),
        ("la Scop E2S places", "la Scop E2S places"),
        ("12 placettes", "12 placettes"),
        ("12 places-tests", "12 places-tests"),
        ("des places pour 12", "des places pour 12"),
        ("12  places", "12  places"),
    ],
)
def test_typeset_joins_a_number_to_the_noun_it_counts(text: str, expected: str) -> None:
    assert typeset(text) == expected


@pytest.mark.parametrize("noun", ["habitants", "places", "enfants", "demandes", "contrats"])
def test_the_counted_list_names_the_nouns_a_fiche_counts(noun: str) -> None:
    assert any(re.fullmatch(p, noun) for p in COUNTED)
    assert typeset(f"12 {noun}") == f"12{NBSP}{noun}"


def test_counted_nouns_and_percent_are_idempotent() -> None:
    once = typeset("En 2023, 67 571 habitants, 12,5 % et 30\u00a0% ; 1 place, 2023 les")
    assert once == (
        f"En 2023, 67{NNBSP}571{NBSP}habitants, 12,5{NNBSP}% et 30{NNBSP}%{NNBSP}; "
        f"1{NBSP}place, 2023 les"
    )
    assert typeset(once) == once


def test_percent_takes_the_narrow_no_break_space_as_formatting_does() -> None:
    from fichegen.french.formatting import percent

    assert typeset("30 %") == percent(30, 0) == f"30{NNBSP}%"


def test_sentence_joins_a_pattern_noun_to_an_inserted_number() -> None:
    text = sentence("{n} habitants, {p} % et {m} m²", n=f"67{NNBSP}571", p="30", m="200")
    assert text == f"67{NNBSP}571{NBSP}habitants, 30{NNBSP}% et 200{NBSP}m²"


def test_sentence_never_binds_inside_an_inserted_value() -> None:
    free = "Les 3 places et 12 enfants de 30 %"
    text = sentence("{nom} : {n} places", nom=free, n="4")
    assert text == f"{free}{NNBSP}: 4{NBSP}places"
    # A value that does not end with a digit leaves the pattern's space as it is.
    assert sentence("{nom} places", nom="Les 3") == f"Les 3{NBSP}places"
    assert sentence("{nom} places", nom="Trois") == "Trois places"
    assert sentence("{nom} habitants", nom="E2S") == "E2S habitants"


def test_sentence_with_two_adjacent_values() -> None:
    assert sentence("{a} {b} enfants", a="12", b="34") == f"12 34{NBSP}enfants"


def test_count_joins_the_number_to_its_noun() -> None:
    assert count(2, "contrat") == f"2{NBSP}contrats"
    assert count(67571, "habitant") == f"67{NNBSP}571{NBSP}habitants"
    assert count(1, "crèche(s) associative(s)") == f"1{NBSP}crèche associative"
    assert count(3, "local", "locaux") == f"3{NBSP}locaux"
