"""The columns of a spreadsheet of local figures, derived from the profile schema.

One column per scalar field of the sections ``commune`` (populations), ``petite_enfance``,
``gouvernance`` and ``fiche`` (author, number of examples): its path, its French label
(the schema's title, see :mod:`fichegen.inputs.labels`), its kind, its bounds, the schema's
description and where a team finds the figure. ``fichegen modele``, ``fichegen init``,
the reader of ``--donnees`` and ``docs/donnees.md`` all use this table.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal, get_origin

from fichegen.inputs.labels import field_label
from fichegen.inputs.validation import _is_model, _unwrap

__all__ = [
    "CODE_HEADERS",
    "REFERENCE_COLUMNS",
    "WHERE_TO_FIND",
    "Column",
    "columns",
    "columns_markdown",
    "normalize_header",
]

Kind = Literal["entier", "nombre", "booleen", "texte"]

_SECTIONS = ("commune", "petite_enfance", "gouvernance", "fiche")
_LEFT_OUT = frozenset({"commune.code_insee", "commune.nom", "fiche.date"})

# Where a team finds each figure. Only the sources are named here: the data themselves are
# never guessed by fichegen.
WHERE_TO_FIND: dict[str, str] = {
    "commune.population_municipale": (
        "Populations légales de l’INSEE (millésime en vigueur) ; la fiche reprend par défaut "
        "celle du référentiel embarqué."
    ),
    "commune.population_totale": (
        "Populations légales de l’INSEE : le millésime 2023 est en vigueur depuis le "
        "1er janvier 2026 ; c’est à elle que s’appliquent les seuils du SPPE."
    ),
    "petite_enfance.enfants_moins_3_ans": (
        "Recensement de la population de l’INSEE (population par âge) ; à défaut, les "
        "naissances des trois dernières années à l’état civil de la commune."
    ),
    "petite_enfance.places_eaje": (
        "Données ouvertes des Caf (data.caf.fr) : places offertes pour les enfants de moins "
        "de 3 ans, publiées par commune pour les communes de plus de 10 000 habitants et par "
        "EPCI pour toutes ; sinon la PMI du département ou les services de la commune."
    ),
    "petite_enfance.places_eaje_ess": (
        "Les gestionnaires des crèches de la commune (associations, coopératives, parents), "
        "la PMI du département ou la Caf."
    ),
    "petite_enfance.assistants_maternels": (
        "La PMI du département (agréments), le relais petite enfance, monenfant.fr."
    ),
    "petite_enfance.places_assistants_maternels": (
        "La PMI du département (places agréées), le relais petite enfance."
    ),
    "petite_enfance.mam": "La PMI du département, le relais petite enfance.",
    "petite_enfance.demandes_en_attente": (
        "Les services de la commune (guichet ou commission d’attribution des places), le "
        "relais petite enfance."
    ),
    "petite_enfance.taux_couverture": "La Caf (taux de couverture calculé par la Cnaf).",
    "petite_enfance.relais_petite_enfance": "La Caf, monenfant.fr, les services de la commune.",
    "petite_enfance.competence_transferee_epci": (
        "Les statuts de l’EPCI et les délibérations de transfert de compétences."
    ),
    "petite_enfance.population_communes_transferees": (
        "Somme des populations totales légales (INSEE) des communes qui ont transféré les "
        "compétences, d’après les statuts de l’EPCI."
    ),
    "gouvernance.convention_territoriale_globale": "La Caf, les services de la commune.",
    "gouvernance.schema_pluriannuel_adopte": "Les délibérations du conseil municipal.",
    "fiche.nombre_exemples": "Un réglage : de 1 à 7 exemples (4 si la case est vide).",
    "fiche.auteur": "Un réglage : le nom imprimé sur la fiche (liste, fédération, service).",
}

CODE_HEADERS = ("code_insee", "commune.code_insee", "code insee")
"""Headers accepted for the commune code column (compared after :func:`normalize_header`)."""

REFERENCE_COLUMNS = (
    "Commune",
    "Population municipale (référentiel)",
    "Population totale (référentiel)",
    "EPCI",
)
"""Read-only columns written by ``fichegen modele`` from the reference, ignored on reading."""


@dataclass(frozen=True)
class Column:
    """One column of local figures."""

    path: str
    label: str
    kind: Kind
    description: str
    where: str
    minimum: float | None = None
    maximum: float | None = None
    strict_minimum: bool = False

    @property
    def expected(self) -> str:
        """What a cell must hold, in French (for messages and the « Lisez-moi » sheet)."""
        if self.kind == "booleen":
            return "oui ou non"
        if self.kind == "texte":
            return "un texte"
        noun = "nombre entier" if self.kind == "entier" else "nombre"
        if self.minimum is not None and self.maximum is not None and self.maximum <= 1000:
            return f"un {noun} de {_num(self.minimum)} à {_num(self.maximum)}"
        if self.minimum == 0:
            return (
                f"un {noun} strictement positif"
                if self.strict_minimum
                else f"un {noun} positif ou nul"
            )
        return f"un {noun}"


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value).replace(".", ",")


def _kind(annotation: Any) -> Kind | None:
    if annotation is bool:
        return "booleen"
    if annotation is int:
        return "entier"
    if annotation is float:
        return "nombre"
    if annotation is str:
        return "texte"
    return None


def _bound(metadata: list[Any], name: str) -> float | None:
    return next((getattr(m, name) for m in metadata if getattr(m, name, None) is not None), None)


@cache
def columns() -> tuple[Column, ...]:
    """Every column of local figures, in schema order."""
    from fichegen.inputs.profile import Profile

    found: list[Column] = []
    for section in _SECTIONS:
        model: Any = _unwrap(Profile.model_fields[section].annotation)[0]
        assert _is_model(model)
        fields: dict[str, Any] = model.model_fields
        for name, info in fields.items():
            path = f"{section}.{name}"
            annotation, metadata = _unwrap(info.annotation)
            kind = _kind(annotation)
            if path in _LEFT_OUT or kind is None or get_origin(annotation) is Literal:
                continue
            metadata = [*info.metadata, *metadata]
            low, strict = _bound(metadata, "ge"), _bound(metadata, "gt")
            found.append(
                Column(
                    path=path,
                    label=field_label(path),
                    kind=kind,
                    description=info.description or "",
                    where=WHERE_TO_FIND.get(path, ""),
                    minimum=low if low is not None else strict,
                    maximum=_bound(metadata, "le"),
                    strict_minimum=strict is not None,
                )
            )
    return tuple(found)


def normalize_header(text: str) -> str:
    """Compare headers as a person reads them: case, runs of spaces and the two apostrophes
    folded, accents kept (``Places  en EAJE`` = ``places en eaje``)."""
    folded = unicodedata.normalize("NFC", text).replace("’", "'").replace("\u00a0", " ")
    return " ".join(folded.split()).casefold()


def columns_markdown() -> str:
    """The column reference of ``docs/donnees.md`` (kept in step by a test)."""
    lines = [
        "| En-tête du modèle | Champ (autre en-tête accepté) | Valeur attendue | Signification "
        "| Où trouver le chiffre |",
        "|---|---|---|---|---|",
    ]
    for column in columns():
        cells = (
            column.label,
            f"`{column.path}`",
            column.expected,
            column.description,
            column.where or "—",
        )
        lines.append("| " + " | ".join(cell.replace("|", "/") for cell in cells) + " |")
    return "\n".join(lines) + "\n"
