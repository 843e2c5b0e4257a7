"""The YAML event composer: plain data with positions, every limit enforced while reading.

PyYAML's own composer and constructor are not used: events are composed here,
iteratively, so that nesting depth, number of values and aliases (an alias bomb is
refused before it is expanded), standard tags only and duplicate keys are checked as
the document is read, and every scalar keeps the text it was written with.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

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

from fichegen.errors import FichegenError, Issue, KnowledgeError, shorten
from fichegen.inputs.yaml_document import (
    MAX_ALIASES,
    MAX_DEPTH,
    MAX_VALUES,
    YAML_TAG,
    DataPath,
    Position,
    YamlDocument,
    clean_text,
    depth_message,
    empty_message,
)

__all__ = ["Composer"]

_SCALAR_TAGS = frozenset(
    YAML_TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp")
)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# A number YAML 1.1 reads as text but YAML 1.2 and every spreadsheet as a number: ``1e308``,
# ``5e-324``, ``1.5e3``. Read as a float, so the schema can say it is out of range.
_FLOAT_12 = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+")
_MAX_DIGITS = 30
"""Longer integers are beyond every bound of the schemas: read as ±10**30 (the text as
written stays in the document, for messages and text fields)."""
_RESOLVER = Resolver()


def _position(event: Event) -> Position:
    mark = event.start_mark
    return Position(mark.line + 1, mark.column + 1) if mark is not None else Position(1, 1)


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(YAML_TAG) if tag.startswith(YAML_TAG) else tag


@dataclass(slots=True)
class _Frame:
    """A mapping or sequence being built."""

    path: DataPath
    value: dict[str, Any] | list[Any]
    key: str | None = None  # mapping: the key waiting for its value
    anchor: str | None = None
    start_count: int = 0


class Composer:
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
                raise self.fail(depth_message(), event)
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
        if event.tag is not None and event.tag not in ("!", YAML_TAG + "str"):
            raise self.fail(f"étiquette YAML « {shorten(_short_tag(event.tag))} » refusée", event)
        key = clean_text(event.value)
        if event.implicit[0] and key == "<<":
            raise self.fail("les clés de fusion « << » ne sont pas prises en charge", event)
        position = _position(event)
        path = (*top.path, key)
        if key in top.value:
            first = self.key_positions.get(path)
            where = f"ligne {first.line}" if first else "plus haut"
            self.note(
                f"clé « {shorten(key)} » en double (déjà présente {where}) : n'en gardez qu'une",
                event,
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
        name = shorten(anchor)
        if anchor in self.pending:
            raise self.fail(f"alias « *{name} » circulaire (il se contient lui-même)", event)
        if anchor not in self.anchors:
            raise self.fail(f"alias « *{name} » sans ancre « &{name} » définie avant", event)
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
            allowed = tag == YAML_TAG + ("map" if mapping else "seq")
        if not allowed:
            raise self.fail(
                f"étiquette YAML « {shorten(_short_tag(tag))} » refusée : seules les valeurs "
                "simples (texte, nombres, booléens, dates, listes, clés) sont permises",
                event,
            )

    def scalar(self, event: ScalarEvent, path: DataPath) -> Any:
        self.check_tag(event, mapping=False)
        text = event.value
        self.texts[path] = text
        tag = event.tag
        if tag is None or tag == "!":
            tag = str(_RESOLVER.resolve(ScalarNode, text, event.implicit))  # type: ignore[no-untyped-call]
            if tag == YAML_TAG + "str" and event.implicit[0] and _FLOAT_12.fullmatch(text):
                tag = YAML_TAG + "float"
        kind = tag.removeprefix(YAML_TAG)
        converted = _convert(kind, text)
        if converted is _INVALID:
            raise self.fail(
                f"valeur « {shorten(text)} » illisible comme {_KIND_NAMES.get(kind, kind)}", event
            )
        return converted

    def document(self) -> YamlDocument:
        if self.issues:
            raise self.error(issues=self.issues)
        if self.root is None:
            raise self.error(empty_message(self.error), file=self.source)
        if not isinstance(self.root, dict):
            kind = (
                "une liste"
                if isinstance(self.root, list)
                else f"la valeur « {shorten(self.root)} »"
            )
            subject = "le fichier" if issubclass(self.error, KnowledgeError) else "le profil"
            raise self.error(
                f"{subject} doit être un ensemble de clés (« clé: valeur ») ; reçu {kind}",
                file=self.source,
                line=self.root_position.line,
                column=self.root_position.column,
            )
        return YamlDocument(
            self.root, self.source, self.key_positions, self.value_positions, self.texts
        )


_INVALID = object()
_KIND_NAMES = {
    "int": "nombre entier",
    "float": "nombre",
    "bool": "booléen (true ou false)",
    "timestamp": "date",
    "null": "valeur vide",
}
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
            if len(digits.lstrip("0")) > _MAX_DIGITS:
                int(digits[2:] if base != 10 else digits[:_MAX_DIGITS], base)  # digits check
                return sign * 10**_MAX_DIGITS
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
