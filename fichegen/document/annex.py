"""The closing sections: resources to go further, and the sources and method annex."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from fichegen import __version__
from fichegen.document.model import BulletList, Paragraph, Run, Section, Table, inline
from fichegen.french.formatting import french_date, integer, number, typography
from fichegen.inputs.labels import field_label
from fichegen.inputs.origins import FieldOrigin

if TYPE_CHECKING:
    from fichegen.reference.lookup import Reference
    from fichegen.selection.fiche import Fiche

__all__ = ["annex_section", "resources_section"]


def resources_section(fiche: Fiche) -> Section:
    """« Pour aller plus loin »: the resources of the source fiche (no invented URL)."""
    items = []
    for resource in fiche.knowledge.resources:
        parts: list[str | Run] = [
            Run(typography(resource.titre), emphasis=True),
            f", {resource.editeur}, {resource.date}",
        ]
        if resource.url:
            parts.append(f" — {resource.url}")
        items.append(tuple(Run(typography(r.text), r.strong, r.emphasis) for r in inline(*parts)))
    return Section("ressources", "Pour aller plus loin", 1, (BulletList(tuple(items)),))


def annex_section(fiche: Fiche, when: date) -> Section:
    """Data sources with vintage and licence, what came from the profile, and the method."""
    from fichegen.reference.lookup import load_reference

    reference = load_reference()
    sources = Table(
        ("Donnée", "Source, millésime et licence"),
        tuple(
            (inline(label), inline(typography(text)))
            for label, text in _source_rows(fiche, reference)
        ),
    )
    from_profile = _provided_blocks(fiche)
    blocks = (
        Section("annexe-sources", "Sources des données", 2, (sources,)),
        Section("annexe-droit", "Textes juridiques cités", 2, (_legal_table(fiche),)),
        Section("annexe-profil", "Valeurs fournies pour la commune", 2, from_profile),
        Section(
            "annexe-methode",
            "Méthode",
            2,
            (
                BulletList(tuple(inline(typography(line)) for line in fiche.method)),
                Paragraph(
                    inline(
                        typography(
                            f"Fiche produite le {french_date(when)} par fichegen {__version__}, "
                            "logiciel libre. "
                            "Les textes sont une réécriture de la fiche n°15 du kit municipal ; "
                            "les exemples et les chiffres en sont tirés."
                        )
                    ),
                    style="source",
                ),
            ),
        ),
    )
    return Section("annexe", "Sources et méthode", 1, blocks)


def _origin_text(origin: FieldOrigin) -> str:
    if origin.kind == "tableur":
        return f"tableur « {origin.file_name} », ligne {origin.row}"
    return f"profil « {origin.file_name} »" if origin.file_name else "profil"


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, int):
        return integer(value)
    if isinstance(value, float):
        return number(value)
    return f"« {value} »"


def _provided_blocks(fiche: Fiche) -> tuple[Paragraph | BulletList, ...]:
    """Each value given for the commune with where it came from, then the disagreements
    between its profile and a spreadsheet."""
    profile = fiche.profile
    # The INSEE code only names the commune: it replaces nothing in the reference.
    provided = sorted(profile.provided_fields() - {"commune.code_insee"})
    if not provided:
        return (
            Paragraph(inline("Aucune : fiche produite à partir des seules données de référence.")),
        )
    intro = (
        "Ces valeurs ont été fournies pour la commune et priment sur le référentiel ; "
        "entre un profil et un tableur, la valeur du profil est retenue."
    )
    items = tuple(
        inline(
            Run(typography(field_label(path)), emphasis=True),
            typography(f" : {_origin_text(profile.origin_of(path))}"),
        )
        for path in provided
    )
    blocks: list[Paragraph | BulletList] = [
        Paragraph(inline(typography(intro))),
        BulletList(items),
    ]
    if profile.conflicts:
        blocks.append(
            Paragraph(inline(typography("Valeurs en désaccord entre le profil et le tableur :")))
        )
        blocks.append(
            BulletList(
                tuple(
                    inline(
                        Run(typography(field_label(c.path)), emphasis=True),
                        typography(
                            f" : {_shown(c.kept)} dans le profil (retenu), {_shown(c.ignored)} "
                            f"dans le {_origin_text(c.ignored_from)}"
                        ),
                    )
                    for c in profile.conflicts
                )
            )
        )
    return tuple(blocks)


_LEGAL_SHOWN = (
    "recenser",
    "informer",
    "planifier",
    "qualite",
    "schema_pluriannuel",
    "relais_petite_enfance",
    "seuils",
    "dispense_ctg",
    "mam",
)
_COM_RULES = {
    "975": "saint_pierre_et_miquelon",
    "977": "saint_barthelemy_saint_martin",
    "978": "saint_barthelemy_saint_martin",
}


def _legal_table(fiche: Fiche) -> Table:
    """Every legal statement the fiche relies on, with its article and the text's version."""
    ids = list(_LEGAL_SHOWN)
    if fiche.sppe.titulaire:
        ids.insert(7, "transfert_epci")
    commune = fiche.commune.commune
    if commune.zone == "com":
        ids.append(_COM_RULES.get(commune.departement, "autres_com"))
    rows = []
    for rule_id in ids:
        rule = fiche.knowledge.rule(rule_id)
        rows.append(
            (inline(typography(rule.texte)), inline(typography(f"{rule.article} ; {rule.version}")))
        )
    return Table(("Énoncé", "Article et version du texte"), tuple(rows))


def _source_rows(fiche: Fiche, reference: Reference) -> list[tuple[str, str]]:
    labels = (
        "Découpage communal",
        "Population municipale",
        "EPCI et population totale",
        "Positions et contours",
    )
    rows = list(zip(labels, reference.sources, strict=False))
    rows.append(("Millésime de la population municipale", reference.population_vintage))
    rows.append(("Millésime de la population totale", reference.population_totale_vintage))
    rows.append(
        (
            "Service public de la petite enfance",
            "Code de l'action sociale et des familles, article L214-1-3, en vigueur depuis le "
            "1er janvier 2025 (relais petite enfance au-delà de 10 000 habitants : "
            "1er janvier 2026).",
        )
    )
    coverage = fiche.coverage
    rows.append(("Couverture nationale", coverage.national_source))
    source = fiche.knowledge.source
    text = source.titre + (f", {source.collection}" if source.collection else "")
    if source.note:
        text += f". {source.note}"
    rows.append(("Leviers, exemples, ressources", text))
    return rows
