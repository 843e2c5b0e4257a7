"""The records of the knowledge base: what the rest of fichegen reads (frozen dataclasses)."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "LEGAL_IDS",
    "LEVER_IDS",
    "Context",
    "Example",
    "ExampleSource",
    "Figure",
    "KnowledgeBase",
    "LegalRule",
    "Lever",
    "Realisation",
    "Resource",
    "Signal",
    "SourceInfo",
]

LEVER_IDS: tuple[str, ...] = (
    "locaux",
    "engagement",
    "creation",
    "cooperation",
    "contractualisation",
)

LEGAL_IDS: tuple[str, ...] = (
    "recenser",
    "informer",
    "planifier",
    "qualite",
    "schema_pluriannuel",
    "relais_petite_enfance",
    "seuils",
    "transfert_epci",
    "dispense_ctg",
    "saint_pierre_et_miquelon",
    "saint_barthelemy_saint_martin",
    "autres_com",
    "mam",
    "mayotte_cssm",
    "spm_caisse_prevoyance",
    "arrondissements",
    "grand_paris_ept",
)
"""Legal statements the selection reads from the knowledge base (``droit``)."""


@dataclass(frozen=True)
class Signal:
    """One condition that makes a lever relevant, its weight and its reason template."""

    signal: str
    poids: float
    raison: str
    raison_si_incomplet: str | None = None


@dataclass(frozen=True)
class Lever:
    id: str
    titre: str
    accroche: str
    description: tuple[str, ...]
    actions: tuple[str, ...]
    signaux: tuple[Signal, ...]


@dataclass(frozen=True)
class Figure:
    libelle: str
    valeur: float
    unite: str


@dataclass(frozen=True)
class Realisation:
    """What a commune of an example already did for one lever, and what could come next.

    ``nature`` is one of a closed set the selection reads: ``local`` (premises provided),
    ``pole`` (a pôle built with the actors), ``reseau`` (crèches networked), ``creche`` (a
    crèche open, with ``nom`` and ``places``), ``etude`` (feasibility study), ``subvention``
    (running grant), ``places`` (places reserved and financed). ``fait`` and ``suite`` are
    the project's own French sentences from the source's facts.
    """

    levier: str
    nature: str
    fait: str
    depuis: int | None
    suite: str
    commune_code: str
    nom: str | None = None
    places: int | None = None
    actions_faites: tuple[int, ...] = ()
    """Numbers (from 1) of the lever's actions the commune already carried out: its fiche
    marks them « déjà fait » instead of advising them."""


@dataclass(frozen=True)
class ExampleSource:
    """A public page an example was read on: its address, title and publisher."""

    url: str
    titre: str
    editeur: str


@dataclass(frozen=True)
class Example:
    id: str
    titre: str
    commune_code: str
    lieu: str
    echelle: str
    epci: str | None
    departement: str
    annees: tuple[int, ...]
    structure: str
    acteurs: tuple[str, ...]
    chiffres: tuple[Figure, ...]
    faits: tuple[str, ...]
    levier_principal: str
    autres_leviers: tuple[str, ...]
    communes_associees: tuple[str, ...] = ()
    epci_code: str | None = None
    origine: str = "fiche15"
    """``fiche15`` for the source's examples, ``utilisateur`` for a user folder's."""
    realisations: tuple[Realisation, ...] = ()
    """What the example's commune (or an associated one) already did, lever by lever."""
    """``fiche15`` for the source's examples, ``hors_fiche15`` for the built-in examples read
    on public pages beyond the source (see ``sources``), ``utilisateur`` for a user folder's."""
    sources: tuple[ExampleSource, ...] = ()

    @property
    def leviers(self) -> tuple[str, ...]:
        """Main lever first, then the others."""
        return (self.levier_principal, *self.autres_leviers)


@dataclass(frozen=True)
class Resource:
    id: str
    titre: str
    editeur: str
    date: str | None
    nature: str | None
    collection: str | None = None
    url: str | None = None
    exemple: str | None = None


@dataclass(frozen=True)
class Context:
    titre: str
    numero: int
    introduction: tuple[str, ...]
    sppe: str
    acteurs_intro: str
    acteurs: tuple[str, ...]


@dataclass(frozen=True)
class SourceInfo:
    titre: str
    collection: str | None
    editeur: str | None
    note: str | None


@dataclass(frozen=True)
class LegalRule:
    """One legal statement of the fiche with the article and the version it relies on."""

    id: str
    texte: str
    article: str
    version: str

    @property
    def reference(self) -> str:
        """« CASF, art. L424-1 (rédaction issue de …) »."""
        return f"{self.article} ({self.version})"


@dataclass(frozen=True)
class KnowledgeBase:
    """The whole content of fiche n° 15, plus what a user folder added."""

    context: Context
    levers: tuple[Lever, ...]
    examples: tuple[Example, ...]
    resources: tuple[Resource, ...]
    source: SourceInfo
    user_files: tuple[str, ...] = field(default=())
    legal: tuple[LegalRule, ...] = field(default=())

    def rule(self, rule_id: str) -> LegalRule:
        for rule in self.legal:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def lever(self, lever_id: str) -> Lever:
        for lever in self.levers:
            if lever.id == lever_id:
                return lever
        raise KeyError(lever_id)

    def example(self, example_id: str) -> Example:
        for example in self.examples:
            if example.id == example_id:
                return example
        raise KeyError(example_id)
