"""``fichegen explain``: what was selected for a commune and why, as French text or JSON."""

from __future__ import annotations

import json
from typing import Any

from fichegen.french.formatting import french_date, integer, number
from fichegen.inputs.labels import field_label
from fichegen.selection.fiche import Fiche
from fichegen.selection.public_figures import explain_lines

__all__ = ["explain_json", "explain_text"]


def explain_json(fiche: Fiche) -> str:
    """The ``explain --json`` object: stable key order, UTF-8 text (not escaped)."""
    data = fiche.to_dict()
    data["origines"], data["conflits"] = _origins(fiche)
    for entry in data["examples"]:  # where each example comes from, with its pages
        example = fiche.knowledge.example(entry["id"])
        entry["origine"] = example.origine
        entry["sources"] = [source.url for source in example.sources]
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2)


def _origins(fiche: Fiche) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Where each given value came from, and the values a profile and a spreadsheet gave
    differently (the profile's kept)."""
    profile = fiche.profile
    origins = []
    for path in sorted(profile.provided_fields() - {"commune.code_insee"}):
        origin = profile.origin_of(path)
        origins.append(
            {
                "champ": path,
                "origine": origin.kind,
                "fichier": origin.file_name,
                "ligne": origin.row,
                **({"source": origin.source.words()} if origin.source is not None else {}),
            }
        )
    conflicts = [
        {
            "champ": c.path,
            "valeur_retenue": c.kept,
            "valeur_du_tableur": c.ignored,
            "fichier": c.ignored_from.file_name,
            "ligne": c.ignored_from.row,
            **({"origine": "officiel"} if c.ignored_from.kind == "officiel" else {}),
        }
        for c in profile.conflicts
    ]
    return origins, conflicts


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, int):
        return integer(value)
    if isinstance(value, float):
        return number(value)
    return f"« {value} »"


def _origin_lines(fiche: Fiche) -> list[str]:
    origins, conflicts = _origins(fiche)
    from_sheet = [o for o in origins if o["origine"] == "tableur"]
    out = []
    if from_sheet:
        out.append(
            "Valeurs venant du tableur : "
            + ", ".join(
                f"{field_label(o['champ'])} ({o['fichier']}, ligne {o['ligne']})"
                for o in from_sheet
            )
        )
    official = [o for o in origins if o["origine"] == "officiel"]
    if official:
        out.append(
            "Valeurs venant des données ouvertes : "
            + ", ".join(f"{field_label(o['champ'])} ({o['source']})" for o in official)
        )
    for c in conflicts:
        if c.get("origine") == "officiel":
            out.append(
                f"Désaccord : {field_label(c['champ'])} vaut {_value(c['valeur_retenue'])} "
                f"(valeur retenue) et {_value(c['valeur_du_tableur'])} dans les données "
                f"ouvertes {c['fichier']}"
            )
            continue
        out.append(
            f"Désaccord : {field_label(c['champ'])} vaut {_value(c['valeur_retenue'])} dans le "
            f"profil (valeur retenue) et {_value(c['valeur_du_tableur'])} dans le tableur "
            f"{c['fichier']}, ligne {c['ligne']}"
        )
    return out


def _population(value: int | None) -> str:
    return "inconnue" if value is None else f"{integer(value)} hab."


