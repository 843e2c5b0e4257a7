"""French: the text layer shared by every stage that writes French.

Gives numbers, dates and sentences as a French publisher prints them:
:mod:`~fichegen.french.formatting` (grouped digits, decimal comma, amounts, dates),
:mod:`~fichegen.french.typography` (apostrophes, no-break spaces) and
:mod:`~fichegen.french.grammar` (agreement by count, elision, articles, ordinals).
"""

from __future__ import annotations

__all__: list[str] = []
