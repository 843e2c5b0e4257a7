"""A batch on a Dask cluster writes exactly the files a local batch writes."""

from __future__ import annotations

import json
import time
import warnings
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from fichegen.batch.report import run_batch
from fichegen.batch.run import iter_batch
from fichegen.errors import InputError
from fichegen.options import RenderOptions

pytestmark = pytest.mark.slow
CODES = ["90010", "90001", "90002"]  # Belfort and two villages, reference-only profiles


def _files(out: Path) -> dict[str, str]:
    data = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert {c["status"] for c in data["communes"]} == {"ok"}, data["communes"]
    return {f["name"]: f["sha256"] for c in data["communes"] for f in c["files"]}


# Dask's LocalCluster and Client emit deprecation and resource warnings from their own
# internals (tornado/asyncio sockets, port already in use when tests run in parallel);
# pytest turns warnings into errors. They are filtered for this test only, by category
# and source module, not globally.
@pytest.mark.filterwarnings("ignore::DeprecationWarning:distributed")
@pytest.mark.filterwarnings("ignore::DeprecationWarning:tornado")
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::UserWarning:distributed")
def test_dask_cluster_output_is_identical_to_local(tmp_path: Path) -> None:
    from distributed import LocalCluster

    options = RenderOptions(formats=("html", "docx"), date=date(2026, 3, 1))
    local = tmp_path / "local"
    run_batch("90", output_dir=local, options=options, codes=CODES, jobs=2, progress=False)
    expected = _files(local)
    assert len(expected) == 2 * len(CODES)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cluster = LocalCluster(
            n_workers=2,
            processes=True,
            threads_per_worker=1,
            dashboard_address=None,
            silence_logs=50,
        )
    try:
        remote = tmp_path / "dask"
        summary = run_batch(
            "90",
            output_dir=remote,
            options=options,
            codes=CODES,
            scheduler=cluster.scheduler_address,
            progress=False,
        )
        assert summary.produced == len(CODES) and summary.failed == 0
        assert _files(remote) == expected
        for name in expected:
            assert (remote / name).read_bytes() == (local / name).read_bytes()
    finally:
        cluster.close()


def test_unreachable_scheduler_is_refused_before_anything_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fichegen.batch.dask_cluster

    monkeypatch.setattr(fichegen.batch.dask_cluster, "CONNECT_TIMEOUT", "1s")
    out = tmp_path / "out"
    with pytest.raises(InputError, match="planificateur Dask") as caught:
        iter_batch(
            "90",
            output_dir=out,
            options=RenderOptions(formats=("html",)),
            codes=["90001"],
            scheduler="tcp://127.0.0.1:9",
        )
    assert caught.value.exit_code == 2
    assert not out.exists()


def _cluster(**kwargs: object) -> Any:
    from distributed import LocalCluster

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return LocalCluster(dashboard_address=None, silence_logs=50, threads_per_worker=1, **kwargs)


@pytest.mark.filterwarnings("ignore::DeprecationWarning:distributed")
@pytest.mark.filterwarnings("ignore::DeprecationWarning:tornado")
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::UserWarning:distributed")
def test_no_worker_fails_the_remaining_communes_with_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import support_batch as sb

    import fichegen.batch.dask_cluster

    monkeypatch.setattr(fichegen.batch.dask_cluster, "NO_WORKER_S", 1.0)
    cluster = _cluster(n_workers=0, processes=True)
    try:
        out = tmp_path / "out"
        start = time.monotonic()
        summary = run_batch(
            sb.DEP,
            output_dir=out,
            options=sb.options(),
            scheduler=cluster.scheduler_address,
            progress=False,
            task=sb.fake_task,
            reference=sb.FakeReference(),
        )
        assert time.monotonic() - start < 30
    finally:
        cluster.close()
    assert (summary.failed, summary.exit_code) == (len(sb.CODES), 1)
    data = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert data["complete"] is True
    for commune in data["communes"]:
        assert commune["status"] == "failed"
        assert "aucun travailleur Dask connecté depuis 1 s" in commune["error"]


@pytest.mark.filterwarnings("ignore::DeprecationWarning:distributed")
@pytest.mark.filterwarnings("ignore::DeprecationWarning:tornado")
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::UserWarning:distributed")
def test_a_relative_knowledge_folder_works_on_workers_started_elsewhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    cluster = _cluster(n_workers=1, processes=True)  # workers keep this working directory
    try:
        here = tmp_path / "ici"
        (here / "kb").mkdir(parents=True)
        shutil.copy(Path(__file__).parent.parent / "resources/knowledge/ajout.yaml", here / "kb")
        monkeypatch.chdir(here)
        options = RenderOptions(formats=("html",), date=date(2026, 3, 1), knowledge_dir=Path("kb"))
        summary = run_batch(
            "90",
            output_dir=here / "out",
            options=options,
            codes=["90001"],
            scheduler=cluster.scheduler_address,
            progress=False,
        )
    finally:
        cluster.close()
    assert summary.failed == 0, summary.failures
    (html,) = (here / "out").glob("fiche15_*.html")
    assert "Des locaux pour l&#39;ESS" in html.read_text(encoding="utf-8")  # from kb/
