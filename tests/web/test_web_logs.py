"""The server's log in French: uvicorn's messages translated, levels named in French, no
query string (what a visitor searched for) in the access lines."""

from __future__ import annotations

import logging
import signal
import urllib.request
from pathlib import Path

import pytest
from support_web import running_server

from fichegen.web.logs import FRENCH, FrenchMessages


def _record(name: str, msg: str, *args: object) -> logging.LogRecord:
    return logging.LogRecord(name, logging.INFO, __file__, 1, msg, args, None)


def test_known_messages_are_translated_with_the_same_placeholders() -> None:
    record = _record("uvicorn.error", "Uvicorn running on %s://%s:%d (Press CTRL+C to quit)",
                     "http", "127.0.0.1", 8000)  # fmt: skip
    assert FrenchMessages().filter(record)
    assert (
        record.getMessage()
        == "Serveur à l'écoute sur http://127.0.0.1:8000 (Ctrl+C pour l'arrêter)"
    )
    assert record.niveau == "info"  # type: ignore[attr-defined]
    for english, french in FRENCH.items():
        assert english.count("%") == french.count("%"), english


def test_access_lines_leave_the_query_out() -> None:
    record = _record("uvicorn.access", '%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET",
                     "/api/communes?q=ma%20commune", "1.1", 200)  # fmt: skip
    FrenchMessages().filter(record)
    assert record.getMessage() == "127.0.0.1:5000 « GET /api/communes » HTTP/1.1 : 200"


@pytest.mark.slow
def test_fichegen_serve_logs_in_french(tmp_path: Path) -> None:
    with running_server(tmp_path, jobs=1) as (url, log, process):
        with urllib.request.urlopen(url + "/api/communes?q=anstaing", timeout=30) as answer:
            assert answer.status == 200
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    text = log.read_text(encoding="utf-8")
    lines = [line.split(" ", 3)[3] for line in text.splitlines() if line[:2] == "20"]
    assert lines[:4] == [
        f"Processus du serveur démarré [{process.pid}]",
        "Démarrage de l'application…",
        "Application prête.",
        f"Serveur à l'écoute sur {url} (Ctrl+C pour l'arrêter)",
    ]
    assert any(line.endswith("« GET /api/communes » HTTP/1.1 : 200") for line in lines)
    assert lines[-1] == f"Processus du serveur terminé [{process.pid}]"
    for english in ("Uvicorn", "Started", "Press", "Application startup", "Shutting", "anstaing"):
        assert english not in text, english
