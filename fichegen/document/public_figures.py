"""Public figures of the commune on page 2: births, population trend, households (Insee), and
the Caf's coverage rate (the commune's or its EPCI's, with its dataset and year).

Each figure names its source and year; the population change is the value the selection
rounded once (:class:`~fichegen.selection.public_figures.PublicFacts`). An estimate of the
children under 3, made only when no figure of them exists, is labelled with its method (in
short in the table, in full in the sources annex).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fichegen.document.model import Inline, Paragraph, Run, Table, inline
from fichegen.french.formatting import integer, number, signed_percent, with_unit
from fichegen.french.typography import typeset
from fichegen.selection.public_figures import ESTIMATE_METHOD, ESTIMATE_METHOD_SHORT

if TYPE_CHECKING:
    from fichegen.selection.fiche import Fiche

__all__ = ["public_figures_blocks", "public_figures_source"]

UNKNOWN = "non publié"


def _value(value: int | None) -> Inline:
    return (Run(UNKNOWN, missing=True),) if value is None else inline(integer(value))


def public_figures_blocks(fiche: Fiche) -> tuple[Table | Paragraph, ...]:
    """The table of the commune's public figures, and the estimate's method when one is shown."""
    public = fiche.commune.public
    if public is None:
        if fiche.commune.commune.zone == "com":
            why = (
                "la base du comparateur de territoires de l’Insee (édition 2024) ne couvre pas "
                "les collectivités d’outre-mer."
            )
        else:
            why = (
                "l’Insee ne publie pas ces chiffres pour le territoire actuel de la commune "
                "dans la base du comparateur de territoires (édition 2024)."
            )
        text = f"Naissances et évolution de la population : {why}"
        return (Paragraph(inline(typeset(text)), style="note"),)
    f = public.figures
    change: Inline
    if public.evolution_pct is None:
        change = (Run(UNKNOWN, missing=True),)
    else:
        change = inline(signed_percent(public.evolution_pct))
    trend_source = "Insee, recensements 2015 et 2021"
    if f.population_2015 is not None and f.population_2021 is not None:
        trend_source = typeset(
            f"Insee, recensements : {with_unit(integer(f.population_2015), 'hab.')} en 2015, "
            f"{integer(f.population_2021)} en 2021"
        )
    rows: list[tuple[Inline, Inline, Inline]] = [
        (
            inline("Naissances en 2022"),
            _value(f.naissances_2022),
            inline("Insee, état civil 2022 (domicile de la mère)"),
        ),
        (inline("Évolution de la population de 2015 à 2021"), change, inline(trend_source)),
        (inline("Ménages en 2021"), _value(f.menages_2021), inline("Insee, recensement 2021")),
    ]
    if public.enfants_estimes is not None:  # the annex gives the method in full
        rows.append(
            (
                inline(typeset("Enfants de moins de 3 ans (estimation)")),
                inline(integer(public.enfants_estimes)),
                inline(typeset(ESTIMATE_METHOD_SHORT)),
            )
        )
    caf = _coverage_rows(fiche)
    rows.extend(caf)
    table = Table(
        ("Chiffres publics", "Valeur", "Source"),
        tuple(rows),
        widths=(40, 15, 45),
        caption=typeset(
            f"{public.source} ({f.source.licence})" + (f" ; {CAF_LICENCE}." if caf else ".")
        ),
    )
    return (table,)


_SCOPES = {
    "commune": "par commune",
    "arrondissements": "par commune",
    "epci": "par intercommunalité",
}
CAF_LICENCE = "Cnaf, données ouvertes de data.caf.fr (Licence Ouverte 2.0)"


def _coverage_rows(fiche: Fiche) -> list[tuple[Inline, Inline, Inline]]:
    """The Caf's coverage rate (the commune's, or its EPCI's said as such), with its dataset
    and year, when one is known."""
    cov = fiche.coverage
    if cov.caf_taux is None or cov.caf_portee not in _SCOPES:
        return []
    whose = "de l’intercommunalité" if cov.caf_portee == "epci" else "de la commune"
    epci = fiche.commune.epci
    if cov.caf_portee == "epci" and epci is not None and epci.metropole_de_lyon:
        whose = "de la Métropole de Lyon"
    label = (
        f"Taux de couverture {whose} en {cov.caf_annee} (places pour 100 enfants de moins de 3 ans)"
    )
    source = f"Cnaf, données ouvertes {cov.caf_annee} (taux {_SCOPES[cov.caf_portee]})"
    return [(inline(typeset(label)), inline(number(cov.caf_taux, 1)), inline(typeset(source)))]


def public_figures_source(fiche: Fiche) -> tuple[str, str] | None:
    """The annex row naming the public figures' source, and the estimate's method if used."""
    public = fiche.commune.public
    if public is None:
        return None
    text = (
        f"{public.source} : naissances domiciliées en 2022 (état civil), populations "
        f"municipales 2015 et 2021 et ménages 2021 (recensements) ; "
        f"{public.figures.source.licence}."
    )
    if public.enfants_estimes is not None:
        text += f" Enfants de moins de 3 ans : {ESTIMATE_METHOD}."
    return ("Naissances, évolution de la population, ménages", text)
