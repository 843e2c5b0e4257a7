"""Fixtures of the web tests: an in-process app for HTTP tests, a real server for the browser."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from support_web import running_server

ROOT = Path(__file__).resolve().parents[2]


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
