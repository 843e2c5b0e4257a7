"""The local pool: a crashing or hanging worker fails only its commune; workers recycle."""

from __future__ import annotations

import json
import time
from pathlib import Path

import support_batch as sb

from fichegen.batch.report import run_batch


def _run(out: Path, **kwargs: object):  # type: ignore[no-untyped-def]
    params: dict[str, object] = {
        "output_dir": out,
        "jobs": 2,
        "progress": False,
        "task": sb.fake_task,
        "reference": sb.FakeReference(),
    }
    params.update(kwargs)
    return run_batch(sb.DEP, **params)  # type: ignore[arg-type]


def _log(path: Path) -> list[tuple[str, int, int]]:
    rows = [line.split() for line in path.read_text().splitlines()]
    return [(code, int(pid), int(attempt)) for code, pid, attempt in rows]


def test_segfault_fails_only_its_commune_after_one_retry(tmp_path: Path) -> None:
    log = tmp_path / "calls.log"
    summary = _run(tmp_path / "out", options=sb.options(crash="90004", log=str(log)))
    assert [f.code_insee for f in summary.failures] == ["90004"]
    error = summary.failures[0].error or ""
    assert "SIGSEGV" in error and "2\u00a0essai" in error
    assert summary.produced == len(sb.CODES) - 1
    attempts = [attempt for code, _, attempt in _log(log) if code == "90004"]
    assert attempts == [1, 2]
    others = [code for code, _, _ in _log(log) if code != "90004"]
    assert sorted(others) == sorted(c for c in sb.CODES if c != "90004")  # each ran once
    record = json.loads((tmp_path / "out" / "index.json").read_text())["communes"][3]
    assert record["code_insee"] == "90004" and record["status"] == "failed"


def test_a_crash_that_does_not_repeat_is_retried_and_succeeds(tmp_path: Path) -> None:
    log = tmp_path / "calls.log"
    summary = _run(tmp_path / "out", options=sb.options(crash_once="90002,90003", log=str(log)))
    assert summary.failed == 0 and summary.produced == len(sb.CODES)
    assert sorted(a for c, _, a in _log(log) if c in ("90002", "90003")) == [1, 1, 2, 2]


def test_hanging_worker_is_killed_and_fails_only_its_commune(tmp_path: Path) -> None:
    start = time.monotonic()
    summary = _run(tmp_path / "out", options=sb.options(hang="90001"), timeout_s=3.0)
    assert time.monotonic() - start < 20
    assert [f.code_insee for f in summary.failures] == ["90001"]
    assert "délai dépassé" in (summary.failures[0].error or "")
    assert summary.produced == len(sb.CODES) - 1


def test_workers_are_recycled_after_max_tasks(tmp_path: Path) -> None:
    log = tmp_path / "calls.log"
    summary = _run(
        tmp_path / "out", options=sb.options(log=str(log)), jobs=1, max_tasks_per_worker=3
    )
    assert summary.produced == len(sb.CODES)
    pids = [pid for _, pid, _ in _log(log)]
    assert len(set(pids)) == 3  # 8 tasks, 3 per worker
    assert all(pids.count(pid) <= 3 for pid in set(pids))
