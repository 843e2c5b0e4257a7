"""SPPE duties of one commune (article L214-1-3 CASF), each with how surely the figures settle it.

Pure functions of the commune facts, the profile and the knowledge base (which holds every
legal statement with its article and version, ``data/knowledge/droit.yaml``). Thresholds:
strictly more than 3 500 and 10 000 inhabitants, on the legal population totale (of the
communes that transferred the competence when the EPCI exercises it). Whether the embedded
figures settle a threshold is decided by :mod:`fichegen.selection.thresholds`; when they do
not, the duty is marked uncertain and says which official figure to check.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from fichegen.french.grammar import a_article, capitalize, count, de, de_article, with_article
from fichegen.selection.fiche import CommuneFacts, Obligation, Sppe
from fichegen.selection.territory import GRAND_PARIS
from fichegen.selection.threshold_words import Wording, duty_line, reasoning
from fichegen.selection.thresholds import Decision, PopulationFigures, decide
from fichegen.selection.transfer import members_label, members_summed, missing_words, summed_words

if TYPE_CHECKING:
    from fichegen.inputs.profile import Profile
    from fichegen.knowledge.base import KnowledgeBase

__all__ = ["PLANNING_THRESHOLD", "SCHEMA_THRESHOLD", "population_vintages", "sppe_for"]

PLANNING_THRESHOLD = 3500
SCHEMA_THRESHOLD = 10000
SPPE_START = date(2025, 1, 1)
RELAIS_START = date(2026, 1, 1)
INSEE = "l’Insee dans ses « Populations légales »"
IN_FORCE = "millésime 2023, en vigueur depuis le 1ᵉʳ janvier 2026"
_COM_RULES = {"975": "saint_pierre_et_miquelon", "977": "saint_barthelemy_saint_martin"}
_COM_RULES["978"] = "saint_barthelemy_saint_martin"


@dataclass(frozen=True)
class _Scope:
    """Whose population the thresholds apply to, its figures and how to name them."""

    figures: PopulationFigures
    label: str
    who: str
    """« les communes » or « les intercommunalités »."""
    titulaire: str | None
    """The EPCI's name when it exercises the competences, else None."""
    check: str
    """What to look up, for the verification sentence."""
    caveats: tuple[str, ...]


def population_vintages(facts: CommuneFacts) -> tuple[str, str]:
    """(municipale, totale) vintages of the reference figures, as « 2023 » (or empty when
    unknown); a figure given for the commune has no vintage here (« chiffre fourni »)."""
    if facts.commune.zone == "com":  # each collectivity has its own census calendar
        return "", ""
    if facts.commune.departement == "976":  # Mayotte: both from the 2017 census
        return "2017", "2017"
    return "2023", "2022"


def _with(label: str, vintage: str) -> str:
    return f"{label} {vintage}" if vintage else label


