"""Draw a MapFigure: one layout of shapes, written as inline SVG or as a PNG (Pillow).

The layout (projection, frames side by side, label placement, legend) is computed once in
abstract units; :func:`map_svg` and :func:`map_png` only serialize it, so both formats show
the same map. No network, no tiles: only the outlines carried by the model.
"""

from __future__ import annotations

import io
import math
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from fichegen.document.model import MapFigure
from fichegen.renderers.map_layout import (
    MAP_WIDTH,
    WHITE,
    Circle,
    Line,
    Poly,
    Rect,
    Shape,
    layout,
    point_text,
)
from fichegen.resources import fonts_dir

__all__ = ["MAP_WIDTH", "map_png", "map_svg"]


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
    desc = figure.caption + " " + " ; ".join(point_text(p) for p in points)
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
