"""The map's outlines as a picture, drawn once per process and per frame.

The land and département outlines of a frame are the same for every fiche of a région, and
they are the costly part of the map (thousands of vertices that WeasyPrint would otherwise
draw one by one for every PDF). They are painted here with Pillow, supersampled then
box-reduced, at :data:`PRINT_DPI` across the printed width; the SVG places that picture
under the vector title, markers and labels, and the PNG (DOCX) pastes it under the same.
"""

from __future__ import annotations

import base64
import hashlib
import io
import math
from functools import lru_cache
from typing import Any

from fichegen.renderers.map_layout import MAP_WIDTH, WHITE, FrameBase, Poly, Rect

__all__ = [
    "PRINT_DPI",
    "PRINT_MM_PER_UNIT",
    "PRINT_PX_PER_UNIT",
    "frame_data_uri",
    "frame_jpeg",
    "frame_raster",
    "hex_rgb",
]

#: The map spans the text width of an A4 page (176 mm); its outlines are drawn at 360 dpi.
PRINT_DPI = 360
PRINT_MM_PER_UNIT = 176 / MAP_WIDTH
PRINT_PX_PER_UNIT = PRINT_DPI * PRINT_MM_PER_UNIT / 25.4
_SUPERSAMPLE = 3
_JPEG = {"format": "JPEG", "quality": 93, "subsampling": 0, "optimize": False}


def hex_rgb(color: str) -> tuple[int, int, int]:
    return (int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16))


def _draw(draw: Any, shape: Poly | Rect, k: float, x0: float, y0: float) -> None:
    if isinstance(shape, Poly):
        pts = [((x - x0) * k, (y - y0) * k) for x, y in shape.points]
        draw.polygon(pts, fill=hex_rgb(shape.fill))
        draw.line(
            [*pts, pts[0]], fill=hex_rgb(shape.stroke), width=round(shape.width * k), joint="curve"
        )
    else:
        right, bottom = (shape.x + shape.w - x0) * k - 1, (shape.y + shape.h - y0) * k - 1
        draw.rectangle(
            [((shape.x - x0) * k, (shape.y - y0) * k), (right, bottom)],
            fill=hex_rgb(shape.fill),
            outline=hex_rgb(shape.stroke),
            width=max(1, round(shape.width * k)),
        )


def raster_size(base: FrameBase, px_per_unit: float) -> tuple[int, int]:
    return (max(1, math.ceil(base.w * px_per_unit)), max(1, math.ceil(base.h * px_per_unit)))


@lru_cache(maxsize=24)
def frame_raster(base: FrameBase, px_per_unit: float, supersample: int = _SUPERSAMPLE) -> Any:
    """The frame's background as an RGB Pillow image, ``px_per_unit`` pixels per map unit.

    Drawn ``supersample`` times larger then box-reduced (anti-aliased edges); the pixel
    grid starts at the frame's top-left corner (``base.x``, ``base.y``).
    """
    from PIL import Image, ImageDraw

    width, height = raster_size(base, px_per_unit)
    image = Image.new("RGB", (width * supersample, height * supersample), WHITE)
    draw = ImageDraw.Draw(image)
    k = px_per_unit * supersample
    for shape in base.shapes:
        _draw(draw, shape, k, base.x, base.y)
    return image.reduce(supersample) if supersample > 1 else image


@lru_cache(maxsize=24)
def frame_jpeg(base: FrameBase) -> tuple[bytes, str]:
    """The print raster as JPEG (WeasyPrint embeds JPEG as is: no re-encoding per PDF),
    with a name derived from its content."""
    out = io.BytesIO()
    frame_raster(base, PRINT_PX_PER_UNIT).save(out, **_JPEG)
    data = out.getvalue()
    return data, f"map-{hashlib.sha256(data).hexdigest()[:20]}.jpg"


@lru_cache(maxsize=24)
def frame_data_uri(base: FrameBase) -> str:
    """The print raster as a ``data:`` URI, for the standalone HTML page."""
    data, _name = frame_jpeg(base)
    return "data:image/jpeg;base64," + base64.b64encode(data).decode("ascii")
