"""Selection: pure and deterministic choices for one commune, each with its reasons.

Takes a profile, the reference and the knowledge base and gives a
:class:`~fichegen.selection.fiche.Fiche`: SPPE duties (``obligations``), ranked levers
(``signals``, ``builder``), chosen examples (``examples``), and their account as text or
JSON (``explain``). Nothing here formats a document or writes a file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fichegen._lazy import lazy_exports

_EXPORTS = {
    "build": "fichegen.selection.builder",
    "Fiche": "fichegen.selection.fiche",
    "explain_json": "fichegen.selection.explain",
    "explain_text": "fichegen.selection.explain",
}

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

if TYPE_CHECKING:
    from fichegen.selection.builder import build
    from fichegen.selection.explain import explain_json, explain_text
    from fichegen.selection.fiche import Fiche

__all__ = ["Fiche", "build", "explain_json", "explain_text"]
