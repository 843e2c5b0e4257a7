"""French typography of generated text: apostrophes, no-break spaces, units."""

from __future__ import annotations

import pytest

from fichegen.french.typography import sentence, typeset, unit_after_number

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
        (" : 12 habitants", f"{NNBSP}: 12 habitants"),
        ("l'école d'Anstaing", "l’école d’Anstaing"),
        ("aujourd'hui", "aujourd’hui"),
        ("10 000 habitants", f"10{NNBSP}000 habitants"),
        ("2 103 778", f"2{NNBSP}103{NNBSP}778"),
        ("15 000 €", f"15{NNBSP}000{NBSP}€"),
        ("un local de 200 m²", f"un local de 200{NBSP}m²"),
        ("à 12 km", f"à 12{NBSP}km"),
        ("12,5 %", f"12,5{NBSP}%"),
        ("moins de 3 ans", f"moins de 3{NBSP}ans"),
        ("3 mois", "3 mois"),
        ("https://exemple.fr/a?b=1", "https://exemple.fr/a?b=1"),
        ("10:30", "10:30"),
        ("en 2025, 40 places", "en 2025, 40 places"),
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


def test_sentence_inserts_each_value_once_even_if_it_looks_like_a_slot() -> None:
    tricky = "\ue001"
    assert sentence("{a} et {b}", a=tricky, b="B") == f"{tricky} et B"
