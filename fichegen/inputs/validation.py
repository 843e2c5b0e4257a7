"""Validate plain data against a pydantic model, with located French messages.

Pydantic's errors are translated into French here and placed at the ``FILE:LINE:COLUMN``
of the offending key or value, using the positions kept by :mod:`fichegen.inputs.yamlio`;
an unknown key gets the closest valid one as a suggestion.
"""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Mapping
from types import UnionType
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails
from pydantic_core.core_schema import ErrorType

from fichegen.errors import FichegenError, InputError, Issue, shorten
from fichegen.inputs.yamlio import DataPath, YamlDocument, clean_text

__all__ = ["dotted", "validate_located"]


M = TypeVar("M", bound=BaseModel)
_BUILTIN_TYPES = frozenset(get_args(ErrorType))

_PLAIN = {
    "int_type": "nombre entier attendu",
    "int_parsing": "nombre entier attendu",
    "int_from_float": "nombre entier attendu",
    "float_type": "nombre attendu",
    "float_parsing": "nombre attendu",
    "finite_number": "nombre fini attendu",
    "bool_type": "booléen attendu : true ou false",
    "bool_parsing": "booléen attendu : true ou false",
    "string_type": "texte attendu (entre guillemets)",
    "list_type": "liste attendue (« - élément » sur chaque ligne, ou [a, b])",
    "model_type": "ensemble de clés attendu (« clé: valeur »)",
    "model_attributes_type": "ensemble de clés attendu (« clé: valeur »)",
    "dict_type": "ensemble de clés attendu (« clé: valeur »)",
    "date_type": "date attendue au format AAAA-MM-JJ",
    "date_parsing": "date attendue au format AAAA-MM-JJ",
    "date_from_datetime_parsing": "date attendue au format AAAA-MM-JJ",
    "date_from_datetime_inexact": "date sans heure attendue, au format AAAA-MM-JJ",
    "string_too_short": "texte non vide attendu",
    "string_too_long": "texte trop long (au plus {max_length} caractères)",
    "too_long": "liste trop longue (au plus {max_length} éléments)",
    "invalid_key": "clé non textuelle",
}


def validate_located(
    model: type[M],
    data: YamlDocument | Mapping[str, Any],
    *,
    error: type[FichegenError] = InputError,
    source: str | None = None,
) -> M:
    """Validate ``data`` against ``model``; raise ``error`` with every issue, located.

    With a :class:`YamlDocument`, text fields that YAML typed as numbers, booleans or
    dates (``nom: 1789``, ``code_insee: 01001``) get the text as written, and each issue
    carries the line and column of the offending key or value.
    """
    document = data if isinstance(data, YamlDocument) else None
    if document is not None:
        _restore_text(model, document.data, document, ())
        source = document.source
    payload = document.data if document is not None else data
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        issues = [_issue(model, err, document, source) for err in exc.errors(include_url=False)]
    issues.sort(key=lambda i: (i.line is None, i.line or 0, i.column or 0))
    raise error(issues=issues)


def _unwrap(annotation: Any) -> tuple[Any, list[Any]]:
    """The type under Optional/Annotated, and the Annotated metadata met on the way."""
    metadata: list[Any] = []
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            for item in annotation.__metadata__:
                metadata.extend(item.metadata if isinstance(item, FieldInfo) else [item])
            annotation = get_args(annotation)[0]
        elif origin in (Union, UnionType):
            options = [arg for arg in get_args(annotation) if arg is not type(None)]
            if len(options) != 1:
                return annotation, metadata
            annotation = options[0]
        else:
            return annotation, metadata


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _annotation_at(model: type[BaseModel], loc: DataPath) -> tuple[Any, list[Any]]:
    """Type and constraints of the field at ``loc`` (None when the path leaves the schema)."""
    current: Any = model
    metadata: list[Any] = []
    for part in loc:
        if isinstance(part, str) and _is_model(current) and part in current.model_fields:
            info = current.model_fields[part]
            current, metadata = _unwrap(info.annotation)
            metadata = [*info.metadata, *metadata]
        elif isinstance(part, int) and get_origin(current) is list:
            current, metadata = _unwrap(get_args(current)[0])
        else:
            return None, []
    return current, metadata


def _restore_text(
    model: type[BaseModel], data: Any, document: YamlDocument, path: DataPath
) -> None:
    if not isinstance(data, dict):
        return
    for name, info in model.model_fields.items():
        if name not in data:
            continue
        sub = (*path, name)
        kind, _ = _unwrap(info.annotation)
        value = data[name]
        if kind is str and isinstance(value, bool | int | float | datetime.date):
            text = document.plain_text(sub)
            if text is not None:
                data[name] = clean_text(text)
        elif _is_model(kind):
            _restore_text(kind, value, document, sub)
        elif get_origin(kind) is list and isinstance(value, list):
            item, _ = _unwrap(get_args(kind)[0])
            if _is_model(item):
                for index, element in enumerate(value):
                    _restore_text(item, element, document, (*sub, index))


