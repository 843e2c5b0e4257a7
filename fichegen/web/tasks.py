"""What a render worker of the web server runs: read a request body, call the library.

Everything that touches a profile (parsing YAML or JSON, validation, selection,
rendering) runs here, in a worker process, never in the server's event loop: a
hostile body (alias bomb, deep nesting, slow layout) costs a worker, not the server.
Each task returns a picklable :class:`Outcome`; package errors become the located
issues of a 422 answer, with the same French messages as the CLI.
"""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from types import FrameType
from typing import TYPE_CHECKING, Any

from fichegen.batch.worker_process import enter_worker, leave_worker
from fichegen.errors import FichegenError, InputError, Issue, ProfileError
from fichegen.inputs.official.upload import MAX_FILES

if TYPE_CHECKING:
    from fichegen.inputs.profile import Profile

__all__ = [
    "SOURCE_NAME",
    "WARNINGS_HEADER",
    "WARNINGS_MAX",
    "Outcome",
    "TaskDeadline",
    "run_task",
    "warnings_headers",
    "worker_main",
]

_MAX_PARTS = MAX_FILES + 8  # the profile, the files, a margin for a browser's extra fields
SOURCE_NAME = "profil"  # the name a request body gets in messages (there is no file)

MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
    "yaml": "application/yaml; charset=utf-8",
}


WARNINGS_HEADER = "X-Fichegen-Avertissements"
"""The plausibility warnings of a fiche (``POST /api/fiche``): a JSON array, percent-encoded
(UTF-8, every byte outside letters, digits and ``-._~`` escaped), so the value is ASCII."""
WARNINGS_COUNT_HEADER = "X-Fichegen-Avertissements-Nombre"
"""How many warnings there are, even when the list header could not hold them all."""
WARNINGS_MAX = 4096
"""Largest value of :data:`WARNINGS_HEADER`, in bytes: whole warnings only, in their order,
as many as fit (a proxy's default buffer for answer headers is 4 or 8 KiB)."""


class TaskDeadline(BaseException):
    """Raised inside a worker when a task runs past its deadline."""


