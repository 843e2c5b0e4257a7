"""Knowledge-base files as located data, and pydantic errors as French located issues.

Reading is delegated to :mod:`fichegen.yamlio` (safe, capped, with positions); this module
adapts it to the knowledge base and words schema errors in French with ``FILE:LINE:COLUMN``.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from fichegen.errors import Issue, KnowledgeError, os_error_text
from fichegen.yamlio import MAX_BYTES, YamlDocument, load_yaml_file

__all__ = ["Located", "issues_from_validation", "load_located"]

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
        dotted = ".".join(str(p) for p in path) or None
        return Issue(message, self.file, line, column, dotted)


def load_located(path: Path) -> Located:
    """Read one knowledge-base YAML file safely; raise KnowledgeError if it is unusable."""
    file = str(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise KnowledgeError(f"lecture impossible ({os_error_text(exc)})", file=file) from None
    if not head.strip():
        raise KnowledgeError("fichier vide", file=file)
    document = load_yaml_file(path, error=KnowledgeError)
    return Located(file, document.data, document)


_TYPES = {
    "string_type": "un texte",
    "int_type": "un nombre entier",
    "float_type": "un nombre",
    "list_type": "une liste",
    "dict_type": "une table de clés",
    "model_type": "une table de clés",
    "bool_type": "vrai ou faux (true/false)",
}


def _message(err: Any) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return "champ obligatoire manquant"
    if kind == "extra_forbidden":
        return "clé inconnue"
    if kind in _TYPES:
        return f"valeur attendue : {_TYPES[kind]}"
    if kind == "literal_error":
        return f"valeur non permise (valeurs possibles : {ctx.get('expected', '?')})"
    if kind == "string_pattern_mismatch":
        return "format invalide"
    if kind == "too_short":
        return "ne doit pas être vide"
    if kind in {"greater_than_equal", "less_than_equal"}:
        bound = ctx.get("ge", ctx.get("le"))
        word = "au moins" if kind == "greater_than_equal" else "au plus"
        return f"doit valoir {word} {bound}"
    if kind == "string_too_short":
        return "texte vide non permis"
    return f"valeur invalide ({err.get('msg', kind)})"


def issues_from_validation(exc: ValidationError, located: Located) -> list[Issue]:
    """One French issue per pydantic error, located in the file, with a hint for typos."""
    issues: list[Issue] = []
    for err in exc.errors():
        loc: PathKey = tuple(p for p in err["loc"] if isinstance(p, str | int))
        message = _message(err)
        if err["type"] == "extra_forbidden" and loc:
            hint = _closest_key(str(loc[-1]))
            if hint:
                message += f" ; vouliez-vous dire « {hint} » ?"
        on_key = err["type"] in {"extra_forbidden", "missing"}
        issues.append(located.issue(loc, message, key=on_key))
    return issues


_KNOWN_KEYS = [
    "contexte",
    "leviers",
    "exemples",
    "ressources",
    "source",
    "id",
    "titre",
    "accroche",
    "description",
    "actions",
    "signaux",
    "signal",
    "poids",
    "raison",
    "raison_si_incomplet",
    "commune_code",
    "lieu",
    "echelle",
    "epci",
    "departement",
    "annees",
    "structure",
    "acteurs",
    "communes_associees",
    "chiffres",
    "libelle",
    "valeur",
    "unite",
    "faits",
    "levier_principal",
    "autres_leviers",
    "collection",
    "editeur",
    "date",
    "nature",
    "url",
    "exemple",
    "numero",
    "introduction",
    "sppe",
    "acteurs_intro",
    "note",
    "epci_code",
]


def _closest_key(key: str) -> str | None:
    match = difflib.get_close_matches(key, _KNOWN_KEYS, n=1, cutoff=0.75)
    return match[0] if match else None
