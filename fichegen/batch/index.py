"""The ``index.html`` page of a batch folder: every fiche with its links, status and levers.

Levers and examples are shown by their titles in the knowledge base (an id the built-in
base does not know, such as an example from a user folder, is shown as is).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from fichegen.batch.result import CommuneResult
from fichegen.french.formatting import french_date, integer
from fichegen.french.typography import NBSP
from fichegen.resources import templates_dir

__all__ = ["local_time", "render_index", "title"]

_FORMAT_ORDER = {"html": 0, "pdf": 1, "docx": 2}
_COUNT_LABELS = {"ok": "produites", "skipped": "à jour", "failed": "en échec"}


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(templates_dir())),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@cache
def _titles() -> dict[str, str]:
    from fichegen.knowledge.base import load_knowledge

    kb = load_knowledge()
    titles = {lever.id: lever.titre for lever in kb.levers}
    titles.update((example.id, example.titre) for example in kb.examples)
    return titles


def title(ident: str) -> str:
    """The title of a lever or example of the built-in base (an unknown id as is)."""
    return _titles().get(ident, ident)


def local_time(moment: datetime) -> str:
    """« 5 décembre 2026 à 4 h 11 (heure CET, UTC+1) » in the machine's time zone, named."""
    local = moment.astimezone()
    offset = local.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    name = local.tzname() or ""
    hours, rest = divmod(abs(minutes), 60)
    shift = (
        ""
        if not minutes
        else f"{'+' if minutes > 0 else '−'}{hours}" + (f":{rest:02d}" if rest else "")
    )
    if not minutes and name in ("UTC", "GMT", ""):
        zone = "heure UTC"
    elif name and name[0] not in "+-":
        zone = f"heure {name}, UTC{shift}"
    else:
        zone = f"UTC{shift}"
    when = f"{french_date(local.date())} à {local.hour}{NBSP}h{NBSP}{local.minute:02d}"
    return f"{when} ({zone})"


def _row(result: CommuneResult, labels: dict[str, str]) -> dict[str, Any]:
    files = sorted(
        (
            {"name": name, "format": name.rsplit(".", 1)[-1].upper(), "sha256": sha}
            for name, sha in result.files
        ),
        key=lambda f: (_FORMAT_ORDER.get(str(f["format"]).lower(), 9), f["name"]),
    )
    return {
        "code": result.code_insee,
        "nom": result.nom,
        "population": integer(result.population) if result.population is not None else "—",
        "status": result.status,
        "status_label": labels[result.status],
        "files": files,
        "levers": [title(i) for i in result.levers],
        "examples": [title(i) for i in result.examples],
        "error": result.error or "",
    }


def render_index(
    *,
    ordered: Sequence[CommuneResult],
    departement: str,
    updated: datetime,
    complete: bool,
    counts: dict[str, int],
    warnings: Sequence[str],
    labels: dict[str, str],
) -> str:
    """The index page as HTML text (every value autoescaped)."""
    template = _environment().get_template("index.html.j2")
    return template.render(
        departement=departement,
        updated=updated.isoformat(timespec="seconds"),
        updated_text=local_time(updated),
        complete=complete,
        counts={_COUNT_LABELS[k]: integer(v) for k, v in counts.items()},
        total=integer(len(ordered)),
        warnings=list(warnings),
        rows=[_row(result, labels) for result in ordered],
    )
