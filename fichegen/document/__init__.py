"""Document: the composition stage, from a fiche to a document model.

Takes a :class:`~fichegen.selection.fiche.Fiche` and gives a
:class:`~fichegen.document.model.Document` (plain dataclasses): every wording, ordering
and emphasis choice is made here, one module per section, so that renderers only lay it
out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fichegen._lazy import lazy_exports

_EXPORTS = {
    "compose": "fichegen.document.compose",
    "Document": "fichegen.document.model",
}

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

if TYPE_CHECKING:
    from fichegen.document.compose import compose
    from fichegen.document.model import Document

__all__ = ["Document", "compose"]
