"""The map's frame pictures kept in a cache folder that outlives the process."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from support_render import sample_map_figure

from fichegen.document.model import MapFigure
from fichegen.renderers import map_layout, map_raster
from fichegen.renderers.map_layout import FrameBase, layout


def _clear() -> None:
    map_raster._cache_dir.cache_clear()
    map_raster.frame_jpeg.cache_clear()
    map_raster.frame_raster.cache_clear()
    map_raster.frame_data_uri.cache_clear()


@pytest.fixture
def base() -> Iterator[FrameBase]:
    _clear()
    yield layout(sample_map_figure()).bases[0]
    _clear()


def test_pictures_are_kept_and_reused_identically(
    base: FrameBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FICHEGEN_CACHE", str(tmp_path))
    drawn, name = map_raster.frame_jpeg(base)
    raster = map_raster.frame_raster(base, 2.0)
    kept = sorted(p.suffix for p in (tmp_path / "cartes").iterdir())
    assert kept == [".jpg", ".png"]
    _clear()
    monkeypatch.setattr(map_raster, "_draw_frame", lambda *a: pytest.fail("drawn again"))
    assert map_raster.frame_jpeg(base) == (drawn, name)
    assert map_raster.frame_raster(base, 2.0).tobytes() == raster.tobytes()


def test_a_damaged_or_missing_cache_is_redrawn(
    base: FrameBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FICHEGEN_CACHE", str(tmp_path))
    drawn, _ = map_raster.frame_jpeg(base)
    for path in (tmp_path / "cartes").iterdir():
        path.write_bytes(b"\xff\xd8 truncated")
    _clear()
    assert map_raster.frame_jpeg(base)[0] == drawn
    _clear()
    monkeypatch.setenv("FICHEGEN_CACHE", "off")
    assert map_raster.frame_jpeg(base)[0] == drawn
    monkeypatch.setenv("FICHEGEN_CACHE", str(tmp_path / "file"))
    (tmp_path / "file").write_text("not a folder")
    _clear()
    assert map_raster.frame_jpeg(base)[0] == drawn  # unusable cache: drawn, not kept


def _fresh_layout(figure: MapFigure) -> FrameBase:
    map_layout._SHAPES.clear()
    map_layout._RECENT.clear()
    map_layout._layout_cached.cache_clear()
    return layout(figure).bases[0]


def test_a_kept_picture_costs_no_projection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The picture's name comes from the frame's key (a digest of its outlines), so a
    process finding it in the cache folder projects no outline at all."""
    monkeypatch.setenv("FICHEGEN_CACHE", str(tmp_path))
    _clear()
    figure = sample_map_figure()
    first = _fresh_layout(figure)
    drawn, raster = map_raster.frame_jpeg(first), map_raster.frame_raster(first, 2.0)
    _clear()
    base = _fresh_layout(replace(figure))  # an equal figure, as another process makes it
    monkeypatch.setattr(map_layout, "_project_base", lambda *_: pytest.fail("projected"))
    assert map_raster.frame_jpeg(base) == drawn
    assert map_raster.frame_raster(base, 2.0).tobytes() == raster.tobytes()
    _clear()


def test_the_key_follows_the_outlines() -> None:
    figure = sample_map_figure()
    frame = figure.frames[0]
    key = _fresh_layout(figure).key
    ring = frame.outlines[0]
    moved = (*ring[:-1], (ring[-1][0] + 0.01, ring[-1][1]))
    other = replace(figure, frames=(replace(frame, outlines=(moved,)),))
    assert _fresh_layout(other).key != key
    assert _fresh_layout(replace(figure, frames=(replace(frame),))).key == key
    code = (
        "from support_render import sample_map_figure\n"
        "from fichegen.renderers.map_layout import layout\n"
        "print(layout(sample_map_figure()).bases[0].key)\n"
    )
    tests = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tests, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == key  # the same in every process
