"""The ``fichegen`` console script (and ``python -m fichegen``): run, then leave at once.

The garbage collector runs less often (see :data:`YOUNG_OBJECTS`). When a command is
done, CPython would still tear the whole heap down (clearing every module, several full
garbage collections): a tenth to a third of a second after a fiche, longer than the DOCX
itself takes to make. Nothing of that teardown reaches the user, so the process ends with
:func:`os._exit` once the standard streams are flushed and the ``atexit`` handlers have
run (logging flushed, WeasyPrint's font folder removed, multiprocessing children joined)
— the shortcut Instagram described for its servers.

The normal exit is kept whenever the shortcut could lose something: a non-daemon thread
still running (its end would not be awaited), or a Python without
``atexit._run_exitfuncs``. An exception other than :class:`SystemExit` (``--debug``)
leaves the usual way too, with its traceback.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import os
import sys
from typing import NoReturn

from fichegen.cli.commands import main

__all__ = ["run"]


def _status(code: object) -> int:
    """The exit status ``sys.exit(code)`` would give (a text is printed, status 1)."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1


def _threads_running() -> bool:
    threading = sys.modules.get("threading")
    if threading is None:
        return False
    current = threading.current_thread()
    return any(t is not current and not t.daemon and t.is_alive() for t in threading.enumerate())


#: Young objects allowed before a collection (CPython's default: 700). A fiche allocates
#: millions of short-lived objects: with the default, the collector runs hundreds of times
#: per process and each of its passes over the older generations walks the whole heap
#: (pydantic, WeasyPrint, the reference): 175 ms of a one-shot PDF, 45 ms with this bound
#: (65 ms with 5 000). At most this many objects wait, a few megabytes.
YOUNG_OBJECTS = 50_000


def run() -> NoReturn:
    """Run the command line, then exit with its status without the heap's teardown."""
    gc.set_threshold(YOUNG_OBJECTS, *gc.get_threshold()[1:])
    try:
        code: object = main()
    except SystemExit as exc:
        code = exc.code
    status = _status(code)
    run_exit_functions = getattr(atexit, "_run_exitfuncs", None)
    if run_exit_functions is None or _threads_running():
        sys.exit(status)
    _flush()
    run_exit_functions()
    _flush()
    os._exit(status)


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing to deliver
            stream.flush()
