"""A picture of the DOCX: its kind and size read from its header, and its inline drawing.

Only what the map needs: JPEG (JFIF) and PNG pictures placed inline at a given width,
the height following the picture's proportions, computed as Word and python-docx do
(pixels and the dots per inch of the file, 72 when it gives none).
"""

from __future__ import annotations

import struct
from typing import NamedTuple

from fichegen.errors import RenderError
from fichegen.renderers.docx_xml import escape_attr

__all__ = ["Picture", "inline_drawing", "read_picture"]

EMU_PER_INCH = 914400
_JPEG_SOF = frozenset(
    {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
)
_A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
_PIC_NS = "http://schemas.openxmlformats.org/drawingml/2006/picture"


class Picture(NamedTuple):
    """A picture's bytes with what the package needs to know of it."""

    data: bytes
    ext: str  # "jpg" or "png": the part name's extension
    content_type: str
    px_width: int
    px_height: int
    horz_dpi: int
    vert_dpi: int

    def height_for(self, width_emu: int) -> int:
        """The height (EMU) of the picture shown ``width_emu`` wide, proportions kept."""
        native_width = int(self.px_width / self.horz_dpi * EMU_PER_INCH)
        native_height = int(self.px_height / self.vert_dpi * EMU_PER_INCH)
        return round(native_height * (float(width_emu) / float(native_width)))


def _jfif_dpi(units: int, density: int) -> int:
    if units == 1:
        return density
    if units == 2:
        return round(density * 2.54)
    return 72


def _jpeg(data: bytes) -> Picture:
    """Size from the first start-of-frame marker, resolution from the JFIF APP0 marker."""
    position, size, dpi = 2, None, (72, 72)
    while position + 4 <= len(data) and size is None:
        if data[position] != 0xFF:
            break
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        (length,) = struct.unpack_from(">H", data, position + 2)
        segment = position + 4
        if marker == 0xE0 and data[segment : segment + 5] == b"JFIF\x00" and length >= 14:
            units, x_density, y_density = struct.unpack_from(">BHH", data, segment + 7)
            dpi = (_jfif_dpi(units, x_density), _jfif_dpi(units, y_density))
        elif marker in _JPEG_SOF:
            height, width = struct.unpack_from(">HH", data, segment + 1)
            size = (width, height)
        elif marker == 0xDA:  # start of scan: no frame header before it
            break
        position = segment + length - 2
    if size is None:
        raise RenderError("image JPEG illisible : dimensions introuvables")
    return Picture(data, "jpg", "image/jpeg", size[0], size[1], dpi[0] or 72, dpi[1] or 72)


def _png(data: bytes) -> Picture:
    """Size from the IHDR chunk, resolution from the pHYs chunk when it is in metres."""
    width, height = struct.unpack_from(">II", data, 16)
    dpi = (72, 72)
    position = 8
    while position + 8 <= len(data):
        length, kind = struct.unpack_from(">I4s", data, position)
        if kind == b"pHYs":
            x_ppu, y_ppu, units = struct.unpack_from(">IIB", data, position + 8)
            if units == 1:
                dpi = (
                    round(x_ppu * 0.0254) if x_ppu else 72,
                    round(y_ppu * 0.0254) if y_ppu else 72,
                )
            break
        if kind in (b"IDAT", b"IEND"):
            break
        position += 12 + length
    return Picture(data, "png", "image/png", width, height, dpi[0] or 72, dpi[1] or 72)


def read_picture(data: bytes) -> Picture:
    """The picture held by ``data`` (JPEG or PNG); RenderError for anything else."""
    if data.startswith(b"\xff\xd8\xff"):
        return _jpeg(data)
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        return _png(data)
    raise RenderError("image de la carte dans un format inattendu (JPEG ou PNG attendu)")


def inline_drawing(
    picture: Picture, *, shape_id: int, rel_id: str, width_emu: int, descr: str, title: str
) -> str:
    """The ``w:drawing`` showing ``picture`` inline, ``width_emu`` wide, with its alt text
    (``descr``) and title; ``rel_id`` is the relationship of the picture's part."""
    cx, cy = width_emu, picture.height_for(width_emu)
    descr, title = escape_attr(descr), escape_attr(title)
    return (
        f'<w:drawing><wp:inline xmlns:a="{_A_NS}" xmlns:pic="{_PIC_NS}">'
        f'<wp:extent cx="{cx}" cy="{cy}"/>'
        f'<wp:docPr id="{shape_id}" name="Picture {shape_id}" descr="{descr}" title="{title}"/>'
        '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
        f'<a:graphic><a:graphicData uri="{_PIC_NS}"><pic:pic><pic:nvPicPr>'
        f'<pic:cNvPr id="0" name="image.{picture.ext}" descr="{descr}"/><pic:cNvPicPr/>'
        f'</pic:nvPicPr><pic:blipFill><a:blip r:embed="{rel_id}"/>'
        "<a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm>"
        f'<a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"/>'
        "</pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing>"
    )
