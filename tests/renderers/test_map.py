"""The map: SVG structure and alt text, frames side by side, label escaping, PNG output."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image
from support_render import sample_map_figure

from fichegen.document.model import MapFigure, MapPoint
from fichegen.renderers.map import map_png, map_svg
from fichegen.renderers.map_labels import Box, label_box, overlaps
from fichegen.renderers.map_layout import Circle, Rect, Text, layout

SVG = "{http://www.w3.org/2000/svg}"


def test_svg_has_alt_text_points_and_legend() -> None:
    figure = sample_map_figure()
    root = ET.fromstring(map_svg(figure))
    assert root.findtext(f"{SVG}title") == figure.alt_text
    desc = root.findtext(f"{SVG}desc") or ""
    texts = [t.text for t in root.iter(f"{SVG}text")]
    for point in figure.frames[0].points:
        assert point.label in desc
        assert any(point.label in (t or "") for t in texts)
        if point.detail:
            assert any(point.detail in (t or "") for t in texts)
    for item in figure.legend:
        assert item.label in texts
    assert "France métropolitaine" in texts
    assert len(list(root.iter(f"{SVG}circle"))) >= len(figure.frames[0].points)


def test_projection_puts_north_up_and_east_right() -> None:
    shapes = layout(sample_map_figure()).shapes
    labels = {s.text.split(" · ")[0]: s for s in shapes if isinstance(s, Text)}
    anstaing, caylus, nancy = labels["Anstaing"], labels["3. Caylus"], labels["4. Nancy"]
    assert anstaing.y < nancy.y < caylus.y
    # Labels sit beside their markers; markers of examples are ordered west to east.
    circles = [s for s in shapes if isinstance(s, Circle) and s.r == 6.0]
    assert len(circles) == 4 + 1  # four examples and the legend symbol


def test_overseas_frame_is_drawn_beside_the_main_one() -> None:
    figure = sample_map_figure(overseas=True)
    frames = layout(figure).bases
    assert len(frames) == 2
    assert all(isinstance(base.shapes[0], Rect) for base in frames)
    main, overseas = frames
    assert overseas.x >= main.x + main.w
    assert overseas.h < main.h  # drawn at its scale (0.5), title band included
    assert "La Réunion" in map_svg(figure)


def test_hostile_labels_are_escaped() -> None:
    figure = sample_map_figure()
    frame = figure.frames[0]
    hostile = MapPoint('<script>alert("x")</script> & co', 3.0, 50.0, role="exemple")
    changed = type(figure)(
        frames=(
            type(frame)(frame.title, frame.outlines, frame.highlighted, (hostile,), frame.bbox),
        ),
        legend=figure.legend,
        alt_text="</title><script>",
        caption=figure.caption,
    )
    svg = map_svg(changed)
    assert "<script>" not in svg
    root = ET.fromstring(svg)
    assert root.findtext(f"{SVG}title") == "</title><script>"


def test_png_has_requested_width_and_is_deterministic() -> None:
    figure = sample_map_figure()
    data = map_png(figure, width_px=800)
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    assert image.width == 800
    assert 300 < image.height < 800
    colours = image.convert("RGB").getcolors(maxcolors=1_000_000) or []
    assert len(colours) > 50  # anti-aliased, not a flat drawing
    assert map_png(figure, width_px=800) == data


def _label_boxes(figure: MapFigure) -> tuple[list[tuple[float, ...]], list[Text], list[Box]]:
    drawn = layout(figure)
    frames = [(b.x, b.y, b.x + b.w, b.y + b.h) for b in drawn.bases]
    labels = [s for s in drawn.shapes if isinstance(s, Text) and s.halo]
    boxes = [label_box(s.x, s.y, s.anchor, s.text, s.size, s.bold) for s in labels]
    return frames, labels, boxes


def _real_figures() -> list[MapFigure]:
    import fichegen

    root = Path(__file__).resolve().parents[2]
    docs = [
        fichegen.compose(fichegen.build(fichegen.load_profile(p)))
        for p in sorted((root / "profiles").glob("*.yaml"))
    ]
    docs += [
        fichegen.compose(fichegen.build(fichegen.profile_for_commune(c)))
        for c in ("62193", "97411", "97502")
    ]
    return [b for d in docs for s in d.sections for b in s.blocks if isinstance(b, MapFigure)]


@pytest.mark.slow
def test_labels_stay_inside_their_frame_and_never_overlap() -> None:
    figures = [sample_map_figure(), sample_map_figure(overseas=True), *_real_figures()]
    assert len(figures) >= 7
    for figure in figures:
        frames, labels, boxes = _label_boxes(figure)
        assert labels
        for box in boxes:
            assert any(
                f[0] <= box[0] and f[1] <= box[1] and box[2] <= f[2] and box[3] <= f[3]
                for f in frames
            ), box
        for i, a in enumerate(boxes):
            assert not any(overlaps(a, b) for b in boxes[i + 1 :]), (
                labels[i].text,
                figure.alt_text,
            )


def test_crowded_frame_falls_back_to_numbers_and_a_list() -> None:
    figure = sample_map_figure()
    frame = figure.frames[0]
    crowd = tuple(
        MapPoint(
            f"{n}. Commune numéro {n}",
            3.05 + 0.02 * n,
            50.6 + 0.01 * n,
            "exemple",
            f"à {n} km",
            key=str(n),
        )
        for n in range(1, 9)
    )
    crowded = replace(figure, frames=(replace(frame, points=(frame.points[0], *crowd)),))
    drawn = layout(crowded)
    texts = [s.text for s in drawn.shapes if isinstance(s, Text)]
    for point in crowd:
        assert f"{point.label} · {point.detail}" in texts  # in the list under the map
        assert point.key in texts  # the number beside its marker
    _frames, labels, _boxes = _label_boxes(crowded)
    assert {s.text for s in labels} <= {"Anstaing · votre commune", *(p.key for p in crowd)}
    list_top = min(s.y for s in drawn.shapes if isinstance(s, Text) and "numéro 1 " in s.text)
    assert list_top > max(b.y + b.h for b in drawn.bases)  # the list is under the frames
    assert drawn.height > list_top


def test_a_label_with_a_line_break_is_measured_as_one_line() -> None:
    # Pillow's layout raises on a line break; free text from a user folder may carry one.
    from fichegen.renderers.map_labels import text_width

    assert text_width("Bel\nfort", 17.0) == text_width("Bel fort", 17.0) > 0


def _figures_of(*codes: str) -> list[MapFigure]:
    import fichegen

    docs = [fichegen.compose(fichegen.build(fichegen.profile_for_commune(c))) for c in codes]
    return [b for d in docs for s in d.sections for b in s.blocks if isinstance(b, MapFigure)]


def _gap(box: Box, dot: Circle) -> float:
    """Distance from a label's box to the edge of a painted dot (negative: over it)."""
    dx = max(box[0] - dot.cx, 0.0, dot.cx - box[2])
    dy = max(box[1] - dot.cy, 0.0, dot.cy - box[3])
    return float((dx * dx + dy * dy) ** 0.5) - dot.r - dot.width / 2


