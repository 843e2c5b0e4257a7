"""The map's outlines as a picture, drawn once per process and per frame.

The land and département outlines of a frame are the same for every fiche of a région, and
they are the costly part of the map (thousands of vertices that WeasyPrint would otherwise
draw one by one for every PDF). They are painted here with Pillow, supersampled then
box-reduced, at :data:`PRINT_DPI` across the printed width; the SVG places that picture
under the vector title, markers and labels, and the PNG (DOCX) pastes it under the same.

Drawing a frame costs most of a second, and the frames are the same in every process: each
picture is also kept in the cache folder that outlives the process (``cartes/`` of
:mod:`fichegen.disk_cache`), named by a digest of everything that shapes it (the frame's
key, size, resolution, Pillow's version, the code): a picture found there costs no
projection of the outlines. A cache that cannot be read or written is simply not
used; ``FICHEGEN_CACHE=off`` turns it off.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import math
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from fichegen import disk_cache
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


@cache
def _cache_dir() -> Path | None:
    return disk_cache.cache_folder("cartes")


def _cache_name(base: FrameBase, *parts: object) -> str:
    """A digest of everything that shapes the picture: the frame's key (its outlines,
    projection and the code that projects them), how it is painted (this module's code,
    Pillow's version, resolution and encoding)."""
    import PIL

    settings = repr((parts, PIL.__version__, _SUPERSAMPLE, sorted(_JPEG.items()), WHITE))
    described = f"{base.key}|{base.x}|{base.y}|{base.w}|{base.h}|{settings}".encode()
    return hashlib.sha256(_code_digest() + described).hexdigest()[:32]


@cache
def _code_digest() -> bytes:
    return hashlib.sha256(Path(__file__).read_bytes()).digest()


def _cached(name: str) -> bytes | None:
    return disk_cache.read(_cache_dir(), name)


def _keep(name: str, data: bytes) -> None:
    disk_cache.keep(_cache_dir(), name, data)


@lru_cache(maxsize=24)
def frame_raster(base: FrameBase, px_per_unit: float, supersample: int = _SUPERSAMPLE) -> Any:
    """The frame's background as an RGB Pillow image, ``px_per_unit`` pixels per map unit
    (from the cache folder when it holds it; kept there as PNG otherwise).

    Drawn ``supersample`` times larger then box-reduced (anti-aliased edges); the pixel
    grid starts at the frame's top-left corner (``base.x``, ``base.y``).
    """
    from PIL import Image

    name = _cache_name(base, "png", px_per_unit, supersample) + ".png"
    data = _cached(name)
    if data is not None:
        with contextlib.suppress(OSError, ValueError, SyntaxError):
            image = Image.open(io.BytesIO(data))
            image.load()
            if image.size == raster_size(base, px_per_unit) and image.mode == "RGB":
                return image
    image = _draw_frame(base, px_per_unit, supersample)
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)
    _keep(name, out.getvalue())
    return image


def _draw_frame(base: FrameBase, px_per_unit: float, supersample: int) -> Any:
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
    with a name derived from its content (kept in the cache folder too)."""
    name = _cache_name(base, "jpeg", PRINT_PX_PER_UNIT) + ".jpg"
    cached = _cached(name)
    if cached is not None and cached.startswith(b"\xff\xd8") and cached.endswith(b"\xff\xd9"):
        data = cached
    else:
        out = io.BytesIO()
        _draw_frame(base, PRINT_PX_PER_UNIT, _SUPERSAMPLE).save(out, **_JPEG)
        data = out.getvalue()
        _keep(name, data)
    return data, f"map-{hashlib.sha256(data).hexdigest()[:20]}.jpg"


@lru_cache(maxsize=24)
def frame_data_uri(base: FrameBase) -> str:
    """The print raster as a ``data:`` URI, for the standalone HTML page."""
    data, _name = frame_jpeg(base)
    return "data:image/jpeg;base64," + base64.b64encode(data).decode("ascii")
