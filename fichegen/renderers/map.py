"""Draw a MapFigure from one layout of shapes: SVG for HTML, HTML over a picture for PDF,
PNG or JPEG (Pillow) for DOCX.

The layout (projection, frames side by side, label placement, legend) is computed once in
abstract units (:mod:`fichegen.renderers.map_layout`); the writers here only serialize it,
so every format shows the same map. The frames' outlines are a picture prepared once per
process and frame (:mod:`fichegen.renderers.map_raster`); points and labels are drawn per
fiche. No network, no tiles: only the outlines carried by the model.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from fichegen.document.model import MapFigure
from fichegen.french.typography import NNBSP
from fichegen.renderers.map_labels import label_box, text_width
from fichegen.renderers.map_layout import (
    MAP_WIDTH,
    WHITE,
    Circle,
    FrameBase,
    Layout,
    Line,
    Poly,
    Rect,
    Shape,
    Text,
    layout,
    point_text,
)
from fichegen.renderers.map_raster import (
    PRINT_MM_PER_UNIT,
    frame_data_uri,
    frame_raster,
    hex_rgb,
)
from fichegen.resources import fonts_dir

__all__ = [
    "LABEL_OPACITY",
    "MAP_WIDTH",
    "map_jpeg",
    "map_png",
    "map_print_html",
    "map_svg",
    "overlay_svg",
]

LABEL_OPACITY = 0.82
#: Baseline below the top of a ``line-height: 1`` line of Inter (hhea 0.969 / -0.241 em).
_BASELINE = 0.8636
_SLACK = 1.06


def escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as entities (as ``xml.sax.saxutils.escape``, whose module
    would import ``urllib.request`` and ``http.client`` into every process)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def quoteattr(text: str) -> str:
    """The text as a quoted attribute value, as ``xml.sax.saxutils.quoteattr`` writes it."""
    text = escape(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in text:
        return f'"{text}"'
    return f"'{text}'" if "'" not in text else '"' + text.replace('"', "&quot;") + '"'


def _num(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _svg_shape(shape: Shape, *, with_text: bool = True) -> str:
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
    box = _label_background(shape) if shape.halo else ""
    if not with_text:
        return box
    weight = ' font-weight="600"' if shape.bold else ""
    return (
        f'{box}<text x="{_num(shape.x)}" y="{_num(shape.y)}" font-size="{_num(shape.size)}"'
        f'{weight} text-anchor="{shape.anchor}" fill="{shape.fill}">{escape(shape.text)}</text>'
    )


def _label_background(shape: Text) -> str:
    """A light box under a label drawn over the map, so it reads on any outline."""
    left, top, right, bottom = label_box(
        shape.x, shape.y, shape.anchor, shape.text, shape.size, shape.bold
    )
    return (
        f'<rect x="{_num(left)}" y="{_num(top)}" width="{_num(right - left)}" '
        f'height="{_num(bottom - top)}" rx="3" fill="#ffffff" fill-opacity="{LABEL_OPACITY}"/>'
    )


def _svg_image(base: FrameBase, href: str) -> str:
    return (
        f'<image x="{_num(base.x)}" y="{_num(base.y)}" width="{_num(base.w)}" '
        f'height="{_num(base.h)}" preserveAspectRatio="none" href={quoteattr(href)}/>'
    )


def _svg(figure: MapFigure, href: Callable[[FrameBase], str], *, with_text: bool) -> str:
    drawn = layout(figure)
    points = [p for frame in figure.frames for p in frame.points]
    # The caption names the commune: the description lists the examples once each (a point
    # drawn in two frames is not read twice), with French spacing before « ; ».
    listed = dict.fromkeys(point_text(p) for p in points if p.role != "commune")
    desc = figure.caption + " " + f"{NNBSP}; ".join(listed)
    body = "\n".join(
        [_svg_image(base, href(base)) for base in drawn.bases]
        + [_svg_shape(shape, with_text=with_text) for shape in drawn.shapes]
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="map" role="img" '
        f'viewBox="0 0 {_num(drawn.width)} {_num(drawn.height)}" '
        f'width="{_num(drawn.width)}" height="{_num(drawn.height)}" '
        f"aria-label={quoteattr(figure.alt_text)} "
        f'font-family="Inter, Helvetica, Arial, sans-serif">\n'
        f"<title>{escape(figure.alt_text)}</title>\n<desc>{escape(desc.strip())}</desc>\n"
        f"{body}\n</svg>"
    )


def map_svg(figure: MapFigure, *, href: Callable[[FrameBase], str] | None = None) -> str:
    """Inline SVG of the map, with its alt text as ``<title>`` and ``<desc>``.

    The outlines of each frame are a picture drawn once per process (see
    :mod:`~fichegen.renderers.map_raster`), referenced through ``href`` (by default a
    ``data:`` URI, so the SVG stands alone); titles, markers and labels stay vector.
    """
    return _svg(figure, href or frame_data_uri, with_text=True)


def overlay_svg(drawn: Layout) -> str:
    """The map's vector marks without the frames' pictures and without text (the labels'
    light boxes included): the layer an engine lays over the pictures and under its own text
    (the Typst renderer)."""
    body = "\n".join(_svg_shape(shape, with_text=False) for shape in drawn.shapes)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_num(drawn.width)} '
        f'{_num(drawn.height)}" width="{_num(drawn.width)}" height="{_num(drawn.height)}">'
        f"\n{body}\n</svg>"
    )


def _html_label(shape: Text, drawn: Layout) -> str:
    """A label as absolutely positioned HTML text, its baseline on (x, y) of the map."""
    left = 100 * shape.x / drawn.width
    top = 100 * (shape.y - shape.size * _BASELINE) / drawn.height
    if shape.anchor == "end":
        where = f"right:{_num(100 - left)}%"
    elif shape.anchor == "middle":
        width = text_width(shape.text, shape.size, shape.bold) / _SLACK
        where = f"left:{_num(100 * (shape.x - width / 2) / drawn.width)}%"
    else:
        where = f"left:{_num(left)}%"
    weight = "font-weight:600;" if shape.bold else ""
    return (
        f'<span style="{where};top:{_num(top)}%;{weight}'
        f'font-size:{shape.size * PRINT_MM_PER_UNIT:.3f}mm">{escape(shape.text)}</span>'
    )


def map_print_html(figure: MapFigure, *, href: Callable[[FrameBase], str]) -> str:
    """The map for the PDF: the same SVG without its text, and the text as HTML on top.

    WeasyPrint lays out SVG text one letter at a time (a Pango layout per character): the
    titles, labels and legend as ordinary text are several times cheaper, kerned and
    selectable. Sizes assume the map spans :data:`PRINT_MM_PER_UNIT` mm per unit (the
    text width of an A4 page).
    """
    drawn = layout(figure)
    labels = "".join(_html_label(shape, drawn) for shape in drawn.shapes if isinstance(shape, Text))
    return (
        f'<div class="map-canvas">{_svg(figure, href, with_text=False)}'
        f'<div class="map-labels">{labels}</div></div>'
    )


def _draw_shape(draw: Any, shape: Shape, k: float, font: Callable[[float, bool], Any]) -> None:
    if isinstance(shape, Poly):
        pts = [(x * k, y * k) for x, y in shape.points]
        draw.polygon(pts, fill=hex_rgb(shape.fill))
        draw.line([*pts, pts[0]], fill=hex_rgb(shape.stroke), width=round(shape.width * k))
    elif isinstance(shape, Circle):
        box = ((shape.cx - shape.r) * k, (shape.cy - shape.r) * k)
        end = ((shape.cx + shape.r) * k, (shape.cy + shape.r) * k)
        draw.ellipse(
            [box, end],
            fill=hex_rgb(shape.fill),
            outline=hex_rgb(shape.stroke),
            width=max(1, round(shape.width * k)),
        )
    elif isinstance(shape, Rect):
        draw.rectangle(
            [(shape.x * k, shape.y * k), ((shape.x + shape.w) * k, (shape.y + shape.h) * k)],
            fill=hex_rgb(shape.fill),
            outline=hex_rgb(shape.stroke),
            width=max(1, round(shape.width * k)),
        )
    elif isinstance(shape, Line):
        draw.line(
            [(shape.x1 * k, shape.y1 * k), (shape.x2 * k, shape.y2 * k)],
            fill=hex_rgb(shape.stroke),
            width=max(1, round(shape.width * k)),
        )
    else:
        if shape.halo:
            left, top, right, bottom = label_box(
                shape.x, shape.y, shape.anchor, shape.text, shape.size, shape.bold
            )
            draw.rounded_rectangle(
                [(left * k, top * k), (right * k, bottom * k)],
                radius=3 * k,
                fill=(255, 255, 255, round(255 * LABEL_OPACITY)),
            )
        anchor = {"start": "ls", "middle": "ms", "end": "rs"}[shape.anchor]
        draw.text(
            (shape.x * k, shape.y * k),
            shape.text,
            fill=hex_rgb(shape.fill),
            font=font(shape.size * k, shape.bold),
            anchor=anchor,
        )


@lru_cache(maxsize=16)
def _font(px: int, bold: bool) -> Any:
    from PIL import ImageFont

    name = "Inter-SemiBold.otf" if bold else "Inter-Regular.otf"
    return ImageFont.truetype(str(fonts_dir() / name), px)


@lru_cache(maxsize=64)
def _disc(r: float, fill: str, stroke: str, width: float, dx: float, dy: float) -> Any:
    """An anti-aliased marker disc (drawn 4x, box-reduced) and its mask; its top-left pixel
    sits at the centre minus ``ceil(r) + 1``, offset by (dx, dy) pixels (quarter steps)."""
    from PIL import Image, ImageDraw

    s = 4
    half = math.ceil(r) + 1
    side = 2 * half * s
    colour = Image.new("RGB", (side, side), hex_rgb(stroke))
    mask = Image.new("L", (side, side), 0)
    cx, cy = (half + dx) * s, (half + dy) * s
    outer = [(cx - r * s, cy - r * s), (cx + r * s, cy + r * s)]
    inner_r = max(0.0, r - width)
    inner = [(cx - inner_r * s, cy - inner_r * s), (cx + inner_r * s, cy + inner_r * s)]
    ImageDraw.Draw(colour).ellipse(inner, fill=hex_rgb(fill))
    ImageDraw.Draw(mask).ellipse(outer, fill=255)
    return colour.reduce(s), mask.reduce(s)


def _paste_disc(image: Any, shape: Circle, k: float) -> None:
    x, y = shape.cx * k, shape.cy * k
    ix, iy = math.floor(x), math.floor(y)
    dx, dy = round((x - ix) * 4) / 4, round((y - iy) * 4) / 4
    r = shape.r * k
    colour, mask = _disc(round(r * 4) / 4, shape.fill, shape.stroke, shape.width * k, dx, dy)
    half = math.ceil(round(r * 4) / 4) + 1
    image.paste(colour, (ix - half, iy - half), mask)


def _map_image(figure: MapFigure, width_px: int) -> Any:
    """The map as a Pillow image ``width_px`` wide: the cached outlines pasted, markers as
    anti-aliased discs, text anti-aliased by FreeType."""
    from PIL import Image, ImageDraw

    if width_px < 50:
        raise ValueError("width_px must be at least 50")
    drawn = layout(figure)
    k = width_px / drawn.width
    image = Image.new("RGB", (width_px, math.ceil(drawn.height * k)), WHITE)
    # The outlines are drawn once per process and frame (map_raster), then pasted.
    for base in drawn.bases:
        image.paste(frame_raster(base, k), (round(base.x * k), round(base.y * k)))
    draw = ImageDraw.Draw(image, "RGBA")  # blends the labels' translucent backgrounds
    for shape in drawn.shapes:
        if isinstance(shape, Circle):
            _paste_disc(image, shape, k)
        else:
            _draw_shape(draw, shape, k, lambda px, bold: _font(max(1, round(px)), bold))
    return image


def map_png(figure: MapFigure, *, width_px: int = 1600) -> bytes:
    """The same map as a PNG ``width_px`` wide."""
    out = io.BytesIO()
    _map_image(figure, width_px).save(out, format="PNG", compress_level=3)
    return out.getvalue()


def map_jpeg(figure: MapFigure, *, width_px: int = 1600) -> bytes:
    """The same map as a JPEG (quality 92, no chroma subsampling): encoded in a fifth of
    the PNG's time, for the DOCX, where the picture prints at about 210 dpi."""
    out = io.BytesIO()
    _map_image(figure, width_px).save(out, format="JPEG", quality=92, subsampling=0)
    return out.getvalue()
