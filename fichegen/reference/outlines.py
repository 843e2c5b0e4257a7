"""The départements' outlines, read from ``outlines.json.gz`` or from a binary copy.

Parsing the 65 000 coordinates of the JSON costs about 30 ms in every process that draws a
map; the same numbers kept as raw doubles load in a few. The copy lives in ``contours/``
of :mod:`fichegen.disk_cache`, named by a digest of the JSON file's bytes: a header (JSON:
byte order, each département's ring lengths), a newline, then the coordinates. An entry
whose header or size does not match is ignored and rewritten; reading one can only give
numbers, never run code.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import sys
from array import array
from pathlib import Path

from fichegen import disk_cache

__all__ = ["Outlines", "Ring", "decode", "encode", "load_outlines"]

Ring = tuple[tuple[float, float], ...]
Outlines = dict[str, tuple[Ring, ...]]


def _from_json(raw: bytes) -> Outlines:
    data = json.loads(gzip.decompress(raw).decode("utf-8"))
    return {
        dep: tuple(tuple((float(p[0]), float(p[1])) for p in ring) for ring in rings)
        for dep, rings in data.items()
    }


def encode(outlines: Outlines) -> bytes:
    """The outlines as a JSON header (ring lengths per département) and raw doubles."""
    lengths = {dep: [len(ring) for ring in rings] for dep, rings in outlines.items()}
    header = {"byteorder": sys.byteorder, "rings": lengths}
    values = array("d", (v for rings in outlines.values() for r in rings for p in r for v in p))
    return json.dumps(header, separators=(",", ":")).encode("ascii") + b"\n" + values.tobytes()


def decode(data: bytes) -> Outlines:
    """The outlines from :func:`encode`'s bytes; ValueError (or TypeError, KeyError) when
    they are not exactly that."""
    head, _, body = data.partition(b"\n")
    header = json.loads(head.decode("ascii"))
    rings: dict[str, list[int]] = header["rings"]
    if not isinstance(rings, dict):
        raise ValueError("unexpected outlines header")
    counts = [int(n) for lengths in rings.values() for n in lengths]
    if min(counts, default=0) < 0:
        raise ValueError("negative ring length")
    values = array("d")
    values.frombytes(body)  # ValueError unless a whole number of doubles
    if len(values) != 2 * sum(counts):
        raise ValueError("outlines of an unexpected size")
    if header["byteorder"] != sys.byteorder:
        values.byteswap()
    it = iter(values)
    points = list(zip(it, it, strict=True))
    outlines: Outlines = {}
    at = 0
    for dep, lengths in rings.items():
        dep_rings = []
        for n in lengths:
            dep_rings.append(tuple(points[at : at + n]))
            at += n
        outlines[str(dep)] = tuple(dep_rings)
    return outlines


def load_outlines(path: Path) -> Outlines:
    """The outlines of ``path`` (``outlines.json.gz``), from the cache folder when it holds
    them, else parsed from the JSON and kept there."""
    raw = path.read_bytes()
    folder = disk_cache.cache_folder("contours")
    name = hashlib.sha256(raw).hexdigest()[:32] + ".bin"
    kept = disk_cache.read(folder, name)
    if kept is not None:
        try:
            return decode(kept)
        except (ValueError, TypeError, KeyError, AttributeError, UnicodeDecodeError):
            pass  # damaged or foreign: parsed again and replaced
    outlines = _from_json(raw)
    disk_cache.keep(folder, name, encode(outlines), replaces="*.bin")
    return outlines
