"""Draw a MapFigure: one layout of shapes, written as inline SVG or as a PNG (Pillow).

The layout (projection, frames side by side, label placement, legend) is computed once in
abstract units; :func:`map_svg` and :func:`map_png` only serialize it, so both formats show
the same map. No network, no tiles: only the outlines carried by the model.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal
from xml.sax.saxutils import escape, quoteattr

from fichegen.model import MapFigure, MapFrame, MapPoint
from fichegen.resources import fonts_dir

__all__ = ["MAP_WIDTH", "map_png", "map_svg"]

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


def _point_text(point: MapPoint) -> str:
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
        text = _point_text(point)
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


def _num(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _svg_shape(shape: Shape) -> str:
    if isinstance(shape, Poly):
        pts = " ".join(f"{_num(x)},{_num(y)}" for x, y in shape.points)
        return (
            f'<polygon points="{pts}" fill="{shape.fill}" stroke="{shape.stroke}" '
            f'stroke-width="{_num(shape.width)}" stroke-linejoin="round"/>'
        )
    if isinstance(shape, Circle):
        return (
            f'<circle cx="{_num(shape.cx)}" cy="{_num(shape.cy)}" r="{_num(shape.r)}" '
            f'fill="{shape.fill}" stroke="{shape.stroke}" stroke-width="{_num(shape.width)}"/>'
        )
    if isinstance(shape, Rect):
        return (
            f'<rect x="{_num(shape.x)}" y="{_num(shape.y)}" width="{_num(shape.w)}" '
            f'height="{_num(shape.h)}" fill="{shape.fill}" stroke="{shape.stroke}" '
            f'stroke-width="{_num(shape.width)}"/>'
        )
    if isinstance(shape, Line):
        return (
            f'<line x1="{_num(shape.x1)}" y1="{_num(shape.y1)}" x2="{_num(shape.x2)}" '
            f'y2="{_num(shape.y2)}" stroke="{shape.stroke}" stroke-width="{_num(shape.width)}"/>'
        )
    weight = ' font-weight="600"' if shape.bold else ""
    attrs = (
        f'x="{_num(shape.x)}" y="{_num(shape.y)}" font-size="{_num(shape.size)}"'
        f'{weight} text-anchor="{shape.anchor}"'
    )
    text = escape(shape.text)
    # The halo is a separate white-stroked copy underneath (paint-order is not portable).
    halo = (
        f'<text {attrs} fill="#ffffff" stroke="#ffffff" stroke-width="4" '
        f'stroke-linejoin="round" aria-hidden="true">{text}</text>'
        if shape.halo
        else ""
    )
    return f'{halo}<text {attrs} fill="{shape.fill}">{text}</text>'


def map_svg(figure: MapFigure) -> str:
    """Inline vector SVG of the map, with its alt text as ``<title>`` and ``<desc>``."""
    drawn = layout(figure)
    points = [p for frame in figure.frames for p in frame.points]
    desc = figure.caption + " " + " ; ".join(_point_text(p) for p in points)
    body = "\n".join(_svg_shape(shape) for shape in drawn.shapes)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="map" role="img" '
        f'viewBox="0 0 {_num(drawn.width)} {_num(drawn.height)}" '
        f'width="{_num(drawn.width)}" height="{_num(drawn.height)}" '
        f"aria-label={quoteattr(figure.alt_text)} "
        f'font-family="Inter, Helvetica, Arial, sans-serif">\n'
        f"<title>{escape(figure.alt_text)}</title>\n<desc>{escape(desc.strip())}</desc>\n"
        f"{body}\n</svg>"
    )


def _hex(color: str) -> tuple[int, int, int]:
    return (int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16))


def _draw_rect(draw: Any, shape: Rect, k: float) -> None:
    draw.rectangle(
        [(shape.x * k, shape.y * k), ((shape.x + shape.w) * k, (shape.y + shape.h) * k)],
        fill=_hex(shape.fill),
        outline=_hex(shape.stroke),
        width=max(1, round(shape.width * k)),
    )


def _draw_poly(draw: Any, shape: Poly, k: float) -> None:
    pts = [(x * k, y * k) for x, y in shape.points]
    draw.polygon(pts, fill=_hex(shape.fill))
    draw.line([*pts, pts[0]], fill=_hex(shape.stroke), width=round(shape.width * k), joint="curve")


@lru_cache(maxsize=4)
def _base_layer(size: tuple[int, int], k: float, shapes: tuple[Poly | Rect, ...]) -> Any:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, WHITE)
    draw = ImageDraw.Draw(image)
    for shape in shapes:
        if isinstance(shape, Poly):
            _draw_poly(draw, shape, k)
        else:
            _draw_rect(draw, shape, k)
    return image


def map_png(figure: MapFigure, *, width_px: int = 1600) -> bytes:
    """The same map as a PNG ``width_px`` wide, supersampled 2x then box-reduced."""
    from PIL import ImageDraw, ImageFont

    if width_px < 50:
        raise ValueError("width_px must be at least 50")
    drawn = layout(figure)
    factor = 2
    k = width_px * factor / drawn.width
    size = (width_px * factor, factor * math.ceil(drawn.height * k / factor))
    # The outlines (leading polygons) are the slow part and are shared by every fiche of a
    # région or of metropolitan France: draw them once per process and reuse the picture.
    base_shapes: list[Poly | Rect] = []
    for shape in drawn.shapes:
        if not isinstance(shape, Poly | Rect):
            break
        base_shapes.append(shape)
    image = _base_layer(size, k, tuple(base_shapes)).copy()
    draw = ImageDraw.Draw(image)
    fonts: dict[tuple[float, bool], ImageFont.FreeTypeFont] = {}

    def font(px: float, bold: bool) -> ImageFont.FreeTypeFont:
        key = (px, bold)
        if key not in fonts:
            name = "Inter-SemiBold.otf" if bold else "Inter-Regular.otf"
            fonts[key] = ImageFont.truetype(str(fonts_dir() / name), max(1, round(px)))
        return fonts[key]

    for shape in drawn.shapes[len(base_shapes) :]:
        if isinstance(shape, Poly):
            _draw_poly(draw, shape, k)
        elif isinstance(shape, Circle):
            box = ((shape.cx - shape.r) * k, (shape.cy - shape.r) * k)
            end = ((shape.cx + shape.r) * k, (shape.cy + shape.r) * k)
            draw.ellipse(
                [box, end],
                fill=_hex(shape.fill),
                outline=_hex(shape.stroke),
                width=round(shape.width * k),
            )
        elif isinstance(shape, Rect):
            _draw_rect(draw, shape, k)
        elif isinstance(shape, Line):
            draw.line(
                [(shape.x1 * k, shape.y1 * k), (shape.x2 * k, shape.y2 * k)],
                fill=_hex(shape.stroke),
                width=round(shape.width * k),
            )
        else:
            anchor = {"start": "ls", "middle": "ms", "end": "rs"}[shape.anchor]
            draw.text(
                (shape.x * k, shape.y * k),
                shape.text,
                fill=_hex(shape.fill),
                font=font(shape.size * k, shape.bold),
                anchor=anchor,
                stroke_width=round(2 * k) if shape.halo else 0,
                stroke_fill=_hex(WHITE),
            )
    final = image.reduce(factor)  # box filter: plain 2x2 averaging, fast and sharp enough
    out = io.BytesIO()
    final.save(out, format="PNG", compress_level=3)
    return out.getvalue()
