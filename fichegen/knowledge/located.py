"""Knowledge-base files as located data.

Reading is delegated to :mod:`fichegen.inputs.yamlio` (safe, capped, with positions); schema
errors are worded by :mod:`fichegen.inputs.validation`, as for profiles.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fichegen.errors import Issue, KnowledgeError, os_error_text
from fichegen.inputs.files import read_regular
from fichegen.inputs.validation import dotted
from fichegen.inputs.yamlio import MAX_BYTES, YamlDocument, load_yaml_bytes

__all__ = ["Located", "load_located", "read_capped"]

PathKey = tuple[str | int, ...]


@dataclass
class Located:
    """Parsed data of one file and where each value was written (through yamlio)."""

    file: str
    data: Any
    document: YamlDocument | None = None

    def where(self, path: PathKey, *, key: bool = False) -> tuple[int | None, int | None]:
        """Position of the value (or key) at ``path``, else of its nearest located parent."""
        if self.document is None:
            return None, None
        pos = self.document.position(path, key=key)
        return (pos.line, pos.column) if pos is not None else (None, None)

    def issue(self, path: PathKey, message: str, *, key: bool = False) -> Issue:
        line, column = self.where(path, key=key)
        return Issue(message, self.file, line, column, dotted(path) or None)


def read_capped(path: Path) -> bytes:
    """The bytes of one knowledge-base file (at most one byte beyond the size limit)."""
    try:
        return read_regular(path, MAX_BYTES)
    except OSError as exc:
        raise KnowledgeError(f"lecture impossible ({os_error_text(exc)})", file=str(path)) from None


def load_located(file: str, raw: bytes) -> Located:
    """Parse one knowledge-base YAML file safely; raise KnowledgeError if it is unusable."""
    if not raw.strip():
        raise KnowledgeError("fichier vide", file=file)
    document = load_yaml_bytes(raw, file, error=KnowledgeError)
    return Located(file, document.data, document)
