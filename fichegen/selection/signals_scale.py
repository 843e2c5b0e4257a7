"""Signals on the scale of needs: coverage against France's, children enough for a crèche.

Values for the templates of :mod:`fichegen.selection.signals` (``couverture_faible``,
``couverture_elevee``, ``tres_peu_enfants``), from the rate set against the national one
and from the children under 3 (the figure given, else three times Insee's births of 2022).
"""

from __future__ import annotations

from fichegen.french.formatting import number
from fichegen.french.grammar import count

__all__ = ["MICRO_CRECHE_PLACES", "births_words", "coverage_values", "few_children"]

MICRO_CRECHE_PLACES = 12
"""Places of a micro-crèche at most (décret n° 2021-1131 du 30 août 2021): a commune with
fewer children under 3 could not fill one on its own."""


def births_words(births: int) -> str:
    return count(births, "naissance")


def coverage_values(
    rate: float, year: int | None, source: str | None, national: float, national_year: int
) -> dict[str, str | None]:
    """The rate set against France's, in words: « la même année » when the years agree."""
    same_year = year == national_year
    return {
        "taux": number(rate),
        "national": number(national),
        "annee_nationale": str(national_year),
        "quand_national": "la même année" if same_year else f"en {national_year}",
        "source": source,
    }


def few_children(given: int | None, births: int | None) -> dict[str, str | None] | None:
    """The children under 3 of a commune that could not fill a micro-crèche on its own (the
    figure ``given`` if trusted, else three times Insee's ``births`` of 2022), in words;
    None otherwise."""
    if given is not None:
        children = given
        said = f"{count(given, 'enfant')} de moins de 3\u00a0ans (chiffre fourni)"
        if given == 0:
            said = "Aucun enfant de moins de 3\u00a0ans (chiffre fourni)"
    elif births is not None:
        children = 3 * births
        said = (
            f"{births_words(births)} en 2022 (Insee), soit environ "
            f"{count(children, 'enfant')} de moins de 3\u00a0ans"
        )
        if births == 0:
            said = "Aucune naissance en 2022 (Insee), donc très peu de jeunes enfants"
        elif births == 1:
            said = (
                "Une seule naissance en 2022 (Insee), soit environ 3\u00a0enfants de moins "
                "de 3\u00a0ans"
            )
    else:
        return None
    if children >= MICRO_CRECHE_PLACES:
        return None
    return {"constat": said}
