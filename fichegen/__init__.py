"""fichegen: fiche n° 15 of the French municipal kit, rewritten for one commune.

The package root is the API::

    import fichegen
    profile = fichegen.load_profile("profiles/anstaing.yaml")
    fiche = fichegen.build(profile)          # selection with reasons, no rendering
    pdf = fichegen.render(fiche, "pdf")      # bytes; or render(fiche, "docx", "out.docx")

Everything is imported on first use: ``import fichegen`` stays cheap, and renderers
(WeasyPrint, Typst, the DOCX writer) load only when a format is rendered.
"""

from __future__ import annotations

__version__ = "0.3.0"

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
# (PEP 562), so that ``import fichegen.reference.lookup`` or ``fichegen --help`` does not load
# pydantic and the whole pipeline.
_LAZY: dict[str, str] = {
    "compose": "fichegen.document.compose",
    "explain_json": "fichegen.selection.explain",
    "explain_text": "fichegen.selection.explain",
    "Fiche": "fichegen.selection.fiche",
    "KnowledgeBase": "fichegen.knowledge.types",
    "load_knowledge": "fichegen.knowledge.base",
    "Document": "fichegen.document.model",
    "FORMATS": "fichegen.options",
    "PDF_VARIANTS": "fichegen.options",
    "RenderOptions": "fichegen.options",
    "output_name": "fichegen.options",
    "render": "fichegen.renderers.output",
    "write_atomic": "fichegen.renderers.output",
    "Profile": "fichegen.inputs.profile",
    "load_profile": "fichegen.inputs.profile",
    "profile_for_commune": "fichegen.inputs.profile",
    "profile_from_dict": "fichegen.inputs.profile",
    "profile_from_text": "fichegen.inputs.profile",
    "profile_json_schema": "fichegen.inputs.profile",
    "read_spreadsheet": "fichegen.api",
    "Reference": "fichegen.reference.lookup",
    "load_reference": "fichegen.reference.lookup",
    "build": "fichegen.selection.builder",
    "iter_batch": "fichegen.batch.run",
    "run_batch": "fichegen.batch.report",
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
    from fichegen.api import read_spreadsheet
    from fichegen.batch.report import run_batch
    from fichegen.batch.run import iter_batch
    from fichegen.document.compose import compose
    from fichegen.document.model import Document
    from fichegen.inputs.profile import (
        Profile,
        load_profile,
        profile_for_commune,
        profile_from_dict,
        profile_from_text,
        profile_json_schema,
    )
    from fichegen.knowledge.base import load_knowledge
    from fichegen.knowledge.types import KnowledgeBase
    from fichegen.options import FORMATS, PDF_VARIANTS, RenderOptions, output_name
    from fichegen.reference.lookup import Reference, load_reference
    from fichegen.renderers.output import render, write_atomic
    from fichegen.selection.builder import build
    from fichegen.selection.explain import explain_json, explain_text
    from fichegen.selection.fiche import Fiche

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
    "iter_batch",
    "load_knowledge",
    "load_profile",
    "load_reference",
    "output_name",
    "profile_for_commune",
    "profile_from_dict",
    "profile_from_text",
    "profile_json_schema",
    "read_spreadsheet",
    "render",
    "run_batch",
    "write_atomic",
]
