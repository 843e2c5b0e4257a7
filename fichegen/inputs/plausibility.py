"""Plausibility of a valid profile's figures: warnings, never errors.

A profile can follow the schema and still hold figures that cannot all be true (500 crèche
places for 0 children) or that are far out of range (a 250 000 m² local, a rate of 0,125
typed from a spreadsheet cell formatted as a percentage). :func:`plausibility_warnings`
returns one located :class:`~fichegen.errors.Issue` of severity ``"avertissement"`` per
doubtful figure: ``validate`` and ``explain`` print them, the web form shows them next to
the field, the fiche lists them in its annex as « à vérifier », and the selection never
builds a reason on the figures they name (:func:`doubtful_fields`).

The messages name no field path (the fiche prints them); the issue's ``field`` does.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from fichegen.errors import Issue
from fichegen.french.formatting import integer, number
from fichegen.french.grammar import count

if TYPE_CHECKING:
    from fichegen.inputs.profile import Profile

__all__ = [
    "LOCAL_MAX_M2",
    "PLACES_PER_100_MAX",
    "RATE_HARD_MAX",
    "RATE_WARNING",
    "doubtful_fields",
    "plausibility_warnings",
]

PLACES_PER_100_MAX = 150.0
"""Above this many places per 100 children under 3, the figures are doubtful.

France counts 60,3 places per 100 children (Cnaf, ONAPE 2024, data 2022). A commune can
exceed 100: a place serves several part-time children, and crèches take children of
neighbouring communes. Two and a half times the national rate is rarely reached by a
whole commune; it is more often a typo (a figure of the EPCI, a missing digit)."""
RATE_WARNING = PLACES_PER_100_MAX
"""A coverage rate above this is accepted with a warning (same reasoning)."""
RATE_HARD_MAX = 300.0
"""Bound of the schema: a rate above it is an error (see the profile's sections)."""
LOCAL_MAX_M2 = 10_000.0
"""A local of more than a hectare: more than any early-childhood building needs, more likely
a surface typed in the wrong unit."""

_ENFANTS = "petite_enfance.enfants_moins_3_ans"
_PLACES = "petite_enfance.places_eaje"
_PLACES_AM = "petite_enfance.places_assistants_maternels"
_DEMANDES = "petite_enfance.demandes_en_attente"
_TAUX = "petite_enfance.taux_couverture"


def _children(value: int) -> str:
    return f"{count(value, 'enfant')} de moins de 3\u00a0ans"


def _rate(value: float) -> str:
    """A rate as the user gave it: up to three decimals, so that 0,125 stays 0,125."""
    return number(value, 3)


def plausibility_warnings(profile: Profile) -> tuple[Issue, ...]:
    """One located warning per doubtful figure of ``profile``, in the order of the form."""
    pe = profile.petite_enfance
    found: list[tuple[str, str]] = []
    enfants, places_eaje = pe.enfants_moins_3_ans, pe.places_eaje
    places = None if places_eaje is None else places_eaje + (pe.places_assistants_maternels or 0)
    if enfants is not None and places is not None and places > 0:
        field = _PLACES if places_eaje else _PLACES_AM
        what = count(places, "place")
        if enfants == 0:
            found.append(
                (
                    field,
                    f"{what} d’accueil pour 0 enfant de moins de 3\u00a0ans : l’un des deux "
                    "chiffres est à vérifier",
                )
            )
        elif places * 100 / enfants > PLACES_PER_100_MAX:
            ratio = "" if enfants == 100 else f", soit {number(places * 100 / enfants)} pour 100"
            found.append(
                (
                    field,
                    f"{what} d’accueil pour {_children(enfants)}{ratio} : au-delà de "
                    f"{integer(int(PLACES_PER_100_MAX))} places pour 100 enfants, l’un des deux "
                    "chiffres est probablement erroné",
                )
            )
    if pe.demandes_en_attente and enfants == 0:
        found.append(
            (
                _DEMANDES,
                f"{count(pe.demandes_en_attente, 'demande')} d’accueil en attente pour 0 enfant "
                "de moins de 3\u00a0ans : l’un des deux chiffres est à vérifier",
            )
        )
    taux = pe.taux_couverture
    if taux is not None and 0 < taux < 1:
        found.append(
            (
                _TAUX,
                f"taux de couverture de {_rate(taux)} place pour 100 enfants : c’est ainsi "
                "qu’un tableur enregistre un pourcentage ; s’il s’agit de "
                f"{number(taux * 100, 1)}\u00a0%, le taux à retenir est {number(taux * 100, 1)}",
            )
        )
    elif taux is not None and taux > RATE_WARNING:
        found.append(
            (
                _TAUX,
                f"taux de couverture de {_rate(taux)} places pour 100 enfants : plus de "
                f"{integer(int(RATE_WARNING))} pour 100, le chiffre est probablement erroné",
            )
        )
    for index, local in enumerate(profile.patrimoine.locaux_disponibles):
        if local.surface_m2 is not None and local.surface_m2 > LOCAL_MAX_M2:
            found.append(
                (
                    f"patrimoine.locaux_disponibles[{index}].surface_m2",
                    f"local de {number(float(local.surface_m2), 0)}\u00a0m² : plus d’un "
                    "hectare, surface à vérifier (une unité saisie par erreur ?)",
                )
            )
    return tuple(_located(profile, field, message) for field, message in found)


def _located(profile: Profile, field: str, message: str) -> Issue:
    file, line, column = profile.location_of(field)
    return Issue(message, file, line, column, field, severity="avertissement")


def doubtful_fields(warnings: Iterable[Issue]) -> frozenset[str]:
    """The fields a reason must not be built on. A warning about places or children makes
    both doubtful (which one is wrong is unknown), and the coverage computed from them."""
    fields = {w.field for w in warnings if w.field}
    if fields & {_PLACES, _PLACES_AM, _DEMANDES}:
        fields |= {_ENFANTS, _PLACES, _PLACES_AM}
    return frozenset(fields)
