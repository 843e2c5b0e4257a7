"""The result of the selection: what fiche n° 15 says for one commune, as plain data.

Built by :func:`fichegen.selection.build`, read by the composer, ``fichegen explain`` and
Python callers. No wording decisions of the document live here, only facts and reasons.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from fichegen.errors import Issue
from fichegen.knowledge.base import KnowledgeBase
from fichegen.knowledge.types import Realisation
from fichegen.reference.types import Commune, Epci
from fichegen.selection.public_figures import ESTIMATE_METHOD, PublicFacts

if TYPE_CHECKING:
    from fichegen.inputs.profile import Profile
    from fichegen.reference.caf_rates import CafCopySource, EmbeddedCafRate
    from fichegen.selection.territory import Territory

__all__ = [
    "CommuneFacts",
    "Coverage",
    "Fiche",
    "Obligation",
    "RankedLever",
    "SelectedExample",
    "Sppe",
]


@dataclass(frozen=True)
class CommuneFacts:
    """The commune with the profile's overrides applied, and its EPCI."""

    commune: Commune
    epci: Epci | None
    overrides: tuple[str, ...]
    """Dotted profile fields that replaced reference values (``commune.population_totale``)."""
    resolution_note: str | None
    population_municipale_precedente: int | None = None
    """Population municipale of the same vintage as the embedded totale (DGCL file)."""
    epci_population_municipale: int | None = None
    """Sum of the current populations municipales of the EPCI's member communes."""
    public: PublicFacts | None = None
    """Insee's embedded public figures of the commune (births, population trend, households)."""
    caf: EmbeddedCafRate | None = None
    """The Cnaf's embedded coverage rate: the commune's own, else its EPCI's (2023)."""
    caf_source: CafCopySource | None = None
    """The embedded Cnaf data (France's rate of their year), even where no rate is known."""


@dataclass(frozen=True)
class Obligation:
    """One SPPE duty (article L214-1-3 CASF) and whether it binds this commune."""

    id: str
    titre: str
    obligatoire: bool
    base_legale: str
    explication: str
    en_vigueur_depuis: date | None
    remarque: str | None
    certain: bool = True
    """False when the figures at hand cannot settle whether the duty applies."""
    verification: str | None = None
    """When not certain: which official figure or rule to check (French sentence)."""
    version: str | None = None
    """Version of the legal text relied on (« rédaction issue de … »)."""


@dataclass(frozen=True)
class Sppe:
    """The SPPE duties of the commune and the population that decided them."""

    applicable: bool
    population_reference: int | None
    population_label: str
    obligations: tuple[Obligation, ...]
    notice: str | None
    titulaire: str | None = None
    """Name of the EPCI that exercises the competences (its duties, not the commune's)."""
    verification_com: str | None = None
    """For a collectivité d'outre-mer: what is known of the code there and what to check."""
    autres_chiffres: str | None = None
    """The other population figure at hand, in words (« population municipale 2023 : … »)."""
    methode_seuil: str | None = None
    """Why the figures settle the thresholds (legal figure missing, municipale above, the
    estimate, the upper bound), said once in the section's lead."""
    transfert_a_verifier: str | None = None
    """When the profile does not say whether the competences went to the EPCI: the caveat
    on the duties said not to apply, and what to check (art. L214-1-3, III)."""
    transfert_exercice: str | None = None
    """The same caveat on the duties said to apply: if transferred, the EPCI exercises them."""


