"""Coverage of the needs for care of children under 3, compared like with like.

The Caf's global coverage rate (every formal mode: crèches, childminders, home care,
preschool) of the commune, of its arrondissements combined or of its EPCI (said as such)
is set against the national rate of the same dataset and year: from the Cnaf's national
file when it was given, otherwise the national figure of the knowledge base (60,3 in 2022,
Cnaf, rapport de l'ONAPE 2024); when the years differ the text says so. A ratio computed
from the places and children given is named for what it counts and never set against a
national figure. A rate the user gave is always shown. Without any Caf file giving a rate,
the Cnaf's embedded rate of 2023 (the commune's own above 10 000 inhabitants, else its EPCI's,
said as such) is set against France's of the same dataset and year; where the Cnaf publishes
nothing (Mayotte, communes outside any EPCI, Pacific collectivities), the note says where the
rate can be found.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from fichegen.french.formatting import integer, number
from fichegen.french.typography import typeset
from fichegen.selection.fiche import CommuneFacts, Coverage
from fichegen.selection.signals import NATIONAL_PLACES_PER_100

if TYPE_CHECKING:
    from fichegen.inputs.profile import Profile

__all__ = ["CAF_OPEN_DATA_THRESHOLD", "NATIONAL_SOURCE", "NATIONAL_YEAR", "PLM", "coverage_for"]

CAF_OPEN_DATA_THRESHOLD = 10000
PLM = frozenset({"75056", "69123", "13055"})
NATIONAL_YEAR = 2022
NATIONAL_SOURCE = "Cnaf, rapport de l’ONAPE 2024 (données 2022)"
CHILDREN = "enfants de moins de 3\u00a0ans"
WHERE_CAF = (
    "Taux de couverture de la Caf (tous modes d’accueil formels) : données ouvertes de "
    "data.caf.fr, jeux « txcouv_pe_com » (communes de plus de 10 000 habitants), "
    "« txcouv_pe_epci » (intercommunalités) et « txcouv_pe_nat » (France)."
)


def _national(official: Any, year: int) -> tuple[float, int, str]:
    """The national rate of ``year`` from the Cnaf's national file, else its latest year,
    else the knowledge base's figure."""
    rates = [r for r in (official.national if official else ()) if r.rate is not None]
    same = [r for r in rates if r.year == year]
    if same or rates:
        chosen = same[0] if same else max(rates, key=lambda r: r.year)
        return float(chosen.rate), chosen.year, chosen.source.words()
    return NATIONAL_PLACES_PER_100, NATIONAL_YEAR, NATIONAL_SOURCE


def _caf(facts: CommuneFacts, official: Any, base: Coverage) -> Coverage:
    """The rate of the Caf files given, against France's of the same year."""
    rate = official.rate
    nat, nat_year, nat_source = _national(official, rate.year)
    why = (
        "la Caf ne publie de taux par commune qu’au-dessus de 10 000 habitants"
        if _small(facts)
        else "la commune est absente du fichier communal joint"
    )
    source = rate.source.words() + (f" ; {rate.detail}" if rate.detail else "")
    national = (nat, nat_year, nat_source)
    return _with_rate(
        facts,
        base,
        rate.level,
        rate.nom,
        float(rate.rate),
        rate.year,
        why,
        rate.detail,
        source,
        national,
    )


def _embedded(facts: CommuneFacts, base: Coverage) -> Coverage:
    """The Cnaf's embedded rate (2023) of the commune, else of its EPCI, against France's of
    the same dataset and year."""
    caf = facts.caf
    assert caf is not None
    if facts.commune.code_insee in PLM:
        why = "la Caf publie le taux de cette ville par arrondissement"
    elif _small(facts):
        why = "la Caf ne publie de taux par commune qu’au-dessus de 10 000 habitants"
    else:
        why = f"la Caf ne publie pas de taux propre à la commune pour {caf.year}"
    national = (caf.national, caf.year, caf.source.words("france"))
    return _with_rate(
        facts,
        replace(base, caf_integre=True),
        caf.level,
        caf.code,
        caf.rate,
        caf.year,
        why,
        None,
        caf.source.words(caf.level),
        national,
    )


