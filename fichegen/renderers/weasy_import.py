"""WeasyPrint imported without running a C compiler to find its libraries.

At import, WeasyPrint 70 opens GObject, Pango, HarfBuzz, fontconfig and PangoFT2 by
trying, for each, a list of names that starts with the Windows and generic ones
(``libgobject-2.0-0``, ``gobject-2.0``) and ends with the Linux file name
(``libgobject-2.0.so.0``). For every name it cannot open directly, cffi asks
``ctypes.util.find_library``, which on Linux runs ``ldconfig -p`` and, when that fails,
``gcc`` then ``ld``: about twenty processes, 0.2 to 0.4 s of every process that makes a
PDF (issue 22; WeasyPrint issue #1125 asked why it runs gcc).

While fichegen first imports WeasyPrint (:func:`import_weasyprint`), on Linux,
``find_library`` answers « not found » at once: the Linux names of the list are then opened
by the dynamic linker itself, which finds exactly the files ``find_library`` would have
named (same linker cache, plus ``LD_LIBRARY_PATH``). If the import fails all the same (a
library only a compiler's search path would find), it is retried with the full lookup,
WeasyPrint's own « could not import some external libraries » message included.
``find_library`` is restored as soon as WeasyPrint is imported. Checked against the
installed WeasyPrint by ``tests/renderers/test_weasy_import.py`` (same libraries loaded,
no process started).
"""

from __future__ import annotations

import contextlib
import io
import sys
import threading
import warnings
from collections.abc import Iterator

__all__ = ["import_weasyprint"]

_LOCK = threading.Lock()


@contextlib.contextmanager
def _linker_names_only() -> Iterator[None]:
    import ctypes.util

    def not_found(name: str) -> str | None:
        return None

    original = ctypes.util.find_library
    ctypes.util.find_library = not_found
    try:
        yield
    finally:
        ctypes.util.find_library = original


def _import() -> None:
    with warnings.catch_warnings():
        # WeasyPrint 70 warns at import when HarfBuzz-Subset is missing; it then subsets
        # with fontTools, whose timestamps fichegen.renderers.pdf pins. Not the user's concern.
        warnings.filterwarnings("ignore", "HarfBuzz-Subset will be required", DeprecationWarning)
        import weasyprint  # noqa: F401


def import_weasyprint() -> None:
    """Import WeasyPrint once, the quick way on Linux (see the module's docstring)."""
    if "weasyprint" in sys.modules:
        return
    with _LOCK:
        if "weasyprint" in sys.modules:
            return
        if sys.platform.startswith("linux"):
            try:
                with _linker_names_only(), contextlib.redirect_stdout(io.StringIO()):
                    _import()
                return
            except OSError:
                for name in [m for m in sys.modules if m.split(".")[0] == "weasyprint"]:
                    del sys.modules[name]  # half-imported: imported again below
        _import()
