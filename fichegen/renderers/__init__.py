"""Renderers: lay a composed document out as HTML, PDF (WeasyPrint) or DOCX, map included.

Takes a :class:`~fichegen.document.model.Document` and gives bytes or an atomically
written file (``output``). Renderers never choose content: every wording is decided by
:mod:`fichegen.document`. Importing this package loads neither WeasyPrint nor Typst;
each format's library is imported when that format is rendered. The DOCX is written as
WordprocessingML text into the reference document's package (``docx*`` modules), with
no XML library.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fichegen._lazy import lazy_exports

_EXPORTS = {
    "render": "fichegen.renderers.output",
    "render_formats": "fichegen.renderers.output",
    "write_atomic": "fichegen.renderers.output",
}

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

if TYPE_CHECKING:
    from fichegen.renderers.output import render, render_formats, write_atomic

__all__ = ["render", "render_formats", "write_atomic"]
