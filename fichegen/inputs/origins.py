"""Where each figure of a profile came from: the profile file, a spreadsheet's row, or an
official open-data file (publisher, dataset, year, file).

Kept as data on the :class:`~fichegen.inputs.profile.Profile`; the document stage words it
in French for the sources annex, ``explain`` prints it, the batch manifest records it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from fichegen.inputs.official.types import OfficialSource

__all__ = ["Conflict", "FieldOrigin"]


@dataclass(frozen=True)
class FieldOrigin:
    """The origin of one value: ``kind`` "profil" (a YAML file or data given in code),
    "tableur" (``file``, row ``row``) or "officiel" (an open-data file: ``source`` names its
    publisher, dataset, year and file; ``detail`` how the figure was drawn from it)."""

    kind: Literal["profil", "tableur", "officiel"]
    file: str | None = None
    row: int | None = None
    source: OfficialSource | None = None
    detail: str | None = None

    @property
    def file_name(self) -> str | None:
        """The file's name without its folder (what a document may print)."""
        return PurePath(self.file).name if self.file else None


@dataclass(frozen=True)
class Conflict:
    """A field both the profile and a spreadsheet gave, with different values; the profile's
    value is kept."""

    path: str
    kept: Any
    ignored: Any
    ignored_from: FieldOrigin
