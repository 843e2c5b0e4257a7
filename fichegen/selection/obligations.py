"""SPPE duties of one commune (article L214-1-3 CASF) and its childcare coverage ratio.

Pure functions of the commune facts and the profile. Thresholds: strictly more than
3 500 and 10 000 inhabitants, on the population totale (of the communes that transferred
the competence when the EPCI exercises it). Nothing here is guessed: a missing figure
is said to be missing.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from fichegen.french.formatting import integer, number
from fichegen.french.grammar import a_article, de_article, with_article
from fichegen.inputs.profile import field_title
from fichegen.selection.fiche import CommuneFacts, Coverage, Obligation, Sppe
from fichegen.selection.signals import NATIONAL_PLACES_PER_100

if TYPE_CHECKING:
    from fichegen.inputs.profile import Profile

__all__ = [
    "CAF_OPEN_DATA_THRESHOLD",
    "COM_NOTICE",
    "NATIONAL_SOURCE",
    "PLANNING_THRESHOLD",
    "SCHEMA_THRESHOLD",
    "coverage_for",
    "sppe_for",
]

PLANNING_THRESHOLD = 3500
SCHEMA_THRESHOLD = 10000
CAF_OPEN_DATA_THRESHOLD = 10000
SPPE_START = date(2025, 1, 1)
RELAIS_START = date(2026, 1, 1)
ARTICLE = "CASF, art. L214-1-3"
NATIONAL_SOURCE = "Cnaf, rapport de l'ONAPE 2024 (données 2022)"
COM_NOTICE = (
    "Cette commune relève d'une collectivité d'outre-mer où le Code de l'action sociale et "
    "des familles ne s'applique pas en tant que tel : les compétences du service public de "
    "la petite enfance prévues à l'article L214-1-3 ne sont donc pas détaillées ici. "
    "Renseignez-vous auprès de la collectivité sur les règles locales."
)


def _population(facts: CommuneFacts, profile: Profile) -> tuple[int | None, str, list[str]]:
    """The population the thresholds apply to, its label and the caveats that go with it."""
    commune, epci = facts.commune, facts.epci
    caveats: list[str] = []
    transferred = profile.petite_enfance.population_communes_transferees
    if profile.petite_enfance.competence_transferee_epci is True:
        if transferred is not None:
            name = a_article(epci.nom) if epci is not None else "à l'intercommunalité"
            return (
                transferred,
                f"population totale des communes ayant transféré la compétence {name} "
                "(indiquée dans le profil)",
                caveats,
            )
        if epci is not None:
            caveats.append(
                f"Le profil indique que {with_article(epci.nom)} exerce la compétence : "
                "les seuils portent sur "
                "la population totale des communes qui la lui ont transférée (III de l'article). "
                "Faute de connaître ces communes, la population totale de tout l'EPCI est "
                "retenue, comme si toutes ses communes membres l'avaient transférée ; si ce "
                "n'est pas le cas, indiquez leur population dans le profil (« "
                f"{field_title('petite_enfance.population_communes_transferees')} »)."
            )
            return epci.population_totale, f"population totale {de_article(epci.nom)}", caveats
        caveats.append(
            "Le profil indique un transfert de la compétence à l'intercommunalité, mais la "
            "commune n'appartient à aucun EPCI connu : la population de la commune est retenue."
        )
    from_profile = "commune.population_totale" in facts.overrides
    if commune.population_totale is not None:
        label = "population totale" + (" (indiquée dans le profil)" if from_profile else "")
        return commune.population_totale, label, caveats
    if commune.population_municipale is not None:
        caveats.append(
            "La population totale de la commune n'est pas connue : la population municipale "
            "est retenue. La population totale lui étant au moins égale, un seuil franchi par "
            "la population municipale l'est aussi par la population totale ; l'inverse "
            "n'est pas certain."
        )
        return commune.population_municipale, "population municipale (totale inconnue)", caveats
    caveats.append(
        "La population de la commune n'est pas connue : indiquez sa population totale "
        "dans le profil pour savoir quelles compétences sont obligatoires."
    )
    return None, "population inconnue", caveats


def _threshold_text(pop: int | None, label: str, threshold: int, who: str) -> tuple[bool, str]:
    if pop is None:
        return False, f"Obligatoire pour {who} de plus de {integer(threshold)} habitants ; " + (
            "population inconnue."
        )
    above = pop > threshold
    verdict = "dépasse" if above else "ne dépasse pas"
    return above, (
        f"Obligatoire pour {who} de plus de {integer(threshold)} habitants : la {label} "
        f"({integer(pop)} habitants) {verdict} ce seuil."
    )


def sppe_for(facts: CommuneFacts, profile: Profile) -> Sppe:
    """The six SPPE duties, each marked mandatory or not for this commune."""
    if facts.commune.zone == "com":
        return Sppe(False, None, "", (), COM_NOTICE)
    pop, label, caveats = _population(facts, profile)
    transferred = profile.petite_enfance.competence_transferee_epci is True and facts.epci
    who = "les territoires" if transferred else "les communes"
    gov = profile.gouvernance
    pe = profile.petite_enfance
    everyone = "Compétence de toutes les communes, quelle que soit leur population."
    plan, plan_text = _threshold_text(pop, label, PLANNING_THRESHOLD, who)
    big, big_text = _threshold_text(pop, label, SCHEMA_THRESHOLD, who)
    schema_notes = [
        "Une convention territoriale globale (CTG) signée avec la Caf peut en tenir lieu si "
        "son contenu correspond."
    ]
    if gov.convention_territoriale_globale is True:
        schema_notes.append("Le profil indique une CTG : vérifiez qu'elle couvre ce contenu.")
    if gov.schema_pluriannuel_adopte is True:
        schema_notes.append("Le profil indique qu'un schéma pluriannuel est adopté.")
    elif gov.schema_pluriannuel_adopte is False and big:
        schema_notes.append("Le profil indique qu'aucun schéma pluriannuel n'est encore adopté.")
    relais_note = None
    if pe.relais_petite_enfance is True:
        relais_note = "Le profil indique qu'un relais petite enfance existe déjà."
    elif pe.relais_petite_enfance is False and big:
        relais_note = "Le profil indique qu'il n'y a pas encore de relais petite enfance."
    obligations = (
        Obligation(
            "recenser",
            "Recenser les besoins des familles et l'offre d'accueil des enfants de moins de 3 ans",
            True,
            f"{ARTICLE}, 1°",
            everyone,
            SPPE_START,
            None,
        ),
        Obligation(
            "informer",
            "Informer et accompagner les familles de jeunes enfants",
            True,
            f"{ARTICLE}, 2°",
            everyone,
            SPPE_START,
            None,
        ),
        Obligation(
            "planifier",
            "Planifier le développement des modes d'accueil du jeune enfant",
            plan,
            f"{ARTICLE}, 3°",
            plan_text,
            SPPE_START,
            None,
        ),
        Obligation(
            "qualite",
            "Soutenir la qualité des modes d'accueil",
            plan,
            f"{ARTICLE}, 4°",
            plan_text,
            SPPE_START,
            None,
        ),
        Obligation(
            "schema_pluriannuel",
            "Adopter un schéma pluriannuel de maintien et de développement de l'offre d'accueil",
            big,
            f"{ARTICLE} (plus de 10 000 habitants)",
            big_text,
            SPPE_START,
            " ".join(schema_notes),
        ),
        Obligation(
            "relais_petite_enfance",
            "Mettre en place un relais petite enfance",
            big,
            f"{ARTICLE} (plus de 10 000 habitants)",
            big_text + " Cette obligation s'applique à compter du 1er janvier 2026.",
            RELAIS_START,
            relais_note,
        ),
    )
    return Sppe(True, pop, label, obligations, " ".join(caveats) or None)


def coverage_for(facts: CommuneFacts, profile: Profile) -> Coverage:
    """Places per 100 children under 3 from the profile's figures, never estimated."""
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
            side = f"{number(-gap)} points de moins que"
        elif gap > 0:
            side = f"{number(gap)} points de plus que"
        else:
            side = "autant que"
        comparaison = (
            f"{number(ratio)} places pour 100 enfants de moins de 3 ans, soit {side} la moyenne "
            f"nationale ({national} en 2022)."
        )
        return result(places, ratio, comparaison, f"Calcul à partir du profil : {what}.")
    if pe.taux_couverture is not None:
        ratio = float(pe.taux_couverture)
        return result(
            None,
            ratio,
            f"Taux de couverture indiqué dans le profil : {number(ratio)} places pour 100 enfants "
            f"de moins de 3 ans (moyenne nationale : {national} en 2022).",
            "Taux indiqué dans le profil, non recalculé.",
        )
    if enfants == 0:
        return result(
            None, None, None, "Aucun enfant de moins de 3 ans indiqué : taux non calculable."
        )
    if own_pop is not None and own_pop > CAF_OPEN_DATA_THRESHOLD:
        note = (
            "Nombre d'enfants de moins de 3 ans ou de places à compléter : les données ouvertes "
            "de la Caf donnent ces chiffres par commune au-dessus de 10 000 habitants ; "
            "reportez-les dans le profil."
        )
    else:
        note = (
            "Nombre d'enfants de moins de 3 ans ou de places à compléter : les données ouvertes "
            "de la Caf ne donnent de chiffres par commune qu'au-dessus de 10 000 habitants. "
            "Indiquez vos chiffres locaux dans le profil ; aucun chiffre n'est estimé."
        )
    return result(None, None, None, note)
