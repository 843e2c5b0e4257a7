"""Lay a spreadsheet row over a profile: the profile's values win, differences are listed.

The result is a validated :class:`~fichegen.inputs.profile.Profile` that remembers, for each
figure the row gave, its origin (file and row) and, for each field both gave differently,
the conflict.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from fichegen.errors import FichegenError, Issue, ProfileError
from fichegen.inputs.donnees import Donnees, SheetRow
from fichegen.inputs.origins import Conflict, FieldOrigin
from fichegen.inputs.profile import Profile
from fichegen.inputs.validation import validate_located

__all__ = ["apply_row", "apply_sheet", "profiles_from_spreadsheet"]


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
    result._locations = {**profile._locations} if profile is not None else {}
    for path in origins:
        result._locations[path] = (row.file, row.row, row.letters.get(path))
    result._conflicts = (*(profile.conflicts if profile else ()), *conflicts)
    return result


def apply_sheet(
    profiles: list[Profile], sheet: Donnees, notify: Callable[[str], None]
) -> list[Profile]:
    """Each profile completed by its commune's row (``notify`` is told of a profile whose
    commune has none); every error of every row is raised together."""
    result: list[Profile] = []
    issues: list[Issue] = []
    for profile in profiles:
        row = sheet.rows.get(profile.commune.code_insee)
        if row is None:
            notify(
                f"{Path(sheet.file).name} : aucune ligne pour la commune "
                f"{profile.commune.code_insee} ; sa fiche n’utilise que son profil"
            )
            result.append(profile)
            continue
        try:
            result.append(apply_row(profile, row))
        except FichegenError as exc:
            issues.extend(exc.issues)
    if issues:
        raise ProfileError(issues=issues)
    return result


def profiles_from_spreadsheet(
    path: str | os.PathLike[str], *, profiles: Sequence[Profile] = ()
) -> list[Profile]:
    """Read a spreadsheet of local figures into one validated profile per commune.

    Each row gives a profile of its commune; a profile of ``profiles`` about the same
    commune is completed by the row instead (its values win, the disagreements are in
    :attr:`Profile.conflicts`; :meth:`Profile.origin_of` names the file and row of each
    figure). Raises :class:`InputError` for the file or header, :class:`ProfileError` with
    ``FILE:ROW:COLUMN`` issues for bad cells.
    """
    from fichegen.inputs.donnees import read_donnees

    sheet = read_donnees(path)
    sheet.check()
    given = {profile.commune.code_insee: profile for profile in profiles}
    return [apply_row(given.get(code), row) for code, row in sheet.rows.items()]
