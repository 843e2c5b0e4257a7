"""``fichegen serve``: run the web application under uvicorn.

Binds to 127.0.0.1 unless told otherwise. Behind a reverse proxy, uvicorn's
``FORWARDED_ALLOW_IPS`` environment variable names the proxies whose
``X-Forwarded-For``/``X-Forwarded-Proto`` headers are trusted. SIGTERM and Ctrl-C stop
accepting connections, let running requests finish, then stop the render workers.
"""

from __future__ import annotations

import errno
import socket

from fichegen.errors import InputError, missing_extra, os_error_text

__all__ = ["serve"]


def serve(host: str = "127.0.0.1", port: int = 8000, jobs: int | None = None) -> None:
    """Serve the page and the API until SIGTERM or Ctrl-C."""
    try:
        import uvicorn
    except ImportError:
        raise InputError(missing_extra("web", "le serveur web (fichegen serve)")) from None
    from fichegen.web.app import create_app
    from fichegen.web.logs import configure_logging

    _check_address(host, port)

    configure_logging()  # uvicorn's lines in French (fichegen/web/logs.py)
    app = create_app(jobs=jobs)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        proxy_headers=True,
        server_header=False,
        timeout_graceful_shutdown=90,
        log_config=None,
    )
    uvicorn.Server(config).run()


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