def _default_national(facts: CommuneFacts) -> tuple[float, int, str]:
    """France's rate where no Caf file is given: the embedded Cnaf data's, else the
    knowledge base's (one figure for the whole fiche, whether or not the commune has a rate)."""
    source = facts.caf_source
    if source is None:
        return NATIONAL_PLACES_PER_100, NATIONAL_YEAR, NATIONAL_SOURCE
    return source.national, source.year, source.words("france")


def _small(facts: CommuneFacts) -> bool:
    own_pop = facts.commune.population_totale or facts.commune.population_municipale
    return own_pop is None or own_pop <= CAF_OPEN_DATA_THRESHOLD


def _with_rate(
    facts: CommuneFacts,
    base: Coverage,
    level: str,
    nom: str,
    value: float,
    year: int,
    why: str,
    detail: str | None,
    source: str,
    national: tuple[float, int, str],
) -> Coverage:
    nat, nat_year, nat_source = national
    if level == "epci" and facts.epci is not None and facts.epci.metropole_de_lyon:
        label = "Taux de couverture de la Métropole de Lyon"  # no EPCI (CGCT, art. L3611-1)
        scope = f"de la Métropole de Lyon, collectivité à statut particulier ({why})"
    elif level == "epci":
        name = typeset(facts.epci.nom) if facts.epci is not None else nom
        label = "Taux de couverture de l’intercommunalité"
        scope = f"de l’intercommunalité de la commune, {name} ({why})"
    elif level == "arrondissements":
        label = "Taux de couverture de la commune"
        scope = f"de la commune ({detail})"
    else:
        label = "Taux de couverture de la commune"
        scope = "de la commune"
    text = (
        f"Taux de couverture {scope} : {number(value)} places pour 100 {CHILDREN} en "
        f"{year} (Caf, tous modes d’accueil formels), contre {number(nat)} en France"
    )
    if nat_year == year:
        text += " la même année."
    else:
        text += f" en {nat_year} (les deux années diffèrent : taux national de {year} non fourni)."
    return replace(
        base,
        national_places_pour_100=nat,
        national_source=nat_source,
        national_annee=nat_year,
        caf_taux=value,
        caf_annee=year,
        caf_portee=level,
        caf_libelle=f"{label} (Caf, {year})",
        caf_source=source,
        caf_phrase=text,
    )


def _places(ratio: float) -> str:
    """« 0,8 place », « 1 place », « 2 places »: under 2, French takes the singular."""
    return "place" if abs(ratio) < 2 else "places"


