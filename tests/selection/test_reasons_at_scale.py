"""Reasons fit the commune's scale: no crèche of its own pushed where too few children live,
no new places pushed without a word where coverage is already above France's.

A reader's review: a 52-inhabitant commune with no birth in 2022 had « créer une crèche »
first; Bordeaux (77,6 places per 100, France 60,9) had creation pushed by its growth alone.
"""

from __future__ import annotations

import pytest
from support_selection import fiche_for

from fichegen.selection.fiche import Fiche

_OWN_CRECHE = ("une crèche associative peut naître", "peut accueillir une micro-crèche")


def _reasons(fiche: Fiche) -> list[str]:
    return [r for lever in fiche.levers for r in lever.reasons]


@pytest.mark.parametrize(
    ("code", "children"),
    [
        # Arzenc-d'Apcher: 52 inhabitants, no birth
        ("48007", "Aucune naissance en 2022 (Insee), donc très peu de jeunes enfants"),
        # Ambléon: 115 inhabitants, 1 birth
        ("01006", "Une seule naissance en 2022 (Insee), soit environ 3\u00a0enfants de moins de 3"),
        # Arbigny: 462 inhabitants, 2 births
        ("01016", "2\u00a0naissances en 2022 (Insee), soit environ 6\u00a0enfants de moins de 3"),
    ],
)
def test_too_few_children_for_a_creche_puts_neighbours_first(code: str, children: str) -> None:
    fiche = fiche_for(code)
    first = fiche.levers[0]
    assert first.id == "cooperation"
    assert first.reasons[0].startswith(children), first.reasons
    assert "12\u00a0places d’une seule micro-crèche" in first.reasons[0]
    assert not any(words in r for r in _reasons(fiche) for words in _OWN_CRECHE)
    # nor a crèche argued on the intercommunality's low rate
    assert not any("places pour 100" in r and "contre" in r for r in _reasons(fiche))


@pytest.mark.parametrize("code", ["01008", "01005", "82038"])  # 6 and 34 births, Caylus
def test_a_commune_with_a_dozen_children_or_more_keeps_its_reasons(code: str) -> None:
    fiche = fiche_for(code)
    assert not any("12\u00a0places d’une seule micro-crèche" in r for r in _reasons(fiche))


def test_the_figure_given_for_children_counts_before_the_estimate() -> None:
    few = fiche_for("01005", petite_enfance={"enfants_moins_3_ans": 7})  # 34 births
    first = few.levers[0].reasons[0]
    assert first.startswith("7\u00a0enfants de moins de 3\u00a0ans (chiffre fourni)")
    many = fiche_for("01006", petite_enfance={"enfants_moins_3_ans": 20})  # 1 birth
    assert not any("micro-crèche ;" in r for r in _reasons(many))


@pytest.mark.parametrize(
    ("code", "above"),
    [
        ("33063", True),  # Bordeaux, 77,6 (Caf, 2023)
        ("01001", True),  # its intercommunality's rate, 75,1
        ("62193", False),  # Calais, 51,1
        ("59172", False),  # Denain, 28,9
    ],
)
def test_coverage_above_france_is_said_and_lowers_creation(code: str, above: bool) -> None:
    fiche = fiche_for(code)
    creation = next(lever for lever in fiche.levers if lever.id == "creation")
    said = [r for r in creation.reasons if r.startswith("Couverture déjà au-dessus")]
    assert bool(said) is above
    if above:
        assert "contre 60,9 en France la même année" in said[0]
        others = [lever for lever in fiche.levers if lever.id != "creation"]
        assert creation.rang > min(lever.rang for lever in others)
        assert creation.reasons[0] != said[0] or len(creation.reasons) == 1


def test_paris_is_not_told_its_creche_places_are_unknown() -> None:
    for code in ("75056", "69123", "13055"):
        assert not any("places en crèche de la commune" in r for r in _reasons(fiche_for(code)))
    yeu = _reasons(fiche_for("85113"))  # L'Île-d'Yeu: births known, no rate, no offer given
    assert any("places en crèche de la commune n’est pas dans les données" in r for r in yeu)


@pytest.mark.parametrize("name", ["anstaing", "lille", "foix"])
def test_reasons_on_what_the_team_listed_do_not_overclaim(name: str) -> None:
    """« 1 acteur de l'ESS recensé dans la commune » (Lille: only what its team listed) and
    « crèche … à mettre en réseau avec l'offre municipale » (Anstaing: no municipal crèche
    known) read as facts the fiche does not have."""
    from pathlib import Path

    from fichegen import build
    from fichegen.inputs.profile import load_profile

    path = next((Path(__file__).parents[2] / "profiles").glob(f"*{name}*.yaml"))
    reasons = _reasons(build(load_profile(path)))
    assert reasons
    assert not any(r[:2] == "1 " for r in reasons), reasons
    assert not any("recensé" in r or "offre municipale" in r for r in reasons), reasons


def test_a_low_density_reads_in_reasons_as_on_its_tile() -> None:
    """Arzenc-d'Apcher's tile said « 6,7 hab./km² », its reasons « (7 hab./km²) »."""
    from support_selection import find_commune

    from fichegen.french.formatting import number

    sparse = find_commune(
        lambda c: (
            c.densite is not None
            and c.densite < 9.5
            and (c.population_municipale or 0) > 150
            and c.zone == "metro"
        )
    )
    fiche = fiche_for(sparse.code_insee, petite_enfance={"enfants_moins_3_ans": 20})
    assert sparse.densite is not None
    shown = number(sparse.densite, 1)
    assert "," in shown
    reasons = [r for r in _reasons(fiche) if "hab./km²" in r]
    assert reasons and all(f"({shown}\u00a0hab./km²)" in r for r in reasons), reasons


@pytest.mark.parametrize("name", ["anstaing", "lille"])
def test_a_lever_names_the_same_actors_once(name: str) -> None:
    """Anstaing's contractualisation lever read « Crèche de l'ESS à soutenir dans la durée :
    Petites Mains Grandes Aventures » then « Acteur de l'ESS déjà connu dans la commune :
    Petites Mains Grandes Aventures »."""
    from pathlib import Path

    from fichegen import build
    from fichegen.inputs.profile import load_profile

    path = next((Path(__file__).parents[2] / "profiles").glob(f"*{name}*.yaml"))
    fiche = build(load_profile(path))
    actors = [a.nom for a in fiche.profile.acteurs_ess]
    assert actors
    for lever in fiche.levers:
        for actor in actors:
            listing = [
                r
                for r in lever.reasons
                if r.endswith(f" : {actor}") or r.endswith(f"\u202f: {actor}")
            ]
            assert len(listing) <= 1, (lever.id, listing)