@dataclass(frozen=True)
class Coverage:
    """Places per 100 children under 3, compared with the national figure when computable."""

    enfants_moins_3_ans: int | None
    places: int | None
    places_pour_100: float | None
    national_places_pour_100: float
    national_source: str
    chiffres_fournis: str | None
    """The sentences on the figures given (the ratio they make, the rate given), or why
    they are to check; :attr:`comparaison` puts the Caf's sentence before them."""
    note: str
    national_annee: int = 2022
    taux_fourni: float | None = None
    """The coverage rate the user gave (always shown)."""
    caf_taux: float | None = None
    caf_annee: int | None = None
    caf_portee: str | None = None
    """``commune``, ``arrondissements`` or ``epci``: whose rate the Caf's figure is."""
    caf_libelle: str | None = None
    """The Caf's rate named for whom it is (« Taux de couverture de la commune (Caf, 2023) »)."""
    caf_source: str | None = None
    """The Caf's rate's origin in words (publisher, dataset, year, file, how computed)."""
    ratio_libelle: str | None = None
    """What a ratio computed from the figures given counts (« places en crèche … »)."""
    caf_phrase: str | None = None
    """The sentence setting the Caf's rate against France's (kept when figures are doubtful)."""
    a_verifier: bool = False
    """The figures behind the rate got a plausibility warning: no comparison is drawn."""
    caf_integre: bool = False
    """The Caf's rate is the embedded one (no file given): the team's figures go first."""
    piste: str = "taux de la Caf : voir data.caf.fr"
    """Where to look for the rate when none is known (the key figure's subtitle)."""

    @property
    def taux_comparable(self) -> float | None:
        """The rate set against the national one, same scope: the one given (unless the
        figures are doubtful), else the Caf's."""
        if self.taux_fourni is not None and not self.a_verifier:
            return self.taux_fourni
        return self.caf_taux

    @property
    def source_comparable(self) -> str | None:
        """Whose and which year :attr:`taux_comparable` is, in a few words (« taux de
        l’intercommunalité, Caf, 2023 », « taux fourni »)."""
        if self.taux_fourni is not None and not self.a_verifier:
            return "taux fourni"
        if self.caf_taux is None:
            return None
        whose = "taux de l’intercommunalité, " if self.caf_portee == "epci" else ""
        return f"{whose}Caf, {self.caf_annee}"

    @property
    def annee_comparable(self) -> int | None:
        """The year of :attr:`taux_comparable` when known (the Caf's; a rate given has none)."""
        if self.taux_fourni is not None and not self.a_verifier:
            return None
        return self.caf_annee

    @property
    def comparaison(self) -> str | None:
        """What the section says of coverage: the Caf's sentence, then the figures given."""
        return " ".join(t for t in (self.caf_phrase, self.chiffres_fournis) if t) or None


@dataclass(frozen=True)
class RankedLever:
    id: str
    titre: str
    rang: int
    score: float
    reasons: tuple[str, ...]
    prioritaire: bool
    example_ids: tuple[str, ...]
    story: tuple[str, ...] = ()
    """Those of ``reasons`` that tell what the commune already did for this lever."""
    next_steps: tuple[str, ...] = ()
    """What it could do next, once it did that (the end of each ``story`` sentence)."""


@dataclass(frozen=True)
class SelectedExample:
    id: str
    titre: str
    commune_code: str
    commune_nom: str
    distance_km: float | None
    reasons: tuple[str, ...]
    criteria: tuple[str, ...]
    """Why it was chosen: ``proche`` (within NEAR_KM or in the département),
    ``moins_eloigne`` (the nearest, but farther), ``comparable``, ``levier``."""


