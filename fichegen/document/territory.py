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
from fichegen.document.public_figures import public_figures_blocks
from fichegen.document.territory_words import localize
from fichegen.french.formatting import integer, number, with_unit
from fichegen.french.typography import typeset
from fichegen.inputs.labels import field_label
from fichegen.selection.coverage import PLM
from fichegen.selection.obligations import population_vintages

if TYPE_CHECKING:
    from fichegen.selection.fiche import Fiche

__all__ = ["MISSING", "given_by", "territory_section"]

MISSING = "à compléter"
PLACES_LABEL = typeset("Places pour 100 enfants de moins de 3 ans")


def _dated(label: str, vintage: str) -> str:
    """« Population totale 2022 » (the label alone when the vintage is unknown)."""
    return f"{label} {vintage}" if vintage else label


def population_note(fiche: Fiche) -> str | None:
    """Why a population totale may read below the municipale: not the same vintage."""
    commune = fiche.commune.commune
    vm, vt = population_vintages(fiche.commune)
    totale, municipale = commune.population_totale, commune.population_municipale
    if totale is None or municipale is None or totale >= municipale:
        return None
    given = {"commune.population_totale", "commune.population_municipale"}
    if vm and vt and vm != vt and not given & set(fiche.commune.overrides):
        return typeset(
            f"La population totale ({vt}) est inférieure à la population municipale ({vm}) : "
            "les deux chiffres ne sont pas du même millésime. Pour une même année, la "
            "population totale est toujours au moins égale à la population municipale."
        )
    return typeset(
        "La population totale indiquée est inférieure à la population municipale, alors que "
        "pour une même année elle lui est toujours au moins égale : vérifiez ces deux chiffres "
        "et leur millésime."
    )


def _missing() -> Inline:
    return (Run(MISSING, missing=True),)


def _count(value: int | None) -> Inline:
    return _missing() if value is None else inline(integer(value))


def _flag(value: bool | None) -> Inline:
    if value is None:
        return _missing()
    return inline("oui" if value else "non")


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
    vm, vt = population_vintages(facts)
    given_totale = "commune.population_totale" in overridden
    given_municipale = "commune.population_municipale" in overridden
    # Each tile's label carries its vintage (a figure given for the commune has none here).
    totale_label = _dated("Population totale", "" if given_totale else vt)
    municipale_label = _dated("Population municipale", "" if given_municipale else vm)
    if commune.population_totale is not None:
        source = (
            _given_source(fiche, "commune.population_totale") if given_totale else totale_source
        )
        figures.append(
            KeyFigure(totale_label, with_unit(integer(commune.population_totale), "hab."), source)
        )
    else:
        # The DGCL's file lists EPCI members only: the Insee publishes the figure all the same,
        # except in the Pacific, where the fiche makes no claim on who publishes what.
        where = (
            "absente des fichiers utilisés"
            if commune.departement.startswith("98")
            else "voir les populations légales de l’Insee"
        )
        # The figure to look up is the one in force, of the municipale's vintage (2023), not
        # the DGCL file's older one (L'Île-d'Yeu's tile asked for « Population totale 2022 »).
        wanted = _dated("Population totale", vm)
        figures.append(KeyFigure(wanted, MISSING, where, missing=True))
    if commune.population_municipale is not None:
        source = (
            _given_source(fiche, "commune.population_municipale")
            if given_municipale
            else municipale_source
        )
        figures.append(
            KeyFigure(
                municipale_label,
                with_unit(integer(commune.population_municipale), "hab."),
                source,
            )
        )
    density = commune.densite
    if density is not None and commune.superficie_km2:
        figures.append(
            KeyFigure(
                "Densité",
                number(density, 0 if density >= 10 else 1),
                with_unit(number(commune.superficie_km2, 1), "km²"),
                unit="hab./km²",
            )
        )
    coverage = fiche.coverage
    figures.append(_coverage_figure(fiche))

    identity = Table(
        ("Territoire", ""),
        (
            (inline("Commune"), inline(f"{commune.nom} (code INSEE {commune.code_insee})")),
            (
                inline("Collectivité à statut particulier" if _lyon(fiche) else "Intercommunalité"),
                inline(typeset(commune.epci_nom))
                if commune.epci_nom
                else inline("aucune (commune isolée)"),
            ),
            (inline("Département"), inline(_departement(fiche))),
            (inline("Région"), inline(typeset(commune.region_nom))),
        ),
        widths=(30, 70),
    )
    blocks: list[KeyFigures | Table | Paragraph] = [KeyFigures(tuple(figures))]
    why_lower = population_note(fiche)
    if why_lower:
        blocks.append(Paragraph(inline(why_lower), style="note"))
    blocks.append(identity)
    if facts.resolution_note:
        blocks.append(Paragraph(inline(typeset(facts.resolution_note)), style="note"))
    if fiche.territoire is not None:
        blocks.extend(Paragraph(inline(typeset(n))) for n in fiche.territoire.notes)
    blocks.extend(public_figures_blocks(fiche))
    blocks.append(_early_childhood_table(fiche))
    if coverage.comparaison:
        blocks.append(Paragraph(inline(typeset(coverage.comparaison))))
    blocks.append(Paragraph(inline(typeset(coverage.note)), style="note"))
    return Section("territoire", "Votre territoire en bref", 1, tuple(blocks))


