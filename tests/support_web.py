"""Fixtures and helpers of the web tests (registered by ``tests/conftest.py``).

``client`` is an in-process TestClient for the HTTP tests; ``server_url`` a real
``fichegen serve`` on 127.0.0.1 for the browser tests (:func:`running_server`).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def running_server(
    folder: Path,
    jobs: int = 2,
    extra: tuple[str, ...] = (),
    env: dict[str, str] | None = None,
) -> Iterator[tuple[str, Path, subprocess.Popen[bytes]]]:
    """``fichegen serve`` started as users start it, on 127.0.0.1 and a free port
    (``extra``: more options, e.g. ``--moteur typst``; ``env``: extra environment
    variables, e.g. a private TMPDIR)."""
    port = _free_port()
    log = folder / "serve.log"
    fichegen = Path(sys.executable).with_name("fichegen")
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(fichegen), "serve", "--port", str(port), "-j", str(jobs), *extra],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    try:
        while True:
            try:
                with urllib.request.urlopen(url + "/sante", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(log.read_text(errors="replace")) from None
                time.sleep(0.3)
        yield url, log, process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="session")
def client() -> Iterator[object]:
    """A TestClient on the app, with two render workers (shared by the HTTP tests)."""
    from starlette.testclient import TestClient

    from fichegen.web.app import create_app

    with TestClient(create_app(jobs=2)) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One server for the browser tests."""
    with running_server(tmp_path_factory.mktemp("serveur")) as (url, _log, _process):
        yield url
