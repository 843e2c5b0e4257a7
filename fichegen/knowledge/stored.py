"""The built-in knowledge base kept ready between processes, in the cache folder.

Building it (reading the YAML with positions, validating every file with pydantic, French
typography) takes a tenth of a second and the result is the same in every process: it is
kept as JSON in ``connaissances/`` of :mod:`fichegen.disk_cache`, under a digest of
everything it is made from: the built-in YAML files, the code that reads and typesets
them (``fichegen/knowledge``, ``fichegen/french``, the YAML reader and the validation
wording), fichegen's, pydantic's and Python's versions. A change to any of them gives
another name, so an entry is never stale; an entry that cannot be read back into the
records of :mod:`fichegen.knowledge.types` is ignored and rebuilt. A user folder
(``--knowledge``) is never kept: it is read and checked, with its located errors, every time.

JSON, not pickle: reading an entry can only make the records of ``types`` from text and
numbers, never run code, whoever wrote the file.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fichegen import __version__, disk_cache
from fichegen.knowledge import types
from fichegen.resources import knowledge_dir

__all__ = ["builtin_key", "decode", "encode", "stored_builtin"]

_KIND = "connaissances"
_CLASSES: dict[str, type[Any]] = {
    cls.__name__: cls
    for cls in vars(types).values()
    if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == types.__name__
}
_TYPE = "__record__"  # the class of each JSON object (no field of the records is so named)
#: The code the built base depends on, under the package folder.
_CODE = ("knowledge/*.py", "french/*.py", "inputs/yaml*.py", "inputs/validation.py")


def builtin_key() -> str:
    """The digest naming the built-in base's entry (see the module's docstring)."""
    import pydantic.version

    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent.parent
    versions = (__version__, pydantic.version.VERSION, sys.version, sorted(_CLASSES))
    digest.update(repr(versions).encode())
    sources = [p for pattern in _CODE for p in sorted(package.glob(pattern))]
    data = sorted(p for p in knowledge_dir().iterdir() if p.suffix in {".yaml", ".yml"})
    for path in (*sources, *data):
        content = path.read_bytes()
        digest.update(f"\0{path.relative_to(path.parent.parent)}\0{len(content)}\0".encode())
        digest.update(content)
    return digest.hexdigest()[:40]


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {_TYPE: type(value).__name__, **fields}
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    if value is None or isinstance(value, str | int | float):
        return value
    raise TypeError(f"cannot keep a {type(value).__name__} in the knowledge cache")


def encode(kb: types.KnowledgeBase) -> bytes:
    """The knowledge base as JSON (each record with its class name)."""
    return json.dumps(_plain(kb), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _record(data: dict[str, Any]) -> Any:
    cls = _CLASSES[data.pop(_TYPE)]  # KeyError: not one of the records
    return cls(**{name: _tupled(value) for name, value in data.items()})


def _tupled(value: Any) -> Any:
    return tuple(_tupled(item) for item in value) if isinstance(value, list) else value


def decode(raw: bytes) -> types.KnowledgeBase:
    """Records from :func:`encode`'s JSON; ValueError, KeyError or TypeError when it is not
    exactly that (another class, a missing or unknown field)."""
    kb = json.loads(raw.decode("utf-8"), object_hook=_record)
    if not isinstance(kb, types.KnowledgeBase):
        raise ValueError("the knowledge cache does not hold a knowledge base")
    return kb


def stored_builtin(build: Callable[[], types.KnowledgeBase]) -> types.KnowledgeBase:
    """The built-in base from the cache folder, else ``build()`` it and keep it there."""
    folder = disk_cache.cache_folder(_KIND)
    if folder is None:
        return build()
    name = builtin_key() + ".json"
    raw = disk_cache.read(folder, name)
    if raw is not None:
        try:
            return decode(raw)
        except (ValueError, KeyError, TypeError, RecursionError):
            pass  # damaged or foreign: rebuilt and replaced below
    kb = build()
    disk_cache.keep(folder, name, encode(kb), replaces="*.json")
    return kb
