"""Scheduler addresses are checked before any Dask client exists: a bogus one is refused
at once (exit 2) with a French message, an unreachable or silent one within seconds, and
no client is left behind to hang in ``Client.__del__``."""

from __future__ import annotations

import socket
import time
from pathlib import Path
from typing import Any

import pytest

from fichegen.batch.dask_cluster import connect, parse_address
from fichegen.errors import InputError


@pytest.mark.parametrize(
    "address",
    [
        "garbage",
        "tcp://",
        "inproc://x",
        "http://127.0.0.1:8765",
        " ",
        "tls://127.0.0.1:1",
        "ucx://10.0.0.1:13337",
        "tcp://127.0.0.1:99999",
        "tcp://h\x1b[2J:1",
        "tcp://user:pw@host:1",
        "tcp://host:1/chemin",
    ],
)
def test_bogus_addresses_are_refused_without_connecting(address: str) -> None:
    start = time.monotonic()
    with pytest.raises(InputError, match="adresse de planificateur Dask invalide") as caught:
        connect(address)
    assert time.monotonic() - start < 1
    assert caught.value.exit_code == 2
    assert "\x1b" not in caught.value.lines()[0]


@pytest.mark.parametrize(
    ("address", "normalized"),
    [
        ("tcp://10.0.0.5:8786", "tcp://10.0.0.5:8786"),
        ("10.0.0.5:8786", "tcp://10.0.0.5:8786"),
        (" TCP://sched.example:8786 ", "tcp://sched.example:8786"),
        ("tcp://[::1]:8786", "tcp://[::1]:8786"),
    ],
)
def test_good_addresses_are_normalized(address: str, normalized: str) -> None:
    assert parse_address(address)[0] == normalized


def test_a_closed_port_is_refused_quickly() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again when the block ends
    start = time.monotonic()
    with pytest.raises(InputError, match="connexion refusée"):
        connect(f"tcp://127.0.0.1:{port}")
    assert time.monotonic() - start < 5


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_a_silent_port_is_refused_within_the_timeout(capfd: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        start = time.monotonic()
        with pytest.raises(InputError, match="aucun planificateur Dask n'y a répondu"):
            connect(f"tcp://127.0.0.1:{server.getsockname()[1]}", timeout="2s")
        assert time.monotonic() - start < 10
    import gc

    gc.collect()  # a half-made client would now print "Exception ignored in Client.__del__"
    time.sleep(0.5)
    assert "Exception ignored" not in capfd.readouterr().err


@pytest.mark.parametrize("address", ["garbage", "tls://127.0.0.1:1", "http://127.0.0.1:8765"])
def test_cli_batch_refuses_a_bogus_scheduler_at_once(
    run_cli: Any, tmp_path: Path, address: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    start = time.monotonic()
    result = run_cli("batch", "90", "-o", out, "--scheduler", address)
    assert result.code == 2, result.err
    assert "adresse de planificateur Dask invalide" in result.err
    assert not out.exists() and time.monotonic() - start < 5
    monkeypatch.setenv("FICHEGEN_SCHEDULER", address)
    result = run_cli("batch", "90", "-o", out)
    assert result.code == 2 and "planificateur Dask" in result.err
