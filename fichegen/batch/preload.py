"""Imported once by the forkserver of a local batch, so each worker starts warm.

Workers forked from the forkserver then share the already imported pipeline
(WeasyPrint, the DOCX writer and its reference document already read, the knowledge and
reference code). A module that fails to import is skipped here: the worker will report
the error for its commune instead.
"""

from __future__ import annotations

import contextlib
import importlib

_MODULES = (
    "fichegen.inputs.profile",
    "fichegen.knowledge.base",
    "fichegen.knowledge.located",  # the reader and schema of a --knowledge folder: base.py
    "fichegen.knowledge.schema",  # imports them only when a base is built
    "fichegen.selection.builder",
    "fichegen.document.compose",
    "fichegen.renderers.html",
    "fichegen.renderers.docx",  # the DOCX writer (no python-docx, no lxml)
    "fichegen.renderers.pdf",
    "fichegen.renderers.fetcher",  # WeasyPrint itself: renderers.pdf imports it on first use
)

for _name in _MODULES:
    with contextlib.suppress(Exception):
        importlib.import_module(_name)

with contextlib.suppress(Exception):  # built on first use otherwise (defer_build)
    importlib.import_module("fichegen.inputs.profile").build_validators()

with contextlib.suppress(Exception):  # the DOCX reference document, read once for all workers
    importlib.import_module("fichegen.renderers.docx_template").reference()
