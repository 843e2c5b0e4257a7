"""Which territorial regime the commune falls under, and what that changes in the fiche.

Pure: from the reference commune, its EPCI and the code asked for. The regimes handled:
Mayotte (the Caisse de sécurité sociale de Mayotte pays family benefits, not a Caf),
Saint-Pierre-et-Miquelon (its Caisse de prévoyance sociale), Saint-Barthélemy and
Saint-Martin (body to check), communes outside any EPCI (no intercommunal wording), Paris,
Lyon and Marseille (arrondissement councils, CGCT art. L2511-16) and the communes of the
Métropole du Grand Paris (their établissement public territorial, CGCT art. L5219-5). Every
legal sentence comes from ``data/knowledge/droit.yaml`` with its article and version.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fichegen.knowledge.types import KnowledgeBase
from fichegen.reference.types import Commune, Epci

__all__ = ["GRAND_PARIS", "PLM", "Territory", "territory_for"]

GRAND_PARIS = "200054781"
"""SIREN of the Métropole du Grand Paris (an EPCI à statut particulier)."""
PLM = {"75056": "Paris", "69123": "Lyon", "13055": "Marseille"}
_ARRONDISSEMENT = re.compile(r"^(?P<ville>.+?) (?P<n>\d+)(?P<suffix>er|e) Arrondissement$")


@dataclass(frozen=True)
class Territory:
    """What the commune's territory changes in the wording, with the legal notes to print."""

    regime: str
    """``commun``, ``mayotte``, ``saint_pierre_et_miquelon``, ``saint_barthelemy_saint_martin``
    or ``autre_com``."""
    organisme: str
    """The body that pays family benefits, with its article: « la Caf », « la Caisse de
    sécurité sociale de Mayotte (CSSM) »…"""
    organisme_court: str
    caf: bool
    """True when a Caf serves the commune (its CTG and open data apply as elsewhere)."""
    intercommunalite: bool
    """False for a commune outside any EPCI: no intercommunal wording at all."""
    arrondissements: str | None = None
    """« Paris », « Lyon » or « Marseille »: the arrondissement councils' part is told."""
    arrondissement_demande: str | None = None
    """The arrondissement whose code was asked for, in words (« 12ᵉ arrondissement de Paris »)."""
    ept: bool = False
    """A commune of the Métropole du Grand Paris other than Paris: it has an EPT."""
    notes: tuple[str, ...] = ()
    """French sentences about the territory, each with its article (printed once)."""

    @property
    def figures_source(self) -> str | None:
        """Whom to ask for the early-childhood figures where no Caf serves the commune."""
        if self.caf:
            return None
        if self.organisme.startswith("l’organisme"):
            return (
                "demandez-les à l’organisme qui verse les prestations familiales dans la "
                "collectivité, et à ses services."
            )
        return (
            f"{self.organisme} verse ici les prestations familiales, pas une Caf : "
            "demandez-lui ces chiffres."
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "regime": self.regime,
            "organisme_prestations_familiales": self.organisme,
            "caf": self.caf,
            "intercommunalite": self.intercommunalite,
            "arrondissements": self.arrondissements,
            "arrondissement_demande": self.arrondissement_demande,
            "etablissement_public_territorial": self.ept,
            "notes": list(self.notes),
        }


def arrondissement_words(name: str) -> str:
    """« Paris 12e Arrondissement » as « 12ᵉ arrondissement de Paris »."""
    match = _ARRONDISSEMENT.match(name)
    if match is None:
        return name
    suffix = "ᵉʳ" if match["suffix"] == "er" else "ᵉ"
    return f"{match['n']}{suffix}\u00a0arrondissement de {match['ville']}"


def _note(kb: KnowledgeBase, rule_id: str) -> str:
    rule = kb.rule(rule_id)
    return f"{rule.texte} ({rule.article}, {rule.version}.)"


def territory_for(
    commune: Commune,
    epci: Epci | None,
    kb: KnowledgeBase,
    arrondissement: str | None = None,
) -> Territory:
    """The commune's regime; ``arrondissement`` is the reference name of the code asked for
    when it was a municipal arrondissement's."""
    dep = commune.departement
    in_epci = epci is not None
    notes: list[str] = []
    regime, organisme, court, caf = "commun", "la Caf", "la Caf", True
    if dep == "976":
        regime, caf = "mayotte", False
        organisme, court = "la Caisse de sécurité sociale de Mayotte (CSSM)", "la CSSM"
        notes.append(_note(kb, "mayotte_cssm"))
    elif dep == "975":
        regime, caf = "saint_pierre_et_miquelon", False
        organisme = "la Caisse de prévoyance sociale de Saint-Pierre-et-Miquelon"
        court = "la Caisse de prévoyance sociale"
        notes.append(_note(kb, "spm_caisse_prevoyance"))
    elif dep in {"977", "978"}:
        regime, caf = "saint_barthelemy_saint_martin", False
        organisme = court = "l’organisme qui verse les prestations familiales"
    elif commune.zone == "com":
        regime, caf = "autre_com", False
        organisme = court = "l’organisme qui verse les prestations familiales"
    if not in_epci:
        notes.append(
            "La commune n’appartient à aucune intercommunalité : elle exerce seule les "
            "compétences de la petite enfance, sans partenaire intercommunal."
        )
    plm = PLM.get(commune.code_insee)
    asked = arrondissement_words(arrondissement) if arrondissement else None
    if plm is not None:
        notes.append(_note(kb, "arrondissements"))
        if asked is not None:
            notes.append(
                f"La fiche a été demandée pour le {asked} : elle porte sur la commune de "
                f"{plm}, qui exerce les compétences de la petite enfance ; la mairie "
                "d’arrondissement (ou de secteur) dont il relève est l’interlocutrice de "
                "proximité pour les crèches qu’elle gère."
            )
    ept = epci is not None and epci.code == GRAND_PARIS and commune.code_insee != "75056"
    if ept:
        notes.append(_note(kb, "grand_paris_ept"))
    return Territory(
        regime=regime,
        organisme=organisme,
        organisme_court=court,
        caf=caf,
        intercommunalite=in_epci,
        arrondissements=plm,
        arrondissement_demande=asked,
        ept=ept,
        notes=tuple(notes),
    )
