"""The check that a profile names a current commune, and which one to use otherwise."""

from __future__ import annotations

from pydantic_core import PydanticCustomError

from fichegen.errors import UnknownCommuneError, shorten

__all__ = ["check_current_code"]


def check_current_code(code: str, nom: str | None) -> None:
    """Refuse codes that are not a current commune, naming the one to use instead."""
    from fichegen.reference.lookup import load_reference

    reference = load_reference()
    kind = reference.kind_of(code)
    if kind == "commune":
        return
    if kind is None:
        try:
            reference.get(code)
        except UnknownCommuneError as exc:
            message = exc.first.message
        else:  # pragma: no cover - kind_of and get disagree
            return
        if nom:
            matches = reference.search(nom, limit=3)
            if matches:
                names = ", ".join(f"{c.nom} ({c.code_insee}, {c.departement_nom})" for c in matches)
                message += f" Pour « {shorten(nom)} », vouliez-vous dire : {names} ?"
        raise PydanticCustomError("code_insee_inconnu", "{text}", {"text": message})
    resolution = reference.resolve(code)
    current = resolution.commune
    if kind == "arrondissement":
        text = (
            f"{code} est le code d'un arrondissement municipal, pas d'une commune ; "
            f"la commune est {current.nom} ({current.code_insee})."
        )
    else:
        text = resolution.note or f"{code} n'est pas le code d'une commune actuelle."
    text += f' Indiquez code_insee: "{current.code_insee}".'
    raise PydanticCustomError("code_insee_obsolete", "{text}", {"text": text})