def dotted(loc: DataPath) -> str:
    """``("acteurs_ess", 0, "type")`` → ``acteurs_ess[0].type``."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _shown(value: Any, loc: DataPath, document: YamlDocument | None) -> str:
    text = document.plain_text(loc) if document is not None else None
    if text is None:
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif value is None:
            text = "null (vide)"
        elif isinstance(value, dict):
            return "un ensemble de clés"
        elif isinstance(value, list | tuple):
            return "une liste"
        elif isinstance(value, str):
            text = value
        else:
            return f"« {shorten(value)} »"
    if text and not text.strip():
        return "un texte fait seulement d'espaces"
    return f"« {shorten(clean_text(text[:1000]))} »"


def _issue(
    model: type[BaseModel], err: ErrorDetails, document: YamlDocument | None, source: str | None
) -> Issue:
    loc: DataPath = tuple(err["loc"])
    kind = err["type"]
    ctx: dict[str, Any] = dict(err.get("ctx") or {})
    for extra in ("champ", "index"):
        if extra in ctx:
            loc = (*loc, ctx[extra])
    value = err.get("input")
    key = kind in ("extra_forbidden", "missing")
    if kind == "missing":
        message = "champ obligatoire manquant"
        where = document.position(loc[:-1], key=True) if document else None
    else:
        where = document.position(loc, key=key) if document else None
        message = _message(model, kind, loc, ctx, err["msg"], value, document)
    return Issue(
        message,
        source,
        where.line if where else None,
        where.column if where else None,
        dotted(loc) or None,
    )


def _message(
    model: type[BaseModel],
    kind: str,
    loc: DataPath,
    ctx: dict[str, Any],
    msg: str,
    value: Any,
    document: YamlDocument | None,
) -> str:
    base, metadata = _annotation_at(model, loc)
    received = f", reçu {_shown(value, loc, document)}"
    if kind == "extra_forbidden":
        name = shorten(loc[-1]) if loc else ""
        parent_type = _annotation_at(model, loc[:-1])[0] if loc[:-1] else model
        candidates = list(parent_type.model_fields) if _is_model(parent_type) else []
        close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
        if close:
            return f"clé inconnue « {name} » ; vouliez-vous dire « {close[0]} » ?"
        return f"clé inconnue « {name} » ; clés possibles : {', '.join(candidates)}"
    if kind == "literal_error":
        allowed = [str(option) for option in get_args(base)] if get_origin(base) is Literal else []
        close = difflib.get_close_matches(str(value)[:100], allowed, n=1, cutoff=0.6)
        hint = f" ; vouliez-vous dire « {close[0]} » ?" if close else ""
        return f"valeur non autorisée{received} ; valeurs possibles : {', '.join(allowed)}{hint}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than"):
        return _bound_message(kind, base, metadata, loc) + received
    if kind in ("int_type", "int_from_float") and isinstance(value, float) and value.is_integer():
        high = next((m.le for m in metadata if getattr(m, "le", None) is not None), None)
        if high is not None and abs(value) > high:
            return _bound_message("less_than_equal", base, metadata, loc) + received
        return f"nombre entier attendu, écrit sans exposant ni virgule (1000 et non 1e3){received}"
    if kind in _PLAIN:
        return _PLAIN[kind].format(**ctx) + received + _quoted_number_hint(kind, value)
    if kind == "value_error":
        return msg.removeprefix("Value error, ")
    if kind in _BUILTIN_TYPES:
        return f"valeur invalide ({msg}){received}"
    return msg  # our own PydanticCustomError: already a complete French message


def _quoted_number_hint(kind: str, value: Any) -> str:
    """A number written as text (between quotes) where a number is expected: say so."""
    if kind not in ("int_type", "float_type", "int_parsing", "float_parsing"):
        return ""
    if not isinstance(value, str):
        return ""
    try:
        float(value.strip()[:400])
    except ValueError:
        return ""
    return ", écrit comme un texte : retirez les guillemets"


def _bound_message(kind: str, base: Any, metadata: list[Any], loc: DataPath) -> str:
    low = next(
        (getattr(m, "ge", None) for m in metadata if getattr(m, "ge", None) is not None), None
    )
    strict_low = next((m.gt for m in metadata if getattr(m, "gt", None) is not None), None)
    high = next((m.le for m in metadata if getattr(m, "le", None) is not None), None)
    noun = "nombre entier" if base is int else "nombre"
    unit = " (pourcentage)" if loc and str(loc[-1]).startswith("taux") else ""
    if kind == "less_than_equal" and high is not None and (low is None or high > 1000):
        return f"{noun} inférieur ou égal à {_num(high)} attendu"
    if low is not None and high is not None and high <= 1000:
        return f"{noun} entre {_num(low)} et {_num(high)} attendu{unit}"
    if strict_low == 0:
        return f"{noun} strictement positif attendu"
    if low == 0:
        return f"{noun} positif ou nul attendu"
    if low is not None:
        return f"{noun} supérieur ou égal à {_num(low)} attendu"
    if high is not None:
        return f"{noun} inférieur ou égal à {_num(high)} attendu"
    return f"{noun} hors limites"


def _num(value: float) -> str:
    """``100000000`` → ``100 000 000``; ``0.5`` stays ``0.5``."""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", " ")
    return f"{value:g}"
