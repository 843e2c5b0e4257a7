"""The closing sections: resources to go further, and the sources and method annex."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from fichegen import __version__
from fichegen.document.model import BulletList, Inline, Paragraph, Run, Section, Table, inline
from fichegen.document.public_figures import public_figures_source
from fichegen.document.territory import given_by
from fichegen.document.territory_words import localize
from fichegen.french.formatting import french_date, integer, number
from fichegen.french.grammar import count
from fichegen.french.typography import NNBSP, sentence, typeset
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
            Run(resource.titre, emphasis=True),
            f", {resource.editeur}, {resource.date}",
        ]
        if resource.url:
            parts.append(f" — {resource.url}")
        items.append(inline(*parts))
    return Section("ressources", "Pour aller plus loin", 1, (BulletList(tuple(items)),))


def annex_section(fiche: Fiche, when: date) -> Section:
    """Data sources with vintage and licence, what came from the profile, and the method."""
    from fichegen.reference.lookup import load_reference

    reference = load_reference()
    sources = Table(
        ("Donnée", "Source, millésime et licence"),
        tuple(
            # The reference files write « 1er »: the fiche prints the ordinal one way only.
            (inline(label), inline(typeset(text.replace("1er janvier", "1ᵉʳ janvier"))))
            for label, text in _source_rows(fiche, reference)
        ),
        widths=(30, 70),
    )
    given = _given_rows(fiche)
    from_profile: tuple[Paragraph | Table | BulletList, ...]
    if given:
        from_profile = (
            Table(("Donnée", "Valeur", "Origine"), given, widths=(45, 20, 35)),
            *_conflicts(fiche),
        )
    else:
        from_profile = (
            Paragraph(
                inline(
                    typeset(
                        "Aucun : la fiche s’appuie sur les seules données publiques listées "
                        "ci-dessus."
                    )
                )
            ),
        )
    blocks = (
        Section("annexe-sources", "Sources des données", 2, (sources,)),
        Section("annexe-droit", "Textes juridiques cités", 2, (_legal_table(fiche),)),
        Section(
            "annexe-profil",
            "Chiffres donnés pour la fiche",
            2,
            (
                # Whose figures and which wins: said only when some were given.
                *((_given_source(fiche),) if given else ()),
                *from_profile,
                *_to_check(fiche),
            ),
        ),
        Section(
            "annexe-methode",
            "Méthode",
            2,
            (
                BulletList(tuple(inline(typeset(line)) for line in fiche.method)),
                Paragraph(
                    inline(
                        typeset(
                            f"Fiche produite le {french_date(when)} par fichegen {__version__}, "
                            "logiciel libre. "
                            "Les textes reformulent la fiche n°\u00a015 "
                            "du kit municipal, dont viennent les exemples"
                            + _beyond_note(fiche)
                            + " Les chiffres de la commune viennent des sources listées "
                            "ci-dessus et, s’il y en a, des chiffres donnés pour la fiche."
                        )
                    ),
                    style="source",
                ),
            ),
        ),
    )
    return Section("annexe", "Sources et méthode", 1, blocks)


def _to_check(fiche: Fiche) -> tuple[Paragraph | BulletList, ...]:
    """The plausibility warnings, « à vérifier »: the fiche builds no reason on these figures."""
    if not fiche.warnings:
        return ()
    items = tuple(
        inline(
            Run(typeset(field_label(w.field or "")), emphasis=True),
            f"{NNBSP}: " + typeset(w.message) + ".",
        )
        for w in fiche.warnings
    )
    intro = (
        "À vérifier : ces chiffres ne peuvent pas être tous exacts ou sortent des valeurs "
        "habituelles ; la fiche n’en tire aucune raison tant qu’ils ne sont pas confirmés."
    )
    return (Paragraph(inline(typeset(intro))), BulletList(items))


def _beyond_note(fiche: Fiche) -> str:
    """The end of the colophon's first sentence: where examples beyond fiche n° 15 come from."""
    beyond = any(fiche.knowledge.example(e.id).origine == "hors_fiche15" for e in fiche.examples)
    if not beyond:
        return "."
    return (
        ", sauf les exemples signalés comme pris hors de la fiche n°\u00a015, lus sur les "
        "pages publiques dont l’adresse les accompagne."
    )


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
            # Built-in statements arrive typeset; a user folder's are printed as written.
            (
                inline(localize(rule.texte, fiche.territoire)),
                inline(sentence("{a} ; {v}", a=rule.article, v=rule.version)),
            )
        )
    return Table(("Énoncé", "Article et version du texte"), tuple(rows), widths=(60, 40))


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
    public = public_figures_source(fiche)
    if public is not None:
        rows.append(public)
    rows.append(
        (
            "Service public de la petite enfance",
            "Code de l'action sociale et des familles, article L214-1-3, en vigueur depuis le "
            "1ᵉʳ janvier 2025 (relais petite enfance au-delà de 10 000 habitants : "
            "1ᵉʳ janvier 2026).",
        )
    )
    coverage = fiche.coverage
    # The figure itself, not « : taux 2023 » after a source that already says its year.
    national = (
        f"{coverage.national_source} : {number(coverage.national_places_pour_100)} places pour "
        f"100 enfants de moins de 3\u00a0ans en {coverage.national_annee}"
    )
    rows.append(("Couverture nationale", national))
    if coverage.caf_source:
        rows.append(("Taux de couverture de la Caf", coverage.caf_source))
    source = fiche.knowledge.source
    text = source.titre + (f", {source.collection}" if source.collection else "")
    if source.note:
        text += f". {source.note}"
    rows.append(("Leviers, exemples, ressources", text))
    return rows


