"""Batch: one fiche per commune of a département, resumable, on a local pool or Dask.

Takes a département, optional profiles and render options and gives files, a manifest
(``index.csv``, ``index.json``, ``index.html``) and a journal; :func:`run_batch` and
:func:`iter_batch` are its API.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fichegen._lazy import lazy_exports

_EXPORTS = {
    "run_batch": "fichegen.batch.report",
    "iter_batch": "fichegen.batch.run",
    "BatchInterrupted": "fichegen.batch.report",
    "BatchSummary": "fichegen.batch.report",
    "CommuneResult": "fichegen.batch.result",
}

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

if TYPE_CHECKING:
    from fichegen.batch.report import BatchInterrupted, BatchSummary, run_batch
    from fichegen.batch.result import CommuneResult
    from fichegen.batch.run import iter_batch

__all__ = ["BatchInterrupted", "BatchSummary", "CommuneResult", "iter_batch", "run_batch"]
