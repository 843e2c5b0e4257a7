"""The server holds: a full queue is 503 with Retry-After, a deadline is kept, a crashed
worker costs only its request and is replaced at once, and SIGTERM lets the running
request finish."""

from __future__ import annotations

import os
import signal
import socket
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient
from support_web import running_server

from fichegen.web.app import create_app
from fichegen.web.pool import PoolFailure

ROOT = Path(__file__).resolve().parents[2]
PROFILE = (ROOT / "profiles" / "anstaing.yaml").read_bytes()
YAML = {"Content-Type": "application/yaml"}


def _in_background(client: Any, path: str) -> tuple[threading.Thread, dict[str, Any]]:
    result: dict[str, Any] = {}

    def post() -> None:
        result["answer"] = client.post(path, content=PROFILE, headers=YAML)

    thread = threading.Thread(target=post)
    thread.start()
    return thread, result


def _wait_for(condition: Any, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition jamais atteinte"
        time.sleep(0.02)


@pytest.mark.slow
def test_full_queue_is_503_with_retry_after() -> None:
    app = create_app(jobs=1, queue=0)
    with TestClient(app) as client:
        thread, result = _in_background(client, "/api/fiche?format=pdf")
        _wait_for(lambda: app.state.pool.in_flight == 1)
        refused = client.post("/api/explain", content=PROFILE, headers=YAML)
        assert refused.status_code == 503
        assert int(refused.headers["retry-after"]) > 0
        assert "occupé" in refused.json()["erreurs"][0]["message"]
        thread.join()
        assert result["answer"].status_code == 200
        assert client.post("/api/explain", content=PROFILE, headers=YAML).status_code == 200


@pytest.mark.slow
def test_deadline_is_kept_and_the_worker_serves_again() -> None:
    app = create_app(jobs=1, queue=2, deadline_s=60.0)
    with TestClient(app) as client:
        assert client.post("/api/explain", content=PROFILE, headers=YAML).status_code == 200
        (first_pid,) = app.state.pool.worker_pids()
        app.state.pool.deadline_s = 0.05
        started = time.monotonic()
        late = client.post("/api/fiche?format=pdf", content=PROFILE, headers=YAML)
        assert late.status_code == 503, late.text
        assert "délai dépassé" in late.json()["erreurs"][0]["message"]
        assert late.headers["retry-after"]
        assert time.monotonic() - started < 15
        # the alarm may have cut anything short: the worker is replaced, not reused
        assert app.state.pool.counts["interrompus"] == 1
        app.state.pool.deadline_s = 60.0
        answer = client.post("/api/explain", content=PROFILE, headers=YAML)
        assert answer.status_code == 200, answer.text
        assert first_pid not in app.state.pool.worker_pids()


@pytest.mark.slow
def test_a_killed_worker_costs_its_request_and_is_replaced_at_once() -> None:
    app = create_app(jobs=1, queue=2)
    with TestClient(app) as client:
        assert client.post("/api/explain", content=PROFILE, headers=YAML).status_code == 200
        (first_pid,) = app.state.pool.worker_pids()
        thread, result = _in_background(client, "/api/fiche?format=pdf")
        _wait_for(lambda: app.state.pool.in_flight == 1)
        time.sleep(0.3)
        os.kill(first_pid, signal.SIGKILL)
        thread.join()
        answer = result["answer"]
        assert answer.status_code == 503 and answer.headers["retry-after"]
        assert "s'est arrêté brutalement" in answer.json()["erreurs"][0]["message"]
        assert app.state.pool.in_flight == 0
        _wait_for(lambda: len(app.state.pool.worker_pids()) == 1, 30)
        assert first_pid not in app.state.pool.worker_pids()
        assert client.get("/sante").status_code == 200
        again = client.post("/api/fiche?format=pdf", content=PROFILE, headers=YAML)
        assert again.status_code == 200 and again.content.startswith(b"%PDF-")


@pytest.mark.slow
def test_sigterm_lets_the_running_request_finish(tmp_path: Path) -> None:
    with running_server(tmp_path, jobs=1) as (url, log, server):
        thread, result = _raw_post(url, "/api/fiche?format=pdf")
        time.sleep(0.5)
        server.send_signal(signal.SIGTERM)
        thread.join(timeout=120)
        assert result["status"] == 200 and result["body"].startswith(b"%PDF-")
        # uvicorn ends by re-raising the signal once shut down, as a process killed by it
        assert server.wait(timeout=60) in (0, -signal.SIGTERM)
    text = log.read_text(encoding="utf-8", errors="replace")
    assert "Processus du serveur terminé" in text  # a clean shutdown, not a kill
    assert "Anstaing" not in text and "59013" not in text  # no profile contents in the logs


@pytest.mark.slow
def test_an_abandoned_request_is_dropped(tmp_path: Path) -> None:
    """A preview whose client left (the page aborts superseded previews) is not waited for."""
    with running_server(tmp_path, jobs=1) as (url, log, _server):
        thread, result = _raw_post(url, "/api/fiche?format=pdf")
        time.sleep(0.3)
        host, port = url.removeprefix("http://").split(":")
        for _ in range(3):
            with socket.create_connection((host, int(port))) as sock:
                head = (
                    f"POST /api/apercu HTTP/1.1\r\nHost: {host}\r\n"
                    f"Content-Type: application/yaml\r\nContent-Length: {len(PROFILE)}\r\n\r\n"
                )
                sock.sendall(head.encode() + PROFILE)
                time.sleep(0.2)
        thread.join(timeout=120)
        assert result["status"] == 200
        _wait_for(lambda: log.read_text(encoding="utf-8").count("preview abandonné") == 3, 60)
        again, answer = _raw_post(url, "/api/explain")
        again.join(timeout=120)
        assert answer["status"] == 200


def _raw_post(url: str, path: str) -> tuple[threading.Thread, dict[str, Any]]:
    result: dict[str, Any] = {}

    def post() -> None:
        request = urllib.request.Request(url + path, data=PROFILE, headers=YAML, method="POST")
        with urllib.request.urlopen(request, timeout=120) as answer:
            result["status"], result["body"] = answer.status, answer.read()

    thread = threading.Thread(target=post)
    thread.start()
    return thread, result


class _FailingPool:
    """Stands for a pool whose workers keep dying, or that meets an unexpected error."""

    jobs = 1

    def __init__(self, error: Exception) -> None:
        self.error = error

    async def run(self, action: str, body: bytes, kind: str) -> Any:
        raise self.error

    def close(self) -> None:
        return None


@pytest.mark.parametrize(
    ("error", "status", "message"),
    [
        (PoolFailure(), 503, "processus de rendu s'est arrêté"),
        (ValueError("x"), 500, "erreur interne"),
    ],
)
def test_a_failing_pool_is_answered_in_french(error: Exception, status: int, message: str) -> None:
    app = create_app(jobs=1)
    app.state.pool = _FailingPool(error)
    client = TestClient(app)  # no lifespan: the real pool is never started
    answer = client.post("/api/explain", content=PROFILE, headers=YAML)
    assert answer.status_code == status
    assert message in answer.json()["erreurs"][0]["message"]


def test_an_unexpected_error_in_a_task_is_500_without_its_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from fichegen.web import tasks

    class Fatal(BaseException):
        pass

    def explode(_profile: object) -> None:
        raise Fatal("contenu du profil")

    monkeypatch.setitem(tasks._ACTIONS, "explain", explode)
    outcome = tasks.run_task("explain", PROFILE, "yaml", 5.0)
    assert outcome.status == 500
    assert outcome.errors[0]["message"] == (
        "erreur interne pendant la production de la fiche (Fatal)"
    )


def test_serve_on_a_busy_port_says_so_in_french(run_cli: Any) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_cli("serve", "--port", str(port))
    assert result.code == 2
    assert f"impossible d'écouter sur 127.0.0.1:{port} : le port est déjà utilisé" in result.err
    unknown = run_cli("serve", "--host", "hôte.invalide", "--port", "8000")
    assert unknown.code == 2 and "adresse d'écoute inconnue" in unknown.err