@pytest.mark.slow
def test_labels_sit_beside_their_own_dot_and_never_on_a_dot() -> None:
    # Anstaing, Caylus: « Saint-Denis » and « Les Pavillons-sous-Bois » ran over their dots
    # (the reserved boxes were smaller than the painted markers); Paris: « 3. Nancy · à
    # 281 km » was printed under the Paris marker, far from the Nancy dot.
    for figure in _figures_of("59013", "82038", "75056"):
        drawn = layout(figure)
        dots = [s for s in drawn.shapes if isinstance(s, Circle) and s.r in (6.0, 13.0)]
        frames = [(b.x, b.y, b.x + b.w, b.y + b.h) for b in drawn.bases]
        dots = [d for d in dots if any(f[1] <= d.cy <= f[3] for f in frames)]  # not legend
        _frames, labels, boxes = _label_boxes(figure)
        for label, box in zip(labels, boxes, strict=True):
            assert all(_gap(box, dot) >= 0 for dot in dots), (label.text, figure.alt_text)
            if "Nancy" in label.text:
                nearest = min(dots, key=lambda dot: _gap(box, dot))
                assert nearest.r == 6.0 and _gap(box, nearest) < 10, label.text


@pytest.mark.parametrize(
    "text", ["a&b<c>d", 'x"y', "x'y", "x\"y'z", "tab\there\nnl\rcr", "", "é « Lille » ’"]
)
def test_map_escapes_text_as_the_standard_library_does(text: str) -> None:
    """The map writes its own escaping (``xml.sax.saxutils`` costs every process the import
    of ``urllib.request``): the same text out."""
    from xml.sax import saxutils

    from fichegen.renderers.map import escape, quoteattr

    assert escape(text) == saxutils.escape(text)
    assert quoteattr(text) == saxutils.quoteattr(text)
