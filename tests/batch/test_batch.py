"""Batch generation with a fake task: manifest, resume keys, profiles, progress, locking."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import time
from pathlib import Path

import pytest
import support_batch as sb

from fichegen.batch.report import BatchSummary, run_batch
from fichegen.batch.run import iter_batch
from fichegen.errors import BatchError, InputError, UnknownCommuneError
from fichegen.options import RenderOptions, output_name


def _run(out: Path, **kwargs: object) -> BatchSummary:
    params: dict[str, object] = {
        "output_dir": out,
        "options": sb.options(),
        "jobs": 2,
        "progress": False,
        "task": sb.fake_task,
        "reference": sb.FakeReference(),
    }
    params.update(kwargs)
    return run_batch(sb.DEP, **params)  # type: ignore[arg-type]


def _manifest(out: Path) -> dict[str, dict[str, object]]:
    data = json.loads((out / "index.json").read_text(encoding="utf-8"))
    return {c["code_insee"]: c for c in data["communes"]}


def _calls(log: Path) -> list[str]:
    if not log.exists():
        return []
    return [line.split()[0] for line in log.read_text().splitlines()]


def test_every_commune_gets_its_files_and_a_consistent_manifest(tmp_path: Path) -> None:
    out = tmp_path / "out"
    summary = _run(out)
    assert (summary.produced, summary.skipped, summary.failed) == (len(sb.CODES), 0, 0)
    assert summary.exit_code == 0
    records = _manifest(out)
    assert sorted(records) == list(sb.CODES)
    reference = sb.FakeReference()
    for code, record in records.items():
        commune = reference.get(code)
        assert record["status"] == "ok"
        assert record["nom"] == commune.nom
        assert record["population"] == commune.population_municipale
        names = {f["name"] for f in record["files"]}  # type: ignore[attr-defined]
        assert names == {output_name(code, commune.nom, fmt) for fmt in ("html", "docx")}
        for entry in record["files"]:  # type: ignore[attr-defined]
            data = (out / entry["name"]).read_bytes()
            assert hashlib.sha256(data).hexdigest() == entry["sha256"]
            assert data.endswith(b"|END")
        assert record["levers"] and record["examples"]
    text = (out / "index.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert [row["Code INSEE"] for row in rows] == list(sb.CODES)
    assert all(
        row["Statut"] == "produite" and row["Empreintes SHA-256"].count(", ") == 1 for row in rows
    )
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "Bel&lt;b&gt;Air&lt;/b&gt; &amp; Co" in page and "<b>Air" not in page
    # Levers by their titles, not their ids (an id the base does not know is shown as is).
    from markupsafe import escape

    from fichegen.knowledge.base import load_knowledge

    titles = {lever.id: lever.titre for lever in load_knowledge().levers}
    for record in records.values():
        for lever in record["levers"]:  # type: ignore[attr-defined]
            assert f"<li>{escape(titles[lever])}</li>" in page
    assert "<li>locaux</li>" not in page and "<li>cooperation</li>" not in page
    for record in records.values():
        for entry in record["files"]:  # type: ignore[attr-defined]
            assert f'href="{entry["name"]}"' in page
    assert json.loads((out / "index.json").read_text())["complete"] is True


def test_rerun_skips_everything_without_running_a_task(tmp_path: Path) -> None:
    out, log = tmp_path / "out", tmp_path / "calls.log"
    opts = sb.options(log=str(log))
    _run(out, options=opts)
    assert sorted(_calls(log)) == list(sb.CODES)
    log.unlink()
    start = time.monotonic()
    summary = _run(out, options=opts)
    assert time.monotonic() - start < 3
    assert (summary.produced, summary.skipped, summary.failed) == (0, len(sb.CODES), 0)
    assert _calls(log) == []
    records = _manifest(out)
    assert {r["status"] for r in records.values()} == {"skipped"}
    assert all(r["files"] and r["levers"] for r in records.values())


def test_only_changed_inputs_are_redone(tmp_path: Path) -> None:
    out, log, profiles = tmp_path / "out", tmp_path / "calls.log", tmp_path / "profiles"
    profiles.mkdir()
    profile = profiles / "any-name.yaml"
    profile.write_text('version: 1\ncommune:\n  code_insee: "90002"\n', encoding="utf-8")
    opts = sb.options(log=str(log))
    _run(out, options=opts, profiles_dir=profiles)
    reference = sb.FakeReference()
    deleted = out / output_name("90004", reference.get("90004").nom, "docx")
    corrupted = out / output_name("90006", reference.get("90006").nom, "html")
    deleted.unlink()
    corrupted.write_bytes(b"truncated")
    profile.write_text(
        'version: 1\ncommune:\n  code_insee: "90002"\npriorites: [locaux]\n', encoding="utf-8"
    )
    log.unlink()
    summary = _run(out, options=opts, profiles_dir=profiles)
    assert sorted(_calls(log)) == ["90002", "90004", "90006"]
    assert (summary.produced, summary.skipped) == (3, len(sb.CODES) - 3)
    assert deleted.exists() and corrupted.read_bytes().endswith(b"|END")
    assert (out / output_name("90002", reference.get("90002").nom, "html")).read_bytes() == (
        sb.expected_bytes("90002", "html", profile.read_bytes())
    )
    log.unlink()
    _run(out, options=opts, profiles_dir=profiles, force=True)
    assert sorted(_calls(log)) == list(sb.CODES)
    log.unlink()
    _run(out, options=RenderOptions(formats=("html",), extra={"log": str(log)}))
    assert sorted(_calls(log)) == list(sb.CODES)


def test_invalid_profile_fails_only_its_commune(tmp_path: Path) -> None:
    profiles = tmp_path / "profiles"
    (profiles / "sub").mkdir(parents=True)
    bad = profiles / "sub" / "clairval.yml"
    bad.write_text('commune:\n  code_insee: "90003"\nINVALIDE: 1\n', encoding="utf-8")
    out = tmp_path / "out"
    summary = _run(out, profiles_dir=profiles)
    assert (summary.produced, summary.failed) == (len(sb.CODES) - 1, 1)
    assert summary.exit_code == 1
    failure = summary.failures[0]
    assert failure.code_insee == "90003"
    assert failure.error is not None and failure.error.startswith(f"{bad}:3:1: ")
    assert "INVALIDE" in failure.error
    record = _manifest(out)["90003"]
    assert record["status"] == "failed" and record["error"] == failure.error
    assert record["files"] == []
    assert any("90003" in line and "INVALIDE" in line for line in summary.lines())
    rerun = _run(out, profiles_dir=profiles)  # a failure is retried, not skipped
    assert (rerun.skipped, rerun.failed) == (len(sb.CODES) - 1, 1)


def test_profile_of_another_departement_is_reported(tmp_path: Path) -> None:
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    (profiles / "ailleurs.yaml").write_text("commune: {code_insee: '25001'}\n", encoding="utf-8")
    (profiles / "inconnu.yaml").write_text("commune: {code_insee: '90999'}\n", encoding="utf-8")
    out = tmp_path / "out"
    summary = _run(out, profiles_dir=profiles)
    assert summary.failed == 0
    assert any("ailleurs.yaml" in w and "25001" in w and "25" in w for w in summary.warnings)
    assert any("inconnu.yaml" in w and "90999" in w for w in summary.warnings)
    assert any(line.startswith("avertissement : ") for line in summary.lines())
    data = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert any("ailleurs.yaml" in w for w in data["warnings"])
    assert "ailleurs.yaml" in (out / "index.html").read_text(encoding="utf-8")


def test_two_profiles_for_one_commune_fail_that_commune(tmp_path: Path) -> None:
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    for name in ("a.yaml", "b.yml"):
        (profiles / name).write_text('commune:\n  code_insee: "90005"\n', encoding="utf-8")
    summary = _run(tmp_path / "out", profiles_dir=profiles)
    assert [f.code_insee for f in summary.failures] == ["90005"]
    error = summary.failures[0].error or ""
    assert "a.yaml" in error and "b.yml" in error and "plusieurs profils" in error
    assert summary.produced == len(sb.CODES) - 1


def test_base_exception_in_a_task_fails_only_its_commune(tmp_path: Path) -> None:
    summary = _run(tmp_path / "out", options=sb.options(base="90001"))
    assert [f.code_insee for f in summary.failures] == ["90001"]
    assert "FakeFatal" in (summary.failures[0].error or "")
    assert summary.produced == len(sb.CODES) - 1


def test_iter_batch_yields_one_result_per_commune(tmp_path: Path) -> None:
    codes = ["90002", "90007"]
    run = iter_batch(
        sb.DEP,
        output_dir=tmp_path,
        options=sb.options(),
        jobs=1,
        codes=codes,
        task=sb.fake_task,
        reference=sb.FakeReference(),
    )
    assert run.total == 2
    results = list(run)
    assert sorted(r.code_insee for r in results) == codes
    assert all(r.status == "ok" and r.worker_pid and r.seconds >= 0 for r in results)


def test_stale_temporaries_are_removed_and_folder_is_locked(tmp_path: Path) -> None:
    stale = tmp_path / ".fiche15_90001_x.pdf.abc123.tmp"
    stale.write_bytes(b"partial")
    keep = tmp_path / "notes.txt"
    keep.write_text("à garder")
    run = iter_batch(
        sb.DEP,
        output_dir=tmp_path,
        options=sb.options(),
        jobs=1,
        codes=["90001"],
        task=sb.fake_task,
        reference=sb.FakeReference(),
    )
    assert not stale.exists() and keep.exists()
    with pytest.raises(BatchError, match="autre lot"):
        iter_batch(sb.DEP, output_dir=tmp_path, options=sb.options(), reference=sb.FakeReference())
    run.close()
    again = iter_batch(
        sb.DEP, output_dir=tmp_path, options=sb.options(), reference=sb.FakeReference()
    )
    again.close()


def test_bad_arguments_are_refused_before_anything_runs(tmp_path: Path) -> None:
    ref = sb.FakeReference()
    with pytest.raises(UnknownCommuneError):
        run_batch("77", output_dir=tmp_path / "a", options=sb.options(), reference=ref)
    with pytest.raises(InputError, match="profils"):
        _run(tmp_path / "b", profiles_dir=tmp_path / "missing")
    with pytest.raises(InputError, match="-j"):
        _run(tmp_path / "c", jobs=0)
    with pytest.raises(InputError, match="25001"):
        _run(tmp_path / "d", codes=["25001"])
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_plain_progress_lines_and_summary_when_not_a_terminal(tmp_path: Path) -> None:
    stream = io.StringIO()
    summary = _run(tmp_path / "out", progress=None, stream=stream)
    text = stream.getvalue()
    assert f"{len(sb.CODES)}/{len(sb.CODES)} fiches (100 %)" in text
    produced = "fiche produite" if summary.produced < 2 else "fiches produites"
    assert f"{summary.produced}\u00a0{produced}" in text and "en échec" in text
    assert "(s)" not in text
    assert "\r" not in text
    quiet = io.StringIO()
    _run(tmp_path / "quiet", progress=False, stream=quiet)
    assert quiet.getvalue() == ""


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    stream = _Terminal()
    _run(tmp_path / "out", progress=None, stream=stream)
    text = stream.getvalue()
    assert "\r" in text and f"{len(sb.CODES)}/{len(sb.CODES)}" in text and "reste" in text
    assert "fiches produites" in text and "(s)" not in text
    assert re.search(r"\d+,\d fiches?/s", text), text  # French decimal comma in the bar


def test_scheduler_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fichegen.batch.dask_cluster

    class FakeClient:
        closed = 0

        def close(self) -> None:
            FakeClient.closed += 1

    connected: list[str] = []

    def fake_connect(address: str, timeout: str | None = None) -> FakeClient:
        connected.append(address)  # no network: the real one would dial the scheduler
        return FakeClient()

    monkeypatch.setattr(fichegen.batch.dask_cluster, "connect", fake_connect)
    monkeypatch.setenv("FICHEGEN_SCHEDULER", "tcp://cluster.example:8786")
    kwargs: dict[str, object] = {"options": sb.options(), "reference": sb.FakeReference()}
    with iter_batch(sb.DEP, output_dir=tmp_path / "a", **kwargs) as run:  # type: ignore[arg-type]
        assert run.scheduler == "tcp://cluster.example:8786"
    with iter_batch(  # type: ignore[arg-type]
        sb.DEP, output_dir=tmp_path / "b", scheduler="tcp://other:1", **kwargs
    ) as run:
        assert run.scheduler == "tcp://other:1"
    monkeypatch.delenv("FICHEGEN_SCHEDULER")
    with iter_batch(sb.DEP, output_dir=tmp_path / "c", **kwargs) as run:  # type: ignore[arg-type]
        assert run.scheduler is None
    assert connected == ["tcp://cluster.example:8786", "tcp://other:1"]
    assert FakeClient.closed == 2  # clients are closed even when no task ran
