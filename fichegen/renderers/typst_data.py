"""The document model as JSON data for the Typst template (never as Typst markup).

Every dataclass of :mod:`fichegen.document.model` becomes an object with its fields and a
``kind`` (the class name), walked generically: a new field or a new block of an existing
kind reaches the template without change here. The template turns strings into content
values, so nothing a user writes is ever parsed as Typst code. A few layout aids are added
next to the model's own fields, each computed from it without choosing content:

- ``rank``/``rest`` of a section title (« 2. » styled apart, as in the HTML);
- ``runs`` of texts the HTML also splits into ordinal runs (date, example facts);
- ``fractions``: a table's column shares (its own ``widths`` when the document sets them,
  else from the longest text of each column);
- ``drawing`` of a map: frame pictures (files in the compile root), vector marks as SVG
  text, labels with their position in millimetres on the page (the frames' raw outlines,
  drawn into those pictures, are left out).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import Any

from fichegen.document.model import Document, MapFigure, Run, Table, ordinal_runs
from fichegen.renderers.breaks import (
    CARD_HEAD_FACTS,
    keeps_box_whole,
    keeps_card_whole,
    keeps_table_whole,
)
from fichegen.renderers.map import overlay_svg
from fichegen.renderers.map_layout import FrameBase, Text, layout
from fichegen.renderers.map_raster import PRINT_MM_PER_UNIT

__all__ = ["column_widths", "document_data", "map_drawing"]

#: Longest text counted for a column's share of the width, and the padding added to each.
_WIDTH_CAP = 60
_WIDTH_PAD = 6
#: Raw geometry the template never reads (it draws ``drawing``): thousands of points.
_GEOMETRY = {"MapFrame": ("outlines", "highlighted")}
#: A lever title « 2. Ouvrir… »: the rank is styled apart (as in the HTML renderer).
_RANK = re.compile(r"^(\d{1,2}\.)\s+(.+)$", re.DOTALL)


def _text_length(cell: str | tuple[Run, ...]) -> int:
    if isinstance(cell, str):
        return len(cell)
    return sum(len(run.text) for run in cell)


def column_widths(table: Table) -> list[int]:
    """Relative widths of the columns: the longest text of each (capped), plus padding."""
    widths = []
    for index, title in enumerate(table.columns):
        cells = [row[index] for row in table.rows if index < len(row)]
        longest = max([len(title), *(_text_length(cell) for cell in cells)])
        widths.append(min(longest, _WIDTH_CAP) + _WIDTH_PAD)
    return widths


def map_drawing(figure: MapFigure, picture: Callable[[FrameBase], str]) -> dict[str, Any]:
    """The map as pictures (``picture`` gives each frame's file name), an SVG layer of
    marks and the labels, all in millimetres across the printed width."""
    drawn = layout(figure)
    mm = PRINT_MM_PER_UNIT
    return {
        "width": drawn.width * mm,
        "height": drawn.height * mm,
        "pictures": [
            {
                "file": picture(base),
                "x": base.x * mm,
                "y": base.y * mm,
                "w": base.w * mm,
                "h": base.h * mm,
            }
            for base in drawn.bases
        ],
        "overlay": overlay_svg(drawn),
        "labels": [
            {
                "text": shape.text,
                "x": shape.x * mm,
                "y": shape.y * mm,
                "size": shape.size * mm,
                "bold": shape.bold,
                "anchor": shape.anchor,
                "fill": shape.fill,
            }
            for shape in drawn.shapes
            if isinstance(shape, Text)
        ],
    }


def _value(value: object, picture: Callable[[FrameBase], str]) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _object(value, picture)
    if isinstance(value, tuple | list):
        return [_value(item, picture) for item in value]
    return value


def _runs(text: str) -> list[dict[str, Any]]:
    return [_object(run, None) for run in ordinal_runs(text)]


def _object(value: Any, picture: Callable[[FrameBase], str] | None) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": type(value).__name__}
    for field in dataclasses.fields(value):
        if field.name in _GEOMETRY.get(out["kind"], ()):
            continue
        out[field.name] = _value(getattr(value, field.name), picture)  # type: ignore[arg-type]
    kind = out["kind"]
    if kind == "Section":
        match = _RANK.match(value.title)
        out["rank"], out["rest"] = match.groups() if match else ("", value.title)
    elif kind == "Table":
        out["fractions"] = list(value.widths) or column_widths(value)
        out["keep"] = keeps_table_whole(value)
    elif kind == "Callout":
        out["keep"] = keeps_box_whole(value)
    elif kind == "ExampleCard":
        out["fact_runs"] = [_runs(fact) for fact in value.facts]
        out["keep"] = keeps_card_whole(value)
        out["head_facts"] = CARD_HEAD_FACTS
    elif kind == "MapFigure" and picture is not None:
        out["drawing"] = map_drawing(value, picture)
    return out


def document_data(doc: Document, picture: Callable[[FrameBase], str]) -> dict[str, Any]:
    """The whole document as JSON-ready data, with the layout aids described above."""
    data = _object(doc, picture)
    data["date_runs"] = _runs(doc.date_text)
    return data
