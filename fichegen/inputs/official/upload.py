"""Files sent with a profile (the web page's upload): open-data files and at most one
spreadsheet of local figures, laid over the profile as ``--donnees`` does.

The files live only for the call: written to a private temporary folder (the readers take
paths: a zip is opened, a CSV decoded), read, and removed before returning, whatever
happens. Messages name each file by the name it was sent under, never the folder.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from fichegen.errors import FichegenError, InputError, Issue

if TYPE_CHECKING:
    from fichegen.inputs.profile import Profile

__all__ = ["MAX_FILES", "apply_uploaded"]

MAX_FILES = 8
_SAFE = re.compile(r"[^0-9A-Za-z._-]+")


def _safe_name(name: str) -> str:
    base = _SAFE.sub("_", Path(name.replace("\\", "/")).name).strip("._") or "fichier"
    return base[-80:] if len(base) > 80 else base


def apply_uploaded(profile: Profile, files: Sequence[tuple[str, bytes]]) -> Profile:
    """``profile`` completed by the figures of the files sent with it (its own values win,
    then a spreadsheet's, then the open-data files')."""
    if not files:
        return profile
    if len(files) > MAX_FILES:
        raise InputError(f"trop de fichiers joints : {MAX_FILES} au plus")
    from fichegen.inputs.official.apply import apply_official
    from fichegen.inputs.official.read import read_inputs

    with tempfile.TemporaryDirectory(prefix="fichegen-envoi-") as folder:
        paths: list[Path] = []
        for index, (name, data) in enumerate(files):
            sub = Path(folder) / str(index)
            sub.mkdir()
            path = sub / _safe_name(name)
            path.write_bytes(data)
            paths.append(path)
        try:
            inputs = read_inputs(paths)
            if inputs.sheet_path is not None:
                from fichegen.inputs.donnees import read_donnees
                from fichegen.inputs.overlay import apply_row

                sheet = read_donnees(inputs.sheet_path, inputs.sheet_grid)
                row = sheet.rows.get(profile.commune.code_insee)
                if row is not None:
                    profile = apply_row(profile, row)
            if inputs.official:
                profile = apply_official(profile, inputs.official)
        except FichegenError as exc:
            raise _strip(exc, folder) from None
    return profile


def _strip(exc: FichegenError, folder: str) -> FichegenError:
    """The same error, each file named as it was sent (without the temporary folder)."""
    issues = []
    for i in exc.issues:
        file = re.sub(re.escape(folder) + r"/\d+/", "", i.file) if i.file else i.file
        issues.append(Issue(i.message, file, i.line, i.column, i.field))
    return type(exc)(issues=issues)
