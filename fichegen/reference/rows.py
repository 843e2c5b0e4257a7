"""The reference's text files: reading them, finding a commune's line, names for search.

``communes.tsv.gz`` holds one line per current commune, sorted by code
(``scripts/build_reference.py``): a commune's line is found by a binary search in the text
itself, and an EPCI's members by a scan for its code, so that a fiche, which needs a dozen
communes, never splits the 35 000 lines.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from fichegen import disk_cache

__all__ = [
    "epci_members",
    "find_line",
    "normalize_name",
    "opt_float",
    "opt_int",
    "read_text",
    "read_tsv",
]

_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


def normalize_name(text: str) -> str:
    """Lower case, no accents, words separated by one space, ``st``/``ste`` spelt out."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = plain.replace("œ", "oe").replace("æ", "ae")
    words = re.sub(r"[^0-9a-z]+", " ", plain).split()
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)


def read_text(path: Path) -> str:
    """A data file as text (gunzipped when its name ends in ``.gz``, through the cache
    folder's decompressed copy)."""
    raw = disk_cache.gunzipped(path) if path.suffix == ".gz" else path.read_bytes()
    return raw.decode("utf-8")


def read_tsv(path: Path) -> list[str]:
    """The lines of a data file, header excluded."""
    return read_text(path).splitlines()[1:]


def opt_int(text: str) -> int | None:
    return int(text) if text else None


def opt_float(text: str) -> float | None:
    return float(text) if text else None


def _line_end(text: str, at: int) -> int:
    end = text.find("\n", at)
    return len(text) if end < 0 else end


def find_line(text: str, key: str) -> str | None:
    """The line starting with ``key`` and a tab in ``text`` (a header line, then lines
    sorted by their first field), or None. ``text`` starts with a newline."""
    lo, hi = text.find("\n", 1) + 1, len(text)  # line starts; the header is skipped
    if lo <= 0:
        return None
    while lo < hi:  # the first line whose key is not below ``key``
        start = max(lo, text.rfind("\n", lo, (lo + hi) // 2) + 1)
        if text[start : start + len(key)] < key:
            lo = _line_end(text, start) + 1
        else:
            hi = start
    return text[lo : _line_end(text, lo)] if text.startswith(key + "\t", lo) else None


def epci_members(text: str, epci_code: str) -> tuple[str, ...]:
    """Codes of the communes whose sixth field (their EPCI) is ``epci_code``, sorted."""
    found, needle = [], f"\t{epci_code}\t"
    at = text.find(needle)
    while at >= 0:
        line = text[text.rfind("\n", 0, at) + 1 : _line_end(text, at)]
        if line.split("\t", 6)[5] == epci_code:
            found.append(line[:5])
        at = text.find(needle, at + 1)
    return tuple(sorted(found))
