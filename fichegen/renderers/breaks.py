"""Page-break rules shared by the three engines (WeasyPrint, Typst, DOCX).

A renderer asks here whether a block may be split across pages and, for a long table,
how many rows must stay together at its start and end; it never decides content.
"""

from __future__ import annotations

import re

from fichegen.document.model import BulletList, Callout, ExampleCard, Inline, Paragraph, Table

SHORT_TABLE_ROWS = 6
"""A table of this many rows or fewer is never split (a few rows alone on a page read badly)."""

EDGE_ROWS = 3
"""A longer table keeps at least this many body rows on each side of a page break."""

SHORT_BOX_CHARS = 700
"""A law or information box up to about this many characters (ten lines) is kept whole."""

CARD_HEAD_FACTS = 2
"""A long example card may break across pages, after its heading and this many facts."""

LONG_CARD_FACTS = 5
"""An example card with this many facts or more may break (a whole one left a quarter of a
page empty before the map of Saint-Denis, La Réunion)."""

_NAME = re.compile(r"(?<![\w-])[A-ZÀ-ÖØ-Þ][\w’'-]*\w")
"""A capitalised word or hyphenated compound (« Villeurbanne », « Seine-Saint-Denis »):
names of places and organisations, never hyphenated at a line end."""


def keeps_table_whole(table: Table) -> bool:
    """True when the table is short enough to be kept on one page."""
    return len(table.rows) <= SHORT_TABLE_ROWS


def _chars(runs: Inline) -> int:
    return sum(len(run.text) for run in runs)


def _length(block: object) -> int:
    if isinstance(block, Paragraph):
        return _chars(block.runs)
    if isinstance(block, BulletList):
        return sum(_chars(item) + 40 for item in block.items)  # each item: a line start
    if isinstance(block, Callout):
        return len(block.title) + sum(_length(child) for child in block.blocks)
    return 10_000  # anything else (tables, figures): treat as long


def keeps_box_whole(box: Callout) -> bool:
    """Reasons and warnings are always kept whole; law and information boxes when short."""
    return box.tone not in ("law", "info") or _length(box) <= SHORT_BOX_CHARS


def keeps_card_whole(card: ExampleCard) -> bool:
    """True when the example card is short enough to be kept on one page."""
    return len(card.facts) < LONG_CARD_FACTS


def is_name(word: str) -> bool:
    """True for a capitalised word (« Villeurbanne », « Seine », « Insee »), never hyphenated."""
    return _NAME.match(word) is not None
