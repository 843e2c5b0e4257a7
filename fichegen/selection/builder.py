"""Selection for one commune: SPPE duties, coverage, ranked levers and chosen examples.

Pure and deterministic: the same profile, knowledge base and reference always give the
same :class:`~fichegen.fiche.Fiche`, and every choice carries its French reasons.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from fichegen.french.formatting import integer, number
from fichegen.french.grammar import count as counted
from fichegen.french.typography import typeset
from fichegen.inputs.plausibility import doubtful_fields, plausibility_warnings
from fichegen.knowledge.base import KnowledgeBase, Lever, load_knowledge
from fichegen.knowledge.templating import fill
from fichegen.reference.types import Commune
from fichegen.selection.coverage import PLM, coverage_for
from fichegen.selection.examples import BEYOND_MAX, NEAR_KM, select_examples
from fichegen.selection.fiche import CommuneFacts, Coverage, Fiche, RankedLever
from fichegen.selection.obligations import sppe_for
from fichegen.selection.public_figures import public_facts
from fichegen.selection.signals import (
    SIGNAL_RULES,
    SignalInput,
    common_values,
    coverage_rule,
    evaluate_signals,
)
from fichegen.selection.story import STORY_WEIGHT, Story, own_story
from fichegen.selection.territory import GRAND_PARIS, territory_for
from fichegen.selection.thresholds import PCAP_ABSOLUTE, PCAP_RATIO

if TYPE_CHECKING:
    from fichegen.inputs.profile import Profile
    from fichegen.reference.lookup import Reference

__all__ = ["PRIORITY_REASON", "build", "commune_facts", "rank_levers"]

PRIORITY_REASON = "Priorité retenue par l’équipe qui a préparé la fiche"
_OVERRIDABLE = ("nom", "population_municipale", "population_totale")


def commune_facts(profile: Profile, reference: Reference) -> CommuneFacts:
    """The reference commune with the profile's values applied over it."""
    resolution = reference.resolve(profile.commune.code_insee)
    commune: Commune = resolution.commune
    # Official names from the reference are typeset (« Provence-Alpes-Côte d’Azur »); a name
    # the profile gives is free text, printed as written.
    changes: dict[str, object] = {
        name: typeset(value)
        for name in ("nom", "departement_nom", "region_nom", "epci_nom")
        if isinstance(value := getattr(commune, name), str) and "'" in value
    }
    overrides: list[str] = []
    for name in _OVERRIDABLE:
        value = getattr(profile.commune, name)
        if value is not None:
            changes[name] = value
            overrides.append(f"commune.{name}")
    if changes:
        commune = replace(commune, **changes)  # type: ignore[arg-type]
    epci = reference.epci_of(commune.code_insee)
    epci_municipale = None
    if epci is not None and profile.petite_enfance.competence_transferee_epci is True:
        members = [reference.get(code).population_municipale for code in epci.membres]
        if all(m is not None for m in members):
            epci_municipale = sum(m for m in members if m is not None)
            if profile.commune.population_municipale is not None:
                own = resolution.commune.population_municipale or 0
                epci_municipale += profile.commune.population_municipale - own
    return CommuneFacts(
        commune,
        epci,
        tuple(overrides),
        resolution.note,
        population_municipale_precedente=reference.population_municipale_dgcl(commune.code_insee),
        epci_population_municipale=epci_municipale,
        public=public_facts(reference.figures(commune.code_insee), profile),
        caf=reference.caf_rate(commune.code_insee),
        caf_source=reference.caf_source(),
    )


def _arrondissement(profile: Profile, reference: Reference) -> str | None:
    """The reference name of the municipal arrondissement asked for, if the code was one."""
    return reference.arrondissement_name(profile.requested_code)