def _scope(facts: CommuneFacts, profile: Profile) -> _Scope:
    commune, epci = facts.commune, facts.epci
    pe = profile.petite_enfance
    name = commune.nom
    check = f"la population totale {de(name)} ({IN_FORCE})"
    vm, vt = population_vintages(facts)
    grand_paris = epci is not None and epci.code == GRAND_PARIS
    transferred = pe.population_communes_transferees
    # In the Grand Paris the competence may go to the commune's EPT, which the reference
    # does not know: only a population given for it can carry the thresholds.
    if (
        pe.competence_transferee_epci is True
        and epci is not None
        and (not grand_paris or transferred is not None)
    ):
        holder = "établissement public territorial" if grand_paris else epci.nom
        summed = None if grand_paris else members_summed(profile, epci.code)
        if transferred is not None:
            figures = PopulationFigures(transferred, True, None, None)
            label = "population totale des communes ayant transféré la compétence (chiffre fourni)"
            caveats: tuple[str, ...] = ()
        elif summed is not None and summed.complete:
            figures = PopulationFigures(summed.totale, True, None, None)
            label = members_label(summed, epci.nom)
            caveats = (summed_words(summed, epci.nom),)
        else:
            figures = PopulationFigures(
                epci.population_totale,
                False,
                facts.epci_population_municipale,
                epci.population_municipale,
                plancher=commune.population_municipale,
            )
            label = f"{_with('population totale', vt)} de l’ensemble {de_article(epci.nom)}"
            caveats = (
                f"{capitalize(with_article(epci.nom))} exerce la compétence : les seuils portent "
                "sur la population totale "
                "des seules communes qui la lui ont transférée. Faute de savoir lesquelles, "
                "la fiche ne tient pour certain que ce que les chiffres établissent dans tous "
                "les cas : au-dessus du seuil si la commune le dépasse à elle seule, en "
                "dessous si l’intercommunalité entière reste nettement en dessous.",
            )
            if summed is not None:
                caveats += (missing_words(summed, epci.nom),)
        return _Scope(
            figures,
            label,
            "les intercommunalités",
            holder,
            f"la population totale ({IN_FORCE}) de chacune des communes qui ont transféré "
            f"la compétence {a_article(holder)}",
            caveats,
        )
    caveats = ()
    if pe.competence_transferee_epci is True and grand_paris:
        caveats = (
            "Le transfert de la compétence est indiqué : dans la Métropole du Grand Paris, "
            "c’est l’établissement public territorial qui peut l’exercer, et les données "
            "embarquées ne disent pas quelles communes le composent. La population de la "
            "commune est retenue ; indiquez la population totale des communes qui ont "
            "transféré la compétence pour que les seuils portent sur elle.",
        )
    elif pe.competence_transferee_epci is True:
        caveats = (
            "Le transfert de la compétence est indiqué, mais la commune n’appartient à aucune "
            "intercommunalité connue : la population de la commune est retenue.",
        )
    if "commune.population_totale" in facts.overrides and commune.population_totale:
        figures = PopulationFigures(commune.population_totale, True, None, None)
        origin = profile.origin_of("commune.population_totale")
        if origin.kind == "officiel" and origin.source is not None:
            label = f"population totale {origin.source.year} publiée par l’Insee"
        else:
            label = "population totale (chiffre fourni)"
    else:
        figures = PopulationFigures(
            commune.population_totale,
            False,
            commune.population_municipale,
            facts.population_municipale_precedente,
        )
        label = (
            _with("population totale", vt)
            if commune.population_totale is not None
            else _with("population municipale", vm) + " (population totale non disponible)"
        )
    return _Scope(figures, label, "les communes", None, check, caveats)


def _verification(scope: _Scope) -> str:
    return f"Vérifiez {scope.check}, publiée par {INSEE}, et reportez-la dans vos chiffres."


