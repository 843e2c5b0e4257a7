"""Interrupting a real batch process (Ctrl-C, SIGTERM, kill -9) loses nothing.

Each test starts ``support_batch.py`` as a separate process (a batch of eight slow fake
fiches on two workers), interrupts it once some fiches are written, then checks that
no partial file sits under a final name, that the manifest is readable, and that a
rerun of the same command finishes the job, skipping what was already produced.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import support_batch as sb

SCRIPT = Path(sb.__file__).resolve()
pytestmark = pytest.mark.slow


def _start(out: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, str(SCRIPT), str(out), "0.5", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def _fiches(out: Path) -> list[Path]:
    return sorted(out.glob("fiche15_*"))


def _check_files(out: Path) -> None:
    """Every file under a final name is complete and exactly what the task rendered."""
    for path in _fiches(out):
        code, fmt = path.name.split("_")[1], path.suffix[1:]
        assert path.read_bytes() == sb.expected_bytes(code, fmt, None), path.name


def _interrupt(tmp_path: Path, how: signal.Signals) -> Path:
    out = tmp_path / "out"
    process = _start(out)
    deadline = time.monotonic() + 30
    while len(_fiches(out)) < 4 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.poll() is None, "the batch ended before it could be interrupted"
    if how is signal.SIGINT:
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C does: the whole group
    else:
        os.kill(process.pid, how)
    _, err = process.communicate(timeout=30)
    assert process.returncode != 0
    if how is not signal.SIGKILL:
        assert "Lot interrompu" in err.decode("utf-8"), err.decode("utf-8")
    _check_files(out)
    manifest = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert manifest["complete"] is False
    assert (out / "index.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    return out


def _complete_communes(out: Path) -> set[str]:
    """Communes whose two files are on disk."""
    codes = [path.name.split("_")[1] for path in _fiches(out)]
    return {code for code in codes if codes.count(code) == 2}


def _finish(out: Path, *, lost_at_most: int) -> None:
    """Rerun; what was on disk is skipped (but ``lost_at_most`` communes being written)."""
    done_before = _complete_communes(out)
    assert done_before, "the interrupted run produced nothing"
    rerun = subprocess.run(
        [sys.executable, str(SCRIPT), str(out), "0.5", "2"],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert rerun.returncode == 0, rerun.stderr.decode("utf-8")
    _check_files(out)
    assert len(_fiches(out)) == 2 * len(sb.CODES)
    assert not list(out.glob("*.tmp")) and not list(out.glob(".*.tmp"))
    manifest = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert manifest["complete"] is True
    statuses = {c["code_insee"]: c["status"] for c in manifest["communes"]}
    assert sorted(statuses) == list(sb.CODES)
    assert set(statuses.values()) <= {"ok", "skipped"}
    skipped = {code for code, status in statuses.items() if status == "skipped"}
    assert len(done_before - skipped) <= lost_at_most
    assert skipped


def test_ctrl_c_keeps_the_work_and_the_rerun_finishes(tmp_path: Path) -> None:
    _finish(_interrupt(tmp_path, signal.SIGINT), lost_at_most=0)


def test_sigterm_keeps_the_work_and_the_rerun_finishes(tmp_path: Path) -> None:
    _finish(_interrupt(tmp_path, signal.SIGTERM), lost_at_most=0)


def test_kill_9_keeps_the_work_and_workers_go_away(tmp_path: Path) -> None:
    out = _interrupt(tmp_path, signal.SIGKILL)
    pids = {int(line.split()[1]) for line in (tmp_path / "calls.log").read_text().splitlines()}
    deadline = time.monotonic() + 10
    alive = pids
    while alive and time.monotonic() < deadline:
        time.sleep(0.1)
        alive = {pid for pid in pids if Path(f"/proc/{pid}").exists()}
    assert not alive, "orphaned workers kept running after the parent was killed"
    _finish(out, lost_at_most=1)  # the commune being written when the parent died
