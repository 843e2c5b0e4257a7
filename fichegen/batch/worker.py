"""What a batch worker runs for one commune: build and render in memory, return bytes.

The same function runs in a local worker process and on a Dask worker; it never
writes a file (the parent process does, atomically). :func:`call_task` turns anything
that escapes a task, including ``BaseException`` subclasses such as WeasyPrint's
``FatalURLFetchingError``, into a failed :class:`Reply`, so only a real crash of the
process (segfault, kill) or a hang is left to the pool to handle.

This module stays light to import: the pipeline is imported inside the task only.
"""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fichegen.errors import FichegenError, shorten
from fichegen.options import RenderOptions

if TYPE_CHECKING:
    from fichegen.inputs.donnees import SheetRow
    from fichegen.inputs.official.types import OfficialData

__all__ = [
    "CommuneTask",
    "Reply",
    "TaskFunction",
    "TaskOutput",
    "call_task",
    "failure_reply",
    "produce_fiche",
]


@dataclass(frozen=True)
class CommuneTask:
    """Everything a worker needs for one commune (picklable, no open resources)."""

    code_insee: str
    profile_path: str | None  # None: a profile from the reference data alone
    options: RenderOptions
    attempt: int = 1
    profile_bytes: bytes | None = None  # the file's content, read by the client: no shared disk
    row: SheetRow | None = None  # the commune's row of the --donnees spreadsheet, if any
    official: OfficialData | None = None  # what the open-data files say of this commune
    knowledge_files: tuple[tuple[str, bytes], ...] | None = None  # --knowledge, read likewise


@dataclass(frozen=True)
class TaskOutput:
    """The rendered files of one commune, in memory, and what the selection chose."""

    outputs: tuple[tuple[str, bytes], ...]  # (format, data), in the order of options.formats
    levers: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reply:
    """What comes back from a worker: an output or a French error message."""

    code_insee: str
    output: TaskOutput | None
    error: str | None
    seconds: float
    pid: int
    peak_rss_kb: int


TaskFunction = Callable[[CommuneTask], TaskOutput]


def _peak_rss_kb() -> int:
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def failure_reply(code_insee: str, message: str, seconds: float = 0.0) -> Reply:
    """A failed reply built outside the worker (crash, timeout, duplicate profiles)."""
    return Reply(code_insee, None, message, seconds, 0, 0)


def describe_exception(exc: BaseException) -> str:
    """French one- or multi-line message for an exception raised by a task."""
    if isinstance(exc, FichegenError):
        return "\n".join(exc.lines())
    text = shorten(str(exc), 160)
    detail = f"{type(exc).__name__} : {text}" if text else type(exc).__name__
    return f"erreur interne pendant la production de la fiche ({detail})"


def call_task(task_fn: TaskFunction, task: CommuneTask) -> Reply:
    """Run one task and never raise, except KeyboardInterrupt and SystemExit."""
    start = time.perf_counter()
    try:
        output = task_fn(task)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # FatalURLFetchingError derives from BaseException
        return Reply(
            task.code_insee,
            None,
            describe_exception(exc),
            time.perf_counter() - start,
            os.getpid(),
            _peak_rss_kb(),
        )
    return Reply(
        task.code_insee, output, None, time.perf_counter() - start, os.getpid(), _peak_rss_kb()
    )


# --- the real task ---------------------------------------------------------------------------

_KNOWLEDGE: dict[str, Any] = {}


def _knowledge(task: CommuneTask) -> Any:
    """The knowledge base, loaded once per worker process and knowledge folder content."""
    import hashlib

    from fichegen.knowledge.base import load_knowledge, load_knowledge_files

    files = task.knowledge_files
    if files is None:
        key = str(task.options.knowledge_dir) if task.options.knowledge_dir is not None else ""
    else:
        digest = hashlib.sha256()
        for name, raw in files:
            digest.update(name.encode("utf-8", "replace") + b"\0" + hashlib.sha256(raw).digest())
        key = "files:" + digest.hexdigest()
    if key not in _KNOWLEDGE:
        if len(_KNOWLEDGE) >= 4:  # a long-lived Dask worker may see many folders
            _KNOWLEDGE.clear()
        _KNOWLEDGE[key] = (
            load_knowledge(task.options.knowledge_dir)
            if files is None
            else load_knowledge_files(files)
        )
    return _KNOWLEDGE[key]


def produce_fiche(task: CommuneTask) -> TaskOutput:
    """Load the profile, select, compose and render every requested format, in memory."""
    from fichegen.inputs.profile import load_profile, profile_for_commune, profile_from_bytes
    from fichegen.renderers.output import render_formats
    from fichegen.selection.builder import build

    if task.profile_bytes is not None:
        profile = profile_from_bytes(task.profile_bytes, task.profile_path or "<profil>")
    elif task.profile_path is not None:
        profile = load_profile(Path(task.profile_path))
    else:
        profile = profile_for_commune(task.code_insee)
    if task.row is not None:
        from fichegen.inputs.overlay import apply_row

        profile = apply_row(profile, task.row)
    if task.official is not None:
        from fichegen.inputs.official.apply import apply_official

        profile = apply_official(profile, task.official)
    fiche = build(profile, knowledge=_knowledge(task))
    outputs = render_formats(fiche, task.options)
    levers: Any = getattr(fiche, "levers", ())
    examples: Any = getattr(fiche, "examples", ())
    return TaskOutput(
        outputs=outputs,
        levers=tuple(str(lever.id) for lever in levers),
        examples=tuple(str(example.id) for example in examples),
    )
