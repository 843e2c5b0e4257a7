"""The map's layout: frames side by side, projected outlines, markers, labels, legend.

Computed once in abstract units (``MAP_WIDTH`` across) as a list of shapes, so that the
SVG and PNG writers of :mod:`fichegen.renderers.map` draw exactly the same map.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from fichegen.document.model import MapFigure, MapFrame, MapPoint

__all__ = [
    "MAP_WIDTH",
    "Circle",
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
_LEGEND_H = 44.0
_MAX_FRAME_H = 640.0
_LABEL_SIZE = 17.0
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


@dataclass(frozen=True, slots=True)
class Layout:
    width: float
    height: float
    shapes: tuple[Shape, ...]


def _text_width(text: str, size: float, bold: bool = False) -> float:
    """Estimated advance width (Inter averages about 0.56 em per character)."""
    return len(text) * size * (0.6 if bold else 0.56)


def _aspect(frame: MapFrame) -> float:
    lon_min, lat_min, lon_max, lat_max = frame.bbox
    lat0 = math.radians((lat_min + lat_max) / 2)
    return max((lon_max - lon_min) * math.cos(lat0), 1e-6) / max(lat_max - lat_min, 1e-6)


def _marker_size(point: MapPoint) -> float:
    return 9.0 if point.role == "commune" else 6.5


def point_text(point: MapPoint) -> str:
    return f"{point.label} · {point.detail}" if point.detail else point.label


Box = tuple[float, float, float, float]


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _place_label(
    x: float, y: float, text: str, bold: bool, area: Box, taken: list[Box]
) -> tuple[float, float, Literal["start", "end"], bool]:
    """Choose a label position next to (x, y) that overlaps nothing already drawn."""
    w = _text_width(text, _LABEL_SIZE, bold)
    h = _LABEL_SIZE
    candidates: list[tuple[float, float, Literal["start", "end"], bool]] = []
    for step in range(0, 9):
        lead = step >= 2
        for dy in (0.0,) if step == 0 else (step * h * 1.1, -step * h * 1.1):
            candidates.append((x + 12, y + 6 + dy, "start", lead))
            candidates.append((x - 12, y + 6 + dy, "end", lead))
    best: tuple[float, tuple[float, float, Literal["start", "end"], bool], Box] | None = None
    for cx, cy, anchor, lead in candidates:
        left = cx if anchor == "start" else cx - w
        box = (left - 2, cy - h, left + w + 2, cy + 4)
        outside = (
            max(0.0, area[0] - box[0])
            + max(0.0, box[2] - area[2])
            + max(0.0, area[1] - box[1])
            + max(0.0, box[3] - area[3])
        )
        clashes = sum(_overlaps(box, other) for other in taken)
        if not outside and not clashes:
            taken.append(box)
            return cx, cy, anchor, lead
        # No free spot: keep the least bad one (inside the frame first, then fewest overlaps).
        cost = outside * 10 + clashes
        if best is None or cost < best[0]:
            best = (cost, (cx, cy, anchor, lead), box)
    assert best is not None
    taken.append(best[2])
    return best[1]


_MIN_STEP = 1.5  # map units (MAP_WIDTH = 1000 across the page): about 0.25 mm on paper


def _decimate(points: list[tuple[float, float]]) -> tuple[tuple[float, float], ...]:
    """Drop vertices closer than :data:`_MIN_STEP` to the last kept one: invisible at print
    size, and far fewer points for WeasyPrint and Pillow to draw."""
    kept = points[:1]
    for x, y in points[1:]:
        last_x, last_y = kept[-1]
        if abs(x - last_x) + abs(y - last_y) >= _MIN_STEP:
            kept.append((x, y))
    return tuple(kept)


def _frame_shapes(frame: MapFrame, x0: float, y0: float, w: float, h: float) -> list[Shape]:
    lon_min, lat_min, lon_max, lat_max = frame.bbox
    cos0 = math.cos(math.radians((lat_min + lat_max) / 2))
    scale = min(w / max((lon_max - lon_min) * cos0, 1e-6), h / max(lat_max - lat_min, 1e-6))
    off_x = x0 + (w - (lon_max - lon_min) * cos0 * scale) / 2
    off_y = y0 + (h - (lat_max - lat_min) * scale) / 2

    def project(lon: float, lat: float) -> tuple[float, float]:
        return (
            round(off_x + (lon - lon_min) * cos0 * scale, 1),
            round(off_y + (lat_max - lat) * scale, 1),
        )

    shapes: list[Shape] = [Rect(x0, y0 - _TITLE_H, w, h + _TITLE_H, WHITE, "#d5dbe2", 1.0)]
    for rings, fill, edge, width in (
        (frame.outlines, LAND, LAND_EDGE, 1.2),
        (frame.highlighted, HIGHLIGHT, HIGHLIGHT_EDGE, 1.6),
    ):
        for ring in rings:
            points = _decimate([project(*p) for p in ring])
            if len(points) >= 3:
                shapes.append(Poly(points, fill, edge, width))
    shapes.append(Text(x0 + 10, y0 - 9, frame.title, _TITLE_SIZE, True, "start", INK))
    area: Box = (x0 + 4, y0 + 2, x0 + w - 4, y0 + h - 4)
    projected = [(point, *project(point.longitude, point.latitude)) for point in frame.points]
    taken: list[Box] = [
        (px - _marker_size(p), py - _marker_size(p), px + _marker_size(p), py + _marker_size(p))
        for p, px, py in projected
    ]
    # The commune is labelled first so it gets the best place.
    ordered = sorted(projected, key=lambda item: item[0].role != "commune")
    for point, px, py in ordered:
        text = point_text(point)
        bold = point.role == "commune"
        lx, ly, anchor, lead = _place_label(px, py, text, bold, area, taken)
        if lead:
            shapes.append(Line(px, py, lx, ly - _LABEL_SIZE / 3, MUTED, 1.0))
        shapes.append(Text(lx, ly, text, _LABEL_SIZE, bold, anchor, INK, halo=True))
    for point, px, py in sorted(projected, key=lambda item: item[0].role == "commune"):
        shapes.extend(_marker(point.role, px, py))
    return shapes


def _marker(role: str, x: float, y: float) -> list[Shape]:
    if role == "commune":
        return [
            Circle(x, y, 13.0, "#f4d6cf", COMMUNE, 1.0),
            Circle(x, y, 7.0, COMMUNE, WHITE, 2.0),
        ]
    if role == "highlighted":
        return [Rect(x - 11, y - 8, 22, 16, HIGHLIGHT, HIGHLIGHT_EDGE, 1.6)]
    return [Circle(x, y, 6.0, EXAMPLE, WHITE, 2.0)]


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
    shapes: list[Shape] = []
    for frame, w, f in zip(frames, widths, heights, strict=False):
        shapes.extend(_frame_shapes(frame, x, _TITLE_H, w, f * frame_h))
        x += w + _GAP
    legend_y = _TITLE_H + frame_h + 30
    lx = 10.0
    for item in figure.legend:
        shapes.extend(_marker(item.role, lx + 12, legend_y - 6))
        shapes.append(Text(lx + 32, legend_y, item.label, _LABEL_SIZE, False, "start", INK))
        lx += 32 + _text_width(item.label, _LABEL_SIZE) + 30
    height = legend_y + _LEGEND_H - 30
    return Layout(MAP_WIDTH, round(height, 2), tuple(shapes))


def layout(figure: MapFigure) -> Layout:
    """The map as shapes in abstract units (width :data:`MAP_WIDTH`)."""
    return _layout_cached(figure)
