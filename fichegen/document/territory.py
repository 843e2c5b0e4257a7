"""The « Votre territoire en bref » section: who the commune is, in figures.

Every figure says where it comes from; a figure the profile lacks is shown as a
visible « à compléter » marker, never guessed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fichegen.document.model import (
    Inline,
    KeyFigure,
    KeyFigures,
    Paragraph,
    Run,
    Section,
    Table,
    inline,
)
from fichegen.french.formatting import integer, number, typography

if TYPE_CHECKING:
    from fichegen.selection.fiche import Fiche

__all__ = ["MISSING", "territory_section"]

MISSING = "à compléter"


def _missing() -> Inline:
    return (Run(MISSING, missing=True),)


def _count(value: int | None) -> Inline:
    return _missing() if value is None else inline(integer(value))


def _flag(value: bool | None) -> Inline:
    if value is None:
        return _missing()
    return inline("oui" if value else "non")


def _origin(field: str, provided: set[str], value: object) -> str:
    if value is None:
        return "—"
    return "votre profil" if field in provided else "référentiel"


def territory_section(fiche: Fiche) -> Section:
    """Population, EPCI, département, région, early-childhood figures and ratios."""
    facts = fiche.commune
    commune = facts.commune
    from fichegen.reference.lookup import load_reference

    reference = load_reference()
    municipale_source = f"Insee, populations légales, COG {reference.cog_year}"
    totale_source = f"DGCL, composition des EPCI {reference.cog_year}"
    overridden = set(facts.overrides)
    figures: list[KeyFigure] = []
    if commune.population_totale is not None:
        source = "votre profil" if "commune.population_totale" in overridden else totale_source
        figures.append(
            KeyFigure("Population totale", f"{integer(commune.population_totale)} hab.", source)
        )
    else:
        figures.append(
            KeyFigure("Population totale", MISSING, "non publiée pour cette commune", missing=True)
        )
    if commune.population_municipale is not None:
        source = (
            "votre profil" if "commune.population_municipale" in overridden else municipale_source
        )
        figures.append(
            KeyFigure(
                "Population municipale", f"{integer(commune.population_municipale)} hab.", source
            )
        )
    density = commune.densite
    if density is not None and commune.superficie_km2:
        figures.append(
            KeyFigure(
                "Densité",
                f"{number(density, 0 if density >= 10 else 1)} hab./km²",
                f"{number(commune.superficie_km2, 1)} km²",
            )
        )
    coverage = fiche.coverage
    if coverage.places_pour_100 is not None:
        figures.append(
            KeyFigure(
                "Places pour 100 enfants de moins de 3 ans",
                number(coverage.places_pour_100, 1),
                f"France : {number(coverage.national_places_pour_100, 1)}",
            )
        )
    else:
        figures.append(
            KeyFigure(
                "Places pour 100 enfants de moins de 3 ans",
                MISSING,
                "indiquez enfants et places dans le profil",
                missing=True,
            )
        )

    identity = Table(
        ("Territoire", ""),
        (
            (inline("Commune"), inline(f"{commune.nom} (code INSEE {commune.code_insee})")),
            (
                inline("Intercommunalité"),
                inline(commune.epci_nom) if commune.epci_nom else inline("aucune (commune isolée)"),
            ),
            (inline("Département"), inline(f"{commune.departement_nom} ({commune.departement})")),
            (inline("Région"), inline(commune.region_nom)),
        ),
    )
    blocks: list[KeyFigures | Table | Paragraph] = [KeyFigures(tuple(figures)), identity]
    if facts.resolution_note:
        blocks.append(Paragraph(inline(typography(facts.resolution_note)), style="note"))
    blocks.append(_early_childhood_table(fiche))
    if coverage.comparaison:
        blocks.append(Paragraph(inline(typography(coverage.comparaison))))
    blocks.append(Paragraph(inline(typography(coverage.note)), style="note"))
    return Section("territoire", "Votre territoire en bref", 1, tuple(blocks))


def _early_childhood_table(fiche: Fiche) -> Table:
    pe = fiche.profile.petite_enfance
    gov = fiche.profile.gouvernance
    provided = fiche.profile.provided_fields()
    rows: list[tuple[str, str, Inline, object]] = [
        (
            "Enfants de moins de 3 ans",
            "petite_enfance.enfants_moins_3_ans",
            _count(pe.enfants_moins_3_ans),
            pe.enfants_moins_3_ans,
        ),
        (
            "Places en crèche ou multi-accueil (EAJE)",
            "petite_enfance.places_eaje",
            _count(pe.places_eaje),
            pe.places_eaje,
        ),
        (
            "dont gérées par l'ESS",
            "petite_enfance.places_eaje_ess",
            _count(pe.places_eaje_ess),
            pe.places_eaje_ess,
        ),
        (
            "Assistants maternels",
            "petite_enfance.assistants_maternels",
            _count(pe.assistants_maternels),
            pe.assistants_maternels,
        ),
        (
            "Places chez les assistants maternels",
            "petite_enfance.places_assistants_maternels",
            _count(pe.places_assistants_maternels),
            pe.places_assistants_maternels,
        ),
        ("Maisons d'assistants maternels (MAM)", "petite_enfance.mam", _count(pe.mam), pe.mam),
        (
            "Demandes d'accueil en attente",
            "petite_enfance.demandes_en_attente",
            _count(pe.demandes_en_attente),
            pe.demandes_en_attente,
        ),
        (
            "Relais petite enfance",
            "petite_enfance.relais_petite_enfance",
            _flag(pe.relais_petite_enfance),
            pe.relais_petite_enfance,
        ),
        (
            "Compétences SPPE exercées par l'EPCI",
            "petite_enfance.competence_transferee_epci",
            _flag(pe.competence_transferee_epci),
            pe.competence_transferee_epci,
        ),
        (
            "Convention territoriale globale avec la Caf",
            "gouvernance.convention_territoriale_globale",
            _flag(gov.convention_territoriale_globale),
            gov.convention_territoriale_globale,
        ),
        (
            "Acteurs de l'ESS connus",
            "acteurs_ess",
            inline(integer(len(fiche.profile.acteurs_ess)))
            if fiche.profile.acteurs_ess
            else _missing(),
            fiche.profile.acteurs_ess or None,
        ),
    ]
    body = tuple(
        (inline(label), value, inline(_origin(field, provided, raw)))
        for label, field, value, raw in rows
    )
    return Table(
        ("Petite enfance : vos chiffres", "Valeur", "Source"),
        body,
        caption=(
            "Chiffres locaux fournis par votre profil ; « à compléter » quand il ne les donne pas."
        ),
    )
