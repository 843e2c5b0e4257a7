"""The ASGI application: the page, its static files and the HTTP API of SPEC.md.

No logic lives here: commune search and the schema come from the library, and every
task on a profile runs in the render pool (:mod:`fichegen.web.pool`). Nothing a user
sends is stored, logged or used to read a file or fetch a URL.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from fichegen.errors import FichegenError
from fichegen.resources import web_dir
from fichegen.web.pool import PoolBusy, PoolFailure, RenderPool
from fichegen.web.security import MAX_BODY, BodyTooLarge, RequestGuard, SecurityHeaders
from fichegen.web.tasks import Outcome

__all__ = ["create_app", "default_jobs"]

log = logging.getLogger("fichegen.web")

RETRY_AFTER_S = 5
#: Waiting tasks per render worker with Typst: a PDF takes about a tenth of WeasyPrint's
#: time, so a queue four times as long waits less than WeasyPrint's.
QUEUE_PER_WORKER_TYPST = 16
FICHE_FORMATS = ("pdf", "docx", "html")
_JSON_TYPES = ("application/json",)
MAX_UPLOAD = 8 * 1024 * 1024
"""The page's upload (a profile and open-data files such as Insee's ensemble.zip)."""
_YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")


def default_jobs() -> int:
    """Render workers by default: one per core the process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _errors(status: int, message: str, **headers: str) -> JSONResponse:
    body = {"erreurs": [{"ligne": None, "colonne": None, "champ": None, "message": message}]}
    return JSONResponse(body, status_code=status, headers=headers or None)


