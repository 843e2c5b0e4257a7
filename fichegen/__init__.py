"""fichegen: fiche n°15 of the French municipal kit, rewritten for one commune.

The package root is the API (filled in as the modules land).
"""

from __future__ import annotations

from fichegen.errors import (
    BatchError,
    FichegenError,
    InputError,
    Issue,
    KnowledgeError,
    OutputError,
    ProfileError,
    RenderError,
    UnknownCommuneError,
)

__version__ = "0.1.0"

__all__ = [
    "BatchError",
    "FichegenError",
    "InputError",
    "Issue",
    "KnowledgeError",
    "OutputError",
    "ProfileError",
    "RenderError",
    "UnknownCommuneError",
    "__version__",
]
