"""The map's layout: frames side by side, projected outlines, markers, labels, legend.

Computed once in abstract units (``MAP_WIDTH`` across) as a list of shapes, so that the
SVG and PNG writers of :mod:`fichegen.renderers.map` draw exactly the same map.
"""

from __future__ import annotations

import hashlib
import marshal
import math
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Literal

from fichegen.document.model import MapFigure, MapFrame, MapPoint
from fichegen.renderers.map_labels import (
    Box,
    Placed,
    Request,
    place_labels,
    place_marks,
    text_width,
)

__all__ = [
    "MAP_WIDTH",
    "Circle",
    "FrameBase",
    "Layout",
    "Line",
    "Poly",
    "Rect",
    "Shape",
    "Text",
    "layout",
    "point_text",
]

MAP_WIDTH = 1000.0
_GAP = 24.0
_TITLE_H = 30.0
_MAX_FRAME_H = 640.0
_LABEL_SIZE = 17.0
_DESCENT_ROOM = 0.6  # below the last line of the legend, in font sizes
_TITLE_SIZE = 18.0

INK = "#17324d"
MUTED = "#5b6b7a"
LAND = "#eef1f4"
LAND_EDGE = "#9aa8b6"
HIGHLIGHT = "#cfe6e3"
HIGHLIGHT_EDGE = "#127a72"
COMMUNE = "#c8553d"
EXAMPLE = "#17324d"
WHITE = "#ffffff"


@dataclass(frozen=True, slots=True)
class Poly:
    points: tuple[tuple[float, float], ...]
    fill: str
    stroke: str
    width: float


@dataclass(frozen=True, slots=True)
class Circle:
    cx: float
    cy: float
    r: float
    fill: str
    stroke: str
    width: float


