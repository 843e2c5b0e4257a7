"""How the SPPE threshold decisions are said: one short line per duty, the reasoning once.

:mod:`fichegen.selection.thresholds` decides each threshold; this module words the result.
A duty's line says the threshold and the verdict, with one figure when it adds to the
lead's (« seuil dépassé (population municipale 2023 : 67 571 habitants) », « la commune est
loin de ce seuil », « la commune reste sous ce seuil, d’environ 900 habitants, soit 26 %
(…) »). Why the figures settle it is said once, in the section's lead (:func:`reasoning`):
that the legal figure is not in the data, that a municipale above the threshold settles
it, how the 2023 totale is estimated, or the upper bound drawn from the populations
comptées à part observed in 2022, said as a bound and not as a certainty.
"""

from __future__ import annotations

from dataclasses import dataclass

from fichegen.french.formatting import integer, number, percent
from fichegen.french.grammar import count
from fichegen.selection.thresholds import (
    PCAP_ABSOLUTE,
    PCAP_RATIO,
    Decision,
    PopulationFigures,
    totale_max,
)

__all__ = ["Wording", "duty_line", "reasoning"]


@dataclass(frozen=True)
class Wording:
    """What the lines need to know about whose population is compared, and its vintages."""

    figures: PopulationFigures
    label: str
    who: str
    """« les communes » or « les intercommunalités »."""
    epci: bool
    """True when an EPCI exercises the competences (its population, not the commune's)."""
    municipale_vintage: str
    totale_vintage: str


def _with(label: str, vintage: str) -> str:
    return f"{label} {vintage}" if vintage else label


def _far(figures: PopulationFigures, threshold: int) -> bool:
    """Every figure known is at most half the threshold: « loin » is then fair."""
    known = [
        x for x in (figures.totale, figures.municipale_courante, figures.estimate) if x is not None
    ]
    return bool(known) and max(known) * 2 <= threshold


def _margin(value: int, threshold: int) -> str:
    """How far below the threshold: inhabitants to two significant digits, and per cent
    rounded to the nearest unit (« 900 habitants, soit 26 % », after « d’environ »)."""
    gap = threshold - value
    step = 10 ** max(len(str(gap)) - 2, 0)
    rounded = max(step, round(gap / step) * step)
    return f"{count(rounded, 'habitant')}, soit {percent(round(gap * 100 / threshold), 0)}"


def duty_line(w: Wording, decision: Decision, threshold: int) -> str:
    """The line of one threshold duty: the threshold and the verdict, with one figure."""
    f, vm = w.figures, w.municipale_vintage
    head = f"Obligatoire pour {w.who} de plus de {count(threshold, 'habitant')} : "
    if w.epci:
        head = (
            "Obligatoire lorsque les communes ayant transféré la compétence comptent plus de "
            f"{count(threshold, 'habitant')} : "
        )
    municipale = _with("population municipale", vm)
    subject = "l’intercommunalité entière" if w.epci else "la commune"
    if decision.why == "officiel" and f.totale is not None:
        verdict = "dépasse" if decision.above else "ne dépasse pas"
        return head + f"la {w.label} ({count(f.totale, 'habitant')}) {verdict} ce seuil."
    if decision.why == "municipale_au_dessus" and f.municipale_courante is not None:
        return head + f"seuil dépassé ({municipale} : {count(f.municipale_courante, 'habitant')})."
    if decision.why == "plancher_au_dessus" and f.plancher is not None:
        return head + (
            f"la commune dépasse à elle seule ce seuil ({municipale} de la commune : "
            f"{count(f.plancher, 'habitant')})."
        )
    if decision.why == "estimation_en_dessous" and f.estimate is not None:
        estimated = f"{_with('population totale', vm)} estimée : {count(f.estimate, 'habitant')}"
        if _far(f, threshold):  # the figures are in the section's lead
            return head + f"{subject} est loin de ce seuil."
        return head + (
            f"{subject} reste sous ce seuil, d’environ {_margin(f.estimate, threshold)} "
            f"({estimated})."
        )
    if decision.why == "municipale_borne" and f.municipale_courante is not None:
        if _far(f, threshold):
            return head + "la commune est loin de ce seuil."
        return head + (
            "la commune reste sous ce seuil (population totale d’au plus "
            f"{count(totale_max(f.municipale_courante), 'habitant')}, borne expliquée plus haut)."
        )
    if decision.why == "inconnu":
        return head + "la population n’est pas connue."
    if not w.epci and f.estimate is not None:
        # The figures at hand are in the section's lead; the estimate is what is new here.
        return head + (
            "les chiffres disponibles ne permettent pas de trancher "
            f"({_with('population totale', vm)} estimée à {count(f.estimate, 'habitant')}, "
            "trop près du seuil pour conclure)."
        )
    return head + f"les chiffres disponibles ne permettent pas de trancher ({_known(w)})."


