"""The page's form, built from the profile's JSON Schema.

The schema gives each field its type, limits, choices and French help text; this module
turns it into plain records the page template lays out (one input per field, a
repeatable group per list of objects), labelled with the schema's French titles (the
same as the spreadsheet template's columns), with the units and choice names of
:mod:`fichegen.web.labels`. Element ids are derived from field paths the same way the
page's script derives them from the ``champ`` of an error, so an error lands beside its
field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from fichegen.web.labels import CHOICES, SECTION_TITLES, UNITS

__all__ = ["FormField", "FormGroup", "FormSection", "error_labels", "field_id", "form_sections"]

_INDEX = re.compile(r"\[(\d+|__i__)\]")


def field_id(path: str) -> str:
    """``acteurs_ess[0].nom`` → ``f-acteurs_ess-0-nom`` (the page's script does the same)."""
    return "f-" + _INDEX.sub(r"-\1", path).replace(".", "-")


def _label_key(path: str) -> str:
    return _INDEX.sub("", path)


@dataclass(frozen=True)
class FormField:
    """One input of the form."""

    path: str  # profile path; inside a group, with ``[__i__]`` for the item's index
    label: str
    help: str
    kind: str  # integer, number, boolean, choice, text, textarea, date
    required: bool = False
    unit: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    maximum: float | None = None
    minimum: float | None = None
    max_length: int | None = None

    @property
    def id(self) -> str:
        return field_id(self.path)


@dataclass(frozen=True)
class FormGroup:
    """A repeatable group: a list of objects (actors, premises, contracts)."""

    path: str
    label: str
    help: str
    item_label: str
    fields: tuple[FormField, ...]
    max_items: int | None = None

    @property
    def id(self) -> str:
        return field_id(self.path)


@dataclass(frozen=True)
class FormSection:
    key: str
    title: str
    help: str
    items: tuple[FormField | FormGroup, ...] = field(default=())

    @property
    def id(self) -> str:
        return "s-" + self.key

    @property
    def is_group(self) -> bool:
        """A section that is one repeatable group (its errors go to the group's own place)."""
        return len(self.items) == 1 and self.items[0].path == self.key


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        resolved: dict[str, Any] = schema["$defs"][ref.removeprefix("#/$defs/")]
        return resolved
    return node


def _non_null(node: dict[str, Any]) -> dict[str, Any]:
    options = [o for o in node.get("anyOf", []) if o.get("type") != "null"]
    return {**node, **options[0]} if len(options) == 1 else node


def _field(path: str, node: dict[str, Any], required: bool) -> FormField:
    spec = _non_null(node)
    key = _label_key(path)
    kind = {"integer": "integer", "number": "number", "boolean": "boolean"}.get(
        spec.get("type", ""), "text"
    )
    choices: tuple[tuple[str, str], ...] = ()
    if "enum" in spec:
        kind = "choice"
        choices = tuple((str(v), CHOICES.get(str(v), str(v))) for v in spec["enum"])
    elif spec.get("format") == "date":
        kind = "date"
    elif kind == "text" and int(spec.get("maxLength", 0)) > 200:
        kind = "textarea"
    return FormField(
        path=path,
        label=str(node.get("title") or key),
        help=str(node.get("description", "")),
        kind=kind,
        required=required,
        unit=UNITS.get(key, ""),
        choices=choices,
        maximum=spec.get("maximum"),
        minimum=spec.get("minimum", spec.get("exclusiveMinimum")),
        max_length=spec.get("maxLength"),
    )


def _items(
    schema: dict[str, Any], model: dict[str, Any], prefix: str
) -> list[FormField | FormGroup]:
    required = set(model.get("required", []))
    out: list[FormField | FormGroup] = []
    for name, node in model.get("properties", {}).items():
        path = f"{prefix}{name}"
        if node.get("type") == "array" and "$ref" in node.get("items", {}):
            item = _resolve(schema, node["items"])
            fields = tuple(
                f for f in _items(schema, item, f"{path}[__i__].") if isinstance(f, FormField)
            )
            out.append(
                FormGroup(
                    path=path,
                    label=str(node.get("title") or name),
                    help=str(node.get("description", "")),
                    item_label=str(item.get("title", name)),
                    fields=fields,
                    max_items=node.get("maxItems"),
                )
            )
        elif "$ref" in node:
            out.extend(_items(schema, _resolve(schema, node), f"{path}."))
        else:
            out.append(_field(path, node, name in required))
    return out


@cache
def form_sections() -> tuple[FormSection, ...]:
    """The form's sections, in the order of the profile (levers handled by the page)."""
    from fichegen.inputs.profile import profile_json_schema

    schema = profile_json_schema()
    sections: list[FormSection] = []
    for name, node in schema["properties"].items():
        if name in ("version", "priorites", "exclure"):
            continue  # the format version is implied; levers have their own widget
        title = SECTION_TITLES.get(name, name)
        if node.get("type") == "array":
            items = _items(schema, {"properties": {name: node}}, "")
            sections.append(FormSection(name, title, str(node.get("description", "")), (*items,)))
            continue
        model = _resolve(schema, node)
        items = _items(schema, model, f"{name}.")
        sections.append(FormSection(name, title, str(model.get("description", "")), (*items,)))
    return tuple(sections)


@cache
def error_labels() -> dict[str, str]:
    """What the page's error summary calls each field: its French label, by path without
    list indices (``acteurs_ess.nom``); a list's own path ends with ``[]`` for the name of
    one of its items (« Acteur de l’ESS »). The page never shows a field path."""
    from fichegen.inputs.labels import field_labels

    labels = {path.replace("[]", ""): label for path, label in field_labels().items()}
    labels["commune.code_insee"] = "Commune"
    for section in form_sections():
        labels[section.key] = section.title
        for item in section.items:
            labels[_label_key(item.path)] = item.label
            if isinstance(item, FormGroup):
                labels[f"{item.path}[]"] = item.item_label
                labels.update((_label_key(f.path), f.label) for f in item.fields)
    return labels
