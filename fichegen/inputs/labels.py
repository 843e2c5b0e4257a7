"""French labels of profile fields, read from the schema's titles (one source for every use).

The spreadsheet template's headers, the starter profile's comments, the sources annex
of the fiche and the error messages of ``--donnees`` all name a field by the ``title``
written next to it in :mod:`fichegen.inputs.profile_sections` and
:mod:`fichegen.inputs.profile`; nothing else keeps a copy, and nothing else reads them.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from pydantic import BaseModel

from fichegen.inputs.validation import _is_model, _unwrap

__all__ = ["field_descriptions", "field_label", "field_labels"]

_INDEX = re.compile(r"\[\d+\]")


def _walk(model: type[BaseModel], prefix: str, out: dict[str, tuple[str, str]]) -> None:
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        out[path] = (info.title or name, info.description or "")
        kind: Any = _unwrap(info.annotation)[0]
        args = getattr(kind, "__args__", ())
        if _is_model(kind):
            _walk(kind, f"{path}.", out)
        elif args and _is_model(_unwrap(args[0])[0]):  # a list of records
            _walk(_unwrap(args[0])[0], f"{path}[].", out)


@cache
def _table() -> dict[str, tuple[str, str]]:
    from fichegen.inputs.profile import Profile

    out: dict[str, tuple[str, str]] = {}
    _walk(Profile, "", out)
    return out


@cache
def _aliases() -> dict[str, tuple[str, str]]:
    """The table, plus list-item fields written without brackets (``acteurs_ess.nom``)."""
    table = dict(_table())
    for path, entry in _table().items():
        table.setdefault(path.replace("[]", ""), entry)
    return table


def field_labels() -> dict[str, str]:
    """``{"petite_enfance.mam": "Maisons d'assistants maternels (MAM)", ...}`` for every field
    (fields of list items as ``acteurs_ess[].nom``)."""
    return {path: label for path, (label, _) in _table().items()}


def field_descriptions() -> dict[str, str]:
    """The schema's French description of every field, keyed like :func:`field_labels`."""
    return {path: text for path, (_, text) in _table().items()}


def field_label(path: str) -> str:
    """The French label of a field path (``acteurs_ess[2].nom`` → « Nom »); the path itself
    when the schema does not know it."""
    table = _aliases()
    generic = _INDEX.sub("[]", path)
    if generic in table:
        return table[generic][0]
    return path
