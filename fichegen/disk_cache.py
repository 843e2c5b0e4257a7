"""A cache folder that outlives the process, for what every process would otherwise redo.

Used for the map's frame pictures (``cartes/``), the built-in knowledge base
(``connaissances/``), the départements' outlines (``contours/``) and the embedded data
files decompressed (``donnees/``). The folder is ``FICHEGEN_CACHE`` when set (``off``,
``0`` or ``non`` turn the cache off), else ``$XDG_CACHE_HOME/fichegen``, else
``~/.cache/fichegen``; each kind of entry has its own subfolder, created private (0700).

Callers name each entry by a digest of everything that shapes it, so an entry is never
stale; they check what they read and rebuild when it is unusable. A folder that cannot
be created, read or written is simply not used: nothing here raises.
"""

from __future__ import annotations

import contextlib
import gzip
import os
import struct
import tempfile
import zlib
from pathlib import Path

__all__ = ["cache_folder", "gunzipped", "keep", "read"]

_OFF = ("off", "0", "non")


def cache_folder(kind: str) -> Path | None:
    """The subfolder ``kind`` of the cache folder (created), or None if the cache is off or
    the folder cannot be made."""
    setting = os.environ.get("FICHEGEN_CACHE", "")
    if setting.lower() in _OFF:
        return None
    if setting:
        root = Path(setting)
    else:
        root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "fichegen"
    folder = root / kind
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return folder if folder.is_dir() else None


def read(folder: Path | None, name: str) -> bytes | None:
    """The bytes of entry ``name``, or None (no cache, no entry, or unreadable)."""
    if folder is None:
        return None
    try:
        return (folder / name).read_bytes()
    except OSError:
        return None


def keep(folder: Path | None, name: str, data: bytes, *, replaces: str | None = None) -> None:
    """Store entry ``name`` atomically (a reader never sees half a file). ``replaces``: a
    glob of older entries of the same kind to remove once it is kept. Failures (full disk,
    read-only folder) are ignored: the entry is just not kept."""
    if folder is None:
        return
    with contextlib.suppress(OSError):
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, folder / name)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        for old in folder.glob(replaces) if replaces else ():
            if old.name != name:
                with contextlib.suppress(OSError):
                    old.unlink()


def gunzipped(path: Path) -> bytes:
    """The decompressed bytes of a gzip data file, kept in ``donnees/``: a kept copy is used
    only if its length and CRC-32 are those the file's gzip trailer records (decompressing
    the 35 000 communes costs 15 ms, checking the copy one)."""
    raw = path.read_bytes()
    crc, size = struct.unpack("<II", raw[-8:]) if len(raw) >= 18 else (0, 0)
    folder = cache_folder("donnees")
    stem = path.name.removesuffix(".gz")
    name = f"{stem}-{crc:08x}-{size}"
    kept = read(folder, name)
    if kept is not None and len(kept) == size and zlib.crc32(kept) == crc:
        return kept
    data = gzip.decompress(raw)
    if len(data) == size and zlib.crc32(data) == crc:  # one gzip member, as the data files
        keep(folder, name, data, replaces=f"{stem}-*")
    return data
