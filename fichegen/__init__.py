"""fichegen: fiche n°15 of the French municipal kit, rewritten for one commune.

The package root is the API::

    import fichegen
    profile = fichegen.load_profile("profiles/anstaing.yaml")
    fiche = fichegen.build(profile)          # selection with reasons, no rendering
    pdf = fichegen.render(fiche, "pdf")      # bytes; or render(fiche, "docx", "out.docx")

Renderers (WeasyPrint, python-docx) are imported only when a format is rendered.
"""

from __future__ import annotations

__version__ = "0.1.0"

from fichegen.compose import compose
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
from fichegen.explain import explain_json, explain_text
from fichegen.fiche import Fiche
from fichegen.knowledge import KnowledgeBase, load_knowledge
from fichegen.model import Document
from fichegen.options import FORMATS, PDF_VARIANTS, RenderOptions, output_name
from fichegen.output import render, write_atomic
from fichegen.profile import (
    Profile,
    load_profile,
    profile_for_commune,
    profile_from_dict,
    profile_from_text,
    profile_json_schema,
)
from fichegen.reference import Reference, load_reference
from fichegen.selection import build

__all__ = [
    "FORMATS",
    "PDF_VARIANTS",
    "BatchError",
    "Document",
    "Fiche",
    "FichegenError",
    "InputError",
    "Issue",
    "KnowledgeBase",
    "KnowledgeError",
    "OutputError",
    "Profile",
    "ProfileError",
    "Reference",
    "RenderError",
    "RenderOptions",
    "UnknownCommuneError",
    "__version__",
    "build",
    "compose",
    "explain_json",
    "explain_text",
    "load_knowledge",
    "load_profile",
    "load_reference",
    "output_name",
    "profile_for_commune",
    "profile_from_dict",
    "profile_from_text",
    "profile_json_schema",
    "render",
    "write_atomic",
]
