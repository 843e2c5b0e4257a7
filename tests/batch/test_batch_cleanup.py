"""A finished batch leaves no temporary folder behind (issue 20): each worker's
WeasyPrint font folder lives in a per-pool folder that the workers empty and the
parent removes, since a child process never runs ``atexit`` handlers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.slow
def test_a_finished_batch_leaves_no_temporary_folder(tmp_path: Path) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    fichegen = Path(sys.executable).with_name("fichegen")
    result = subprocess.run(
        [str(fichegen), "batch", "975", "-f", "pdf", "-o", str(tmp_path / "out"), "-j", "2"],
        env={**os.environ, "TMPDIR": str(tmp)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert "leaked semaphore" not in result.stderr
    assert len(list((tmp_path / "out").glob("*.pdf"))) == 2
    assert sorted(str(p) for p in tmp.rglob("*")) == []
