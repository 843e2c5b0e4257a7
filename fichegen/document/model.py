"""The document model: the whole fiche as plain, format-neutral data.

Built by :mod:`fichegen.document.compose` from a selection; read by every renderer. It holds all
the wording and all the ordering: a renderer only lays these blocks out, it never adds,
drops or rewords content. No renderer is imported here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "Block",
    "BulletList",
    "Callout",
    "Document",
    "ExampleCard",
    "KeyFigure",
    "KeyFigures",
    "LegendItem",
    "MapFigure",
    "MapFrame",
    "MapPoint",
    "Paragraph",
    "Run",
    "Section",
    "Table",
    "inline",
    "ordinal_runs",
]


@dataclass(frozen=True, slots=True)
class Run:
    """A piece of inline text. ``missing`` marks an « à compléter » placeholder;
    ``superscript`` raises an ordinal's letters (``1`` + ``er``)."""

    text: str
    strong: bool = False
    emphasis: bool = False
    missing: bool = False
    superscript: bool = False


Inline = tuple[Run, ...]


_ORDINAL = re.compile(r"(?<![\w.,])(\d+)(er|re|e)(?![\w])")


def ordinal_runs(text: str, strong: bool = False, emphasis: bool = False) -> Inline:
    """Split ``text`` so that the letters of ordinals (``1er``, ``2e``) are superscript."""
    runs: list[Run] = []
    last = 0
    for match in _ORDINAL.finditer(text):
        runs.append(Run(text[last : match.end(1)], strong, emphasis))
        runs.append(Run(match.group(2), strong, emphasis, superscript=True))
        last = match.end()
    if last < len(text) or not runs:
        runs.append(Run(text[last:], strong, emphasis))
    return tuple(r for r in runs if r.text) or (Run(text, strong, emphasis),)


def inline(*parts: str | Run) -> Inline:
    """Build inline text from plain strings and runs (ordinals in strings raised)."""
    runs: list[Run] = []
    for part in parts:
        if isinstance(part, Run):
            runs.append(part)
        else:
            runs.extend(ordinal_runs(part))
    return tuple(runs)


@dataclass(frozen=True, slots=True)
class Paragraph:
    runs: Inline
    style: Literal["body", "lead", "note", "source"] = "body"


@dataclass(frozen=True, slots=True)
class BulletList:
    items: tuple[Inline, ...]
    style: Literal["bullet", "reasons", "actions", "numbered"] = "bullet"


@dataclass(frozen=True, slots=True)
class KeyFigure:
    """One headline figure of the commune (population, places per 100 children...)."""

    label: str
    value: str
    detail: str | None = None
    missing: bool = False
    unit: str = ""
    """The value's unit (« hab./km² »), set apart so that it is never split across lines."""


@dataclass(frozen=True, slots=True)
class KeyFigures:
    items: tuple[KeyFigure, ...]


@dataclass(frozen=True, slots=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[Inline, ...], ...]
    caption: str | None = None
    widths: tuple[int, ...] = ()
    """Share of the width of each column, in percent (multiples of 5); empty: even split."""


@dataclass(frozen=True, slots=True)
class Callout:
    """A framed box: reasons for this commune, a legal point, a warning."""

    title: str
    blocks: tuple[Block, ...]
    tone: Literal["info", "reasons", "law", "warning"] = "info"


@dataclass(frozen=True, slots=True)
class ExampleCard:
    """A real example from the knowledge base, with why it was chosen for this commune."""

    title: str
    place: str
    why_chosen: tuple[str, ...]
    facts: tuple[str, ...]
    levers: tuple[str, ...]
    distance: str | None = None
    source: str | None = None
    """For an example beyond fiche n° 15: says so and gives the addresses it was read on."""


@dataclass(frozen=True, slots=True)
class MapPoint:
    label: str
    longitude: float
    latitude: float
    role: Literal["commune", "exemple"]
    detail: str | None = None
    key: str | None = None  # short mark (the example's number) when the map is too crowded


@dataclass(frozen=True, slots=True)
class MapFrame:
    """One drawn frame: outlines (rings of (lon, lat)) and the points placed on them."""

    title: str
    outlines: tuple[tuple[tuple[float, float], ...], ...]
    highlighted: tuple[tuple[tuple[float, float], ...], ...]
    points: tuple[MapPoint, ...]
    bbox: tuple[float, float, float, float]  # lon_min, lat_min, lon_max, lat_max
    scale: float = 1.0  # drawn height relative to the tallest frame (an inset: 0.5)


@dataclass(frozen=True, slots=True)
class LegendItem:
    role: Literal["commune", "exemple", "highlighted"]
    label: str


@dataclass(frozen=True, slots=True)
class MapFigure:
    frames: tuple[MapFrame, ...]
    legend: tuple[LegendItem, ...]
    alt_text: str
    caption: str


@dataclass(frozen=True, slots=True)
class Section:
    """A titled part of the fiche; ``level`` 1 for main sections, 2 and 3 below."""

    id: str
    title: str
    level: int
    blocks: tuple[Block, ...]


Block = Paragraph | BulletList | KeyFigures | Table | Callout | ExampleCard | MapFigure | Section


@dataclass(frozen=True, slots=True)
class Document:
    """The complete fiche, ready for any renderer."""

    title: str
    theme: str
    fiche_number: str
    commune_name: str
    commune_code: str
    departement_label: str
    date_text: str
    date_iso: str
    sections: tuple[Section, ...]
    author: str
    subject: str
    keywords: tuple[str, ...] = ()
    lang: str = "fr"
    generator: str = ""
    header_text: str = ""
    """Running header: the fiche and the commune."""
    footer_text: str = ""
    """The author line (« Préparée par … »), on the cover and in the running header."""
