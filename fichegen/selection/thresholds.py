"""Whether the figures at hand settle a population threshold of the SPPE, and how surely.

The thresholds of article L214-1-3 CASF apply to the legal *population totale* in force:
millésime 2023 since 1 January 2026. The embedded reference has the population municipale
2023 (INSEE, via ``communes.json``) but its population totale comes from the DGCL file of
EPCI members, columns ``ptot_2025``/``pmun_2025``: populations in force in 2025, that is
millésime 2022. So:

* the totale is at least the municipale of the same year: a 2023 municipale above the
  threshold settles it (**certain, above**);
* the 2023 totale is estimated as the 2023 municipale plus the population *comptée à part*
  of 2022 (totale 2022 − municipale 2022); when that estimate stays below the threshold by
  more than :data:`MARGIN` of it, the duty is **certain, below** (the population comptée à
  part would have to grow by more than 5 % of the threshold in one year to cross it);
* a figure given in the profile is taken as the official one (**certain**);
* the totale exceeds the municipale only by the population comptée à part, which the
  embedded data bound by :data:`PCAP_ABSOLUTE` + :data:`PCAP_RATIO` × municipale (largest
  observed: 156 + 0,3 × municipale; see ``docs/obligations.md``): when even that maximum
  keeps the totale at or below the threshold, the duty is **certain, below**;
* otherwise the duty is **uncertain** and the fiche says which official figure to check.

The rule and the national counts of each class are in ``docs/obligations.md``
(``scripts/count_sppe_certainty.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "MARGIN",
    "PCAP_ABSOLUTE",
    "PCAP_RATIO",
    "Decision",
    "PopulationFigures",
    "decide",
]

MARGIN = 0.05
"""Share of the threshold the estimated 2023 totale must stay below it by to be certain."""
PCAP_ABSOLUTE = 1000
PCAP_RATIO = 0.3
"""Bound of the population comptée à part: at most PCAP_ABSOLUTE + PCAP_RATIO × municipale.

On the 34 871 communes of the embedded data with both figures (DGCL, millésime 2022), the
largest value of « comptée à part − 0,3 × municipale » is 156 (Nandax, 42152), and the
largest share of the municipale above 2 000 inhabitants is 0,25 (La Roche-Jaudy, 22264): the
bound keeps a margin of more than six times the first and a fifth over the second."""


def totale_max(municipale: int) -> int:
    """The largest population totale a commune of this municipale can have (the bound)."""
    return municipale + PCAP_ABSOLUTE + int(PCAP_RATIO * municipale)


@dataclass(frozen=True)
class PopulationFigures:
    """The figures about the population a threshold applies to, with what each one is."""

    totale: int | None
    """Population totale compared with the threshold (official if ``official``)."""
    official: bool
    """True when ``totale`` was given in the profile: it is then taken as the legal figure."""
    municipale_courante: int | None
    """Population municipale of the vintage in force (2023), same scope as ``totale``."""
    municipale_ancienne: int | None
    """Population municipale of the same vintage as ``totale`` (DGCL file)."""
    plancher: int | None = None
    """A figure the legal population is known to be at least (the commune's own 2023
    municipale when an EPCI exercises the competence: the commune is among those counted)."""

    @property
    def estimate(self) -> int | None:
        """The 2023 population totale estimated from the embedded figures, if computable."""
        if self.official:
            return self.totale
        if None in (self.totale, self.municipale_courante, self.municipale_ancienne):
            return None
        assert self.totale is not None and self.municipale_courante is not None
        assert self.municipale_ancienne is not None
        return self.municipale_courante + max(0, self.totale - self.municipale_ancienne)


@dataclass(frozen=True)
class Decision:
    """Whether one threshold is crossed, whether the figures settle it, and why."""

    above: bool
    certain: bool
    why: str
    """``officiel``, ``municipale_au_dessus``, ``plancher_au_dessus``, ``estimation_en_dessous``,
    ``municipale_borne``, ``inconnu`` or ``incertain``."""


def decide(figures: PopulationFigures, threshold: int) -> Decision:
    """Apply the rule of the module docstring to one threshold ("plus de" = strictly more)."""
    if figures.official and figures.totale is not None:
        return Decision(figures.totale > threshold, True, "officiel")
    municipale = figures.municipale_courante
    if municipale is not None and municipale > threshold and figures.plancher is None:
        return Decision(True, True, "municipale_au_dessus")
    if figures.plancher is not None and figures.plancher > threshold:
        return Decision(True, True, "plancher_au_dessus")
    # The bound holds commune by commune: not for the sum of an EPCI's members (plancher).
    # It needs no estimate, so it comes first: the fiche then prints no estimated figure.
    if municipale is not None and figures.plancher is None and totale_max(municipale) <= threshold:
        return Decision(False, True, "municipale_borne")
    estimate = figures.estimate
    if estimate is not None:
        if estimate <= threshold * (1 - MARGIN):
            return Decision(False, True, "estimation_en_dessous")
        return Decision(estimate > threshold, False, "incertain")
    if municipale is None:
        return Decision(False, False, "inconnu")
    return Decision(municipale > threshold, False, "incertain")
