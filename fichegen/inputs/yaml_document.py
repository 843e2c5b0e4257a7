"""A YAML document with positions, the reader's limits, and the cleaning of its text.

Shared by the reader (:mod:`fichegen.inputs.yamlio`), the event composer
(:mod:`fichegen.inputs.yaml_composer`) and the validators that point at
``FILE:LINE:COLUMN``. Text is cleaned once: C0/C1 control characters other than newline
and tab are removed, and so are invisible format characters (bidirectional controls,
zero-width characters); lone surrogates are replaced by U+FFFD.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from fichegen.errors import FichegenError, InputError, KnowledgeError

__all__ = [
    "MAX_ALIASES",
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_VALUES",
    "DataPath",
    "Position",
    "YamlDocument",
    "clean_data",
    "clean_text",
    "depth_message",
    "empty_message",
]

MAX_BYTES = 1024 * 1024
"""Largest file accepted (1 MiB): a commune profile is a few kilobytes."""
MAX_DEPTH = 32
"""Deepest nesting of mappings and sequences accepted."""
MAX_VALUES = 20_000
"""Most values (keys, scalars, collections, counting alias expansions) in one document."""
MAX_ALIASES = 16
"""Most ``*alias`` references in one document."""

DataPath = tuple[str | int, ...]
"""Where a value sits in the document: keys and list indexes from the top."""

YAML_TAG = "tag:yaml.org,2002:"
# C0 controls except \t and \n (and \r, a line break, in raw text), DEL, C1 controls.
RAW_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_VALUE_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Invisible format characters that can reorder or hide text ("\u202egnp.exe" shows as
# "exe.png"): bidirectional embeddings, overrides, isolates and marks, zero-width
# spaces and joiners, word joiner and invisible operators, a BOM inside the text.
INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
SURROGATES = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class Position:
    """A 1-based line and column in a source file."""

    line: int
    column: int


@dataclass(slots=True)
class YamlDocument:
    """The plain data of one YAML document plus where each key and value was written."""

    data: dict[str, Any]
    source: str
    key_positions: dict[DataPath, Position] = field(default_factory=dict)
    value_positions: dict[DataPath, Position] = field(default_factory=dict)
    texts: dict[DataPath, str] = field(default_factory=dict)
    """Scalars as written in the file (before type resolution), by path."""

    def position(self, path: DataPath, *, key: bool = False) -> Position | None:
        """Position of the key (or value) at ``path``, else of its nearest located parent."""
        for end in range(len(path), -1, -1):
            sub = path[:end]
            table = self.key_positions if key else self.value_positions
            found = table.get(sub) or self.key_positions.get(sub) or self.value_positions.get(sub)
            if found is not None:
                return found
        return None

    def plain_text(self, path: DataPath) -> str | None:
        """The text of a scalar exactly as written, when the file gave one at ``path``."""
        return self.texts.get(path)


def clean_text(text: str) -> str:
    """Remove control and invisible format characters (keeping newline and tab) and replace
    lone surrogates."""
    return SURROGATES.sub("\ufffd", INVISIBLE.sub("", _VALUE_CONTROLS.sub("", text)))


def clean_data(data: Any, *, error: type[FichegenError] = InputError, source: str = "") -> Any:
    """Copy nested dicts/lists, cleaning every string; refuse cycles and deep nesting."""
    return _clean(data, 0, error, source, set())


def _clean(data: Any, depth: int, error: type[FichegenError], source: str, seen: set[int]) -> Any:
    if isinstance(data, str):
        return clean_text(data)
    if isinstance(data, dict | list | tuple):
        if depth > MAX_DEPTH or id(data) in seen:
            raise error(depth_message(), file=source or None)
        seen.add(id(data))
        try:
            if isinstance(data, dict):
                return {
                    clean_text(k) if isinstance(k, str) else k: _clean(
                        v, depth + 1, error, source, seen
                    )
                    for k, v in data.items()
                }
            return [_clean(item, depth + 1, error, source, seen) for item in data]
        finally:
            seen.discard(id(data))
    return data


def empty_message(error: type[FichegenError]) -> str:
    """An empty file, worded for a profile or for a knowledge-base file."""
    if issubclass(error, KnowledgeError):
        return "fichier vide"
    return "fichier vide : indiquez au moins commune.code_insee"


def depth_message() -> str:
    return f"imbrication trop profonde (au plus {MAX_DEPTH} niveaux) ou structure circulaire"