async def _body(request: Request, limit: int = MAX_BODY) -> bytes:
    """The request body, refused past ``limit`` bytes without reading it all."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def _kind(request: Request) -> str | None:
    """``json`` or ``yaml`` from the Content-Type (none, or ``text/plain``: refused, since a
    page of another site may send those without asking the browser's permission); the page's
    upload of open-data files (multipart, under the same Origin check as every POST): the
    whole Content-Type, for its boundary."""
    header = request.headers.get("content-type", "")
    media = header.split(";")[0].strip().lower()
    if media == "multipart/form-data" and "boundary=" in header:
        return header
    if media in _JSON_TYPES:
        return "json"
    if media in _YAML_TYPES:
        return "yaml"
    return None


async def _run(request: Request, action: str) -> Outcome | Response:
    """Read the body and run ``action`` in the pool; a Response is an error answer."""
    kind = _kind(request)
    if kind is None:
        return _errors(
            415, "corps attendu en JSON (application/json) ou en YAML (application/yaml)"
        )
    upload = kind.startswith("multipart/")
    try:
        body = await _body(request, MAX_UPLOAD if upload else MAX_BODY)
    except BodyTooLarge:
        if upload:
            return _errors(413, "fichiers joints trop volumineux : 8 Mio au plus en tout")
        return _errors(413, f"profil trop volumineux : {MAX_BODY // 1024} Kio au plus")
    pool: RenderPool = request.app.state.pool
    start = time.perf_counter()
    task = asyncio.ensure_future(pool.run(action, body, kind))
    try:
        while not (await asyncio.wait({task}, timeout=0.5))[0]:
            if await request.is_disconnected():  # e.g. a preview superseded by the next
                task.cancel()
                log.info("%s abandonné : le client est parti", action)
                return Response(status_code=499)
        outcome = task.result()
    except PoolBusy:
        log.info("%s refusé : file d'attente pleine", action)
        return _errors(
            503,
            "le serveur est occupé : réessayez dans quelques secondes",
            **{"Retry-After": str(RETRY_AFTER_S)},
        )
    except PoolFailure as exc:
        log.warning("%s : %s", action, exc.message)
        return _errors(503, exc.message, **{"Retry-After": str(RETRY_AFTER_S)})
    except Exception as exc:  # its text may quote the profile: the log names the type only
        log.error("%s : erreur interne (%s)", action, type(exc).__name__)
        return _errors(500, "erreur interne pendant la production de la fiche")
    log.info("%s %d en %.2f s", action, outcome.status, time.perf_counter() - start)
    if outcome.status != 200:
        headers = {"Retry-After": str(RETRY_AFTER_S)} if outcome.status == 503 else None
        return JSONResponse(
            {"erreurs": outcome.errors}, status_code=outcome.status, headers=headers
        )
    return outcome


def _file(outcome: Outcome) -> Response:
    disposition = f'attachment; filename="{outcome.filename}"'
    headers = {"Content-Disposition": disposition, **outcome.headers}
    return Response(outcome.data, media_type=outcome.media_type, headers=headers)


async def fiche(request: Request) -> Response:
    fmt = request.query_params.get("format", "pdf")
    if fmt not in FICHE_FORMATS:
        return _errors(400, f"format inconnu « {fmt[:20]} » ; formats possibles : pdf, docx, html")
    action = request.app.state.pdf_action if fmt == "pdf" else fmt
    outcome = await _run(request, action)
    return outcome if isinstance(outcome, Response) else _file(outcome)


async def explain(request: Request) -> Response:
    outcome = await _run(request, "explain")
    return outcome if isinstance(outcome, Response) else JSONResponse(outcome.payload)


async def preview(request: Request) -> Response:
    outcome = await _run(request, "preview")
    return outcome if isinstance(outcome, Response) else JSONResponse(outcome.payload)


async def profile(request: Request) -> Response:
    """The profile checked, as YAML to download or as JSON to fill the form."""
    fmt = request.query_params.get("format", "json")
    if fmt not in ("json", "yaml"):
        return _errors(400, f"format inconnu « {fmt[:20]} » ; formats possibles : json, yaml")
    outcome = await _run(request, "yaml" if fmt == "yaml" else "form")
    if isinstance(outcome, Response):
        return outcome
    return _file(outcome) if fmt == "yaml" else JSONResponse(outcome.payload)


def communes(request: Request) -> Response:
    from fichegen.api import find_communes

    query = request.query_params.get("q", "").strip()
    departement = request.query_params.get("departement") or None
    if not query:
        return _errors(400, "indiquez un nom ou un code INSEE : /api/communes?q=…")
    if len(query) > 100 or (departement is not None and len(departement) > 3):
        return _errors(400, "recherche trop longue : 100 caractères au plus")
    try:
        found = find_communes(query, departement, limit=10)
    except FichegenError as exc:
        return _errors(400, exc.first.message)
    return JSONResponse(found)


def schema(_request: Request) -> Response:
    from fichegen.inputs.profile import profile_json_schema

    return JSONResponse(profile_json_schema())


async def health(request: Request) -> Response:
    """200 « prêt » when a request can be served now; 503 « occupé » otherwise."""
    pool: RenderPool = request.app.state.pool
    ready = pool.ready()
    body = {
        "etat": "prêt" if ready else "occupé",
        "processus_de_rendu": pool.jobs,
        "processus_vivants": len(pool.worker_pids()),
        "taches_en_cours": pool.in_flight,
    }
    return JSONResponse(body, status_code=200 if ready else 503)


def page(_request: Request) -> Response:
    from fichegen.web.page import render_page

    return HTMLResponse(render_page())


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.isdigit() and int(value) > 0 else default


def create_app(
    *,
    jobs: int | None = None,
    queue: int | None = None,
    deadline_s: float = 60.0,
    engine: str = "weasyprint",
    max_tasks: int | None = None,
) -> Starlette:
    """The web application, with a render pool of ``jobs`` processes and ``queue`` waiting;
    ``engine`` makes its PDFs (Typst renders in a tenth of the time: a longer queue)."""
    workers = jobs or default_jobs()
    if queue is None:
        queue = workers * (QUEUE_PER_WORKER_TYPST if engine == "typst" else 4)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        from fichegen.api import find_communes

        find_communes("Paris", None, limit=1)  # reference and search index loaded once
        await app.state.pool.start()
        warm = b'commune: {code_insee: "59013"}\n'
        await app.state.pool.run("explain", warm, "yaml")  # forkserver and one worker warm
        try:
            yield
        finally:
            await app.state.pool.aclose()

    routes: list[Any] = [
        Route("/", page),
        Route("/sante", health),
        Route("/api/communes", communes),
        Route("/api/schema", schema),
        Route("/api/fiche", fiche, methods=["POST"]),
        Route("/api/explain", explain, methods=["POST"]),
        Route("/api/apercu", preview, methods=["POST"]),
        Route("/api/profil", profile, methods=["POST"]),
        Mount("/static", StaticFiles(directory=str(web_dir() / "static")), name="static"),
    ]
    middleware = [Middleware(SecurityHeaders), Middleware(RequestGuard)]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.pool = RenderPool(
        jobs=workers,
        queue=queue,
        deadline_s=deadline_s,
        max_tasks=max_tasks or _env_int("FICHEGEN_WEB_RECYCLAGE", 200),
    )
    app.state.pdf_action = "pdf-typst" if engine == "typst" else "pdf"
    return app
