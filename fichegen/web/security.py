"""Security headers for every answer, and the request body cap.

The page loads only its own script and stylesheet (no inline script, no inline style).
The one inline stylesheet allowed is the fiche's own, by its hash: the preview shows the
fiche's standalone HTML in a sandboxed ``srcdoc`` frame, which inherits this policy, so
the fiche is styled but can never run a script.
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["MAX_BODY", "BodyTooLarge", "SecurityHeaders", "content_security_policy"]

MAX_BODY = 1024 * 1024  # 1 MiB: a profile is a few kilobytes


class BodyTooLarge(Exception):
    """The request body is over :data:`MAX_BODY`."""


@cache
def fiche_style_hash() -> str:
    """CSP source of the fiche's inline stylesheet, as the HTML renderer writes it."""
    from fichegen.renderers.html import stylesheet_text

    digest = hashlib.sha256(f"\n{stylesheet_text()}\n".encode()).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


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
