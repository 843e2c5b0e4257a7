"""Inputs: everything that turns what a user gives into a validated profile.

Takes YAML files, text, bytes or dicts, and spreadsheets of local figures (CSV, XLSX, ODS),
and gives a :class:`~fichegen.inputs.profile.Profile` (which remembers where each value
came from), or a :class:`~fichegen.errors.ProfileError` whose issues carry file, line (or
row), column (or column letter) and field. ``yamlio`` reads YAML safely with positions,
``validation`` turns pydantic errors into located French messages, ``profile`` is the
schema and its loaders; ``donnees`` and ``overlay`` read a spreadsheet and lay its rows
over profiles; ``starter`` and ``modele`` write the files a team starts from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fichegen._lazy import lazy_exports

_EXPORTS = {
    "apply_row": "fichegen.inputs.overlay",
    "read_donnees": "fichegen.inputs.donnees",
    "Profile": "fichegen.inputs.profile",
    "load_profile": "fichegen.inputs.profile",
    "profile_for_commune": "fichegen.inputs.profile",
    "profile_from_bytes": "fichegen.inputs.profile",
    "profile_from_dict": "fichegen.inputs.profile",
    "profile_from_text": "fichegen.inputs.profile",
    "profile_json_schema": "fichegen.inputs.profile",
}

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

if TYPE_CHECKING:
    from fichegen.inputs.donnees import read_donnees
    from fichegen.inputs.overlay import apply_row
    from fichegen.inputs.profile import (
        Profile,
        load_profile,
        profile_for_commune,
        profile_from_bytes,
        profile_from_dict,
        profile_from_text,
        profile_json_schema,
    )

__all__ = [
    "Profile",
    "apply_row",
    "load_profile",
    "profile_for_commune",
    "profile_from_bytes",
    "profile_from_dict",
    "profile_from_text",
    "profile_json_schema",
    "read_donnees",
]
