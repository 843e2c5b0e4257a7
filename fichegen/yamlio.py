"""Safe YAML with positions: read a document, keeping where every key and value was written.

The YAML event stream is composed here, iteratively, instead of by PyYAML's composer
and constructor, so that every limit is enforced while reading: file size, nesting
depth, number of values, number of aliases (an alias bomb is refused before it is
expanded), standard tags only (``!!python/...`` is refused), no duplicated keys,
one document whose top level is a mapping. Every key and value keeps its line and
column (1-based) and the text it was written with, so that a schema error can point
at ``FILE:LINE:COLUMN`` and a field such as ``code_insee: 01001`` can be read as written.
Text is cleaned once, here: C0/C1 control characters other than newline and tab are
removed and lone surrogates are replaced by U+FFFD.
"""

from __future__ import annotations

import datetime
import math
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    CollectionStartEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
)
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from fichegen.errors import FichegenError, InputError, Issue, os_error_text

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
    "load_yaml_bytes",
    "load_yaml_file",
    "load_yaml_text",
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

_YAML_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = frozenset(
    _YAML_TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp")
)
# C0 controls except \t and \n (and \r, a line break, in raw text), DEL, C1 controls.
_RAW_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_VALUE_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATES = re.compile("[\ud800-\udfff]")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_RESOLVER = Resolver()


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
    """Remove control characters (keeping newline and tab) and replace lone surrogates."""
    return _SURROGATES.sub("\ufffd", _VALUE_CONTROLS.sub("", text))


def clean_data(data: Any, *, error: type[FichegenError] = InputError, source: str = "") -> Any:
    """Copy nested dicts/lists, cleaning every string; refuse cycles and deep nesting."""
    return _clean(data, 0, error, source, set())


def _clean(data: Any, depth: int, error: type[FichegenError], source: str, seen: set[int]) -> Any:
    if isinstance(data, str):
        return clean_text(data)
    if isinstance(data, dict | list | tuple):
        if depth > MAX_DEPTH or id(data) in seen:
            raise error(_depth_message(), file=source or None)
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


def _depth_message() -> str:
    return f"imbrication trop profonde (au plus {MAX_DEPTH} niveaux) ou structure circulaire"


def load_yaml_file(
    path: str | os.PathLike[str], *, error: type[FichegenError] = InputError
) -> YamlDocument:
    """Read one YAML file safely; raise ``error`` (with every issue found) if it is not usable."""
    source = os.fspath(path)
    try:
        with Path(source).open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise error("fichier introuvable", file=source) from None
    except IsADirectoryError:
        raise error("c'est un dossier, pas un fichier YAML", file=source) from None
    except OSError as exc:
        raise error(f"lecture impossible ({os_error_text(exc)})", file=source) from None
    return load_yaml_bytes(raw, source, error=error)


def load_yaml_bytes(
    raw: bytes, source: str = "<octets>", *, error: type[FichegenError] = InputError
) -> YamlDocument:
    """Parse the bytes of a YAML file (as read from disk) into a located document."""
    if len(raw) > MAX_BYTES:
        raise error(_size_message(), file=source)
    return load_yaml_text(_decode(raw, source, error), source, error=error)


def _size_message() -> str:
    return f"fichier trop volumineux (au plus {MAX_BYTES // 1024} Kio pour un profil)"


def _decode(raw: bytes, source: str, error: type[FichegenError]) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise error("fichier en UTF-16 : enregistrez-le en UTF-8", file=source, line=1, column=1)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = exc.start
        line_start = raw.rfind(b"\n", 0, start) + 1
        line = raw.count(b"\n", 0, start) + 1
        column = len(raw[line_start:start].decode("utf-8", errors="replace")) + 1
        raise error(
            f"octet non UTF-8 (0x{raw[start]:02X}) : enregistrez le fichier en UTF-8",
            file=source,
            line=line,
            column=column,
        ) from None