@dataclass(frozen=True, slots=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str
    stroke: str
    width: float


@dataclass(frozen=True, slots=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str
    width: float


@dataclass(frozen=True, slots=True)
class Text:
    x: float
    y: float
    text: str
    size: float
    bold: bool
    anchor: Literal["start", "middle", "end"]
    fill: str
    halo: bool = False


Shape = Poly | Circle | Rect | Line | Text


Ring = tuple[tuple[float, float], ...]
Projection = tuple[float, float, float, float, float, float]  # off_x, off_y, cos0, k, lon0, lat1


@dataclass(frozen=True, slots=True)
class FrameBase:
    """A frame's background (white box, land, highlighted outlines) at (x, y), w x h.

    ``key`` is a digest of everything that shapes it (outlines, box, projection and the
    code of this module): it names the frame's picture in the cache folder, so a picture
    already kept costs no projection. :attr:`shapes` are projected on first use only.
    """

    x: float
    y: float
    w: float
    h: float
    key: str
    source: tuple[tuple[Ring, ...], tuple[Ring, ...], Projection] = field(compare=False, repr=False)

    @property
    def shapes(self) -> tuple[Poly | Rect, ...]:
        """The white box, then the land and highlighted outlines as polygons."""
        shapes = _SHAPES.get(self.key)
        if shapes is None:
            shapes = _project_base(self)
            if len(_SHAPES) >= 8:
                del _SHAPES[next(iter(_SHAPES))]
            _SHAPES[self.key] = shapes
        return shapes


_SHAPES: dict[str, tuple[Poly | Rect, ...]] = {}


@dataclass(frozen=True, slots=True)
class Layout:
    width: float
    height: float
    bases: tuple[FrameBase, ...]
    shapes: tuple[Shape, ...]


def _aspect(frame: MapFrame) -> float:
    lon_min, lat_min, lon_max, lat_max = frame.bbox
    lat0 = math.radians((lat_min + lat_max) / 2)
    return max((lon_max - lon_min) * math.cos(lat0), 1e-6) / max(lat_max - lat_min, 1e-6)


def _marker_size(point: MapPoint) -> float:
    """Half the painted extent of the point's marker (see :func:`_marker`), stroke included:
    no label may be drawn over any dot."""
    return {"commune": 14.0, "highlighted": 12.0}.get(point.role, 7.5)


def point_text(point: MapPoint) -> str:
    return f"{point.label} · {point.detail}" if point.detail else point.label


_MIN_STEP = 0.75  # map units (MAP_WIDTH = 1000 across the page): about 0.13 mm on paper


def _decimate(points: list[tuple[float, float]]) -> tuple[tuple[float, float], ...]:
    """Drop vertices closer than :data:`_MIN_STEP` to the last kept one: invisible at print
    size (the outlines are drawn once per process into a raster, see ``map_raster``)."""
    kept = points[:1]
    for x, y in points[1:]:
        last_x, last_y = kept[-1]
        if abs(x - last_x) + abs(y - last_y) >= _MIN_STEP:
            kept.append((x, y))
    return tuple(kept)


@cache
def _code_digest() -> bytes:
    """This module's source: how outlines become shapes is part of every frame's key."""
    return hashlib.sha256(Path(__file__).read_bytes()).digest()


def _frame_base(
    outlines: tuple[Ring, ...],
    highlighted: tuple[Ring, ...],
    bbox: tuple[float, float, float, float],
    box: tuple[float, float, float, float],
) -> tuple[FrameBase, Projection]:
    """The background of one frame in ``box`` (x, y, w, h), and its projection. Its key
    costs a millisecond (a digest of the outlines); the projected outlines are computed
    only if its picture must be drawn (see :attr:`FrameBase.shapes`)."""
    x0, y0, w, h = box
    lon_min, lat_min, lon_max, lat_max = bbox
    cos0 = math.cos(math.radians((lat_min + lat_max) / 2))
    scale = min(w / max((lon_max - lon_min) * cos0, 1e-6), h / max(lat_max - lat_min, 1e-6))
    off_x = x0 + (w - (lon_max - lon_min) * cos0 * scale) / 2
    off_y = y0 + (h - (lat_max - lat_min) * scale) / 2
    projection = (off_x, off_y, cos0, scale, lon_min, lat_max)
    # marshal version 2 writes no back-references: the bytes depend on the values only
    described = marshal.dumps((outlines, highlighted, bbox, box, projection), 2)
    key = hashlib.sha256(_code_digest() + described).hexdigest()[:32]
    base = FrameBase(x0, y0 - _TITLE_H, w, h + _TITLE_H, key, (outlines, highlighted, projection))
    return base, projection


def _project_base(base: FrameBase) -> tuple[Poly | Rect, ...]:
    outlines, highlighted, projection = base.source
    shapes: list[Poly | Rect] = [Rect(base.x, base.y, base.w, base.h, WHITE, "#d5dbe2", 1.0)]
    for rings, fill, edge, width in (
        (outlines, LAND, LAND_EDGE, 1.2),
        (highlighted, HIGHLIGHT, HIGHLIGHT_EDGE, 1.6),
    ):
        for ring in rings:
            points = _decimate([_project(projection, lon, lat) for lon, lat in ring])
            if len(points) >= 3:
                shapes.append(Poly(points, fill, edge, width))
    return tuple(shapes)


def _project(projection: Projection, lon: float, lat: float) -> tuple[float, float]:
    off_x, off_y, cos0, scale, lon_min, lat_max = projection
    return (
        round(off_x + (lon - lon_min) * cos0 * scale, 1),
        round(off_y + (lat_max - lat) * scale, 1),
    )


def _frame_overlay(
    frame: MapFrame, projection: Projection, box: tuple[float, float, float, float]
) -> tuple[list[Shape], list[str]]:
    """Title, markers and labels of one frame; and the labels sent to the numbered list
    when the frame is too crowded to label every point in full."""
    x0, y0, w, h = box
    shapes: list[Shape] = [Text(x0 + 10, y0 - 9, frame.title, _TITLE_SIZE, True, "start", INK)]
    area: Box = (x0 + 3, y0 + 1, x0 + w - 3, y0 + h - 3)
    projected = [(p, *_project(projection, p.longitude, p.latitude)) for p in frame.points]
    markers: list[Box] = [
        (px - _marker_size(p), py - _marker_size(p), px + _marker_size(p), py + _marker_size(p))
        for p, px, py in projected
    ]
    # The commune is labelled first so it gets the best place.
    ordered = sorted(projected, key=lambda item: item[0].role != "commune")
    full = [
        Request(px, py, _marker_size(p), point_text(p), _LABEL_SIZE, p.role == "commune")
        for p, px, py in ordered
    ]
    taken = list(markers)
    placed = place_labels(full, area, taken)
    listed: list[str] = []
    pairs: list[tuple[Request, Placed]]
    if placed is None:  # crowded: numbers beside the examples, the commune by name if it fits
        taken = list(markers)
        pairs = []
        for point, req in zip((item[0] for item in ordered), full, strict=True):
            if point.role == "commune":
                own = place_labels([req], area, taken)
                pairs.extend((req, spot) for spot in own or ())
                continue
            listed.append(point_text(point))
            mark = Request(req.x, req.y, req.radius, point.key or point.label, req.size, True)
            pairs.append((mark, place_marks([mark], area, taken)[0]))
    else:
        pairs = list(zip(full, placed, strict=True))
    for req, spot in pairs:
        if spot.lead:
            shapes.append(Line(req.x, req.y, spot.x, spot.y - req.size / 3, MUTED, 1.0))
        shapes.append(Text(spot.x, spot.y, req.text, req.size, req.bold, spot.anchor, INK, True))
    for point, px, py in sorted(projected, key=lambda item: item[0].role == "commune"):
        shapes.extend(_marker(point.role, px, py))
    return shapes, listed


def _marker(role: str, x: float, y: float) -> list[Shape]:
    if role == "commune":
        return [
            Circle(x, y, 13.0, "#f4d6cf", COMMUNE, 1.0),
            Circle(x, y, 7.0, COMMUNE, WHITE, 2.0),
        ]
    if role == "highlighted":
        return [Rect(x - 11, y - 8, 22, 16, HIGHLIGHT, HIGHLIGHT_EDGE, 1.6)]
    return [Circle(x, y, 6.0, EXAMPLE, WHITE, 2.0)]


def _legend(figure: MapFigure, top: float, listed: list[str]) -> tuple[list[Shape], float]:
    """The symbol legend (wrapped to the width), then the numbered list if any; the shapes
    and the y just below them."""
    shapes: list[Shape] = []
    line = _LABEL_SIZE * 1.45
    x, y = 10.0, top + _LABEL_SIZE
    for item in figure.legend:
        advance = 32 + text_width(item.label, _LABEL_SIZE) + 30
        if x > 10.0 and x + advance - 30 > MAP_WIDTH:
            x, y = 10.0, y + line + 4
        shapes.extend(_marker(item.role, x + 12, y - 6))
        shapes.append(Text(x + 32, y, item.label, _LABEL_SIZE, False, "start", INK))
        x += advance
    if listed:
        column = max(text_width(text, _LABEL_SIZE) for text in listed) + 30
        columns = max(1, min(3, int((MAP_WIDTH - 10) // column)))
        rows = math.ceil(len(listed) / columns)
        y += line * 0.5
        for index, text in enumerate(listed):
            col, row = divmod(index, rows)
            ty = y + line * (row + 1)
            shapes.append(Text(10 + col * column, ty, text, _LABEL_SIZE, False, "start", INK))
        y += line * rows
    return shapes, y + _LABEL_SIZE * _DESCENT_ROOM


@lru_cache(maxsize=16)
def _layout_cached(figure: MapFigure) -> Layout:
    frames = figure.frames
    heights = [frame.scale for frame in frames] or [1.0]
    aspects = [_aspect(frame) for frame in frames] or [1.0]
    usable = MAP_WIDTH - _GAP * (len(aspects) - 1)
    frame_h = min(_MAX_FRAME_H, usable / sum(a * f for a, f in zip(aspects, heights, strict=True)))
    widths = [a * f * frame_h for a, f in zip(aspects, heights, strict=True)]
    total = sum(widths) + _GAP * (len(widths) - 1)
    x = (MAP_WIDTH - total) / 2
    bases: list[FrameBase] = []
    shapes: list[Shape] = []
    listed: list[str] = []
    for frame, w, f in zip(frames, widths, heights, strict=False):
        box = (round(x, 2), _TITLE_H, round(w, 2), round(f * frame_h, 2))
        base, projection = _frame_base(frame.outlines, frame.highlighted, frame.bbox, box)
        bases.append(base)
        overlay, crowded = _frame_overlay(frame, projection, box)
        shapes.extend(overlay)
        listed.extend(text for text in crowded if text not in listed)
        x += w + _GAP
    legend, bottom = _legend(figure, _TITLE_H + frame_h + 10, listed)
    shapes.extend(legend)
    return Layout(MAP_WIDTH, round(bottom, 2), tuple(bases), tuple(shapes))


#: The last figures laid out, by identity: hashing a figure (its outlines hold tens of
#: thousands of points) for the equality cache costs milliseconds, and the PDF, HTML and
#: DOCX writers each ask for the layout of the same figure object.
_RECENT: dict[int, tuple[MapFigure, Layout]] = {}


def layout(figure: MapFigure) -> Layout:
    """The map in abstract units (width :data:`MAP_WIDTH`): the frames' outlines (``bases``,
    the same for every fiche of a région) and what is drawn over them (``shapes``)."""
    recent = _RECENT.get(id(figure))
    if recent is not None and recent[0] is figure:
        return recent[1]
    drawn = _layout_cached(figure)
    if len(_RECENT) >= 8:
        del _RECENT[next(iter(_RECENT))]
    _RECENT[id(figure)] = (figure, drawn)
    return drawn