def _lever_reasons(
    lever: Lever,
    active: dict[str, list[dict[str, str | None]]],
    common: dict[str, str | None],
    story: Story | None = None,
    told_story: tuple[str, ...] = (),
) -> tuple[float, list[str]]:
    # What the commune already did (``told_story``, the story's sentences for this lever)
    # comes first: it is told its own story, not advised to do it (« comme à <itself> »
    # reasons of the same lever are dropped below).
    reasons = list(told_story)
    score = STORY_WEIGHT * len(reasons)
    told = bool(reasons)
    named: set[str] = set()  # actors already named by a reason of this lever
    for sig in lever.signaux:
        occurrences = active.get(sig.signal)
        if not occurrences or (story is not None and sig.signal in story.suppressed):
            continue
        texts: list[str] = []
        for occ in occurrences:
            mine = story.creche if story is not None else None
            if told and mine is not None and occ.get("creche") == mine:
                continue  # the crèche of the commune's own story is already told above
            if occ.get("noms") and occ.get("noms") in named:
                continue  # the same actors named again (« Crèche … : X », « Acteur … : X »)
            values = {**common, **occ}
            text = fill(sig.raison, values)
            if text is None and sig.raison_si_incomplet is not None:
                text = fill(sig.raison_si_incomplet, values)
            own = f", comme à {common['commune']}"
            if text is not None and common["commune"] and own in text:
                # A reason citing the commune's own example would read "comme à <itself>":
                # dropped where the commune's story is told, else cut to its first part.
                text = None if told else text.replace(own, "")
            if text is not None and text not in reasons and text not in texts:
                texts.append(text)
                if occ.get("noms"):
                    named.add(str(occ["noms"]))
        if texts:  # a weight only counts with a sentence that explains it
            score += sig.poids
            reasons.extend(texts)
    return score, reasons


def rank_levers(
    profile: Profile, kb: KnowledgeBase, inp: SignalInput, story: Story | None = None
) -> tuple[tuple[RankedLever, ...], tuple[str, ...]]:
    """Levers most relevant first: priorities in their order, then by score, then KB order."""
    active = evaluate_signals(inp)
    common = common_values(inp)
    excluded = tuple(lever.id for lever in kb.levers if lever.id in profile.exclure)
    priorities = [p for p in dict.fromkeys(profile.priorites) if p not in excluded]
    scored: list[tuple[int, float, int, Lever, list[str]]] = []
    told = {
        lever.id: tuple(story.reasons(lever.id, common["commune"]))
        for lever in kb.levers
        if story is not None and common["commune"]
    }
    for index, lever in enumerate(kb.levers):
        if lever.id in excluded:
            continue
        score, reasons = _lever_reasons(lever, active, common, story, told.get(lever.id, ()))
        group = priorities.index(lever.id) if lever.id in priorities else len(priorities)
        if lever.id in priorities:
            reasons.insert(0, PRIORITY_REASON)
        scored.append((group, -score, index, lever, reasons))
    scored.sort(key=lambda item: (item[0], item[1], item[2]))
    ranked = tuple(
        RankedLever(
            id=lever.id,
            titre=lever.titre,
            rang=rank,
            score=-neg_score,
            reasons=tuple(reasons),
            prioritaire=lever.id in priorities,
            example_ids=_lever_examples(kb, lever.id),
            story=told.get(lever.id, ()),
            next_steps=story.next_steps(lever.id) if lever.id in told and story else (),
        )
        for rank, (_, neg_score, _, lever, reasons) in enumerate(scored, start=1)
    )
    return ranked, excluded


def _lever_examples(kb: KnowledgeBase, lever_id: str) -> tuple[str, ...]:
    # The examples read beyond fiche n° 15 are offered only near their place, never listed here.
    listed = [e for e in kb.examples if e.origine != "hors_fiche15"]
    main = [e.id for e in listed if e.levier_principal == lever_id]
    other = [e.id for e in listed if lever_id in e.autres_leviers]
    return (*main, *other)


