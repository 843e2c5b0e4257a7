"""Fixtures of the web tests: an in-process app for HTTP tests, a real server for the browser."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def client() -> Iterator[object]:
    """A TestClient on the app, with two render workers (shared by the HTTP tests)."""
    from starlette.testclient import TestClient

    from fichegen.web.app import create_app

    with TestClient(create_app(jobs=2)) as test_client:
        yield test_client


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``fichegen serve`` started as users start it, on 127.0.0.1 and a free port."""
    port = _free_port()
    log = tmp_path_factory.mktemp("serveur") / "serve.log"
    fichegen = Path(sys.executable).with_name("fichegen")
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(fichegen), "serve", "--port", str(port), "-j", "2"],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    import urllib.request

    while True:
        try:
            with urllib.request.urlopen(url + "/sante", timeout=2) as answer:
                if answer.status == 200:
                    break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(log.read_text(errors="replace")) from None
            time.sleep(0.3)
    yield url
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