@dataclass(frozen=True)
class Outcome:
    """What a task gives back: a file, a JSON object, or located errors."""

    status: int = 200
    data: bytes = b""
    media_type: str = "application/json"
    filename: str | None = None
    payload: Any = None  # JSON-ready object (explain, preview, profile)
    errors: list[dict[str, Any]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # extra answer headers (ASCII)
    interrupted: bool = False
    """The deadline cut the task short: the worker is replaced (see :func:`run_task`)."""


def _issue_dict(issue: Issue) -> dict[str, Any]:
    found = {
        "ligne": issue.line,
        "colonne": issue.column,
        "champ": issue.field,
        "message": issue.message,
    }
    if issue.file and issue.file != SOURCE_NAME:  # a file sent with the profile, by its name
        return {"fichier": issue.file, **found}
    return found


def warnings_headers(warnings: Sequence[Issue]) -> dict[str, str]:
    """The headers that carry a fiche's plausibility warnings (see :data:`WARNINGS_HEADER`):
    the keys of ``explain --json``'s ``avertissements`` (``fichier`` only for a file sent
    with the profile), as many whole warnings as fit in :data:`WARNINGS_MAX` bytes."""
    from urllib.parse import quote

    kept: list[dict[str, Any]] = []
    value = quote("[]", safe="")
    for issue in warnings:
        candidate = quote(
            json.dumps([*kept, _issue_dict(issue)], ensure_ascii=False, separators=(",", ":")),
            safe="",
        )
        if len(candidate) > WARNINGS_MAX:
            break
        kept.append(_issue_dict(issue))
        value = candidate
    return {WARNINGS_HEADER: value, WARNINGS_COUNT_HEADER: str(len(warnings))}


def _multipart(body: bytes, content_type: str) -> tuple[bytes, list[tuple[str, bytes]]]:
    """The page's upload: the ``profil`` part (JSON) and the ``donnees`` files."""
    from email.parser import BytesParser
    from email.policy import HTTP

    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    boundary = BytesParser(policy=HTTP).parsebytes(head).get_boundary() or ""
    if body.count(b"--" + boundary.encode("latin-1", "replace")) > _MAX_PARTS:
        # (the parser takes seconds per ten thousand parts: 8 Mio of empty parts, minutes)
        raise ProfileError(f"envoi de trop de parties : un profil et {MAX_FILES} fichiers au plus")
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    if not message.is_multipart():
        raise ProfileError("envoi multipart illisible")
    profile: bytes | None = None
    files: list[tuple[str, bytes]] = []
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        if name == "profil":
            profile = data
        elif name == "donnees" and data:
            files.append((str(part.get_filename() or "fichier"), data))
    if profile is None:
        raise ProfileError("envoi sans partie « profil »")
    return profile, files


def _profile(body: bytes, kind: str) -> Profile:
    """The profile in a request body: JSON (positions unknown) or YAML (line and column);
    from the page's upload (multipart), with the open-data files sent beside it."""
    from fichegen.inputs.profile import profile_from_bytes, profile_from_dict

    if kind.startswith("multipart/form-data"):
        from fichegen.inputs.official.upload import apply_uploaded

        profile_body, files = _multipart(body, kind)
        return apply_uploaded(_profile(profile_body, "json"), files)
    if kind == "json":
        try:
            data = json.loads(body.decode("utf-8"))
        except UnicodeDecodeError:
            raise ProfileError("le corps de la requête n'est pas en UTF-8") from None
        except json.JSONDecodeError as exc:
            raise ProfileError(
                f"JSON invalide : {exc.msg}", line=exc.lineno, column=exc.colno
            ) from None
        except ValueError:  # an integer of more than 4 300 digits (int_max_str_digits)
            raise ProfileError("JSON invalide : nombre démesuré (plus de 4 300 chiffres)") from None
        except RecursionError:
            raise ProfileError("JSON trop imbriqué") from None
        return profile_from_dict(data, SOURCE_NAME)
    return profile_from_bytes(body, SOURCE_NAME)


@cache
def _knowledge() -> Any:
    """The built-in knowledge base, loaded once per worker process."""
    from fichegen.knowledge.base import load_knowledge

    return load_knowledge(None)


def _fiche(profile: Profile) -> Any:
    from fichegen.selection.builder import build

    return build(profile, knowledge=_knowledge())


def _render(profile: Profile, fmt: str, engine: str = "weasyprint") -> Outcome:
    from fichegen.options import RenderOptions, output_name
    from fichegen.renderers.output import render_formats

    fiche = _fiche(profile)
    ((_, data),) = render_formats(fiche, RenderOptions(formats=(fmt,), engine=engine))
    commune = fiche.commune.commune
    return Outcome(
        data=data,
        media_type=MEDIA_TYPES[fmt],
        filename=output_name(commune.code_insee, commune.nom, fmt),
        headers=warnings_headers(fiche.warnings),
    )


def _preview(profile: Profile) -> Outcome:
    """The fiche as HTML plus what was selected and why, from one selection."""
    from fichegen.document.compose import compose
    from fichegen.options import RenderOptions
    from fichegen.renderers.html import render_html

    fiche = _fiche(profile)
    html = render_html(compose(fiche, RenderOptions(formats=("html",))))
    return Outcome(payload={"html": html, "explication": _explanation(fiche)})


def _yaml(profile: Profile) -> Outcome:
    """The profile as a YAML file to keep and upload later (only what was given)."""
    import yaml

    from fichegen.options import slugify

    data = profile.model_dump(mode="json", exclude_unset=True, exclude_none=True)
    data = {"version": 1, **{k: v for k, v in data.items() if k != "version"}}
    text = "# Profil de commune pour fichegen (fiche n°\u00a015)\n" + yaml.safe_dump(
        data, allow_unicode=True, sort_keys=False, width=100
    )
    commune = profile.reference_commune()
    return Outcome(
        data=text.encode("utf-8"),
        media_type=MEDIA_TYPES["yaml"],
        filename=f"profil_{commune.code_insee}_{slugify(commune.nom)}.yaml",
    )


def _as_form(profile: Profile) -> Outcome:
    """The profile as plain JSON data, to fill the page's form after an upload."""
    return Outcome(payload=profile.model_dump(mode="json", exclude_unset=True, exclude_none=True))


def _explanation(fiche: Any) -> Any:
    """The ``explain --json`` object, built by the same function as the CLI's."""
    from fichegen.selection.explain import explain_json

    return json.loads(explain_json(fiche))


def _explain(profile: Profile) -> Outcome:
    return Outcome(payload=_explanation(_fiche(profile)))


_ACTIONS = {
    "pdf": lambda p: _render(p, "pdf"),
    "pdf-typst": lambda p: _render(p, "pdf", "typst"),  # fichegen serve --moteur typst
    "docx": lambda p: _render(p, "docx"),
    "html": lambda p: _render(p, "html"),
    "explain": _explain,
    "preview": _preview,
    "yaml": _yaml,
    "form": _as_form,
}

ACTIONS: tuple[str, ...] = tuple(_ACTIONS)


_alarm_fired: list[bool] = [False]
"""Set by the alarm: its exception can be swallowed (raised inside a cffi callback of the
text layout, it is printed and dropped), so the task also checks this flag when it ends."""


def _alarm(_signum: int, _frame: FrameType | None) -> None:
    _alarm_fired[0] = True
    raise TaskDeadline


def run_task(action: str, body: bytes, kind: str, deadline_s: float) -> Outcome:
    """Run one action on one request body within ``deadline_s`` seconds (worker side)."""
    previous = signal.signal(signal.SIGALRM, _alarm)
    _alarm_fired[0] = False
    signal.setitimer(signal.ITIMER_REAL, deadline_s)
    try:
        outcome = _ACTIONS[action](_profile(body, kind))
        if _alarm_fired[0]:
            raise TaskDeadline
        return outcome
    except InputError as exc:
        return Outcome(status=422, errors=[_issue_dict(i) for i in exc.issues])
    except FichegenError as exc:
        return Outcome(status=500, errors=[_issue_dict(i) for i in exc.issues])
    except TaskDeadline:
        # The alarm may have cut any code short (a lazy import, a cache being filled): the
        # worker answers, then the pool replaces it rather than trust its state.
        message = f"délai dépassé : la fiche n'était pas prête après {deadline_s:g} s"
        return Outcome(status=503, errors=[_issue_dict(Issue(message))], interrupted=True)
    except RecursionError:
        return Outcome(status=422, errors=[_issue_dict(Issue("profil trop imbriqué"))])
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # e.g. WeasyPrint's FatalURLFetchingError is a BaseException
        message = f"erreur interne pendant la production de la fiche ({type(exc).__name__})"
        return Outcome(status=500, errors=[_issue_dict(Issue(message))])
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def worker_main(conn: Any, folder: str, parent_pid: int) -> None:
    """Loop of one render worker: receive a task, send back its :class:`Outcome`.

    The worker's temporary files (WeasyPrint's font folder among them) go to ``folder``,
    which the worker empties when it stops (told to, SIGTERM, or its server gone) and the
    server removes after it (a worker killed by SIGKILL cleans nothing itself).
    """
    enter_worker(folder, parent_pid)
    try:
        conn.send(("prêt", os.getpid()))
        while True:
            try:
                task = conn.recv()
            except (EOFError, OSError):
                return
            if task is None:
                return
            outcome = run_task(*task)
            try:
                conn.send(outcome)
            except OSError:
                return
    finally:
        leave_worker(folder)
