"""What every render worker process does on entering and leaving: shared by the batch pool
and the web server's pool.

A worker ignores Ctrl-C (its parent handles it), turns SIGTERM into a normal exit, writes
its temporary files (WeasyPrint's ``weasyprint-*`` font folder among them) to its own
``folder``, and ends itself, removing that folder, as soon as its parent is gone (``kill
-9``). A child process never runs the ``atexit`` handlers that would free WeasyPrint's font
configuration, so :func:`leave_worker` does it before removing the folder.
"""

from __future__ import annotations

import contextlib
import gc
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from types import FrameType

__all__ = ["enter_worker", "leave_worker"]


def _watch_parent(parent_pid: int, folder: str) -> None:
    """End this worker, and remove its folder, as soon as the parent process is gone."""
    while True:
        time.sleep(0.5)
        try:
            os.kill(parent_pid, 0)
        except (ProcessLookupError, PermissionError):  # PermissionError: pid reused
            shutil.rmtree(folder, ignore_errors=True)
            os._exit(3)


def _stop(_signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(0)


def enter_worker(folder: str, parent_pid: int) -> None:
    """Set up the current process as a worker writing its temporary files to ``folder``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, _stop)
    os.environ["TMPDIR"] = folder
    tempfile.tempdir = folder
    threading.Thread(target=_watch_parent, args=(parent_pid, folder), daemon=True).start()


def leave_worker(folder: str) -> None:
    """Free WeasyPrint's font configuration (its ``__del__`` removes its folder), then
    remove whatever else the worker left in ``folder``."""
    pdf = sys.modules.get("fichegen.renderers.pdf")
    if pdf is not None:
        with contextlib.suppress(Exception):
            pdf.release_font_configuration()
    gc.collect()
    shutil.rmtree(folder, ignore_errors=True)
