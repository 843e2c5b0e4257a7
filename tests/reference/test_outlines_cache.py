"""The départements' outlines kept as raw doubles in the cache folder: the very numbers of
``outlines.json.gz``; a damaged or foreign entry is ignored and rewritten."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from fichegen.reference import outlines
from fichegen.resources import data_dir

SOURCE = data_dir() / "outlines.json.gz"


def _from_json() -> outlines.Outlines:
    data = json.loads(gzip.decompress(SOURCE.read_bytes()))
    return {
        dep: tuple(tuple((float(x), float(y)) for x, y in ring) for ring in rings)
        for dep, rings in data.items()
    }


def test_the_kept_outlines_are_the_json_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FICHEGEN_CACHE", str(tmp_path))
    expected = _from_json()
    assert outlines.load_outlines(SOURCE) == expected
    (entry,) = (tmp_path / "contours").iterdir()
    monkeypatch.setattr(outlines, "_from_json", lambda _raw: pytest.fail("parsed again"))
    again = outlines.load_outlines(SOURCE)
    assert again == expected and list(again) == list(expected)
    assert all(type(v) is float for ring in again["62"] for point in ring for v in point)
    assert entry.exists()


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"garbage",
        b'{"byteorder": "little", "rings": {"62": [3]}}\n\x00\x01',  # cut short
        b'{"byteorder": "little", "rings": [1, 2]}\n',
        b'{"byteorder": "little", "rings": {"62": [-1]}}\n',
    ],
)
def test_a_damaged_entry_is_ignored_and_rewritten(
    content: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FICHEGEN_CACHE", str(tmp_path))
    outlines.load_outlines(SOURCE)
    (entry,) = (tmp_path / "contours").iterdir()
    entry.write_bytes(content)
    assert outlines.load_outlines(SOURCE) == _from_json()
    assert outlines.decode(entry.read_bytes()) == _from_json()


def test_another_file_another_entry_and_cache_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FICHEGEN_CACHE", str(tmp_path))
    small = tmp_path / "small.json.gz"
    small.write_bytes(gzip.compress(b'{"01": [[[1.5, 2.25], [3, 4], [5, 6.125]]]}'))
    assert outlines.load_outlines(small) == {"01": (((1.5, 2.25), (3.0, 4.0), (5.0, 6.125)),)}
    outlines.load_outlines(SOURCE)
    assert len(list((tmp_path / "contours").iterdir())) == 1  # the older entry replaced
    monkeypatch.setenv("FICHEGEN_CACHE", "off")
    assert outlines.load_outlines(small)["01"][0][1] == (3.0, 4.0)
