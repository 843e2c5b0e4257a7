"""Security headers for every answer, and what a request must be to be read at all.

The page loads only its own script and stylesheet (no inline script, no inline style).
The one inline stylesheet allowed is the fiche's own, by its hash: the preview shows the
fiche's standalone HTML in a sandboxed ``srcdoc`` frame, which inherits this policy, so
the fiche is styled but can never run a script.

:class:`RequestGuard` refuses, before any body is read, a ``POST`` whose body is not
declared as JSON, YAML or a form upload (415: ``text/plain`` and bodies without a type
are what another site's page can make a browser send without asking) and one whose
``Origin`` is not this server (403). It also gives a client :data:`BODY_TIMEOUT_S` seconds
to send its body, and answers 408 to a slower one (counted in the log).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
from functools import cache

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "BODY_TIMEOUT_S",
    "MAX_BODY",
    "BodyTooLarge",
    "RequestGuard",
    "SecurityHeaders",
    "content_security_policy",
    "slow_clients",
]

log = logging.getLogger("fichegen.web")

MAX_BODY = 256 * 1024  # a profile is a few kilobytes; a maximal one (docs/profil.md) ~200 KiB
BODY_TIMEOUT_S = float(os.environ.get("FICHEGEN_WEB_DELAI_CORPS") or 20.0)  # whole body
POST_TYPES = (
    "application/json",
    "application/yaml",
    "application/x-yaml",
    "text/yaml",
    "text/x-yaml",
    "multipart/form-data",
)

_SLOW = {"en-têtes": 0, "corps": 0}


def slow_clients() -> dict[str, int]:
    """How many connections were cut off for sending their headers or body too slowly."""
    return dict(_SLOW)


def count_slow_client(part: str) -> int:
    """Count one slow client cut off while sending ``part``; return the new total."""
    _SLOW[part] += 1
    return _SLOW[part]


class BodyTooLarge(Exception):
    """The request body is over :data:`MAX_BODY`."""


@cache
def fiche_style_hash() -> str:
    """CSP source of the fiche's inline stylesheet, as the HTML renderer writes it."""
    from fichegen.renderers.html import style_source

    return style_source()


@cache
def content_security_policy() -> str:
    return "; ".join(
        (
            "default-src 'none'",
            "script-src 'self'",
            f"style-src 'self' {fiche_style_hash()}",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "frame-src 'self'",
            "form-action 'self'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        )
    )


class SecurityHeaders:
    """ASGI middleware adding the security headers to every HTTP answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = [
            (b"content-security-policy", content_security_policy().encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"no-referrer"),
            (b"cross-origin-opener-policy", b"same-origin"),
            (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
        ]
        if not str(scope.get("path", "")).startswith("/static/"):
            headers.append((b"cache-control", b"no-store"))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in headers if n not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class _TooSlow(Exception):
    """The client did not send its body in time."""


def _error_body(message: str) -> bytes:
    issue = {"ligne": None, "colonne": None, "champ": None, "message": message}
    return json.dumps({"erreurs": [issue]}, ensure_ascii=False).encode("utf-8")


def _own_origin(scope: Scope, headers: dict[bytes, bytes]) -> str:
    host = headers.get(b"host", b"").decode("latin-1").strip().lower()
    return f"{scope.get('scheme', 'http')}://{host}"


class RequestGuard:
    """ASGI middleware: content type and origin of a ``POST``, and a deadline on its body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        headers = {name.lower(): value for name, value in scope.get("headers", [])}
        media = headers.get(b"content-type", b"").decode("latin-1").split(";")[0]
        if media.strip().lower() not in POST_TYPES:
            await _refuse(
                send,
                415,
                "type de corps refusé : envoyez le profil en JSON (application/json) ou en "
                "YAML (application/yaml), ou un fichier par le formulaire (multipart/form-data)",
            )
            return
        origin = headers.get(b"origin")
        if origin is not None and origin.decode("latin-1").lower() != _own_origin(scope, headers):
            log.info("requête refusée : origine étrangère")
            await _refuse(send, 403, "requête refusée : elle ne vient pas de la page du serveur")
            return
        deadline = time.monotonic() + BODY_TIMEOUT_S
        started = False
        body_done = False

        async def timed_receive() -> Message:
            nonlocal body_done
            if body_done:  # e.g. the wait for a disconnection while the fiche renders
                return await receive()
            left = deadline - time.monotonic()
            try:
                message = await asyncio.wait_for(receive(), max(left, 0.001))
            except TimeoutError:
                raise _TooSlow from None
            body_done = message["type"] != "http.request" or not message.get("more_body")
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, timed_receive, tracked_send)
        except _TooSlow:
            total = count_slow_client("corps")
            log.warning(
                "client trop lent : corps pas reçu en %g s (%d en tout)", BODY_TIMEOUT_S, total
            )
            if not started:
                await _refuse(
                    send, 408, f"corps de la requête pas reçu en {BODY_TIMEOUT_S:g} s", close=True
                )


async def _refuse(send: Send, status: int, message: str, *, close: bool = False) -> None:
    body = _error_body(message)
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
