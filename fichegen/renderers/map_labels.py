"""Label placement on the map: measured text, inside the frame, never over another label.

Widths are measured with the bundled Inter faces (the fonts the PDF and the PNG draw with),
so a label's box is the box that gets painted. :func:`place_labels` tries positions around
each marker, then further away with a leader line; when one label of a frame finds no free
spot inside the frame, the frame is *crowded*: its examples are marked by their number only
and the full labels go to a numbered list under the map (see :mod:`map_layout`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Literal

from fichegen.resources import fonts_dir

__all__ = [
    "Box",
    "Placed",
    "Request",
    "label_box",
    "overlaps",
    "place_labels",
    "place_marks",
    "text_width",
]

Box = tuple[float, float, float, float]  # left, top, right, bottom
Anchor = Literal["start", "middle", "end"]

#: Share of the font size above the baseline (Inter's cap height is 0.73 em) and below it.
_ASCENT = 0.76
_DESCENT = 0.22
#: Browsers may draw the standalone HTML with another sans-serif: keep some slack.
_SLACK = 1.06


@cache
def _font(bold: bool) -> object:
    from PIL import ImageFont

    name = "Inter-SemiBold.otf" if bold else "Inter-Regular.otf"
    return ImageFont.truetype(str(fonts_dir() / name), 200)


@lru_cache(maxsize=4096)
def text_width(text: str, size: float, bold: bool = False) -> float:
    """Advance width of ``text`` at ``size`` units, measured on the bundled Inter face."""
    # Measured as one line: Pillow's layout fails on a line break (free text may hold one).
    length = _font(bold).getlength(" ".join(text.split()))  # type: ignore[attr-defined]
    return float(length) * size / 200 * _SLACK


def overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _inside(box: Box, area: Box) -> bool:
    return box[0] >= area[0] and box[1] >= area[1] and box[2] <= area[2] and box[3] <= area[3]


@dataclass(frozen=True, slots=True)
class Placed:
    """A label's baseline point and anchor; ``lead`` when a leader line joins it to its marker."""

    x: float
    y: float
    anchor: Anchor
    lead: bool


@dataclass(frozen=True, slots=True)
class Request:
    x: float
    y: float
    radius: float
    text: str
    size: float
    bold: bool


def _box(x: float, y: float, anchor: Anchor, width: float, size: float) -> Box:
    left = x if anchor == "start" else x - width if anchor == "end" else x - width / 2
    return (left - 2, y - size * _ASCENT - 1, left + width + 2, y + size * _DESCENT + 1)


def label_box(x: float, y: float, anchor: Anchor, text: str, size: float, bold: bool) -> Box:
    """The box a label drawn with its baseline at (x, y) occupies (its background)."""
    return _box(x, y, anchor, text_width(text, size, bold), size)


def _candidates(req: Request) -> list[tuple[float, float, Anchor, bool]]:
    """Positions around the marker, nearest first, then further out with a leader line."""
    gap = req.radius + 4
    mid = req.size * (_ASCENT - _DESCENT) / 2  # baseline offset that centres the text
    up = -req.radius - 3 - req.size * _DESCENT
    down = req.radius + 3 + req.size * _ASCENT
    x, y = req.x, req.y
    near: list[tuple[float, float, Anchor, bool]] = [
        (x + gap, y + mid, "start", False),
        (x - gap, y + mid, "end", False),
        (x, y + up, "middle", False),
        (x, y + down, "middle", False),
        (x + gap * 0.7, y + up, "start", False),
        (x - gap * 0.7, y + up, "end", False),
        (x + gap * 0.7, y + down, "start", False),
        (x - gap * 0.7, y + down, "end", False),
    ]
    far: list[tuple[float, float, Anchor, bool]] = []
    for step in range(1, 4):  # further out, the label reads as another point's
        dy = step * req.size * 1.15
        for sign in (1, -1):
            far.append((x + gap + 6, y + mid + sign * dy, "start", True))
            far.append((x - gap - 6, y + mid + sign * dy, "end", True))
    return near + far


def place_labels(requests: list[Request], area: Box, taken: list[Box]) -> list[Placed] | None:
    """A free spot inside ``area`` for every label, in order, or None if one has none.

    ``taken`` holds the markers' boxes; placed labels are added to it.
    """
    placed: list[Placed] = []
    boxes = list(taken)
    for req in requests:
        width = text_width(req.text, req.size, req.bold)
        for cx, cy, anchor, lead in _candidates(req):
            box = _box(cx, cy, anchor, width, req.size)
            if _inside(box, area) and not any(overlaps(box, other) for other in boxes):
                boxes.append(box)
                placed.append(Placed(cx, cy, anchor, lead))
                break
        else:
            return None
    taken[:] = boxes
    return placed


def place_marks(requests: list[Request], area: Box, taken: list[Box]) -> list[Placed]:
    """Short marks (numbers) for a crowded frame: the freest spot inside the frame each.

    A mark that cannot avoid every other one still stays inside the frame, on the spot that
    overlaps the fewest (points closer than a digit's width cannot all be told apart).
    """
    placed: list[Placed] = []
    for req in requests:
        width = text_width(req.text, req.size, req.bold)
        best: tuple[int, Placed, Box] | None = None
        for cx, cy, anchor, lead in _candidates(req):
            box = _box(cx, cy, anchor, width, req.size)
            if not _inside(box, area):
                continue
            clashes = sum(overlaps(box, other) for other in taken)
            if best is None or clashes < best[0]:
                best = (clashes, Placed(cx, cy, anchor, lead), box)
            if clashes == 0:
                break
        if best is None:  # a point on the very edge: put the mark on the marker's right
            box = _box(req.x + req.radius + 4, req.y, "start", width, req.size)
            best = (0, Placed(req.x + req.radius + 4, req.y, "start", False), box)
        taken.append(best[2])
        placed.append(best[1])
    return placed