@dataclass(frozen=True)
class Fiche:
    """Everything selected for one commune, with the reasons."""

    profile: Profile
    commune: CommuneFacts
    sppe: Sppe
    coverage: Coverage
    levers: tuple[RankedLever, ...]
    excluded_levers: tuple[str, ...]
    examples: tuple[SelectedExample, ...]
    self_examples: tuple[str, ...]
    knowledge: KnowledgeBase
    method: tuple[str, ...]
    notices: tuple[str, ...]
    story: tuple[Realisation, ...] = ()
    """What the knowledge base says this commune already did (its own story)."""
    a_verifier: tuple[str, ...] = ()
    """Disagreements between the knowledge base and the commune's figures, to check."""
    territoire: Territory | None = None
    """The commune's territorial regime and what it changes in the wording."""
    warnings: tuple[Issue, ...] = ()
    """Plausibility warnings on the profile's figures (:mod:`fichegen.inputs.plausibility`)."""
    example_notices: tuple[str, ...] = ()
    """The notices of :attr:`notices` that say how the examples were chosen (no distance...):
    the fiche prints them with the examples."""

    @property
    def obligations(self) -> tuple[Obligation, ...]:
        return self.sppe.obligations

    def to_dict(self) -> dict[str, Any]:
        """The object printed by ``fichegen explain --json`` (JSON-ready, stable keys)."""
        c = self.commune.commune
        epci = self.commune.epci
        cov = self.coverage
        return {
            "commune": {
                "code_insee": c.code_insee,
                "nom": c.nom,
                "departement": c.departement,
                "departement_nom": c.departement_nom,
                "region": c.region,
                "region_nom": c.region_nom,
                "zone": c.zone,
                "population_totale": c.population_totale,
                "population_municipale": c.population_municipale,
                "superficie_km2": c.superficie_km2,
                "latitude": c.latitude,
                "longitude": c.longitude,
                "epci": None if epci is None else {"code": epci.code, "nom": epci.nom},
                "valeurs_du_profil": list(self.commune.overrides),
                "note": self.commune.resolution_note,
            },
            "sppe": {
                "applicable": self.sppe.applicable,
                "population_reference": self.sppe.population_reference,
                "population_label": self.sppe.population_label,
                "notice": self.sppe.notice,
                "titulaire": self.sppe.titulaire,
                "raisonnement_seuils": self.sppe.methode_seuil,
                "transfert_a_verifier": self.sppe.transfert_a_verifier,
            },
            "obligations": [
                {
                    "id": o.id,
                    "titre": o.titre,
                    "obligatoire": o.obligatoire,
                    "certain": o.certain,
                    "verification": o.verification,
                    "base_legale": o.base_legale,
                    "version": o.version,
                    "explication": o.explication,
                    "en_vigueur_depuis": (
                        None if o.en_vigueur_depuis is None else o.en_vigueur_depuis.isoformat()
                    ),
                    "remarque": o.remarque,
                }
                for o in self.sppe.obligations
            ],
            "couverture": {
                "enfants_moins_3_ans": cov.enfants_moins_3_ans,
                "places": cov.places,
                "places_pour_100": cov.places_pour_100,
                "national_places_pour_100": cov.national_places_pour_100,
                "national_annee": cov.national_annee,
                "caf_taux": cov.caf_taux,
                "caf_annee": cov.caf_annee,
                "caf_portee": cov.caf_portee,
                "national_source": cov.national_source,
                "comparaison": cov.comparaison,
                "note": cov.note,
                "a_verifier": cov.a_verifier,
            },
            "chiffres_publics": _public_dict(self.commune.public),
            "levers": [
                {
                    "id": lever.id,
                    "titre": lever.titre,
                    "rang": lever.rang,
                    "score": lever.score,
                    "prioritaire": lever.prioritaire,
                    "reasons": list(lever.reasons),
                    "examples": list(lever.example_ids),
                }
                for lever in self.levers
            ],
            "excluded_levers": list(self.excluded_levers),
            "examples": [
                {
                    "id": ex.id,
                    "titre": ex.titre,
                    "commune_code": ex.commune_code,
                    "commune_nom": ex.commune_nom,
                    "distance_km": ex.distance_km,
                    "criteria": list(ex.criteria),
                    "reasons": list(ex.reasons),
                }
                for ex in self.examples
            ],
            "self_examples": list(self.self_examples),
            "histoire": [
                {
                    "levier": r.levier,
                    "nature": r.nature,
                    "fait": r.fait,
                    "depuis": r.depuis,
                    "suite": r.suite,
                    "commune_code": r.commune_code,
                }
                for r in self.story
            ],
            "a_verifier": list(self.a_verifier),
            "territoire": None if self.territoire is None else self.territoire.to_dict(),
            "method": list(self.method),
            "notices": list(self.notices),
            "avertissements": [
                {
                    "fichier": w.file,
                    "ligne": w.line,
                    "colonne": w.column,
                    "champ": w.field,
                    "message": w.message,
                }
                for w in self.warnings
            ],
            "knowledge_user_files": list(self.knowledge.user_files),
        }


def _public_dict(public: PublicFacts | None) -> dict[str, Any] | None:
    if public is None:
        return None
    f = public.figures
    estimate = None
    if public.enfants_estimes is not None:
        estimate = {"valeur": public.enfants_estimes, "methode": ESTIMATE_METHOD}
    return {
        "source": public.source,
        "licence": f.source.licence,
        "population_2015": f.population_2015,
        "population_2021": f.population_2021,
        "evolution_population_2015_2021_pct": public.evolution_pct,
        "menages_2021": f.menages_2021,
        "naissances_2022": f.naissances_2022,
        "deces_2022": f.deces_2022,
        "naissances_pour_1000_habitants": public.natalite,
        "naissances_pour_1000_habitants_ensemble": public.natalite_ensemble,
        "estimation_enfants_moins_3_ans": estimate,
    }
