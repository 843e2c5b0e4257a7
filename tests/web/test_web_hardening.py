"""The real server survives what an adversarial pass threw at it (issue 20).

Each test drives ``fichegen serve`` (uvicorn on 127.0.0.1, a free port) with a private
TMPDIR: a burst then enough requests to recycle every worker twice, foreign and
untyped POSTs, slow clients, huge JSON integers, and nothing left behind at the end.
"""

from __future__ import annotations

import html
import json
import socket
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from support_web import running_server

ROOT = Path(__file__).resolve().parents[2]
PROFILE = (ROOT / "profiles" / "anstaing.yaml").read_bytes()
YAML = {"Content-Type": "application/yaml"}


def _post(
    url: str, data: bytes, headers: dict[str, str], timeout: float = 180
) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _get(url: str) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def _burst(url: str, path: str, count: int) -> Counter[int]:
    statuses: Counter[int] = Counter()
    lock = threading.Lock()

    def one() -> None:
        status, _ = _post(url + path, PROFILE, YAML)
        with lock:
            statuses[status] += 1

    threads = [threading.Thread(target=one) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    return statuses


def _leftovers(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.slow
def test_burst_and_recycling_never_hang_nor_lose_capacity(tmp_path: Path) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {"TMPDIR": str(tmp), "FICHEGEN_WEB_RECYCLAGE": "3"}
    with running_server(tmp_path, jobs=2, env=env) as (url, log, server):
        burst = _burst(url, "/api/fiche?format=pdf", 40)
        assert set(burst) <= {200, 503}, burst
        assert burst[200] >= 2, burst
        # 2 workers × 3 tasks × 2: every worker recycled twice, one request after another
        for _ in range(14):
            status, body = _post(url + "/api/explain", PROFILE, YAML)
            assert status == 200, body[:200]
        deadline = time.monotonic() + 20
        while True:
            status, health = _get(url + "/sante")
            if status == 200 and health["processus_vivants"] == 2:
                break
            assert time.monotonic() < deadline, health
            time.sleep(0.2)
        assert health["taches_en_cours"] == 0
        # full capacity back: jobs + queue (2 + 8) concurrent requests all served
        again = _burst(url, "/api/explain", 10)
        assert again == Counter({200: 10}), again
        text = log.read_text(encoding="utf-8", errors="replace")
        assert "mort" not in text and "bloqué" not in text, text[-2000:]
        server.terminate()
        server.wait(timeout=120)
    text = log.read_text(encoding="utf-8", errors="replace")
    assert "leaked semaphore" not in text and "Traceback" not in text, text[-3000:]
    assert _leftovers(tmp) == []


def _raw(url: str) -> tuple[str, int]:
    host, port = url.removeprefix("http://").split(":")
    return host, int(port)


def _closed_within(sock: socket.socket, seconds: float, trickle: bytes = b"") -> bytes:
    """Send ``trickle`` one byte every 0.5 s until the server closes; return what it said."""
    sock.settimeout(0.5)
    received = b""
    deadline = time.monotonic() + seconds
    index = 0
    while time.monotonic() < deadline:
        try:
            chunk = sock.recv(4096)
            if not chunk:
                return received or b"<closed>"
            received += chunk
        except TimeoutError:
            if trickle:
                try:
                    sock.sendall(trickle[index % len(trickle) : index % len(trickle) + 1])
                except OSError:
                    return received or b"<closed>"
                index += 1
        except OSError:
            return received or b"<closed>"
    return received


@pytest.mark.slow
def test_http_hygiene_on_the_real_server(tmp_path: Path) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {
        "TMPDIR": str(tmp),
        "FICHEGEN_WEB_DELAI_ENTETES": "2",
        "FICHEGEN_WEB_DELAI_CORPS": "2",
    }
    with running_server(tmp_path, jobs=1, env=env) as (url, log, server):
        api = url + "/api/explain"
        # a JSON integer of 5 000 digits is bad input, not an internal error
        huge = b'{"commune": {"code_insee": "59013"}, "petite_enfance": {"places_eaje": 1' + (
            b"0" * 5000 + b"}}"
        )
        status, body = _post(api, huge, {"Content-Type": "application/json"})
        assert status == 422, body[:300]
        assert "4 300 chiffres" in body.decode()
        # bodies another site's page can send without asking: refused, untouched
        for headers in ({"Content-Type": "text/plain"}, {}):
            status, body = _post(api, PROFILE, headers)
            assert status == 415, (headers, body[:200])
            assert "application/json" in json.loads(body)["erreurs"][0]["message"]
        status, body = _post(api, PROFILE, {**YAML, "Origin": "https://ailleurs.example"})
        assert status == 403 and "page du serveur" in body.decode()
        status, _ = _post(api, PROFILE, {**YAML, "Origin": url})
        assert status == 200
        # a client dribbling its headers is cut off
        with socket.create_connection(_raw(url)) as sock:
            sock.sendall(b"POST /api/explain HTTP/1.1\r\nHost: x\r\n")
            started = time.monotonic()
            said = _closed_within(sock, 15, trickle=b"X-Lent: aaaaaaaaaaaaaaaaaaaaaaaa")
            assert said == b"<closed>" and time.monotonic() - started < 8
        # a client dribbling its body gets 408
        with socket.create_connection(_raw(url)) as sock:
            sock.sendall(
                b"POST /api/explain HTTP/1.1\r\nHost: x\r\nContent-Type: application/yaml\r\n"
                b"Content-Length: 5000\r\n\r\ncommune:"
            )
            said = _closed_within(sock, 15, trickle=b" ")
            assert said.startswith(b"HTTP/1.1 408"), said[:200]
        status, _ = _post(api, PROFILE, YAML)
        assert status == 200
        text = log.read_text(encoding="utf-8", errors="replace")
        assert "client trop lent : en-têtes" in text and "client trop lent : corps" in text
        server.terminate()
        server.wait(timeout=120)
    assert _leftovers(tmp) == []


@pytest.mark.slow
def test_sante_is_503_while_no_worker_can_take_work() -> None:
    from starlette.testclient import TestClient

    from fichegen.web.app import create_app

    app = create_app(jobs=1, queue=0)
    with TestClient(app) as client:
        assert client.get("/sante").status_code == 200
        result: dict[str, Any] = {}
        thread = threading.Thread(
            target=lambda: result.update(
                answer=client.post("/api/fiche?format=pdf", content=PROFILE, headers=YAML)
            )
        )
        thread.start()
        deadline = time.monotonic() + 30
        while app.state.pool.in_flight == 0:
            assert time.monotonic() < deadline
            time.sleep(0.02)
        busy = client.get("/sante")
        assert busy.status_code == 503 and busy.json()["etat"] == "occupé"
        thread.join(timeout=300)
        assert result["answer"].status_code == 200
        assert client.get("/sante").status_code == 200


def test_downloaded_html_carries_its_own_policy(client: Any) -> None:
    answer = client.post("/api/fiche?format=html", content=PROFILE, headers=YAML)
    assert answer.status_code == 200
    head = answer.text.split("</head>")[0]
    meta = html.unescape(
        head.split('<meta http-equiv="Content-Security-Policy" content="')[1].split('"')[0]
    )
    assert "default-src 'none'" in meta and "script-src" not in meta
    assert "style-src 'sha256-" in meta and "form-action 'none'" in meta
    assert head.index("Content-Security-Policy") < head.index("<style>")
