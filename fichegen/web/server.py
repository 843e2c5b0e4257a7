"""``fichegen serve``: run the web application under uvicorn.

Binds to 127.0.0.1 unless told otherwise. Behind a reverse proxy, uvicorn's
``FORWARDED_ALLOW_IPS`` environment variable names the proxies whose
``X-Forwarded-For``/``X-Forwarded-Proto`` headers are trusted. SIGTERM and Ctrl-C stop
accepting connections, let running requests finish, then stop the render workers.

Slow clients are cut off: a connection must send a request's headers within
:data:`HEADER_TIMEOUT_S` seconds (of opening, or of the previous answer), an idle
keep-alive connection is closed after :data:`KEEP_ALIVE_S` seconds, headers are capped at
16 KiB, and at most :data:`MAX_CONNECTIONS` connections are served at once (503 past
that). The body's own deadline is :class:`fichegen.web.security.RequestGuard`'s.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import shutil
import signal
import socket
from collections.abc import Iterator
from typing import Any

from fichegen.errors import InputError, missing_extra, os_error_text

__all__ = ["HEADER_TIMEOUT_S", "KEEP_ALIVE_S", "MAX_CONNECTIONS", "serve"]

HEADER_TIMEOUT_S = float(os.environ.get("FICHEGEN_WEB_DELAI_ENTETES") or 10.0)
KEEP_ALIVE_S = 5
MAX_CONNECTIONS = 200
MAX_HEADER_BYTES = 16 * 1024

log = logging.getLogger("fichegen.web")


def serve(
    host: str = "127.0.0.1", port: int = 8000, jobs: int | None = None, engine: str = "weasyprint"
) -> None:
    """Serve the page and the API until SIGTERM or Ctrl-C."""
    try:
        import uvicorn
    except ImportError:
        raise InputError(missing_extra("web", "le serveur web (fichegen serve)")) from None
    from fichegen.web.app import create_app
    from fichegen.web.logs import configure_logging

    _check_address(host, port)

    configure_logging()  # uvicorn's lines in French (fichegen/web/logs.py)
    app = create_app(jobs=jobs, engine=engine)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        http=_guarded_protocol(),
        proxy_headers=True,
        server_header=False,
        timeout_keep_alive=KEEP_ALIVE_S,
        limit_concurrency=MAX_CONNECTIONS,
        h11_max_incomplete_event_size=MAX_HEADER_BYTES,
        timeout_graceful_shutdown=90,
        log_config=None,
    )
    _server_class(uvicorn)(config).run()


def _check_address(host: str, port: int) -> None:
    """Refuse, in French and before starting anything, an address that cannot be used."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise InputError(f"adresse d'écoute inconnue : « {host[:100]} »", field="--host") from None
    family, kind, proto, _name, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            reason = (
                "le port est déjà utilisé"
                if exc.errno == errno.EADDRINUSE
                else "adresse non disponible sur cette machine"
                if exc.errno == errno.EADDRNOTAVAIL
                else os_error_text(exc)
            )
            raise InputError(f"impossible d'écouter sur {host}:{port} : {reason}") from None


def _guarded_protocol() -> Any:
    """uvicorn's h11 protocol, with a deadline on receiving each request's headers.

    uvicorn itself only times out idle keep-alive connections, and any byte received
    cancels that timer: a client sending one header byte every few seconds would keep
    its connection (and a slot of ``limit_concurrency``) for ever.
    """
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    from fichegen.web.security import count_slow_client

    class GuardedH11Protocol(H11Protocol):
        _header_timer: Any = None

        def _arm_header_timer(self) -> None:
            self._disarm_header_timer()
            self._header_timer = self.loop.call_later(HEADER_TIMEOUT_S, self._headers_too_slow)

        def _disarm_header_timer(self) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None

        def _headers_too_slow(self) -> None:
            self._header_timer = None
            if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
                total = count_slow_client("en-têtes")
                log.warning(
                    "client trop lent : en-têtes pas reçus en %g s (%d en tout)",
                    HEADER_TIMEOUT_S,
                    total,
                )
                self.transport.close()

        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            self._arm_header_timer()

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self.conn.their_state is not h11.IDLE:  # the request's headers are in
                self._disarm_header_timer()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():
                self._arm_header_timer()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm_header_timer()
            super().connection_lost(exc)

    return GuardedH11Protocol


def _server_class(uvicorn: Any) -> Any:
    """uvicorn's Server, removing multiprocessing's temporary folder (the forkserver's
    socket) before uvicorn re-raises SIGTERM: a process ended by that signal never runs
    the exit handler that would remove it."""

    class Server(uvicorn.Server):  # type: ignore[misc]
        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            with super().capture_signals():
                try:
                    yield
                finally:
                    if signal.SIGTERM in self._captured_signals:  # no exit handler will run
                        _remove_multiprocessing_folder()

    return Server


def _remove_multiprocessing_folder() -> None:
    import multiprocessing

    config = getattr(multiprocessing.current_process(), "_config", {})
    folder = config.get("tempdir")
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
