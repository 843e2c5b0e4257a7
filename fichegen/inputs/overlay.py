"""Lay a spreadsheet row over a profile: the profile's values win, differences are listed.

The result is a validated :class:`~fichegen.inputs.profile.Profile` that remembers, for each
figure the row gave, its origin (file and row) and, for each field both gave differently,
the conflict.
"""

from __future__ import annotations

from typing import Any

from fichegen.errors import Issue, ProfileError
from fichegen.inputs.donnees import SheetRow
from fichegen.inputs.origins import Conflict, FieldOrigin
from fichegen.inputs.profile import Profile
from fichegen.inputs.validation import validate_located

__all__ = ["apply_row"]


def _get(data: dict[str, Any], path: str) -> Any:
    section, name = path.split(".", 1)
    return (data.get(section) or {}).get(name)


def _locate(issue: Issue, row: SheetRow, origins: dict[str, FieldOrigin]) -> Issue:
    """An issue about a value the row gave, placed at its cell (``FILE:ROW:COLUMN``)."""
    path = issue.field or ""
    if path not in origins:
        return issue
    return Issue(issue.message, row.file, row.row, row.letters.get(path), row.headers.get(path))


def apply_row(profile: Profile | None, row: SheetRow) -> Profile:
    """``profile`` (or the commune alone) completed by the figures of ``row``.

    A bad cell of the row, or a rule of the schema across fields broken by a value of the
    row (places in ESS over all places…), raises :class:`ProfileError` with
    ``FILE:ROW:COLUMN`` issues.
    """
    if row.issues:
        raise ProfileError(issues=row.issues)
    given: dict[str, Any] = (
        profile.model_dump(exclude_unset=True, exclude_none=True) if profile else {}
    )
    if profile is not None and profile.commune.code_insee != row.code_insee:
        raise ValueError("the row is about another commune")  # the caller matched them
    provided = profile.provided_fields() if profile else set()
    merged: dict[str, Any] = {k: dict(v) if isinstance(v, dict) else v for k, v in given.items()}
    merged.setdefault("commune", {})["code_insee"] = row.code_insee
    origin = FieldOrigin("tableur", row.file, row.row)
    origins: dict[str, FieldOrigin] = {}
    conflicts: list[Conflict] = []
    for path, value in row.values.items():
        if path in provided:
            kept = _get(given, path)
            if kept != value:
                conflicts.append(Conflict(path, kept, value, origin))
            continue
        section, name = path.split(".", 1)
        merged.setdefault(section, {})[name] = value
        origins[path] = origin
    source = profile.source_name if profile else None
    try:
        result = validate_located(Profile, merged, error=ProfileError, source=source or row.file)
    except ProfileError as exc:  # a rule across fields (places in ESS ≤ places…)
        raise ProfileError(issues=[_locate(issue, row, origins) for issue in exc.issues]) from None
    result._source_name = source
    if profile is not None:
        result._origins = {**profile._origins}
    result._origins.update(origins)
    result._conflicts = (*(profile.conflicts if profile else ()), *conflicts)
    return result