def coverage_for(facts: CommuneFacts, profile: Profile, where: str | None = None) -> Coverage:
    """Places per 100 children under 3 from the profile's figures, never estimated.
    ``where`` says whom to ask for the figures where no Caf serves the commune."""
    pe = profile.petite_enfance
    official = profile.official
    enfants, places_eaje = pe.enfants_moins_3_ans, pe.places_eaje
    places_am = pe.places_assistants_maternels
    commune = facts.commune
    own_pop = commune.population_totale or commune.population_municipale
    sentences: list[str] = []
    places = ratio = None
    ratio_label = None
    if enfants is not None and enfants > 0 and places_eaje is not None:
        places = places_eaje + (places_am or 0)
        ratio = round(places * 100 / enfants, 1)
        ratio_label = (
            "places en crèche et chez les assistants maternels"
            if places_am is not None
            else "places en crèche (EAJE)"
        )
        if abs(ratio) < 2:  # « 0,8 place », « 1 place »
            ratio_label = ratio_label.replace("places", "place", 1)
        sentences.append(
            f"{number(ratio)} {ratio_label} pour 100 {CHILDREN} d’après les chiffres fournis "
            "(sans comparaison nationale : ce calcul ne compte pas tous les modes d’accueil)."
        )
    # France's rate: the embedded Cnaf data's (same dataset as the rates shown), else the
    # knowledge base's; the one a rate given is set against: that of the Caf's rate shown.
    national, national_year, national_source = _default_national(facts)
    if official is not None and official.rate is not None:
        nat, nat_year, _ = _national(official, official.rate.year)
    elif facts.caf is not None:
        nat, nat_year = facts.caf.national, facts.caf.year
    else:
        nat, nat_year = national, national_year
    comparable = None
    if pe.taux_couverture is not None:
        comparable = float(pe.taux_couverture)
        sentences.append(
            f"Taux de couverture fourni : {number(comparable, 3)} {_places(comparable)} pour 100 "
            f"{CHILDREN} "
            f"(moyenne nationale, tous modes d’accueil formels : {number(nat)} en {nat_year})."
        )
    base = Coverage(
        enfants,
        places,
        ratio,
        national,
        national_source,
        " ".join(sentences) or None,
        "",
        national_annee=national_year,
        taux_fourni=comparable,
        ratio_libelle=ratio_label,
    )
    places_text = _caf_places(facts, official)
    if official is not None and official.rate is not None:
        with_caf = _caf(facts, official, base)
        note = "Taux de la Caf : " + with_caf.caf_source + "." + places_text  # type: ignore[operator]
        return replace(with_caf, note=note)
    if facts.caf is not None:  # the Cnaf's embedded rate, where no file gave one
        with_caf = _embedded(facts, base)
        extra = f" {official.note}" if official is not None and official.note else ""
        note = "Taux de la Caf : " + with_caf.caf_source + "." + extra  # type: ignore[operator]
        return replace(with_caf, note=note + places_text)
    if official is not None and official.note:
        note = official.note
    elif where is not None:  # no Caf here: its open data say nothing of the commune
        note = (
            "Nombre d'enfants de moins de 3\u00a0ans ou de places à compléter : "
            f"{where} Le taux de couverture ne se calcule qu'à partir de chiffres fournis."
        )
        return replace(base, note=note + places_text, piste="pas de taux de la Caf ici")
    elif enfants == 0:
        note = (
            "Aucun enfant de moins de 3\u00a0ans n’est indiqué : taux non calculable. " + WHERE_CAF
        )
    elif own_pop is not None and own_pop > CAF_OPEN_DATA_THRESHOLD:
        note = WHERE_CAF[:-1] + " ; aucun taux n’est calculé sur une estimation."
    elif facts.epci is None:
        note = (
            "Taux de couverture de la Caf : ses données ouvertes (data.caf.fr) ne donnent de taux "
            "par commune qu’au-dessus de 10 000 habitants, et aucun pour une commune hors "
            "intercommunalité ; demandez-le à la Caf du département. Aucun taux n’est calculé "
            "sur une estimation."
        )
        return replace(base, note=note + places_text, piste="taux à demander à la Caf")
    else:
        note = (
            WHERE_CAF[:-1] + " ; pour une commune de 10 000 habitants ou moins, c’est le taux "
            "de son intercommunalité ; aucun taux n’est calculé sur une estimation."
        )
    return replace(base, note=note + places_text)


def _caf_places(facts: CommuneFacts, official: Any) -> str:
    """The places the Caf counts (every formal mode), with whose and which year they are."""
    places = official.places if official is not None else None
    if places is None or places.places.get("tot_offre") is None:
        return ""
    whose = "dans la commune"
    if places.level == "epci":
        name = facts.epci.nom if facts.epci is not None else places.code
        whose = f"dans l’intercommunalité ({name})"
    total = round(places.places["tot_offre"])
    return (
        f" La Caf compte {integer(total)} {'place offerte' if total == 1 else 'places offertes'}"
        f" {whose} en {places.year}, tous modes d’accueil formels ({places.source.words()})."
    )