def sppe_for(facts: CommuneFacts, profile: Profile, kb: KnowledgeBase | None = None) -> Sppe:
    """The six SPPE duties, each mandatory or not, certain or to be checked."""
    if kb is None:
        from fichegen.knowledge.base import load_knowledge

        kb = load_knowledge()
    zone_rule = _COM_RULES.get(facts.commune.departement)
    if facts.commune.zone == "com" and zone_rule is None:
        rule = kb.rule("autres_com")
        notice = (
            f"{rule.texte} Renseignez-vous auprès des services de la collectivité et de "
            f"l’État sur les règles locales de l’accueil du jeune enfant ({rule.article})."
        )
        return Sppe(False, None, "", (), notice)
    scope = _scope(facts, profile)
    plan = decide(scope.figures, PLANNING_THRESHOLD)
    big = decide(scope.figures, SCHEMA_THRESHOLD)
    com_note = None
    if zone_rule is not None:  # the code applies with adaptations: nothing is settled here
        rule = kb.rule(zone_rule)
        com_note = (
            f"{rule.texte} ({rule.article}.) Vérifiez auprès de la collectivité et de la "
            "préfecture si ces compétences s’y exercent et selon quelles règles."
        )
    gov, pe = profile.gouvernance, profile.petite_enfance
    ctg = kb.rule("dispense_ctg")
    schema_notes = [f"{ctg.texte} ({ctg.article})"] if big.above or not big.certain else []
    if gov.convention_territoriale_globale is True:
        schema_notes.append("Une CTG est signée : vérifiez qu’elle couvre ce contenu.")
    if gov.schema_pluriannuel_adopte is True:
        schema_notes.append("Un schéma pluriannuel est déjà adopté.")
    elif gov.schema_pluriannuel_adopte is False and big.above:
        schema_notes.append("Aucun schéma pluriannuel n’est encore adopté.")
    relais_note = None
    if pe.relais_petite_enfance is True:
        relais_note = "Un relais petite enfance existe déjà."
    elif pe.relais_petite_enfance is False and big.above:
        relais_note = "Il n’y a pas encore de relais petite enfance."
    elif pe.relais_petite_enfance is None and (big.above or not big.certain):
        # Most towns of this size already have one: the duty is then to check, not to create.
        whose = "ces communes" if scope.titulaire else "la commune"
        relais_note = (
            f"Si un relais, communal ou intercommunal, sert déjà {whose}, vérifiez qu’il "
            "répond à cette obligation."
        )
    everyone = "Compétence obligatoire de toutes les communes, quelle que soit leur population."
    if scope.titulaire:
        everyone = "Compétence obligatoire quelle que soit la population."

    def duty(rid: str, decision: Decision | None, text: str, note: str | None) -> Obligation:
        rule = kb.rule(rid)
        # In a collectivité d'outre-mer whether the article applies is to be checked; a
        # threshold the figures settle below is not mandatory either way.
        below = decision is not None and decision.certain and not decision.above
        certain = (decision is None or decision.certain) and (com_note is None or below)
        verification = None
        if not certain:
            verification = com_note if com_note else _verification(scope)
        start = RELAIS_START if rid == "relais_petite_enfance" else SPPE_START
        return Obligation(
            id=rid,
            titre=rule.texte,
            obligatoire=True if decision is None else decision.above,
            base_legale=rule.article,
            explication=text,
            en_vigueur_depuis=start,
            remarque=note,
            certain=certain,
            verification=verification,
            version=rule.version,
        )

    vm, vt = population_vintages(facts)
    words = Wording(scope.figures, scope.label, scope.who, scope.titulaire is not None, vm, vt)
    plan_text = duty_line(words, plan, PLANNING_THRESHOLD)
    big_text = duty_line(words, big, SCHEMA_THRESHOLD)
    obligations = (
        duty("recenser", None, everyone, None),
        duty("informer", None, everyone, None),
        duty("planifier", plan, plan_text, None),
        duty("qualite", plan, plan_text, None),
        duty("schema_pluriannuel", big, big_text, " ".join(schema_notes) or None),
        duty(
            "relais_petite_enfance",
            big,
            big_text
            + (" Cette obligation s’applique depuis le 1ᵉʳ janvier 2026." if big.above else ""),
            relais_note,
        ),
    )
    caveats = list(scope.caveats)
    if scope.titulaire:
        rule = kb.rule("transfert_epci")
        caveats.insert(0, f"{rule.texte} ({rule.article})")
    if facts.commune.departement == "976":
        caveats.append(
            "À Mayotte, les chiffres de population utilisés ici sont ceux du recensement de "
            "2017 : "
            "vérifiez auprès de l’Insee la population légale en vigueur."
        )
    pop = scope.figures.totale
    other = None
    if pop is None:
        pop = scope.figures.municipale_courante
    elif scope.figures.municipale_courante is not None and not scope.figures.official:
        whose = " de l’ensemble de l’intercommunalité" if scope.titulaire else ""
        other = (
            # Same shape as the first figure (« population totale 2022, 20 750 habitants »).
            f"{_with('population municipale', vm)}{whose}, "
            f"{count(scope.figures.municipale_courante, 'habitant')}"
        )
    return Sppe(
        True,
        pop,
        scope.label,
        obligations,
        " ".join(caveats) or None,
        titulaire=scope.titulaire,
        verification_com=com_note,
        autres_chiffres=other,
        methode_seuil=reasoning(words, (plan, big), (PLANNING_THRESHOLD, SCHEMA_THRESHOLD)),
        transfert_a_verifier=_transfer_check(facts, profile, kb, (plan, big)),
        transfert_exercice=_transfer_check(facts, profile, kb, (plan, big), above=True),
    )


def _transfer_check(
    facts: CommuneFacts,
    profile: Profile,
    kb: KnowledgeBase,
    decisions: tuple[Decision, ...],
    above: bool = False,
) -> str | None:
    """When the profile does not say whether the commune transferred the competences to its
    EPCI, a duty said not to apply carries that caveat, with what to check (art. L214-1-3,
    III: the thresholds are then assessed on the communes that transferred them); with
    ``above``, the duties said to apply carry it too: the EPCI would then exercise them."""
    epci = facts.epci
    concerned = any(d.certain and d.above is above for d in decisions)
    if epci is None or profile.petite_enfance.competence_transferee_epci is not None:
        return None
    if not concerned:
        return None
    holder = (
        "à son établissement public territorial"
        if epci.code == GRAND_PARIS
        else f"à son intercommunalité ({epci.nom})"
    )
    rule = kb.rule("transfert_epci")
    if above:
        return (
            f"Si la commune a transféré ces compétences {holder} ou à un syndicat mixte, ce "
            "groupement les exerce à sa place, les seuils portant sur la population totale des "
            f"communes qui les ont transférées : à vérifier ({rule.article})."
        )
    return (
        f"Si la commune a transféré ces compétences {holder} ou à un syndicat mixte, les seuils "
        "portent sur la population totale des communes qui les ont transférées : à vérifier "
        f"({rule.article})."
    )