def _given_source(fiche: Fiche) -> Paragraph:
    """Who gave the figures listed, and that they win over the public data."""
    return Paragraph(
        inline(
            sentence(
                "Source : {who}. Ces chiffres priment sur les données publiques"
                + (
                    " ; entre le fichier de saisie et le tableur, la valeur du fichier "
                    "de saisie est retenue."
                    if _from_sheet(fiche)
                    else "."
                )
                + (
                    " Les données ouvertes de la Caf et de l’Insee ne complètent "
                    "que les chiffres que l’équipe n’a pas donnés."
                    if _from_open_data(fiche)
                    else ""
                ),
                who=given_by(fiche)
                if not _only_open_data(fiche)
                else "données ouvertes de la Caf et de l’Insee",
            )
        )
    )


def _origin_text(origin: FieldOrigin) -> str:
    """« tableur de chiffres locaux » or « saisie de l’équipe »: no file name, no row number.
    A fiche depends only on the figures it prints, so that a batch need not redo it when the
    spreadsheet is renamed, sorted or saved in another format (the batch manifest names
    the file and row of each commune; ``explain`` too). An open-data file is named with its
    publisher, dataset, year and file name (the batch's resume key includes them)."""
    if origin.kind == "officiel" and origin.source is not None:
        words = origin.source.words()
        return typeset(words + (f" ({origin.detail})" if origin.detail else ""))
    if origin.kind == "tableur":
        return "tableur de chiffres locaux"
    return "saisie de l’équipe"


def _from_sheet(fiche: Fiche) -> bool:
    profile = fiche.profile
    return any(profile.origin_of(p).kind == "tableur" for p in profile.provided_fields())


def _from_open_data(fiche: Fiche) -> bool:
    profile = fiche.profile
    return any(profile.origin_of(p).kind == "officiel" for p in profile.provided_fields())


def _only_open_data(fiche: Fiche) -> bool:
    profile = fiche.profile
    given = profile.provided_fields() - {"commune.code_insee"}
    return bool(given) and all(profile.origin_of(p).kind == "officiel" for p in given)


def _conflicts(fiche: Fiche) -> tuple[Paragraph | BulletList, ...]:
    """The figures a profile and a spreadsheet gave differently (the profile's kept)."""
    conflicts = fiche.profile.conflicts
    if not conflicts:
        return ()
    items = tuple(
        inline(
            Run(typeset(field_label(c.path)), emphasis=True),
            sentence(
                " : {kept} ({kept_from}, retenu), {ignored} ({origin})"
                if c.ignored_from.kind == "officiel"
                else " : {kept} dans le fichier de saisie (retenu), {ignored} dans le {origin}",
                kept=_value_text(fiche, c.path, c.kept),
                kept_from=_origin_text(fiche.profile.origin_of(c.path)),
                ignored=_value_text(fiche, c.path, c.ignored),
                origin=_origin_text(c.ignored_from),
            ),
        )
        for c in conflicts
    )
    if any(c.ignored_from.kind == "officiel" for c in conflicts):
        intro = Paragraph(inline(typeset("Valeurs en désaccord entre les sources :")))
        return (intro, BulletList(items))
    intro = Paragraph(
        inline(typeset("Valeurs en désaccord entre le fichier de saisie et le tableur :"))
    )
    return (intro, BulletList(items))


def _given_rows(fiche: Fiche) -> tuple[tuple[Inline, Inline, Inline], ...]:
    """Each figure given for the commune, under its French label, with its value and where
    it came from (the profile, or a spreadsheet's file and row)."""
    profile = fiche.profile
    # The INSEE code only names the commune: it replaces nothing in the reference.
    paths = sorted(profile.provided_fields() - {"commune.code_insee"})
    rows = []
    for path in paths:
        value: object = profile
        for name in path.split("."):
            value = getattr(value, name)
        rows.append(
            (
                inline(typeset(field_label(path))),
                inline(_value_text(fiche, path, value)),
                inline(_origin_text(profile.origin_of(path))),
            )
        )
    return tuple(rows)


def _value_text(fiche: Fiche, path: str, value: object) -> str:
    """A given value as printed: numbers grouped, yes/no, lists counted and named."""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, int):
        return integer(value)
    if isinstance(value, float):
        return number(value, 1)
    if isinstance(value, date):
        return french_date(value)
    if isinstance(value, list):
        if path in {"priorites", "exclure"}:
            return f"{NNBSP}; ".join(fiche.knowledge.lever(i).titre for i in value)
        if path == "acteurs_ess":
            names = ", ".join(a.nom for a in value)
            return sentence("{n} : {names}", n=count(len(value), "acteur"), names=names)
        if path == "gouvernance.contrats_ess":
            return count(len(value), "contrat")
        if path == "patrimoine.locaux_disponibles":
            return count(len(value), "local", "locaux")
        return integer(len(value))
    return str(value)