def _method(kb: KnowledgeBase, count: int, coverage: Coverage) -> tuple[str, ...]:
    weights = [sig.poids for lever in kb.levers for sig in lever.signaux]
    low = number(min(w for w in weights if w >= 0))
    high = number(max(weights))
    counter = sorted({-w for w in weights if w < 0})
    counterpoint = ""
    if counter:  # « couverture déjà au-dessus de la moyenne » lowers the creation lever
        lost = " ou ".join(number(w) for w in counter)
        counterpoint = (
            " ; un constat qui plaide contre le levier (par exemple une couverture déjà "
            f"supérieure à la moyenne nationale) lui retire {lost} "
            f"{'point' if counter[-1] < 2 else 'points'}"
        )
    own = sum(1 for e in kb.examples if e.origine == "fiche15")
    beyond = sum(1 for e in kb.examples if e.origine == "hors_fiche15")
    added = len(kb.examples) - own - beyond
    origin = f"Les exemples proviennent de la fiche n°\u00a015 ({integer(own)} exemples)"
    if added:
        word = "exemple ajouté" if added == 1 else "exemples ajoutés"
        origin += (
            f" et du dossier de connaissances fourni par l’utilisateur ({integer(added)} {word})"
        )
    beyond_rule: tuple[str, ...] = ()
    if beyond:
        beyond_rule = (
            f"S’y ajoutent {integer(beyond)} réalisations réelles que la fiche n°\u00a015 ne cite "
            "pas, lues sur des pages publiques dont l’adresse est donnée avec chacune : elles "
            f"viennent après les exemples de la fiche, sans en remplacer aucun, {BEYOND_MAX} au "
            f"plus par fiche, choisies selon les mêmes règles parmi celles situées à "
            f"{integer(int(NEAR_KM))}\u00a0km au plus, et jamais pour une commune où elles se "
            "trouvent.",
        )
    return (
        "Chaque levier gagne des points pour chaque constat tiré des chiffres de la commune "
        "ou des données publiques (absence de places, local disponible, seuils de "
        f"population, acteurs de l’ESS présents…) : de {low} à {high} selon que le constat "
        f"désigne plus ou moins directement le levier{counterpoint} ; un constat ne compte "
        "que s’il est écrit parmi les raisons du levier.",
        "Les leviers indiqués en priorité passent en tête, dans l’ordre donné ; les leviers "
        "exclus sont retirés ; à égalité de points, l’ordre de la fiche n°\u00a015 est conservé.",
        *SIGNAL_RULES[:2],
        coverage_rule(coverage.national_places_pour_100, coverage.national_annee),
        *SIGNAL_RULES[2:],
        f"Exemples de la fiche n°\u00a015 ({integer(count)} au plus) : on alterne le plus "
        "proche (distance à vol d’oiseau entre les centres des communes), le plus comparable "
        "(taille et densité) et celui qui illustre le levier le mieux classé ; la commune "
        "elle-même n’est jamais son propre exemple proche.",
        f"Un exemple est dit proche à {integer(int(NEAR_KM))}\u00a0km au plus ; au-delà, la fiche "
        "ne le présente pas comme proche.",
        "Taille comparable : population municipale au plus trois fois plus grande ou plus petite.",
        "Seuils de population : la population totale ne dépasse la population municipale que "
        "de la population comptée à part ; d’après les chiffres de toutes les communes qui "
        f"publient les deux, celle-ci n’excède jamais {integer(PCAP_ABSOLUTE)} habitants plus "
        f"{number(PCAP_RATIO * 100, 0)} % de la population municipale (borne observée en "
        "2022, non un chiffre officiel). Une commune qui reste sous un seuil avec cette borne "
        "est dite sous ce seuil ; la population légale de l’Insee reste le chiffre qui fait foi.",
        "Une commune qui figure parmi les exemples de la fiche n° 15 lit ce qu’elle a déjà "
        "fait et une suite possible dans chaque levier concerné, qui en gagne un point ; "
        "les actions déjà faites ne lui sont pas proposées de nouveau ; si ses chiffres "
        "contredisent la fiche, le désaccord est signalé une "
        "fois, à vérifier, et aucune raison ne s’appuie sur l’un ou l’autre.",
        origin + " ; aucun n’est inventé.",
        *beyond_rule,
    )


_COVERAGE_FIELDS = frozenset(
    {
        "petite_enfance.enfants_moins_3_ans",
        "petite_enfance.places_eaje",
        "petite_enfance.places_assistants_maternels",
        "petite_enfance.taux_couverture",
    }
)


def _checked(coverage: Coverage, profile: Profile, doubtful: frozenset[str]) -> Coverage:
    """The coverage, flagged « à vérifier » without any national comparison when the figures
    it rests on got a plausibility warning (a rate the user gave is still shown)."""
    pe = profile.petite_enfance
    rate = coverage.places_pour_100
    if rate is None:
        rate = coverage.taux_fourni
    if rate is None or not doubtful & _COVERAGE_FIELDS:
        return coverage
    computed = coverage.places is not None
    if computed and not doubtful & (_COVERAGE_FIELDS - {"petite_enfance.taux_couverture"}):
        return coverage
    if coverage.places is not None and coverage.enfants_moins_3_ans:
        text = (
            f"{counted(coverage.places, 'place')} pour "
            f"{counted(coverage.enfants_moins_3_ans, 'enfant')} de moins de 3\u00a0ans "
            "d’après les chiffres fournis : ces chiffres sont à vérifier, aucune comparaison "
            "avec la moyenne nationale n’en est tirée."
        )
    else:
        text = (
            f"Taux de couverture fourni : {number(rate, 3)} pour 100 enfants "
            "de moins de 3\u00a0ans, à vérifier ; aucune comparaison avec la moyenne nationale "
            "n’en est tirée."
        )
    if computed and pe.taux_couverture is not None:
        text += f" Taux de couverture fourni : {number(pe.taux_couverture, 3)} pour 100 enfants."
    # The Caf's rate, like with like, still stands: ``comparaison`` puts it first, and
    # ``taux_comparable`` falls back to it once the figures given are à vérifier.
    return replace(coverage, chiffres_fournis=text, a_verifier=True, places_pour_100=rate)


