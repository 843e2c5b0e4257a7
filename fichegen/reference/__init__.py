"""Reference: the embedded table of French communes (COG 2026) and their figures.

Takes nothing but the package data and gives :class:`~fichegen.reference.types.Commune`
and :class:`~fichegen.reference.types.Epci` records, code resolution (old, délégué and
arrondissement codes), name search and Insee's public figures of each commune (population
2015 and 2021, households, births), through :func:`load_reference`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fichegen._lazy import lazy_exports

_EXPORTS = {
    "Reference": "fichegen.reference.lookup",
    "load_reference": "fichegen.reference.lookup",
    "Commune": "fichegen.reference.types",
    "Epci": "fichegen.reference.types",
    "Resolution": "fichegen.reference.types",
    "PublicFigures": "fichegen.reference.figures",
    "Zone": "fichegen.reference.types",
}

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

if TYPE_CHECKING:
    from fichegen.reference.figures import PublicFigures
    from fichegen.reference.lookup import Reference, load_reference
    from fichegen.reference.types import Commune, Epci, Resolution, Zone

__all__ = [
    "Commune",
    "Epci",
    "PublicFigures",
    "Reference",
    "Resolution",
    "Zone",
    "load_reference",
]