def load_yaml_text(
    text: str, source: str = "<texte>", *, error: type[FichegenError] = InputError
) -> YamlDocument:
    """Parse YAML text safely into a located document whose top level is a mapping."""
    if len(text) > MAX_BYTES:
        raise error(_size_message(), file=source)
    text = _SURROGATES.sub("\ufffd", _RAW_CONTROLS.sub("", text.removeprefix("\ufeff")))
    if not text.strip():
        raise error("fichier vide : indiquez au moins commune.code_insee", file=source)
    composer = _Composer(source, error)
    try:
        composer.run(yaml.parse(text, Loader=yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise error(
            f"YAML mal formé : {_yaml_problem(exc)}",
            file=source,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    except yaml.YAMLError as exc:
        raise error(f"YAML illisible : {exc}", file=source) from None
    except RecursionError:
        raise error(_depth_message(), file=source) from None
    return composer.document()


_PROBLEMS = (
    (
        "cannot start any token",
        "caractère inattendu (les tabulations sont interdites : indentez avec des espaces)",
    ),
    (
        "mapping values are not allowed",
        "« : » inattendu (mettez entre guillemets un texte "
        "contenant « : », ou vérifiez l'indentation)",
    ),
    ("could not find expected ':'", "« : » attendu après la clé"),
    ("expected <block end>", "indentation incohérente"),
    ("unexpected end of stream", "fin de fichier inattendue (guillemet non fermé ?)"),
    ("<stream end>", "fin de fichier inattendue (crochet ou accolade non fermé ?)"),
    ("found undefined alias", "alias « * » sans ancre « & » correspondante"),
    ("expected ',' or ']'", "« , » ou « ] » attendu dans la liste"),
    ("expected ',' or '}'", "« , » ou « } » attendu"),
    ("found unknown escape character", "séquence d'échappement « \\ » inconnue"),
)


def _yaml_problem(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or ""
    for needle, french in _PROBLEMS:
        if needle in problem:
            return french
    return f"erreur de syntaxe ({problem or exc.context or 'inconnue'})"


def _position(event: Event) -> Position:
    mark = event.start_mark
    return Position(mark.line + 1, mark.column + 1) if mark is not None else Position(1, 1)


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_YAML_TAG) if tag.startswith(_YAML_TAG) else tag


@dataclass(slots=True)
class _Frame:
    """A mapping or sequence being built."""

    path: DataPath
    value: dict[str, Any] | list[Any]
    key: str | None = None  # mapping: the key waiting for its value
    anchor: str | None = None
    start_count: int = 0


class _Composer:
    """Builds plain data from YAML events without recursion, enforcing every limit."""

    def __init__(self, source: str, error: type[FichegenError]) -> None:
        self.source = source
        self.error = error
        self.issues: list[Issue] = []
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.pending: set[str] = set()
        self.count = 0
        self.aliases = 0
        self.documents = 0
        self.root: Any = None
        self.root_position = Position(1, 1)
        self.key_positions: dict[DataPath, Position] = {}
        self.value_positions: dict[DataPath, Position] = {}
        self.texts: dict[DataPath, str] = {}

    def fail(self, message: str, event: Event) -> FichegenError:
        where = _position(event)
        return self.error(message, file=self.source, line=where.line, column=where.column)

    def note(self, message: str, event: Event) -> None:
        where = _position(event)
        self.issues.append(Issue(message, self.source, where.line, where.column))

    def run(self, events: Iterator[Event]) -> None:
        for event in events:
            if isinstance(event, DocumentStartEvent):
                self.documents += 1
                if self.documents > 1:
                    raise self.fail("un seul document YAML attendu par fichier (« --- »)", event)
            elif isinstance(event, MappingEndEvent | SequenceEndEvent):
                frame = self.stack.pop()
                if frame.anchor is not None:
                    self.anchors[frame.anchor] = (frame.value, self.count - frame.start_count)
                    self.pending.discard(frame.anchor)
                self.attach(frame.value)
            elif isinstance(event, ScalarEvent | CollectionStartEvent | AliasEvent):
                self.node(event)

    def next_path(self, event: Event) -> DataPath | None:
        """Path of the value this event starts, or None when the event is a mapping key."""
        if not self.stack:
            return ()
        top = self.stack[-1]
        if isinstance(top.value, list):
            return (*top.path, len(top.value))
        if top.key is None:
            return None
        return (*top.path, top.key)

    def bump(self, amount: int, event: Event) -> None:
        self.count += amount
        if self.count > MAX_VALUES:
            raise self.fail(f"document trop grand (plus de {MAX_VALUES} valeurs)", event)

    def node(self, event: Event) -> None:
        self.bump(1, event)
        path = self.next_path(event)
        if path is None:
            self.mapping_key(event)
            return
        position = _position(event)
        self.value_positions[path] = position
        if not path:
            self.root_position = position
        if isinstance(event, AliasEvent):
            self.attach(self.alias(event))
        elif isinstance(event, ScalarEvent):
            value = self.scalar(event, path)
            if event.anchor is not None:
                self.anchors[event.anchor] = (value, 1)
            self.attach(value)
        else:
            assert isinstance(event, CollectionStartEvent)
            self.check_tag(event, mapping=isinstance(event, MappingStartEvent))
            if len(self.stack) >= MAX_DEPTH:
                raise self.fail(_depth_message(), event)
            container: dict[str, Any] | list[Any] = (
                {} if isinstance(event, MappingStartEvent) else []
            )
            if event.anchor is not None:
                self.pending.add(event.anchor)
            self.stack.append(_Frame(path, container, None, event.anchor, self.count))

    def mapping_key(self, event: Event) -> None:
        top = self.stack[-1]
        assert isinstance(top.value, dict)
        if not isinstance(event, ScalarEvent):
            raise self.fail("une clé doit être un simple mot (pas une liste, ni un alias)", event)
        if event.tag is not None and event.tag not in ("!", _YAML_TAG + "str"):
            raise self.fail(f"étiquette YAML « {_short_tag(event.tag)} » refusée", event)
        key = clean_text(event.value)
        if event.implicit[0] and key == "<<":
            raise self.fail("les clés de fusion « << » ne sont pas prises en charge", event)
        position = _position(event)
        path = (*top.path, key)
        if key in top.value:
            first = self.key_positions.get(path)
            where = f"ligne {first.line}" if first else "plus haut"
            self.note(
                f"clé « {key} » en double (déjà présente {where}) : n'en gardez qu'une", event
            )
            key = f"{key}\x00{len(top.value)}"  # keep reading; the document is refused anyway
        else:
            self.key_positions[path] = position
        top.key = key

    def attach(self, value: Any) -> None:
        if not self.stack:
            self.root = value
            return
        top = self.stack[-1]
        if isinstance(top.value, list):
            top.value.append(value)
        else:
            assert top.key is not None
            top.value[top.key] = value
            top.key = None

    def alias(self, event: AliasEvent) -> Any:
        self.aliases += 1
        if self.aliases > MAX_ALIASES:
            raise self.fail(
                f"trop d'alias YAML (« * ») : au plus {MAX_ALIASES} ; écrivez les valeurs",
                event,
            )
        anchor = event.anchor
        if anchor in self.pending:
            raise self.fail(f"alias « *{anchor} » circulaire (il se contient lui-même)", event)
        if anchor not in self.anchors:
            raise self.fail(f"alias « *{anchor} » sans ancre « &{anchor} » définie avant", event)
        value, size = self.anchors[anchor]
        self.bump(size, event)
        return value

    def check_tag(self, event: ScalarEvent | CollectionStartEvent, *, mapping: bool) -> None:
        tag = event.tag
        if tag is None or tag == "!":
            return
        if isinstance(event, ScalarEvent):
            allowed = tag in _SCALAR_TAGS
        else:
            allowed = tag == _YAML_TAG + ("map" if mapping else "seq")
        if not allowed:
            raise self.fail(
                f"étiquette YAML « {_short_tag(tag)} » refusée : seules les valeurs simples "
                "(texte, nombres, booléens, dates, listes, clés) sont permises",
                event,
            )

    def scalar(self, event: ScalarEvent, path: DataPath) -> Any:
        self.check_tag(event, mapping=False)
        text = event.value
        self.texts[path] = text
        tag = event.tag
        if tag is None or tag == "!":
            tag = str(_RESOLVER.resolve(ScalarNode, text, event.implicit))  # type: ignore[no-untyped-call]
        kind = tag.removeprefix(_YAML_TAG)
        converted = _convert(kind, text)
        if converted is _INVALID:
            raise self.fail(f"valeur « {text} » invalide pour l'étiquette !!{kind}", event)
        return converted

    def document(self) -> YamlDocument:
        if self.issues:
            raise self.error(issues=self.issues)
        if self.root is None:
            raise self.error(
                "fichier vide : indiquez au moins commune.code_insee",
                file=self.source,
            )
        if not isinstance(self.root, dict):
            kind = "une liste" if isinstance(self.root, list) else f"la valeur « {self.root} »"
            raise self.error(
                f"le profil doit être un ensemble de clés (« clé: valeur ») ; reçu {kind}",
                file=self.source,
                line=self.root_position.line,
                column=self.root_position.column,
            )
        return YamlDocument(
            self.root, self.source, self.key_positions, self.value_positions, self.texts
        )


_INVALID = object()
_BOOLS = {"yes": True, "no": False, "true": True, "false": False, "on": True, "off": False}


def _convert(kind: str, text: str) -> Any:
    """Turn a resolved scalar into plain data; ints are decimal even with leading zeros."""
    compact = text.replace("_", "").strip()
    try:
        if kind == "str":
            return clean_text(text)
        if kind == "null":
            return None
        if kind == "bool":
            return _BOOLS[compact.lower()]
        if kind == "int":
            if ":" in compact:
                return clean_text(text)  # YAML 1.1 base 60: keep the text, the schema decides
            sign = -1 if compact.startswith("-") else 1
            digits = compact.lstrip("+-").lower()
            base = {"0x": 16, "0b": 2, "0o": 8}.get(digits[:2], 10)
            return sign * int(digits[2:] if base != 10 else digits, base)
        if kind == "float":
            lowered = compact.lower()
            if lowered.endswith(".inf"):
                return -math.inf if lowered.startswith("-") else math.inf
            if lowered == ".nan":
                return math.nan
            if ":" in compact:
                return clean_text(text)
            return float(compact)
        if kind == "timestamp" and _DATE.fullmatch(compact):
            try:
                return datetime.date.fromisoformat(compact)
            except ValueError:
                return clean_text(text)  # 2025-02-30: the schema says what is wrong
    except (KeyError, ValueError):
        return _INVALID
    return clean_text(text)
