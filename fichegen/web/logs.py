"""The server's log lines in French: uvicorn's own messages translated, one format.

uvicorn writes its messages in English with ``%`` placeholders; a filter on the one
handler swaps each known message for its French version (same placeholders), names the
level in French, and drops the query string of the access lines (a search typed by a
visitor is not logged). A message this table does not know (a new uvicorn version) is
kept as uvicorn wrote it. What a library prints before :func:`configure_logging` runs
(an import warning) is out of reach; docs/web.md says so.
"""

from __future__ import annotations

import logging

__all__ = ["FRENCH", "configure_logging"]

_FORCE = " (Ctrl+C pour forcer l'arrêt)"
FRENCH: dict[str, str] = {
    "Started server process [%d]": "Processus du serveur démarré [%d]",
    "Waiting for application startup.": "Démarrage de l'application…",
    "Application startup complete.": "Application prête.",
    "Uvicorn running on %s://%s:%d (Press CTRL+C to quit)": (
        "Serveur à l'écoute sur %s://%s:%d (Ctrl+C pour l'arrêter)"
    ),
    "Uvicorn running on %s://[%s]:%d (Press CTRL+C to quit)": (
        "Serveur à l'écoute sur %s://[%s]:%d (Ctrl+C pour l'arrêter)"
    ),
    "Shutting down": "Arrêt du serveur",
    "Waiting for connections to close. (CTRL+C to force quit)": (
        "Attente de la fin des connexions en cours" + _FORCE
    ),
    "Waiting for background tasks to complete. (CTRL+C to force quit)": (
        "Attente de la fin des tâches en cours" + _FORCE
    ),
    "Cancel %s running task(s), timeout graceful shutdown exceeded": (
        "Délai d'arrêt dépassé : tâches en cours annulées (%s)"
    ),
    "Waiting for application shutdown.": "Arrêt de l'application…",
    "Application shutdown complete.": "Application arrêtée.",
    "Finished server process [%d]": "Processus du serveur terminé [%d]",
    "Application startup failed. Exiting.": "Échec du démarrage de l'application : arrêt.",
    "Application shutdown failed. Exiting.": "Échec de l'arrêt de l'application.",
    "Exception in ASGI application\n": "Erreur interne de l'application\n",
    "ASGI callable returned without starting response.": "L'application n'a rien répondu.",
    "ASGI callable returned without completing response.": (
        "L'application n'a pas terminé sa réponse."
    ),
    "Invalid HTTP request received.": "Requête HTTP invalide reçue.",
    "Unsupported upgrade request.": "Changement de protocole demandé, non pris en charge.",
    "Exceeded concurrency limit.": "Trop de connexions simultanées.",
    '%s - "%s %s HTTP/%s" %d': "%s « %s %s » HTTP/%s : %d",
}
"""uvicorn's messages (as written in uvicorn 0.3x-0.5x) and their French versions."""

_LEVELS = {
    logging.DEBUG: "débogage",
    logging.INFO: "info",
    logging.WARNING: "avertissement",
    logging.ERROR: "erreur",
    logging.CRITICAL: "critique",
}


class FrenchMessages(logging.Filter):
    """Translate a known message, name the level in French, hide query strings."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and record.msg in FRENCH:
            if record.name == "uvicorn.access" and isinstance(record.args, tuple):
                args = list(record.args)
                if len(args) == 5 and isinstance(args[2], str):
                    args[2] = args[2].split("?", 1)[0]  # what a visitor typed stays private
                record.args = tuple(args)
            record.msg = FRENCH[record.msg]
        record.niveau = _LEVELS.get(record.levelno, record.levelname.lower())
        return True


def configure_logging(level: int = logging.INFO) -> None:
    """One handler on stderr for every logger (uvicorn's and fichegen's), in French."""
    handler = logging.StreamHandler()
    handler.addFilter(FrenchMessages())
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(niveau)s %(message)s", "%Y-%m-%d %H:%M:%S")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []  # through the root's handler only
        logging.getLogger(name).propagate = True
