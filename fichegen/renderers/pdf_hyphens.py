"""Names never hyphenated by WeasyPrint, without one inline box per name.

WeasyPrint hyphenates the word at a line end with a pyphen dictionary that it builds per
document through ``weasyprint.text.line_break.pyphen.Pyphen`` and only asks for the
word's hyphenation points (``iterate``). fichegen's rule (:func:`breaks.is_name`) is that a
capitalised word — a commune, a place, an organisation — is never cut. Wrapping each such
word in a ``hyphens: manual`` span did that, but cost a quarter of a fiche's render
(about 480 extra inline boxes in Anstaing's fiche, each laid out and drawn on its own).

During fichegen's own render (:func:`names_kept_whole`, under the render lock of
:mod:`fichegen.renderers.pdf`), WeasyPrint's module sees a pyphen whose dictionaries give
no hyphenation point for a name; everything else, other words included, is pyphen's own.
The module attribute is restored afterwards. Checked against the installed WeasyPrint by
``tests/renderers/test_pdf_hyphens.py``; a WeasyPrint without that attribute still renders
(names may then be cut at a line end, and that test fails).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pyphen  # type: ignore[import-untyped]

from fichegen.renderers.breaks import is_name

__all__ = ["names_kept_whole"]


class _NameKeepingPyphen(pyphen.Pyphen):  # type: ignore[misc]
    """A pyphen dictionary that never offers a hyphenation point inside a name."""

    def iterate(self, word: str) -> Iterator[tuple[str, str]]:
        if is_name(word):
            return iter(())
        result: Iterator[tuple[str, str]] = super().iterate(word)
        return result


class _Pyphen:
    """The ``pyphen`` module as WeasyPrint's line breaker sees it during a render."""

    Pyphen = _NameKeepingPyphen

    def __getattr__(self, name: str) -> Any:
        return getattr(pyphen, name)


@contextmanager
def names_kept_whole() -> Iterator[None]:
    """Within the block, WeasyPrint never hyphenates a capitalised word."""
    from weasyprint.text import line_break

    original = getattr(line_break, "pyphen", None)
    if original is None:  # another WeasyPrint: render anyway; the tests say names may be cut
        yield
        return
    line_break.pyphen = _Pyphen()
    try:
        yield
    finally:
        line_break.pyphen = original
