"""The map's frame pictures kept in a cache folder that outlives the process."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from support_render import sample_map_figure

from fichegen.renderers import map_raster
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
