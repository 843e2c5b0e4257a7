"""French grammar of generated text, on real names from the embedded reference."""

from __future__ import annotations

import pytest

from fichegen.french import grammar
from fichegen.reference.lookup import load_reference

NBSP = "\u00a0"
NNBSP = "\u202f"


def _real(code: str, name: str) -> str:
    """The name as the reference spells it (the table below must hold real communes)."""
    assert load_reference().get(code).nom == name
    return name


@pytest.mark.parametrize(
    ("number", "phrase", "expected"),
    [
        (1, "crèche(s) associative(s)", f"1{NBSP}crèche associative"),
        (2, "crèche(s) associative(s)", f"2{NBSP}crèches associatives"),
        (0, "contrat(s)", f"0{NBSP}contrat"),
        (1, "contrat(s)", f"1{NBSP}contrat"),
        (3, "contrat(s) passé(s)", f"3{NBSP}contrats passés"),
        (1, "centre(s) social(aux)", f"1{NBSP}centre social"),
        (2, "centre(s) social(aux)", f"2{NBSP}centres sociaux"),
        (1, "acteur", f"1{NBSP}acteur"),
        (2, "acteur", f"2{NBSP}acteurs"),
        (2, "local", f"2{NBSP}locals"),
        (12000, "habitant", f"12{NNBSP}000{NBSP}habitants"),
    ],
)
def test_count_agrees_by_number(number: int, phrase: str, expected: str) -> None:
    assert grammar.count(number, phrase) == expected


def test_count_with_irregular_plural() -> None:
    assert grammar.count(1, "local", "locaux") == f"1{NBSP}local"
    assert grammar.count(2, "local", "locaux") == f"2{NBSP}locaux"


def test_agree_leaves_words_without_markers() -> None:
    assert grammar.agree("aucun marqueur (voir annexe)", 3) == "aucun marqueur (voir annexe)"


@pytest.mark.parametrize(
    ("code", "name", "with_de", "with_a"),
    [
        ("59013", "Anstaing", "d’Anstaing", "à Anstaing"),
        ("82038", "Caylus", "de Caylus", "à Caylus"),
        ("76351", "Le Havre", "du Havre", "au Havre"),
        ("78440", "Les Mureaux", "des Mureaux", "aux Mureaux"),
        ("97101", "Les Abymes", "des Abymes", "aux Abymes"),
        ("17300", "La Rochelle", "de La Rochelle", "à La Rochelle"),
        ("94038", "L'Haÿ-les-Roses", "de L'Haÿ-les-Roses", "à L'Haÿ-les-Roses"),
        ("59350", "Lille", "de Lille", "à Lille"),
        ("33063", "Bordeaux", "de Bordeaux", "à Bordeaux"),
        ("91691", "Yerres", "d’Yerres", "à Yerres"),
        ("2A004", "Ajaccio", "d’Ajaccio", "à Ajaccio"),
        ("97411", "Saint-Denis", "de Saint-Denis", "à Saint-Denis"),
        ("67180", "Haguenau", "de Haguenau", "à Haguenau"),
        ("59295", "Hazebrouck", "de Hazebrouck", "à Hazebrouck"),
        ("59317", "Hellemmes-Lille", "d’Hellemmes-Lille", "à Hellemmes-Lille"),
        ("64260", "Hendaye", "de Hendaye", "à Hendaye"),
    ],
)
def test_prepositions_before_commune_names(code: str, name: str, with_de: str, with_a: str) -> None:
    real = _real(code, name) if code != "59317" else name  # Hellemmes: associated commune
    assert grammar.de(real) == with_de
    assert grammar.a(real) == with_a


@pytest.mark.parametrize(
    ("word", "elides"),
    [
        ("école", True),
        ("hôpital", True),
        ("habitant", True),
        ("Hautes-Alpes", False),
        ("Haute-Garonne", False),
        ("Hauts-de-Seine", False),
        ("Havre", False),
        ("Yvetot", True),
        ("crèche", False),
        ("", False),
    ],
)
def test_elision(word: str, elides: bool) -> None:
    assert grammar.elides(word) is elides


@pytest.mark.parametrize(
    ("noun", "feminine", "expected"),
    [
        ("école", True, "l’école"),
        ("hôpital", False, "l’hôpital"),
        ("EPCI", False, "l’EPCI"),
        ("crèche", True, "la crèche"),
        ("relais", False, "le relais"),
        ("Haute-Garonne", True, "la Haute-Garonne"),
    ],
)
def test_definite_article_elides(noun: str, feminine: bool, expected: str) -> None:
    assert grammar.the(noun, feminine=feminine) == expected


@pytest.mark.parametrize(
    ("name", "article", "with_de", "with_a"),
    [
        ("CC du Quercy Caussadais", "la CC du Quercy Caussadais", "de la CC", "à la CC"),
        ("CA du Grand Montauban", "la CA du Grand Montauban", "de la CA", "à la CA"),
        ("CU de Dunkerque", "la CU de Dunkerque", "de la CU", "à la CU"),
        ("Métropole Européenne de Lille", "la Métropole Européenne de Lille", "de la M", "à la M"),
        ("Eurométropole de Strasbourg", "l’Eurométropole de Strasbourg", "de l’E", "à l’E"),
        ("Toulouse Métropole", "Toulouse Métropole", "de Toulouse", "à Toulouse"),
        ("EPT Paris Est Marne et Bois", "l’EPT Paris Est Marne et Bois", "de l’EPT", "à l’EPT"),
        ("syndicat intercommunal", "le syndicat intercommunal", "du syndicat", "au syndicat"),
    ],
)
def test_articles_before_collective_names(
    name: str, article: str, with_de: str, with_a: str
) -> None:
    assert grammar.with_article(name) == article
    assert grammar.de_article(name).startswith(with_de)
    assert grammar.a_article(name).startswith(with_a)


def test_epci_names_of_the_reference_all_get_a_sensible_article() -> None:
    """Every EPCI of the embedded data reads « la CC… », « la Métropole… » or is a place name."""
    reference = load_reference()
    names = {c.epci_nom for d, _ in reference.departements() for c in reference.communes_of(d)}
    for name in filter(None, names):
        full = grammar.with_article(name)
        assert (
            full.startswith(("la ", "l’"))
            or name.split()[0].split("-")[0]
            in {
                c.nom.split("-")[0]
                for c in reference.search(name.split()[0].split("-")[0], limit=5)
            }
            or " Métropole" in name
        ), name


@pytest.mark.parametrize(
    ("number", "feminine", "expected"),
    [(1, False, "1er"), (1, True, "1re"), (2, False, "2e"), (21, False, "21e")],
)
def test_ordinal(number: int, feminine: bool, expected: str) -> None:
    assert grammar.ordinal(number, feminine=feminine) == expected
