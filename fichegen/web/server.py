"""``fichegen serve``: run the web application under uvicorn.

Binds to 127.0.0.1 unless told otherwise. Behind a reverse proxy, uvicorn's
``FORWARDED_ALLOW_IPS`` environment variable names the proxies whose
``X-Forwarded-For``/``X-Forwarded-Proto`` headers are trusted. SIGTERM and Ctrl-C stop
accepting connections, let running requests finish, then stop the render workers.
"""

from __future__ import annotations

import logging

from fichegen.errors import InputError

__all__ = ["serve"]


def serve(host: str = "127.0.0.1", port: int = 8000, jobs: int | None = None) -> None:
    """Serve the page and the API until SIGTERM or Ctrl-C."""
    try:
        import uvicorn
    except ImportError:
        raise InputError(
            "le serveur web demande l'extra « web » : pip install 'fichegen[web]'"
        ) from None
    from fichegen.web.app import create_app

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
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