_EARLY_CHILDHOOD_FIELDS = (
    "petite_enfance.enfants_moins_3_ans",
    "petite_enfance.places_eaje",
    "petite_enfance.places_eaje_ess",
    "petite_enfance.assistants_maternels",
    "petite_enfance.places_assistants_maternels",
    "petite_enfance.mam",
    "petite_enfance.demandes_en_attente",
    "petite_enfance.relais_petite_enfance",
    "petite_enfance.competence_transferee_epci",
    "gouvernance.convention_territoriale_globale",
)


def _coverage_figure(fiche: Fiche) -> KeyFigure:
    """The Caf's rate against France's of the same year (the embedded one only when the team
    gave no figure), else the ratio of the figures given (named for what it counts, no national
    figure beside it), else « à compléter »."""
    coverage = fiche.coverage
    # The embedded rate gives way to the team's own figures; a Caf file given does not.
    team = coverage.taux_fourni is not None or coverage.places_pour_100 is not None
    if (
        coverage.caf_taux is not None
        and coverage.caf_libelle
        and not (coverage.caf_integre and team)
    ):
        # The unit as the label (a long « Taux de couverture de l'intercommunalité (Caf,
        # 2023) » broke over four lines in a tile); whose rate and the year go below it.
        whose = "Intercommunalité" if coverage.caf_portee == "epci" else "Commune"
        epci = fiche.commune.epci
        if (
            coverage.caf_portee == "epci"
            and epci is not None
            and (_lyon(fiche) or fiche.commune.commune.code_insee in PLM)
        ):  # Paris, Lyon, Marseille: a métropole's rate, named as such
            whose = epci.nom
        national = f"France : {number(coverage.national_places_pour_100, 1)}"
        if coverage.national_annee != coverage.caf_annee:
            national += f" en {coverage.national_annee}"
        return KeyFigure(
            PLACES_LABEL,
            number(coverage.caf_taux, 1),
            typeset(f"{whose}, Caf\u00a0{coverage.caf_annee} · {national}"),
        )
    if coverage.a_verifier and coverage.places_pour_100 is not None:
        rate = coverage.places_pour_100
        return KeyFigure(PLACES_LABEL, number(rate, 3 if rate < 1 else 1), "à vérifier")
    if coverage.places_pour_100 is not None and coverage.ratio_libelle:
        label = coverage.ratio_libelle[0].upper() + coverage.ratio_libelle[1:]
        return KeyFigure(
            typeset(f"{label} pour 100 enfants de moins de 3 ans"),
            number(coverage.places_pour_100, 1),
            given_by(fiche),
        )
    if coverage.taux_fourni is not None:
        return KeyFigure(
            "Taux de couverture fourni",
            number(coverage.taux_fourni, 1),
            typeset(
                f"France : {number(coverage.national_places_pour_100, 1)} en "
                f"{coverage.national_annee}"
            ),
        )
    return KeyFigure(PLACES_LABEL, MISSING, typeset(coverage.piste), missing=True)


def _given_source(fiche: Fiche, path: str) -> str:
    """Who gave a figure: an official file named by its publisher and dataset, else the
    team."""
    origin = fiche.profile.origin_of(path)
    if origin.kind == "officiel" and origin.source is not None:
        return f"{origin.source.publisher}, {origin.source.dataset} {origin.source.year}"
    return given_by(fiche)


def given_by(fiche: Fiche) -> str:
    """Who gave the profile's figures: the author named in the profile, if any."""
    return fiche.profile.fiche.auteur or "chiffres fournis"


def _early_childhood_table(fiche: Fiche) -> Table:
    profile = fiche.profile
    provided = profile.provided_fields()
    source = given_by(fiche)
    rows: list[tuple[Inline, Inline, Inline]] = []
    here = fiche.territoire
    for path in _EARLY_CHILDHOOD_FIELDS:
        section, name = path.split(".")
        if (
            path == "petite_enfance.competence_transferee_epci"
            and here
            and not here.intercommunalite
        ):
            continue  # no EPCI: no intercommunal competence to ask about
        raw = getattr(getattr(profile, section), name)
        value = _flag(raw) if name in _FLAGS else _count(raw)
        origin = (
            "—"
            if raw is None
            else (_given_source(fiche, path) if path in provided else "données publiques")
        )
        rows.append((inline(localize(typeset(field_label(path)), here)), value, inline(origin)))
    actors = profile.acteurs_ess
    rows.append(
        (
            inline(typeset(field_label("acteurs_ess"))),
            inline(integer(len(actors))) if actors else _missing(),
            inline(source if actors else "—"),
        )
    )
    return Table(
        ("Petite enfance", "Valeur", "Source"),
        tuple(rows),
        caption=typeset(
            "Chiffres locaux donnés pour la fiche ; « à compléter » quand ils manquent."
        ),
        widths=(55, 15, 30),
    )


_FLAGS = frozenset(
    {"relais_petite_enfance", "competence_transferee_epci", "convention_territoriale_globale"}
)


def _lyon(fiche: Fiche) -> bool:
    """The commune belongs to the Métropole de Lyon, which is no intercommunality but a
    collectivité à statut particulier (CGCT, art. L3611-1), though listed with the EPCI."""
    epci = fiche.commune.epci
    return epci is not None and epci.metropole_de_lyon


def _departement(fiche: Fiche) -> str:
    """« Rhône (69) », and in the Métropole de Lyon who holds the département's powers."""
    commune = fiche.commune.commune
    text = f"{commune.departement_nom} ({commune.departement})"
    if _lyon(fiche):
        text += typeset(" ; compétences départementales exercées par la Métropole de Lyon")
    return text
