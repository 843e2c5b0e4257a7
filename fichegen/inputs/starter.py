"""``fichegen init``: a commented starter profile for one commune, built from the schema.

Every field of the profile is there: the commune's code is written, every other field is
commented out (unknown until the team fills it in) and preceded by its French label, its
meaning, what it accepts and where a team finds the figure; what the embedded reference
already knows is shown in comments with its source and vintage. The file validates as
written (a section whose lines are all commented out is empty).
"""

from __future__ import annotations

import textwrap
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel

from fichegen.french.grammar import count
from fichegen.inputs.columns import WHERE_TO_FIND, columns
from fichegen.inputs.validation import _is_model, _unwrap
from fichegen.reference.types import Commune

__all__ = ["starter_profile"]

_WIDTH = 92
_EXAMPLES: dict[str, str] = {
    "acteurs_ess": '- nom: "Centre social du quartier"\n  type: centre_social',
    "patrimoine.locaux_disponibles": (
        '- description: "ancienne école"\n  surface_m2: 200\n  domaine: public'
    ),
    "gouvernance.contrats_ess": (
        '- acteur: "Crèche parentale Les Petits Pas"\n  mode: subvention\n  pluriannuel: true'
    ),
    "priorites": "[locaux, creation]",
    "exclure": "[]",
}


def _comment(text: str, indent: str) -> list[str]:
    text = text.replace(" :", "\u00a0:").replace(" ;", "\u00a0;").replace(" ?", "\u00a0?")
    return [
        f"{indent}# {line}"
        for line in textwrap.wrap(text, _WIDTH - len(indent) - 2, break_on_hyphens=False)
    ]


def _accepts(annotation: Any, path: str) -> str:
    kinds = {column.path: column.expected for column in columns()}
    if path in kinds:
        return kinds[path].capitalize().replace("Oui ou non", "true ou false") + "."
    if get_origin(annotation) is Literal:
        return "Valeurs possibles : " + ", ".join(str(a) for a in get_args(annotation)) + "."
    if get_origin(annotation) is list:
        item = _unwrap(get_args(annotation)[0])[0]
        if get_origin(item) is Literal:
            return "Liste parmi : " + ", ".join(str(a) for a in get_args(item)) + "."
        return "Une liste (un élément par ligne, commençant par « - »)."
    if annotation is str:
        return "Un texte."
    return ""


def _reference_note(path: str, commune: Commune, reference: Any) -> str | None:
    if path == "commune.nom":
        return f"Référentiel : « {commune.nom} » (code officiel géographique 2026)."
    if path == "commune.population_municipale" and commune.population_municipale is not None:
        return (
            f"Référentiel : {count(commune.population_municipale, 'habitant')} "
            f"({reference.population_vintage})."
        )
    if path == "commune.population_totale" and commune.population_totale is not None:
        return (
            f"Référentiel : {count(commune.population_totale, 'habitant')} "
            f"({reference.population_totale_vintage})."
        )
    return None


def _leaf(path: str, info: Any, indent: str, commune: Commune, reference: Any) -> list[str]:
    """The comment block and the (commented-out) line of one field."""
    name = path.rsplit(".", 1)[-1]
    annotation = _unwrap(info.annotation)[0]
    text = f"{info.title} — {info.description or ''} {_accepts(annotation, path)}"
    out = ["", *_comment(" ".join(text.split()), indent)]
    where = WHERE_TO_FIND.get(path)
    if where:
        out += _comment(f"Où le trouver : {where}", indent)
    known = _reference_note(path, commune, reference)
    if known:
        out += _comment(known, indent)
    example = _EXAMPLES.get(path)
    if example is None:
        out.append(f"{indent}# {name}:")
    elif example.startswith("["):
        out.append(f"{indent}# {name}: {example}")
    else:  # a list of records: the key and an example item, all commented out
        out.append(f"{indent}# {name}:")
        out += [f"{indent}#   {line}" for line in example.splitlines()]
    return out


def _section(
    model: type[BaseModel], prefix: str, indent: str, commune: Commune, reference: Any
) -> list[str]:
    out: list[str] = []
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        if path == "version":
            continue
        annotation = _unwrap(info.annotation)[0]
        if path == "commune.code_insee":
            out += _comment(f"{info.title} : {commune.nom}, {commune.departement_nom}.", indent)
            out.append(f'{indent}code_insee: "{commune.code_insee}"')
        elif _is_model(annotation):
            out += ["", *_comment(f"{info.title} — {info.description or ''}", indent)]
            out.append(f"{indent}{name}:")
            out += _section(annotation, f"{path}.", indent + "  ", commune, reference)
        else:
            out += _leaf(path, info, indent, commune, reference)
    return out


def starter_profile(code: str) -> str:
    """The starter YAML for a current commune (an old or attached code is refused by the
    reference lookup with its usual suggestion)."""
    from fichegen.inputs.profile import Profile
    from fichegen.reference.lookup import load_reference

    reference = load_reference()
    commune = reference.get(code.strip().upper())
    head = [
        f"Profil de {commune.nom} ({commune.code_insee}, {commune.departement_nom}) pour la "
        "fiche n°\u00a015 du kit municipal (ESS, petite enfance & famille), produite par fichegen.",
        "Pour donner une valeur, retirez le « # » en début de ligne et écrivez-la après les "
        "deux-points ; une ligne laissée en commentaire reste inconnue et la fiche l’indique "
        "« à compléter ». Les nombres s’écrivent sans espace (1200), les booléens true ou "
        "false, les textes entre guillemets.",
        "Vérifier : fichegen validate FICHIER.yaml ; produire la fiche : fichegen render "
        "FICHIER.yaml.",
        f"Le référentiel embarqué connaît déjà : {commune.nom}, {commune.departement_nom} "
        f"({commune.departement}), {commune.region_nom}"
        + (f", {commune.epci_nom}" if commune.epci_nom else "")
        + ".",
        *(f"Source : {source}." for source in reference.sources[:3]),
    ]
    lines: list[str] = []
    for paragraph in head:
        lines += _comment(paragraph, "")
    lines.append("")
    lines.append("version: 1")
    lines += _section(Profile, "", "", commune, reference)
    return "\n".join(lines) + "\n"
