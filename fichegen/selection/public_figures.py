"""The commune's public figures as the selection uses them: Insee counts and what derives from them.

Takes the embedded figures (:mod:`fichegen.reference.figures`) and the profile after every
overlay, and gives :class:`PublicFacts`: the population change 2015-2021 rounded once (the
document and the reasons print this same value), the birth rate and, only when no figure of
children under 3 exists, an estimate of them from births, which always travels with its method.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from fichegen.french.formatting import integer, number, signed_percent
from fichegen.reference.figures import PublicFigures

if TYPE_CHECKING:
    from fichegen.inputs.profile import Profile

__all__ = [
    "ESTIMATE_FACTOR",
    "ESTIMATE_METHOD",
    "ESTIMATE_METHOD_SHORT",
    "PublicFacts",
    "explain_lines",
    "public_facts",
]

ESTIMATE_FACTOR = 3
ESTIMATE_METHOD_SHORT = "estimation\u00a0: 3\u00a0fois les naissances de 2022"
ESTIMATE_METHOD = (
    "estimation, égale à 3\u00a0fois les naissances domiciliées en 2022 (Insee) : les enfants de "
    "moins de 3\u00a0ans sont à peu près ceux nés dans les trois dernières années ; les "
    "déménagements des familles ne sont pas comptés et peuvent l’écarter du nombre réel"
)


@dataclass(frozen=True)
class PublicFacts:
    """Insee's figures of the commune and the values derived from them for the fiche."""

    figures: PublicFigures
    evolution_pct: float | None
    """Population change 2015 → 2021 in percent, rounded to one decimal (the printed value)."""
    natalite: float | None
    """Births 2022 per 1 000 inhabitants in 2021, one decimal; None for very small counts."""
    natalite_ensemble: float | None
    """The same rate over every commune of the file (France)."""
    enfants_estimes: int | None
    """Children under 3 estimated from births (:data:`ESTIMATE_METHOD`), only when neither the
    profile nor any file gives the figure."""

    @property
    def source(self) -> str:
        return self.figures.source.label


MIN_BIRTHS_FOR_RATE = 10
"""Under this many births a year, a birth rate says more about chance than about the commune."""


def public_facts(figures: PublicFigures | None, profile: Profile) -> PublicFacts | None:
    """The public facts of the commune, or None when nothing is known of it."""
    if figures is None:
        return None
    change = figures.evolution_population
    births, population = figures.naissances_2022, figures.population_2021
    rate = None
    if births is not None and births >= MIN_BIRTHS_FOR_RATE and population:
        rate = round(births * 1000 / population, 1)
    estimate = None
    if profile.petite_enfance.enfants_moins_3_ans is None and births is not None:
        estimate = ESTIMATE_FACTOR * births
    return PublicFacts(
        figures=figures,
        evolution_pct=None if change is None else round(change, 1),
        natalite=rate,
        natalite_ensemble=figures.source.birth_rate_all,
        enfants_estimes=estimate,
    )


def explain_lines(public: PublicFacts | None) -> list[str]:
    """The public figures in ``fichegen explain``'s text, the estimate with its method."""
    if public is None:
        return ["  aucun chiffre publié pour le territoire actuel de la commune"]
    f = public.figures

    def shown(value: int | None) -> str:
        return "non publié" if value is None else integer(value)

    trend = "non publiée"
    if public.evolution_pct is not None:
        trend = (
            f"{signed_percent(public.evolution_pct)} "
            f"({shown(f.population_2015)} puis {shown(f.population_2021)} hab.)"
        )
    lines = [
        f"  Naissances en 2022 : {shown(f.naissances_2022)}",
        f"  Évolution de la population de 2015 à 2021 : {trend}",
        f"  Ménages en 2021 : {shown(f.menages_2021)}",
    ]
    if public.natalite is not None and public.natalite_ensemble is not None:
        lines.append(
            f"  Naissances pour 1 000 habitants : {number(public.natalite)} "
            f"(ensemble des communes : {number(public.natalite_ensemble)})"
        )
    if public.enfants_estimes is not None:
        lines.append(
            f"  Enfants de moins de 3 ans : {integer(public.enfants_estimes)}, {ESTIMATE_METHOD}"
        )
    return lines
