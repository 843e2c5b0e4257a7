"""Choosing the examples of fiche n° 15 to show one commune: nearest, comparable, on-lever.

Distances are great-circle distances between commune centroids (haversine). Comparability
uses the population municipale ratio and a simple density class (see
:data:`fichegen.signals.RURAL_DENSITY`). Ties are broken by the knowledge base order.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fichegen.french.formatting import integer
from fichegen.french.typography import typeset
from fichegen.knowledge.base import Example, KnowledgeBase
from fichegen.reference.types import Commune
from fichegen.selection.fiche import RankedLever, SelectedExample
from fichegen.selection.signals import RURAL_DENSITY, URBAN_DENSITY

if TYPE_CHECKING:
    from fichegen.reference.lookup import Reference

__all__ = [
    "BEYOND_MAX",
    "COMPARABLE_RATIO",
    "NEAR_KM",
    "ExampleChoice",
    "density_class",
    "distance_text",
    "haversine_km",
    "select_examples",
]

EARTH_RADIUS_KM = 6371.0
NEAR_KM = 50.0
"""An example within this distance is also tagged ``proche`` when chosen for another reason."""
BEYOND_MAX = 2
"""Most examples read beyond fiche n° 15 added to a fiche (only those within NEAR_KM)."""
COMPARABLE_RATIO = 3.0
"""Populations within this factor of each other are of comparable size."""
_ORDINALS = ("premier", "deuxième", "troisième", "quatrième", "cinquième")
_CLASS_LABEL = {
    "rurale": "rurale",
    "intermediaire": "de densité intermédiaire",
    "urbaine": "urbaine",
}
_CLASS_RANK = {"rurale": 0, "intermediaire": 1, "urbaine": 2}


@dataclass(frozen=True)
class ExampleChoice:
    examples: tuple[SelectedExample, ...]
    self_examples: tuple[str, ...]
    notices: tuple[str, ...]


@dataclass(frozen=True)
class _Candidate:
    index: int
    example: Example
    place: Commune
    distance: float | None
    size_gap: float | None
    """|ln(population ratio)|, None when not comparable (departmental example, no data)."""
    same_class: bool
    class_gap: int | None
    fit: int
    """Best rank among the levers the example illustrates (99 if none is ranked)."""

    @property
    def comparable(self) -> bool:
        return self.size_gap is not None and self.size_gap <= math.log(COMPARABLE_RATIO)

    def comparability(self) -> float | None:
        if self.size_gap is None or self.class_gap is None:
            return None
        return self.size_gap + 0.7 * self.class_gap


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points given in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def density_class(commune: Commune) -> str | None:
    """``rurale`` (< 100 hab./km²), ``urbaine`` (≥ 1 000 hab./km²) or ``intermediaire``."""
    dens = commune.densite
    if dens is None:
        return None
    if dens < RURAL_DENSITY:
        return "rurale"
    return "urbaine" if dens >= URBAN_DENSITY else "intermediaire"


def _distance(a: Commune, b: Commune) -> float | None:
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return None
    assert a.latitude is not None and a.longitude is not None
    assert b.latitude is not None and b.longitude is not None
    return haversine_km(a.latitude, a.longitude, b.latitude, b.longitude)


def _candidate(
    index: int, example: Example, place: Commune, commune: Commune, ranks: dict[str, int]
) -> _Candidate:
    size_gap = None
    class_gap = None
    same_class = False
    pop_a, pop_b = commune.population_municipale, place.population_municipale
    if example.echelle == "commune" and pop_a and pop_b:
        size_gap = abs(math.log(pop_a / pop_b))
        ca, cb = density_class(commune), density_class(place)
        if ca is not None and cb is not None:
            class_gap = abs(_CLASS_RANK[ca] - _CLASS_RANK[cb])
            same_class = ca == cb
    fit = min((ranks[lid] for lid in example.leviers if lid in ranks), default=99)
    return _Candidate(
        index, example, place, _distance(commune, place), size_gap, same_class, class_gap, fit
    )


def distance_text(km: float) -> str:
    """« à 12 km » from a distance in km: the one rounding used everywhere (to the km)."""
    return "à moins de 1\u00a0km" if km < 1 else f"à {integer(round(km))}\u00a0km"


def _reasons(
    cand: _Candidate, commune: Commune, levers: tuple[RankedLever, ...], near: bool
) -> tuple[list[str], list[str]]:
    reasons: list[str] = []
    criteria: list[str] = []
    if cand.distance is not None:
        reasons.append(distance_text(round(cand.distance, 1)))
        if near:
            criteria.append("proche")
    if cand.example.echelle == "departement" and cand.example.departement == commune.departement:
        reasons.append(f"action menée à l'échelle de votre département ({commune.departement_nom})")
        if "proche" not in criteria:
            criteria.append("proche")
    place_pop = cand.place.population_municipale
    cls = density_class(cand.place)
    if cand.comparable and place_pop is not None:
        # « commune de densité intermédiaire, de taille comparable »: no « de … de » chain
        kind = f"commune {_CLASS_LABEL[cls]}," if cand.same_class and cls else "commune"
        reasons.append(f"{kind} de taille comparable : {integer(place_pop)} hab.")
        criteria.append("comparable")
    elif cand.same_class and cls and place_pop is not None and cand.example.echelle == "commune":
        reasons.append(f"commune {_CLASS_LABEL[cls]} comme la vôtre : {integer(place_pop)} hab.")
    # « votre premier levier » only when the order says something of the commune (a lever
    # has a reason); else the levers follow the kit's order and have no rank of their own.
    ranked = any(lever.reasons for lever in levers)
    for lever in levers:
        if lever.id in cand.example.leviers:
            ordinal = _ORDINALS[lever.rang - 1] if ranked and lever.rang <= len(_ORDINALS) else None
            where = f", votre {ordinal} levier" if ordinal else ""
            reasons.append(f"illustre le levier « {lever.titre} »{where}")
            if lever.rang <= 2:
                criteria.append("levier")
            break
    return reasons, criteria


def _pick(
    candidates: list[_Candidate], levers: tuple[RankedLever, ...], use_distance: bool, count: int
) -> tuple[list[tuple[_Candidate, str]], set[str]]:
    """Up to ``count`` candidates alternating nearest, most comparable and best on-lever;
    also the ids of those within :data:`NEAR_KM`."""
    nearest = sorted(
        (c for c in candidates if c.distance is not None and use_distance),
        key=lambda c: (c.distance, c.index),
    )
    comparable = sorted(
        (c for c in candidates if c.comparability() is not None),
        key=lambda c: (c.comparability(), c.fit, c.index),
    )
    on_lever = [
        c
        for lever in levers
        for c in sorted(
            (c for c in candidates if lever.id in c.example.leviers),
            key=lambda c, lid=lever.id: (  # type: ignore[misc]
                c.example.levier_principal != lid,
                c.distance if c.distance is not None and use_distance else math.inf,
                c.index,
            ),
        )
    ]
    near_ids = {c.example.id for c in nearest if c.distance is not None and c.distance <= NEAR_KM}
    queues = {"proche": nearest, "comparable": comparable, "levier": on_lever}
    picked: list[tuple[_Candidate, str]] = []
    taken: set[str] = set()
    count = max(0, min(count, len(candidates)))
    while len(picked) < count:
        progressed = False
        for criterion in ("proche", "comparable", "levier"):
            if len(picked) >= count:
                break
            queue = queues[criterion]
            while queue and queue[0].example.id in taken:
                queue.pop(0)
            if queue:
                cand = queue.pop(0)
                picked.append((cand, criterion))
                taken.add(cand.example.id)
                progressed = True
        if not progressed:
            break
    return picked, near_ids


def _beyond_fiche(
    commune: Commune,
    levers: tuple[RankedLever, ...],
    kb: KnowledgeBase,
    reference: Reference,
    use_distance: bool,
) -> list[tuple[_Candidate, str]]:
    """The examples read beyond fiche n° 15 that are near the commune (at most
    :data:`BEYOND_MAX`), chosen by the same rules; never one held by the commune itself."""
    if not use_distance:
        return []
    ranks = {lever.id: lever.rang for lever in levers}
    candidates = [
        _candidate(i, e, reference.get(e.commune_code), commune, ranks)
        for i, e in enumerate(kb.examples)
        if e.origine == "hors_fiche15"
        and commune.code_insee not in (e.commune_code, *e.communes_associees)
        and any(lid in ranks for lid in e.leviers)
    ]
    near = [c for c in candidates if c.distance is not None and c.distance <= NEAR_KM]
    picked, _ = _pick(near, levers, use_distance, BEYOND_MAX)
    return picked


def select_examples(
    commune: Commune,
    levers: tuple[RankedLever, ...],
    kb: KnowledgeBase,
    reference: Reference,
    count: int,
) -> ExampleChoice:
    """Up to ``count`` examples of fiche n° 15 alternating nearest, most comparable and best
    on-lever, then the examples read beyond the fiche that are near the commune."""
    ranks = {lever.id: lever.rang for lever in levers}
    notices: list[str] = []
    own = [
        e
        for e in kb.examples
        if e.commune_code == commune.code_insee
        and e.echelle == "commune"
        and e.origine != "hors_fiche15"
    ]
    own_ids = {e.id for e in own}
    candidates = [
        _candidate(i, e, reference.get(e.commune_code), commune, ranks)
        for i, e in enumerate(kb.examples)
        if e.id not in own_ids
        and e.origine != "hors_fiche15"
        and any(lid in ranks for lid in e.leviers)
    ]
    use_distance = commune.zone == "metro" and commune.latitude is not None
    if commune.latitude is None:
        notices.append(
            "Distances non calculées (la position de la commune ne figure pas dans les données "
            "cartographiques utilisées) : les exemples sont choisis sur la taille, la densité "
            "et les leviers."
        )
    elif commune.zone != "metro":
        notices.append(
            "Aucun exemple de la fiche n°\u00a015 n'est situé outre-mer : les distances sont "
            "données pour information et les exemples choisis sur la taille, la densité et les "
            "leviers."
        )
    picked, near_ids = _pick(candidates, levers, use_distance, count)
    beyond = _beyond_fiche(commune, levers, kb, reference, use_distance)
    near_ids |= {cand.example.id for cand, _ in beyond}
    selected: list[SelectedExample] = []
    for cand, criterion in [*picked, *beyond]:
        near = cand.example.id in near_ids
        reasons, criteria = _reasons(cand, commune, levers, near)
        if criterion == "proche" and not near and "proche" not in criteria:
            criterion = "moins_eloigne"  # the nearest one, but too far to be called near
        if criterion not in criteria:
            criteria.append(criterion)
        order = ("proche", "moins_eloigne", "comparable", "levier")
        selected.append(
            SelectedExample(
                id=cand.example.id,
                titre=cand.example.titre,
                commune_code=cand.example.commune_code,
                commune_nom=typeset(cand.place.nom),
                distance_km=None if cand.distance is None else round(cand.distance, 1),
                reasons=tuple(reasons),
                criteria=tuple(c for c in order if c in criteria),
            )
        )
    return ExampleChoice(tuple(selected), tuple(e.id for e in own), tuple(notices))
