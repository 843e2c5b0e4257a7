"""Places per 100 children under 3 from the profile's figures, compared with France's."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fichegen.french.formatting import number
from fichegen.selection.fiche import CommuneFacts, Coverage
from fichegen.selection.signals import NATIONAL_PLACES_PER_100

if TYPE_CHECKING:
    from fichegen.inputs.profile import Profile

__all__ = ["CAF_OPEN_DATA_THRESHOLD", "NATIONAL_SOURCE", "coverage_for"]

CAF_OPEN_DATA_THRESHOLD = 10000
NATIONAL_SOURCE = "Cnaf, rapport de l’ONAPE 2024 (données 2022)"


def _places(ratio: float) -> str:
    """« 0,8 place », « 1 place », « 2 places »: under 2, French takes the singular."""
    return "place" if abs(ratio) < 2 else "places"


def coverage_for(facts: CommuneFacts, profile: Profile, where: str | None = None) -> Coverage:
    """Places per 100 children under 3 from the profile's figures, never estimated.
    ``where`` says whom to ask for the figures where no Caf serves the commune."""
    pe = profile.petite_enfance
    enfants, places_eaje = pe.enfants_moins_3_ans, pe.places_eaje
    places_am = pe.places_assistants_maternels
    commune = facts.commune
    own_pop = commune.population_totale or commune.population_municipale
    national = number(NATIONAL_PLACES_PER_100)

    def result(
        places: int | None, ratio: float | None, comparaison: str | None, note: str
    ) -> Coverage:
        return Coverage(
            enfants, places, ratio, NATIONAL_PLACES_PER_100, NATIONAL_SOURCE, comparaison, note
        )

    if enfants is not None and enfants > 0 and places_eaje is not None:
        places = places_eaje + (places_am or 0)
        ratio = round(places * 100 / enfants, 1)
        if places_am is not None:
            what = "places en crèche (EAJE) et places chez les assistants maternels"
        else:
            what = (
                "places en crèche (EAJE) seulement ; le taux national compte aussi les "
                "autres modes d'accueil, dont les assistants maternels"
            )
        gap = round(ratio - NATIONAL_PLACES_PER_100, 1)
        if gap < 0:
            side = f"{number(-gap)} point{'s' if -gap >= 2 else ''} de moins que"
        elif gap > 0:
            side = f"{number(gap)} point{'s' if gap >= 2 else ''} de plus que"
        else:
            side = "autant que"
        comparaison = (
            f"{number(ratio)} {_places(ratio)} pour 100 enfants de moins de 3\u00a0ans, soit "
            f"{side} la moyenne nationale ({national} en 2022)."
        )
        if pe.taux_couverture is not None:  # a rate the user gave is always shown
            comparaison += (
                f" Taux de couverture fourni : {number(pe.taux_couverture, 3)} pour 100 enfants."
            )
        return result(places, ratio, comparaison, f"Calcul à partir des chiffres fournis : {what}.")
    if pe.taux_couverture is not None:
        ratio = float(pe.taux_couverture)
        return result(
            None,
            ratio,
            f"Taux de couverture fourni : {number(ratio)} {_places(ratio)} pour 100 enfants "
            f"de moins de 3\u00a0ans (moyenne nationale : {national} en 2022).",
            "Taux fourni, non recalculé.",
        )
    if enfants == 0:
        return result(
            None, None, None, "Aucun enfant de moins de 3\u00a0ans indiqué : taux non calculable."
        )
    if where is not None:  # no Caf here: its open data say nothing of the commune
        note = (
            "Nombre d'enfants de moins de 3\u00a0ans ou de places à compléter : "
            f"{where} Le taux de couverture ne se calcule qu'à partir de chiffres fournis."
        )
    elif own_pop is not None and own_pop > CAF_OPEN_DATA_THRESHOLD:
        note = (
            "Nombre d'enfants de moins de 3\u00a0ans ou de places à compléter : les données "
            "ouvertes de la Caf donnent ces chiffres par commune au-dessus de 10 000 habitants ; "
            "aucun taux n'est calculé sur une estimation."
        )
    else:
        note = (
            "Nombre d'enfants de moins de 3\u00a0ans ou de places à compléter : les données "
            "ouvertes de la Caf ne donnent de chiffres par commune qu'au-dessus de 10 000 "
            "habitants : demandez ces chiffres locaux à vos services ou à la Caf ; aucun taux "
            "n'est calculé sur une estimation."
        )
    return result(None, None, None, note)
