"""A private temporary folder on every Dask worker for the time of one batch.

The local pool and the web server give each render process its own folder
(:mod:`fichegen.batch.worker_process`); Dask workers are started by the user, so the batch
registers this plugin on the cluster instead: on each worker (those that join later too)
it makes a folder under the worker's temporary folder and points ``TMPDIR`` and
:mod:`tempfile` at it, so WeasyPrint's ``weasyprint-*`` font folder and any other
temporary file of a render land there. When the batch ends the plugin is removed: each
worker frees WeasyPrint's font configuration and deletes its folder (a worker that stops
first does the same when it closes). A worker killed outright cleans nothing, as with any
process. Two batches on the same workers each have their own folder; the last one made
is the current one until it is removed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
import threading
from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin

__all__ = ["PrivateTempFolder"]

_LOCK = threading.Lock()
_ACTIVE: list[str] = []
"""This worker's folders, oldest first (one per batch in progress)."""
_BEFORE: list[tuple[str | None, str | None]] = []
"""``TMPDIR`` and ``tempfile.tempdir`` before the first folder was made."""


def _point_at(env: str | None, tempdir: str | None) -> None:
    if env is None:
        os.environ.pop("TMPDIR", None)
    else:
        os.environ["TMPDIR"] = env
    tempfile.tempdir = tempdir


class PrivateTempFolder(WorkerPlugin):
    """Give a worker a temporary folder of its own for one batch, deleted after it."""

    def __init__(self) -> None:
        self.folder: str | None = None

    def setup(self, worker: Any) -> None:
        with _LOCK:
            if not _ACTIVE:
                _BEFORE[:] = [(os.environ.get("TMPDIR"), tempfile.tempdir)]
            base = _BEFORE[0][1] or _BEFORE[0][0] or tempfile.gettempdir()
            if _ACTIVE:  # never inside another batch's folder
                base = os.path.dirname(_ACTIVE[0])
            self.folder = tempfile.mkdtemp(prefix="fichegen-dask-", dir=base)
            _ACTIVE.append(self.folder)
            _point_at(self.folder, self.folder)

    def teardown(self, worker: Any) -> None:
        folder = self.folder
        if folder is None:
            return
        with _LOCK:
            if folder in _ACTIVE:
                _ACTIVE.remove(folder)
            if _ACTIVE:
                _point_at(_ACTIVE[-1], _ACTIVE[-1])
            elif _BEFORE:
                _point_at(*_BEFORE[0])
            pdf = sys.modules.get("fichegen.renderers.pdf")
            if pdf is not None:  # its __del__ removes the weasyprint-* folder
                with contextlib.suppress(Exception):
                    pdf.release_font_configuration()
            import gc

            gc.collect()
            shutil.rmtree(folder, ignore_errors=True)
            self.folder = None
