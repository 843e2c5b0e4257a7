"""A Dask batch leaves nothing in the workers' temporary folder (TMPDIR): each worker
writes WeasyPrint's font folder and its other temporary files to a folder of its own,
deleted when the batch ends, even though the workers keep running (a lasting cluster)."""

from __future__ import annotations

import tempfile
import warnings
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from fichegen.batch.report import run_batch
from fichegen.options import RenderOptions

pytestmark = [
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore::DeprecationWarning:distributed"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:tornado"),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::UserWarning:distributed"),
]
OPTIONS = RenderOptions(formats=("pdf",), date=date(2026, 3, 1))


def _left(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _batch(out: Path, scheduler: str) -> None:
    summary = run_batch("975", output_dir=out, options=OPTIONS, scheduler=scheduler, progress=False)
    assert (summary.produced, summary.failed) == (2, 0), summary.failures
    assert len(list(out.glob("*.pdf"))) == 2


def test_a_dask_batch_leaves_nothing_in_tmpdir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dask
    from distributed import LocalCluster

    import fichegen.batch.dask_cluster

    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))  # the workers' temporary folder
    monkeypatch.setattr(tempfile, "tempdir", None)
    # Dask's own scratch space (scheduler and workers) goes elsewhere: only fichegen's files
    # are judged here.
    monkeypatch.setitem(dask.config.config, "temporary-directory", str(tmp_path / "dask"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cluster: Any = LocalCluster(
            n_workers=2,
            processes=True,
            threads_per_worker=1,
            dashboard_address=None,
            silence_logs=50,
        )
    try:
        monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # this process's own files
        _batch(tmp_path / "out", cluster.scheduler_address)
        assert _left(tmp) == []  # the workers still run: their folders are already gone
        # Without the private folders, the same batch leaves WeasyPrint's font folder.
        monkeypatch.setattr(fichegen.batch.dask_cluster, "_private_folders", lambda _c: None)
        _batch(tmp_path / "out2", cluster.scheduler_address)
        assert any(name.startswith("weasyprint-") for name in _left(tmp)), _left(tmp)
    finally:
        cluster.close()