def _rate_for_reasons(coverage: Coverage, code: str) -> float | None:
    """The rate a « couverture faible » reason may rest on. The Caf publishes the rate of
    Paris, Lyon and Marseille by arrondissement: their metropolis's rate stays shown (said as
    such) but is no reason of theirs."""
    if (
        code in PLM
        and coverage.caf_portee == "epci"
        and coverage.source_comparable != "taux fourni"
    ):
        return None
    return coverage.taux_comparable


def build(
    profile: Profile,
    *,
    knowledge: KnowledgeBase | None = None,
    reference: Reference | None = None,
) -> Fiche:
    """Everything fiche n° 15 says for the profile's commune, with the reasons."""
    from fichegen.errors import require
    from fichegen.inputs.profile import Profile

    require(profile, Profile, "profil attendu (fichegen.load_profile, profile_from_dict…)")
    require(
        knowledge,
        (KnowledgeBase, type(None)),
        "knowledge : base de connaissances (load_knowledge) ou None attendue",
    )
    if reference is None:
        from fichegen.reference.lookup import load_reference

        reference = load_reference()
    kb = knowledge if knowledge is not None else load_knowledge()
    facts = commune_facts(profile, reference)
    sppe = sppe_for(facts, profile, kb)
    story = own_story(kb, facts.commune.code_insee, profile)
    territory = territory_for(facts.commune, facts.epci, kb, _arrondissement(profile, reference))
    warnings = plausibility_warnings(profile)
    doubtful = doubtful_fields(warnings)
    coverage = _checked(coverage_for(facts, profile, territory.figures_source), profile, doubtful)
    inp = SignalInput(
        profile=profile,
        commune=facts.commune,
        epci=facts.epci,
        population=sppe.population_reference,
        population_label=sppe.population_label,
        places_pour_100=_rate_for_reasons(coverage, facts.commune.code_insee),
        national_pour_100=coverage.national_places_pour_100,
        national_annee=coverage.national_annee,
        taux_source=coverage.source_comparable,
        taux_annee=coverage.annee_comparable,
        places=coverage.places,
        enfants=coverage.enfants_moins_3_ans,
        provided=frozenset(profile.provided_fields()),
        doubtful=doubtful,
        public=facts.public,
        own_creche_examples=() if story.creche is None else (story.creche,),
        grand_paris=facts.epci is not None and facts.epci.code == GRAND_PARIS,
        ept=territory.ept,
        arrondissements=territory.arrondissements,
        certain_duties=frozenset(
            o.id
            for o in sppe.obligations
            if o.obligatoire and o.certain and sppe.applicable and not sppe.titulaire
        ),
    )
    levers, excluded = rank_levers(profile, kb, inp, story)
    count = profile.fiche.nombre_exemples
    chosen = select_examples(facts.commune, levers, kb, reference, count)
    notices: list[str] = []
    if facts.resolution_note:
        notices.append(facts.resolution_note)
    notices.extend(story.conflicts)
    if sppe.notice:
        notices.append(sppe.notice)
    notices.extend(chosen.notices)
    return Fiche(
        profile=profile,
        commune=facts,
        sppe=sppe,
        coverage=coverage,
        levers=levers,
        excluded_levers=excluded,
        examples=chosen.examples,
        self_examples=chosen.self_examples,
        knowledge=kb,
        story=story.realisations,
        a_verifier=story.conflicts,
        territoire=territory,
        method=_method(kb, count, coverage),
        notices=tuple(notices),
        warnings=warnings,
        example_notices=chosen.notices,
    )
