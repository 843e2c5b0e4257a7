"""The cache folder shared by the map pictures, the knowledge base, the outlines and the
decompressed data files: where it is, and the decompressed copies checked by CRC."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from fichegen import disk_cache


def test_where_the_cache_folder_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FICHEGEN_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert disk_cache.cache_folder("cartes") == tmp_path / "xdg" / "fichegen" / "cartes"
    assert (tmp_path / "xdg" / "fichegen" / "cartes").stat().st_mode & 0o777 == 0o700
    monkeypatch.setenv("FICHEGEN_CACHE", str(tmp_path / "ici"))
    assert disk_cache.cache_folder("donnees") == tmp_path / "ici" / "donnees"
    for off in ("off", "OFF", "0", "non"):
        monkeypatch.setenv("FICHEGEN_CACHE", off)
        assert disk_cache.cache_folder("donnees") is None
    (tmp_path / "file").write_text("x")
    monkeypatch.setenv("FICHEGEN_CACHE", str(tmp_path / "file"))
    assert disk_cache.cache_folder("donnees") is None


def test_a_decompressed_copy_is_used_only_when_its_crc_matches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FICHEGEN_CACHE", str(tmp_path / "cache"))
    source = tmp_path / "communes.tsv.gz"
    text = "code\tnom\n" + "".join(f"{n:05d}\tCommune {n}\n" for n in range(2000))
    source.write_bytes(gzip.compress(text.encode(), mtime=0))
    assert disk_cache.gunzipped(source) == text.encode()
    (copy,) = (tmp_path / "cache" / "donnees").iterdir()
    assert copy.name.startswith("communes.tsv-")

    real = gzip.decompress
    monkeypatch.setattr(gzip, "decompress", lambda _raw: pytest.fail("decompressed again"))
    assert disk_cache.gunzipped(source) == text.encode()

    monkeypatch.setattr(gzip, "decompress", real)
    tampered = bytearray(copy.read_bytes())
    tampered[20] ^= 1  # same length, one bit changed: the CRC tells
    copy.write_bytes(bytes(tampered))
    assert disk_cache.gunzipped(source) == text.encode()
    assert copy.read_bytes() == text.encode()  # rewritten

    other = text.replace("Commune 7", "Commune sept")
    source.write_bytes(gzip.compress(other.encode(), mtime=0))
    assert disk_cache.gunzipped(source) == other.encode()
    assert len(list((tmp_path / "cache" / "donnees").iterdir())) == 1  # the old copy gone

    monkeypatch.setenv("FICHEGEN_CACHE", "off")
    assert disk_cache.gunzipped(source) == other.encode()
