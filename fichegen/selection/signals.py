"""The closed set of signals that make a lever relevant, and their evaluation.

A signal is a named condition on the profile and the reference data. Evaluating it gives
zero, one or several *occurrences*, each a dict of already formatted French values that
the knowledge base's reason templates may use (see :data:`SIGNAL_FIELDS`). Thresholds
are constants here and are described in the method annex (:data:`SIGNAL_RULES`,
:func:`coverage_rule`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fichegen.french.formatting import integer, number, signed_percent
from fichegen.french.grammar import count
from fichegen.french.typography import typeset
from fichegen.knowledge.vocabulary import COMMON_FIELDS, SIGNAL_FIELDS
from fichegen.reference.types import Commune, Epci
from fichegen.selection.public_figures import PublicFacts
from fichegen.selection.signals_scale import (
    MICRO_CRECHE_PLACES,
    births_words,
    coverage_values,
    few_children,
)

if TYPE_CHECKING:
    from fichegen.inputs.profile import Profile

__all__ = [
    "BIG_CITY_POPULATION",
    "COMMON_FIELDS",
    "NATIONAL_PLACES_PER_100",
    "RURAL_DENSITY",
    "SIGNAL_FIELDS",
    "SIGNAL_RULES",
    "SMALL_COMMUNE_POPULATION",
    "Occurrence",
    "SignalInput",
    "coverage_rule",
    "evaluate_signals",
]

RURAL_DENSITY = 100.0
"""Below this many inhabitants per km² a commune is called rural (simple density rule)."""
URBAN_DENSITY = 1000.0
"""From this many inhabitants per km² a commune is called urban."""
SMALL_COMMUNE_POPULATION = 3500
BIG_CITY_POPULATION = 50000
NATIONAL_PLACES_PER_100 = 60.3
TREND_PERCENT = 3.0
"""A population change 2015-2021 of at least this many percent is called a rise or a fall."""
TREND_MIN_POPULATION = 200
"""Below this population in 2015, a few households moving make the percentage."""
BIRTH_RATE_MARGIN = 1.0
"""Births per 1 000 inhabitants above the whole of France for a « natalité élevée »."""
MIN_BIRTHS = 10

Occurrence = Mapping[str, str | None]


SIGNAL_RULES: tuple[str, ...] = (
    f"Commune rurale : densité inférieure à {integer(int(RURAL_DENSITY))} hab./km² "
    "(population municipale rapportée à la superficie) ; urbaine à partir de "
    f"{integer(int(URBAN_DENSITY))} hab./km².",
    f"Petite commune : {count(SMALL_COMMUNE_POPULATION, 'habitant')} ou moins ; grande ville : "
    f"plus de {count(BIG_CITY_POPULATION, 'habitant')}.",
    f"Population en hausse ou en baisse : variation d’au moins {number(TREND_PERCENT)}\u00a0% "
    "entre 2015 et 2021 (Insee, recensements), pour une commune d’au moins "
    f"{integer(TREND_MIN_POPULATION)} habitants en 2015.",
    f"Natalité élevée : au moins {number(BIRTH_RATE_MARGIN)} naissance de plus pour "
    "1 000 habitants que l’ensemble des communes (naissances de 2022, population de 2021, "
    "Insee), à partir de "
    f"{integer(MIN_BIRTHS)} naissances.",
    f"Très peu d’enfants : moins de {integer(MICRO_CRECHE_PLACES)} enfants de moins de 3\u00a0ans "
    "(chiffre fourni, sinon trois fois les naissances de 2022, Insee), soit moins que les "
    f"{integer(MICRO_CRECHE_PLACES)} places au plus d’une micro-crèche (décret n°\u00a02021-1131 "
    "du 30 août 2021) ; une crèche propre à la commune n’est alors pas avancée comme raison.",
)


def coverage_rule(national: float, year: int) -> str:
    """The « couverture faible » rule with the national rate this very fiche compares with:
    the Cnaf's of the same dataset and year, else the ONAPE report's (60,3 in 2022), never
    both, so that the method and the text read the same figure."""
    return (
        "Couverture faible : taux de couverture inférieur au taux national de la même source, "
        f"ici {number(national)} places pour 100 enfants de moins de 3\u00a0ans en {year} ; "
        "à Paris, Lyon et Marseille, dont la Caf "
        "publie le taux par arrondissement, celui de la métropole n’est pas retenu comme raison."
    )


_CRECHES_ESS = frozenset({"creche_associative", "creche_parentale", "creche_cooperative"})
_PARENTS = frozenset({"association_parents", "creche_parentale"})
_SOCIAL = frozenset({"centre_social", "espace_vie_sociale"})


@dataclass(frozen=True)
class SignalInput:
    """Everything a signal may look at, already resolved."""

    profile: Profile
    commune: Commune
    epci: Epci | None
    population: int | None
    """Population used for the SPPE thresholds (see :mod:`fichegen.selection.obligations`)."""
    population_label: str
    """What that population is (« population totale », that of the EPCI...)."""
    places_pour_100: float | None
    """A coverage rate of the same scope as the national one (the Caf's, or one given)."""
    places: int | None
    enfants: int | None
    provided: frozenset[str]
    certain_duties: frozenset[str] = frozenset()
    """Ids of the SPPE duties the figures settle as mandatory (uncertain ones excluded)."""
    own_creche_examples: tuple[str, ...] = ()
    national_pour_100: float = NATIONAL_PLACES_PER_100
    """The national rate of the same dataset and year as ``places_pour_100``."""
    national_annee: int = 2022
    """The year of ``national_pour_100``."""
    taux_source: str | None = None
    """Whose and which year ``places_pour_100`` is (« Caf, 2023 », « taux fourni »)."""
    taux_annee: int | None = None
    """The year of ``places_pour_100`` when known (the Caf's; None for a rate given)."""
    """Structures of knowledge-base examples that are a crèche in this very commune."""
    grand_paris: bool = False
    """The EPCI is the Métropole du Grand Paris: no early-childhood partner is claimed of it."""
    ept: bool = False
    """The commune belongs to one of the Grand Paris's établissements publics territoriaux."""
    arrondissements: str | None = None
    """« Paris », « Lyon » or « Marseille »: the city has arrondissement councils."""
    doubtful: frozenset[str] = frozenset()
    """Fields with a plausibility warning: no reason is built on their value."""
    public: PublicFacts | None = None
    """Insee's embedded figures of the commune (births, population trend)."""


def known_creche_ess(inp: SignalInput) -> str | None:
    """What is known of an existing associative, parental or cooperative crèche, in words."""
    names = [a.nom for a in inp.profile.acteurs_ess if a.type in _CRECHES_ESS]
    if names:
        return ", ".join(names)
    places = inp.profile.petite_enfance.places_eaje_ess
    if places:
        gerees = "gérée" if places == 1 else "gérées"
        return f"{count(places, 'place')} en crèche {gerees} par l’ESS"
    if inp.own_creche_examples:
        return inp.own_creche_examples[0]
    return None


def _official(name: str | None) -> str | None:
    """An official name from the reference, with a typographic apostrophe."""
    return typeset(name) if name else name


def _names(names: list[str]) -> str:
    return ", ".join(names)


def _actor_signal(inp: SignalInput, types: frozenset[str]) -> list[dict[str, str | None]]:
    names = [a.nom for a in inp.profile.acteurs_ess if a.type in types]
    if not names:
        return []
    return [{"nombre": integer(len(names)), "noms": _names(names)}]


def _locals(inp: SignalInput, prive_only: bool) -> list[dict[str, str | None]]:
    found: list[dict[str, str | None]] = []
    for index, local in enumerate(inp.profile.patrimoine.locaux_disponibles):
        if prive_only and local.domaine != "prive":
            continue
        doubtful = f"patrimoine.locaux_disponibles[{index}].surface_m2" in inp.doubtful
        surface = (
            None if local.surface_m2 is None or doubtful else number(float(local.surface_m2), 0)
        )
        domaine = {"prive": "domaine privé", "public": "domaine public"}.get(local.domaine or "")
        found.append(
            {
                "surface_m2": surface,
                "description": local.description or "sans description",
                "domaine": domaine,
            }
        )
    return found


def _contracts(inp: SignalInput, modes: frozenset[str] | None) -> list[dict[str, str | None]]:
    contrats = inp.profile.gouvernance.contrats_ess
    if modes is None:
        chosen = [c for c in contrats if c.pluriannuel is False]
    else:
        chosen = [c for c in contrats if c.mode in modes]
    if not chosen:
        return []
    return [{"nombre": integer(len(chosen)), "acteurs": _names([c.acteur for c in chosen])}]


def evaluate_signals(inp: SignalInput) -> dict[str, list[dict[str, str | None]]]:
    """Active signals only: signal id -> its occurrences (each with its template values)."""
    pe = inp.profile.petite_enfance
    gov = inp.profile.gouvernance
    commune = inp.commune
    dens = commune.densite
    one: list[dict[str, str | None]] = [{}]
    active: dict[str, list[dict[str, str | None]]] = {}

    def put(signal: str, occurrences: list[dict[str, str | None]], when: bool = True) -> None:
        if when and occurrences:
            active[signal] = occurrences

    children_doubtful = "petite_enfance.enfants_moins_3_ans" in inp.doubtful
    enfants = None if not inp.enfants or children_doubtful else integer(inp.enfants)
    put("aucune_place_eaje", [{"enfants": enfants}], pe.places_eaje == 0)
    given = None if children_doubtful else pe.enfants_moins_3_ans
    births = inp.public.figures.naissances_2022 if inp.public is not None else None
    few = few_children(given, births)
    rate = inp.places_pour_100
    if rate is not None:
        rates = coverage_values(
            rate, inp.taux_annee, inp.taux_source, inp.national_pour_100, inp.national_annee
        )
        occurrence = {
            **rates,
            "places": None if inp.places is None else integer(inp.places),
            "enfants": enfants,
        }
        low = rate < inp.national_pour_100 and bool(inp.places or pe.places_eaje != 0)
        low = low and few is None  # too few children: no crèche argued, even on a low rate
        put("couverture_faible", [occurrence], low)
        put("couverture_elevee", [rates], rate > inp.national_pour_100 and few is None)
    if pe.demandes_en_attente and "petite_enfance.demandes_en_attente" not in inp.doubtful:
        put("demandes_en_attente", [{"demandes": integer(pe.demandes_en_attente)}])
    put("local_disponible", _locals(inp, prive_only=False))
    put("local_domaine_prive", _locals(inp, prive_only=True))
    has_mam = bool(pe.mam) or any(a.type == "mam" for a in inp.profile.acteurs_ess)
    mam_known = pe.mam is not None or any(a.type == "mam" for a in inp.profile.acteurs_ess)
    if pe.assistants_maternels and mam_known and not has_mam:
        put("assistants_sans_mam", [{"assistants": integer(pe.assistants_maternels)}])
    acteurs = inp.profile.acteurs_ess
    if acteurs:
        put(
            "acteurs_ess_presents",
            [{"nombre": integer(len(acteurs)), "noms": _names([a.nom for a in acteurs])}],
        )
    put("centre_social_present", _actor_signal(inp, _SOCIAL))
    put("creche_ess_presente", _actor_signal(inp, _CRECHES_ESS))
    put("parents_mobilises", _actor_signal(inp, _PARENTS))
    put("ptce_present", _actor_signal(inp, frozenset({"ptce"})))
    put("aucun_acteur_ess", one, "acteurs_ess" in inp.provided and not acteurs)
    put("contrats_non_pluriannuels", _contracts(inp, None))
    put("contrats_mise_en_concurrence", _contracts(inp, frozenset({"marche_public", "dsp"})))
    put("sans_ctg", one, gov.convention_territoriale_globale is False)
    put("ctg_en_place", one, gov.convention_territoriale_globale is True)
    schema = "schema_pluriannuel" in inp.certain_duties
    put("schema_obligatoire", one, schema)
    put("schema_non_adopte", one, schema and gov.schema_pluriannuel_adopte is False)
    put("planification_obligatoire", one, "planifier" in inp.certain_duties)
    put(
        "competence_epci",
        one,
        pe.competence_transferee_epci is True and inp.epci is not None and not inp.grand_paris,
    )
    member = inp.epci is not None and pe.competence_transferee_epci is not True
    # The Métropole de Lyon is no EPCI but a collectivité à statut particulier standing for
    # the département on its territory (CGCT, art. L3611-1): its own reason.
    lyon = inp.epci is not None and inp.epci.metropole_de_lyon
    put("membre_epci", one, member and not inp.grand_paris and not lyon)
    put("metropole_lyon", one, member and lyon)
    put("membre_ept", one, inp.ept and pe.competence_transferee_epci is not True)
    if inp.arrondissements:
        put("conseils_arrondissement", [{"ville": inp.arrondissements}])
    creche = known_creche_ess(inp)
    several = [a.nom for a in inp.profile.acteurs_ess if a.type in _CRECHES_ESS]
    if len(several) >= 2:  # « 9 crèches de l’ESS existent déjà (A, B…) », not « Une crèche »
        put("creches_ess_connues", [{"nombre": integer(len(several)), "creches": _names(several)}])
    else:
        put("creche_ess_connue", [{"creche": creche}], creche is not None)
    if few is not None:
        put("tres_peu_enfants", [few])
    if dens is not None:
        rural: list[dict[str, str | None]] = [{"seuil": integer(int(RURAL_DENSITY))}]
        put("commune_rurale", rural, dens < RURAL_DENSITY)
        put(
            "commune_rurale_sans_creche_ess",
            rural,
            dens < RURAL_DENSITY and creche is None and few is None,
        )
    _public_signals(inp, put, creche)
    own_pop = commune.population_municipale
    if own_pop is not None:
        size = {"population_municipale": integer(own_pop)}
        put(
            "petite_commune",
            [{"seuil": integer(SMALL_COMMUNE_POPULATION), **size}],
            own_pop <= SMALL_COMMUNE_POPULATION,
        )
        put(
            "petite_commune_sans_creche_ess",
            [{"seuil": integer(SMALL_COMMUNE_POPULATION), **size}],
            own_pop <= SMALL_COMMUNE_POPULATION and creche is None and few is None,
        )
        put(
            "grande_ville",
            [{"seuil": integer(BIG_CITY_POPULATION), **size}],
            own_pop > BIG_CITY_POPULATION,
        )
    return active


def _public_signals(inp: SignalInput, put: Any, creche: str | None) -> None:
    """Signals drawn from Insee's public figures of the commune (births, population trend)."""
    public = inp.public
    if public is None:
        return
    pe = inp.profile.petite_enfance
    births = public.figures.naissances_2022
    if births:
        unknown_offer = (
            inp.arrondissements is None  # Paris, Lyon, Marseille: their métropole's rate shown
            and pe.places_eaje is None
            and creche is None
            and inp.places_pour_100 is None
            and pe.taux_couverture is None
        )
        put("naissances_offre_inconnue", [{"naissances": births_words(births)}], unknown_offer)
    rate, overall = public.natalite, public.natalite_ensemble
    if births and rate is not None and overall is not None and births >= MIN_BIRTHS:
        put(
            "natalite_elevee",
            [
                {
                    "naissances": births_words(births),
                    "natalite": number(rate),
                    "natalite_ensemble": number(overall),
                }
            ],
            rate >= overall + BIRTH_RATE_MARGIN,
        )
    change, before = public.evolution_pct, public.figures.population_2015
    if change is not None and before is not None and before >= TREND_MIN_POPULATION:
        values: list[dict[str, str | None]] = [{"evolution": signed_percent(change)}]
        put("population_en_hausse", values, change >= TREND_PERCENT)
        # « penser l'offre avec les voisines » speaks to a small commune, not to Paris
        small = before <= BIG_CITY_POPULATION
        put("population_en_baisse", values, change <= -TREND_PERCENT and small)


def common_values(inp: SignalInput) -> dict[str, str | None]:
    """Values every template may use: commune name, population, density, EPCI name."""
    dens = inp.commune.densite
    return {
        "commune": inp.commune.nom,
        "population": None if inp.population is None else integer(inp.population),
        "base_population": inp.population_label,
        # as on the density tile: a decimal below 10 (« 6,7 », not « 7 » under « 6,7 »)
        "densite": None if dens is None else number(dens, 0 if dens >= 10 else 1),
        "epci": _official(inp.epci.nom if inp.epci is not None else inp.commune.epci_nom),
    }
