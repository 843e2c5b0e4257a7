"""The commune's own story: what fiche n° 15 says this very commune already did.

When the commune is the place of one of the knowledge base's examples (or an associated
commune named in a realisation), each lever the realisation touches gets a reason saying
what was done, since when, and what could come next; the generic « comme à <itself> »
reasons of that lever are dropped. When the commune's figures contradict a realisation
(0 place en crèche while the source describes a crèche there), the disagreement is stated
once, as something to check, and no reason builds on either side (:class:`Story`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from fichegen.french.formatting import integer
from fichegen.french.grammar import a, capitalize
from fichegen.french.typography import sentence
from fichegen.knowledge.types import Example, KnowledgeBase, Realisation

if TYPE_CHECKING:
    from fichegen.inputs.profile import Profile

__all__ = ["STORY_WEIGHT", "Story", "own_story"]

STORY_WEIGHT = 1.0
"""Weight a lever gains from each thing the commune already did for it."""

_CONFLICT_SIGNALS = frozenset(
    {
        "aucune_place_eaje",
        "aucun_acteur_ess",
        "couverture_faible",
        "creche_ess_connue",
        "commune_rurale_sans_creche_ess",
        "petite_commune_sans_creche_ess",
    }
)
"""Signals built on either side of a disagreement between the figures and the source: the
absence of places or of ESS actors, the source's crèche, and the « no ESS crèche » rules."""


@dataclass(frozen=True)
class Story:
    """The commune's own realisations, lever by lever, and what disagrees with the figures."""

    examples: tuple[str, ...]
    """Ids of the examples located in this very commune: they tell its story."""
    realisations: tuple[Realisation, ...]
    conflicts: tuple[str, ...]
    """French sentences, each a disagreement between the source and the figures to check."""
    suppressed: frozenset[str]
    """Signals whose reasons must not be written (one side of a disagreement)."""

    def levers(self) -> frozenset[str]:
        return frozenset(r.levier for r in self.realisations)

    def _told(self, lever_id: str) -> list[Realisation]:
        return [
            r
            for r in self.realisations
            if r.levier == lever_id and not (self.conflicts and r.nature == "creche")
        ]

    def next_steps(self, lever_id: str) -> tuple[str, ...]:
        """What the commune could do next for this lever, after what it already did."""
        return tuple(r.suite for r in self._told(lever_id))

    def reasons(self, lever_id: str, commune: str) -> list[str]:
        """One sentence per realisation of this lever: what was done, and what next."""
        texts: list[str] = []
        for r in self._told(lever_id):
            texts.append(
                sentence(
                    "Déjà fait {a_commune}, selon la fiche n°\u00a015 du kit municipal : {fait} "
                    "Prochaine étape possible : {suite}",
                    a_commune=a(commune),
                    fait=r.fait,
                    suite=r.suite,
                )
            )
        return texts

    @property
    def creche(self) -> str | None:
        """The crèche the source names in this commune, in words, unless disputed."""
        if self.conflicts:
            return None
        for r in self.realisations:
            if r.nature == "creche" and r.nom:
                return _creche_words(r)
        return None


def _creche_words(r: Realisation) -> str:
    """« Histoire de Bulles : 10 places ouvertes en 2009 d’après la fiche n° 15… »: no comma
    and no bracket, as the words are printed inside a singular reason's own brackets."""
    words = r.nom or ""
    places = f"{integer(r.places)} {'place' if r.places == 1 else 'places'}" if r.places else ""
    if places and r.depuis:
        opened = "ouverte" if r.places == 1 else "ouvertes"
        words += f" : {places} {opened} en {r.depuis}"
    elif places:
        words += f" : {places}"
    elif r.depuis:
        words += f" ouverte en {r.depuis}"
    return f"{words} d’après la fiche n°\u00a015 du kit municipal"


def _own(kb: KnowledgeBase, code: str) -> tuple[list[Example], list[Realisation]]:
    examples: list[Example] = []
    done: list[Realisation] = []
    for example in kb.examples:
        done.extend(r for r in example.realisations if r.commune_code == code)
        if example.commune_code == code and example.echelle == "commune":
            # An associated commune (Gruson for Anstaing's crèche) keeps the example as a
            # nearby one; only the example's own commune reads it as its story.
            examples.append(example)
    return examples, done


def own_story(kb: KnowledgeBase, code: str, profile: Profile) -> Story:
    """What the knowledge base says commune ``code`` did, checked against its figures."""
    examples, done = _own(kb, code)
    creches = [r for r in done if r.nature == "creche" and r.nom]
    conflicts: list[str] = []
    pe = profile.petite_enfance
    if creches:
        named = creches[0]
        kind = "la micro-crèche" if named.places is not None and named.places <= 12 else "la crèche"
        what = f"{kind} {named.nom}"
        if pe.places_eaje == 0:
            conflicts.append(
                sentence(
                    "La fiche n°\u00a015 mentionne {what} ; vos chiffres indiquent 0 place en "
                    "crèche : à vérifier.",
                    what=what,
                )
            )
        elif pe.places_eaje_ess == 0:
            conflicts.append(
                sentence(
                    "La fiche n°\u00a015 mentionne {what}, gérée par l’ESS ; vos chiffres "
                    "indiquent 0 place en crèche gérée par l’ESS : à vérifier.",
                    what=what,
                )
            )
        elif "acteurs_ess" in profile.provided_fields() and not profile.acteurs_ess:
            conflicts.append(
                sentence(
                    "La fiche n°\u00a015 mentionne {what} ; vos chiffres ne recensent aucun "
                    "acteur de l’ESS : à vérifier.",
                    what=what,
                )
            )
    return Story(
        examples=tuple(e.id for e in examples),
        realisations=tuple(done),
        conflicts=tuple(capitalize(c) for c in conflicts),
        suppressed=_CONFLICT_SIGNALS if conflicts else frozenset(),
    )
