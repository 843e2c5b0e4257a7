"""Lay official figures over a profile, under the profile's and the spreadsheet's own.

Precedence per figure: the YAML profile, then the user's spreadsheet, then an official file,
then the embedded figures. A field the profile (or spreadsheet) already holds keeps its
value; a different official value is listed as a conflict. Official figures that no field
holds (the Caf's coverage rates) travel beside the profile (:attr:`Profile.official`), so
that a rate the user gave is never replaced by the Caf's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fichegen.inputs.official.types import (
    CafRate,
    EpciPopulation,
    OfficialCommune,
    OfficialData,
)
from fichegen.inputs.origins import Conflict, FieldOrigin

if TYPE_CHECKING:
    from fichegen.inputs.profile import Profile

__all__ = ["ARRONDISSEMENTS", "apply_official", "epci_population", "official_for"]

ARRONDISSEMENTS = {"75056": "751", "69123": "693", "13055": "132"}


def _latest(rates: list[CafRate] | None) -> CafRate | None:
    usable = [r for r in rates or () if r.rate is not None]
    return max(usable, key=lambda r: r.year) if usable else None


def _arrondissements(code: str, data: OfficialData) -> CafRate | None:
    """Paris, Lyon, Marseille: the rates of their arrondissements combined, weighted by
    their children aged 0-2 (census) or else their population municipale."""
    prefix = ARRONDISSEMENTS.get(code)
    if prefix is None:
        return None
    parts = [
        rate
        for key, rates in data.rates_com.items()
        if key.startswith(prefix) and key != code
        for rate in [_latest(rates)]
        if rate is not None
    ]
    if not parts:
        return None
    year = max(r.year for r in parts)
    parts = [r for r in parts if r.year == year]
    weights: dict[str, float] = {}
    how = ""
    if all(r.code in data.children for r in parts):
        weights = {r.code: data.children[r.code].value for r in parts}
        how = "leur nombre d’enfants de moins de 3 ans au recensement"
    elif all(r.code in data.populations for r in parts):
        weights = {r.code: float(data.populations[r.code].municipale) for r in parts}
        how = "leur population municipale"
    if not weights or not sum(weights.values()):
        return None
    total = sum(weights.values())
    rate = round(sum((r.rate or 0) * weights[r.code] for r in parts) / total, 1)
    first = parts[0]
    return CafRate(
        "arrondissements",
        code,
        "",
        year,
        rate,
        {},
        first.source,
        f"moyenne des taux de ses {len(parts)} arrondissements, pondérée par {how}",
    )


def epci_population(
    epci_code: str | None, members: tuple[str, ...], data: OfficialData
) -> EpciPopulation | None:
    """The populations de référence of the EPCI's member communes, summed (None without a
    populations file or an EPCI)."""
    if epci_code is None or not members or not data.populations:
        return None
    found = [data.populations[m] for m in members if m in data.populations]
    if not found:
        return None
    missing = tuple(m for m in members if m not in data.populations)
    total = sum(p.totale for p in found)
    return EpciPopulation(epci_code, len(members), total, missing, found[0].source)


def official_for(
    code: str, epci_code: str | None, data: OfficialData, members: tuple[str, ...] = ()
) -> OfficialCommune:
    """The Caf figures that concern one commune (its own rate, else its EPCI's), and the
    populations of its EPCI's ``members`` summed."""
    rate = _latest(data.rates_com.get(code)) or _arrondissements(code, data)
    note = None
    if rate is None and epci_code is not None:
        rate = _latest(data.rates_epci.get(epci_code))
    if (
        rate is None
        and code in ARRONDISSEMENTS
        and any(key.startswith(ARRONDISSEMENTS[code]) for key in data.rates_com)
    ):
        note = (
            "La Caf donne le taux de couverture par arrondissement ; joignez le fichier des "
            "populations de référence ou celui de l’intercommunalité pour un taux de la ville."
        )
    places_list = data.places_com.get(code)
    places = max(places_list, key=lambda p: p.year) if places_list else None
    if places is None and epci_code is not None and data.places_epci.get(epci_code):
        places = max(data.places_epci[epci_code], key=lambda p: p.year)
    datasets = tuple(sorted({dataset for _, dataset in data.files}))
    return OfficialCommune(
        rate,
        tuple(data.rates_nat),
        places,
        datasets,
        note,
        epci_population(epci_code, members, data),
    )


def _field_values(code: str, data: OfficialData) -> dict[str, tuple[Any, FieldOrigin]]:
    found: dict[str, tuple[Any, FieldOrigin]] = {}
    population = data.populations.get(code)
    if population is not None:
        source = population.source
        origin = FieldOrigin("officiel", source.file, source=source, detail=population.detail)
        found["commune.population_totale"] = (population.totale, origin)
        found["commune.population_municipale"] = (population.municipale, origin)
    children = data.children.get(code)
    if children is not None:
        source = children.source
        from fichegen.french.formatting import number

        detail = (
            f"enfants de 0 à 2 ans au recensement {source.year}, nombre arrondi à l’unité ; "
            f"effectif pondéré : {number(round(children.value, 2), 2)}"
        )
        origin = FieldOrigin("officiel", source.file, source=source, detail=detail)
        found["petite_enfance.enfants_moins_3_ans"] = (round(children.value), origin)
    return found


def apply_official(profile: Profile, data: OfficialData) -> Profile:
    """``profile`` completed by the official figures of its commune (its own values win)."""
    from fichegen.errors import ProfileError
    from fichegen.inputs.profile import Profile as ProfileClass
    from fichegen.inputs.validation import validate_located
    from fichegen.reference.lookup import load_reference

    code = profile.commune.code_insee
    epci = load_reference().epci_of(code)
    official = official_for(code, epci.code if epci else None, data, epci.membres if epci else ())
    values = _field_values(code, data)
    provided = profile.provided_fields()
    merged: dict[str, Any] = {
        k: dict(v) if isinstance(v, dict) else v
        for k, v in profile.model_dump(exclude_unset=True, exclude_none=True).items()
    }
    origins: dict[str, FieldOrigin] = {}
    conflicts: list[Conflict] = []
    for path, (value, origin) in values.items():
        section, name = path.split(".", 1)
        if path in provided:
            kept = (merged.get(section) or {}).get(name)
            if kept != value:
                conflicts.append(Conflict(path, kept, value, origin))
            continue
        merged.setdefault(section, {})[name] = value
        origins[path] = origin
    source = profile.source_name
    try:
        result = validate_located(
            ProfileClass, merged, error=ProfileError, source=source or "données ouvertes"
        )
    except ProfileError as exc:
        raise ProfileError(issues=exc.issues) from None
    result._source_name = source
    result._origins = {**profile._origins, **origins}
    result._conflicts = (*profile.conflicts, *conflicts)
    result._official = official
    return result
