"""Shared test helpers: repository paths and running the CLI in-process."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest_plugins = ["support_web"]  # fixtures of the web tests (client, server_url)

ROOT = Path(__file__).resolve().parent.parent
PROFILES = ROOT / "profiles"


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """Run ``fichegen`` in-process through its real entry point; return code, stdout, stderr."""
    from fichegen.cli.commands import main

    def run(*args: str | os.PathLike[str]) -> CliResult:
        capsys.readouterr()
        try:
            returned = main([str(a) for a in args])
            code = int(returned or 0)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run