def explain_text(fiche: Fiche) -> str:
    """A readable French account of the selection, section by section."""
    c = fiche.commune.commune
    epci = fiche.commune.epci
    out: list[str] = [f"Fiche n°\u00a015 pour {c.nom} ({c.code_insee}), {c.departement_nom}", ""]
    out.append(f"Population totale : {_population(c.population_totale)}")
    out.append(f"Population municipale : {_population(c.population_municipale)}")
    if epci is not None:
        out.append(f"Intercommunalité : {epci.nom}")
    own = [
        path for path in fiche.commune.overrides if fiche.profile.origin_of(path).kind != "officiel"
    ]
    if own:
        out.append("Valeurs venant du profil : " + ", ".join(own))
    out += _origin_lines(fiche)
    for notice in fiche.notices:
        out.append(f"Note : {notice}")
    out += ["", "Obligations du service public de la petite enfance"]
    if not fiche.sppe.applicable:
        out.append(f"  {fiche.sppe.notice}")
    else:
        pop = fiche.sppe.population_reference
        shown = "inconnue" if pop is None else integer(pop)
        out.append(f"  Chiffre de population disponible ({fiche.sppe.population_label}) : {shown}")
        if fiche.sppe.titulaire:
            out.append(f"  Compétences exercées par l’intercommunalité : {fiche.sppe.titulaire}")
        if fiche.sppe.verification_com:
            out.append(f"  {fiche.sppe.verification_com}")
        if fiche.sppe.methode_seuil:
            out.append(f"  {fiche.sppe.methode_seuil}")
        for o in fiche.sppe.obligations:
            mark = "obligatoire" if o.obligatoire else "non obligatoire"
            if not o.certain:
                mark = "à vérifier"
            since = f", depuis le {french_date(o.en_vigueur_depuis)}" if o.en_vigueur_depuis else ""
            out.append(f"  - {o.titre} [{o.id}] : {mark} ({o.base_legale}{since})")
            out.append(f"      {o.explication}")
            if o.remarque:
                out.append(f"      {o.remarque}")
            if o.verification and not o.certain and not fiche.sppe.verification_com:
                out.append(f"      {o.verification}")
        if fiche.sppe.transfert_a_verifier:
            out.append(f"  {fiche.sppe.transfert_a_verifier}")
    if fiche.warnings:
        out += ["", "Chiffres à vérifier (avertissements)"]
        out += [f"  - {w.format()}" for w in fiche.warnings]
    cov = fiche.coverage
    out += ["", "Couverture en modes d'accueil"]
    if cov.comparaison:
        out.append(f"  {cov.comparaison}")
    out.append(f"  {cov.note}")
    out.append(
        f"  Référence nationale : {number(cov.national_places_pour_100)} en "
        f"{cov.national_annee} ({cov.national_source})"
    )
    public = fiche.commune.public
    out += ["", f"Chiffres publics ({public.source if public else 'Insee'})"]
    out += explain_lines(public)
    out += ["", "Leviers, du plus pertinent au moins pertinent"]
    for lever in fiche.levers:
        out.append(f"  {lever.rang}. {lever.titre} [{lever.id}] (score {number(lever.score)})")
        for reason in lever.reasons or ("aucun signal particulier dans le profil",):
            out.append(f"      - {reason}")
    if fiche.excluded_levers:
        out.append("  Leviers exclus par le profil : " + ", ".join(fiche.excluded_levers))
    out += ["", "Exemples retenus"]
    if not fiche.examples:
        out.append("  aucun")
    for ex in fiche.examples:
        out.append(f"  - {ex.titre} ({ex.commune_nom}, {ex.commune_code})")
        out.append("      " + " ; ".join(ex.reasons))
    if fiche.self_examples:
        out += ["", "Exemples qui racontent l’histoire de la commune (non repris comme proches)"]
        out += [f"  - {fiche.knowledge.example(i).titre}" for i in fiche.self_examples]
    if fiche.territoire is not None and fiche.territoire.notes:
        out += ["", "Territoire"]
        out += [f"  - {note}" for note in fiche.territoire.notes]
    if fiche.a_verifier:
        out += ["", "À vérifier"]
        out += [f"  - {text}" for text in fiche.a_verifier]
        example = fiche.knowledge.example(ex.id)
        if example.origine == "hors_fiche15":
            urls = "\u202f; ".join(source.url for source in example.sources)
            out.append(f"      hors de la fiche n°\u00a015, d’après : {urls}")
    out += ["", "Méthode"]
    out += [f"  - {sentence}" for sentence in fiche.method]
    return "\n".join(out) + "\n"