def _known(w: Wording) -> str:
    f, vm = w.figures, w.municipale_vintage
    known = []
    if f.totale is not None:
        known.append(f"{w.label} : {count(f.totale, 'habitant')}")
    if f.municipale_courante is not None:
        whose = " de l’ensemble de l’intercommunalité" if w.epci else ""
        known.append(
            f"{_with('population municipale', vm)}{whose} : "
            f"{count(f.municipale_courante, 'habitant')}"
        )
    if f.plancher is not None:
        known.append(
            f"{_with('population municipale', vm)} de la commune : {count(f.plancher, 'habitant')}"
        )
    return " ; ".join(known)


def reasoning(
    w: Wording, decisions: tuple[Decision, Decision], thresholds: tuple[int, int]
) -> str | None:
    """Why the figures settle the thresholds, said once for the section (commune figures
    only: an EPCI's case has its own caveats, an official figure needs no reasoning)."""
    f, vm, vt = w.figures, w.municipale_vintage, w.totale_vintage
    if w.epci or f.official:
        return None
    whys = {d.why for d in decisions}
    legal = (
        _with("population totale", vm) if vm == "2023" else "population totale légale en vigueur"
    )
    missing = f"La {legal} n’est pas dans les données de la fiche"
    above = [
        t for d, t in zip(decisions, thresholds, strict=True) if d.why == "municipale_au_dessus"
    ]
    if above and f.municipale_courante is not None:
        parts = [
            f"{missing}, mais la {_with('population municipale', vm)} "
            f"({count(f.municipale_courante, 'habitant')}) dépasse déjà "
            f"{count(max(above), 'habitant')}, et la population totale d’une même année lui est "
            "toujours au moins égale."
        ]
    else:
        parts = [missing + "."]
    if whys & {"estimation_en_dessous", "incertain"} and f.estimate is not None:
        parts.append(
            f"Estimée à partir de la {_with('population municipale', vm)} et de la population "
            f"comptée à part de {vt or 'l’année précédente'}, la {_with('population totale', vm)} "
            f"serait de {count(f.estimate, 'habitant')}."
        )
    # The bound is said when a line relies on it; not when the estimate already shows the
    # commune far from every threshold the bound settled.
    bound_needed = any(
        d.why == "municipale_borne" and not (f.estimate is not None and _far(f, t))
        for d, t in zip(decisions, thresholds, strict=True)
    ) or ("municipale_borne" in whys and "estimation_en_dessous" not in whys)
    if bound_needed and f.municipale_courante is not None:
        parts.append(
            "En 2022, la population comptée à part (internes, étudiants…) ne dépassait dans "
            f"aucune commune {integer(PCAP_ABSOLUTE)} habitants plus "
            f"{number(PCAP_RATIO * 100, 0)} % de la population municipale : la "
            f"{_with('population totale', vm)} serait donc d’au plus "
            f"{count(totale_max(f.municipale_courante), 'habitant')}, une borne observée et non "
            "un chiffre officiel."
        )
    if len(parts) == 1 and not above:
        return None  # nothing to explain: the lines say what to check
    return " ".join(parts)
