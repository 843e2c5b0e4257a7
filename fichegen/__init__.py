"""fichegen: fiche n°15 of the French municipal kit, rewritten for one commune.

The package root is the API::

    import fichegen
    profile = fichegen.load_profile("profiles/anstaing.yaml")
    fiche = fichegen.build(profile)          # selection with reasons, no rendering
    pdf = fichegen.render(fiche, "pdf")      # bytes; or render(fiche, "docx", "out.docx")

Everything is imported on first use: ``import fichegen`` stays cheap, and renderers
(WeasyPrint, python-docx) load only when a format is rendered.
"""

from __future__ import annotations

__version__ = "0.1.0"

from typing import TYPE_CHECKING, Any

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

# Public names and the module that defines each. They are imported on first use
# (PEP 562), so that ``import fichegen.reference`` or ``fichegen --help`` does not load
# pydantic, Babel and the whole pipeline.
_LAZY: dict[str, str] = {
    "compose": "fichegen.compose",
    "explain_json": "fichegen.explain",
    "explain_text": "fichegen.explain",
    "Fiche": "fichegen.fiche",
    "KnowledgeBase": "fichegen.knowledge",
    "load_knowledge": "fichegen.knowledge",
    "Document": "fichegen.model",
    "FORMATS": "fichegen.options",
    "PDF_VARIANTS": "fichegen.options",
    "RenderOptions": "fichegen.options",
    "output_name": "fichegen.options",
    "render": "fichegen.output",
    "write_atomic": "fichegen.output",
    "Profile": "fichegen.profile",
    "load_profile": "fichegen.profile",
    "profile_for_commune": "fichegen.profile",
    "profile_from_dict": "fichegen.profile",
    "profile_from_text": "fichegen.profile",
    "profile_json_schema": "fichegen.profile",
    "Reference": "fichegen.reference",
    "load_reference": "fichegen.reference",
    "build": "fichegen.selection",
}


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'fichegen' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from fichegen.compose import compose
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
