"""The outcome of one commune in a batch, shared by the run, the manifest and its index page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["STATUS_LABELS", "CommuneResult", "Status"]

Status = Literal["ok", "skipped", "failed"]
STATUS_LABELS = {"ok": "produite", "skipped": "ignorée (à jour)", "failed": "échec"}
"""French label of each status, as ``index.csv`` and ``index.html`` print it (``index.json``
keeps the machine keys ``ok``, ``skipped``, ``failed``)."""


@dataclass(frozen=True)
class CommuneResult:
    """What happened to one commune in a batch."""

    code_insee: str
    nom: str
    population: int | None  # population municipale from the reference
    status: Status
    files: tuple[tuple[str, str], ...]  # (file name, sha256)
    levers: tuple[str, ...]
    examples: tuple[str, ...]
    error: str | None
    seconds: float
    worker_pid: int | None = None
    peak_rss_kb: int | None = None  # peak resident memory of the worker so far
    sources: tuple[str, ...] = ()  # where its figures came from: a profile, a spreadsheet row
