"""Attacks on a batch output folder and its inputs: planted symbolic links, special files,
a profile that is really /proc/self/environ, an invalid or nested knowledge folder."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import support_batch as sb

from fichegen.batch.report import BatchSummary, run_batch
from fichegen.errors import InputError, KnowledgeError
from fichegen.options import RenderOptions

KNOWLEDGE = Path(__file__).resolve().parent.parent / "resources" / "knowledge"


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


def _victim(tmp_path: Path) -> Path:
    victim = tmp_path / "precieux.txt"
    victim.write_text("ne pas toucher\n")
    return victim


def test_a_journal_symlink_never_truncates_or_grows_its_target(tmp_path: Path) -> None:
    victim = _victim(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / ".fichegen-journal.jsonl").symlink_to(victim)
    summary = _run(out)
    assert summary.failed == 0
    assert victim.read_text() == "ne pas toucher\n"
    assert not (out / ".fichegen-journal.jsonl").is_symlink()


def test_a_lock_symlink_is_replaced_and_never_creates_its_target(tmp_path: Path) -> None:
    victim = _victim(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / ".fichegen-batch.lock").symlink_to(tmp_path / "cree-par-le-lien")
    _run(out)
    assert not (tmp_path / "cree-par-le-lien").exists()
    (out / ".fichegen-batch.lock").unlink()
    (out / ".fichegen-batch.lock").symlink_to(victim)
    _run(out, force=True)
    assert victim.read_text() == "ne pas toucher\n"
    assert not (out / ".fichegen-batch.lock").is_symlink()


def test_special_files_under_the_batch_names_are_not_read(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    os.mkfifo(out / ".fichegen-journal.jsonl")  # reading it would block for ever
    (out / "index.json").symlink_to("/dev/zero")  # reading it would never end
    summary = _run(out)
    assert summary.produced == len(sb.CODES)
    assert any("manifeste précédent illisible" in w for w in summary.warnings)
    assert not (out / "index.json").is_symlink()
    assert json.loads((out / "index.json").read_text(encoding="utf-8"))["complete"] is True


def test_a_fiche_replaced_by_a_symlink_is_redone_not_followed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _run(out)
    fiche = sorted(out.glob("fiche15_*.html"))[0]
    copy = tmp_path / "copie.html"
    shutil.copy(fiche, copy)
    fiche.unlink()
    fiche.symlink_to(copy)  # same bytes: its sha256 would match the manifest
    summary = _run(out)
    assert (summary.produced, summary.skipped) == (1, len(sb.CODES) - 1)
    assert not fiche.is_symlink()


_ENVIRON_RUN = """
import sys
from pathlib import Path
sys.path.insert(0, {tests!r})
import support_batch as sb
from fichegen.batch.report import run_batch
summary = run_batch(sb.DEP, output_dir=Path({out!r}), options=sb.options(), jobs=1,
    progress=True, profiles_dir=Path({profiles!r}), task=sb.fake_task,
    reference=sb.FakeReference())
"""


def test_proc_self_environ_as_a_profile_leaks_nothing(tmp_path: Path) -> None:
    canary = "CANARI-" + "s3cr3t" * 20
    profiles = tmp_path / "profils"
    profiles.mkdir()
    (profiles / "env.yaml").symlink_to("/proc/self/environ")
    (profiles / "passwd.yaml").symlink_to("/etc/passwd")
    out = tmp_path / "out"
    script = _ENVIRON_RUN.format(
        tests=str(Path(sb.__file__).parent), out=str(out), profiles=str(profiles)
    )
    # A small environment without « : », so that it reads as one YAML value.
    env = {"AAA_FICHEGEN_CANARY": canary, "PATH": os.defpath, "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=tmp_path,  # not the repository: the installed package is tested
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    names = ("index.json", "index.csv", "index.html")
    published = [done.stderr.decode(), done.stdout.decode()] + [
        (out / name).read_text(encoding="utf-8") for name in names
    ]
    for text in published:
        assert "s3cr3t" not in text
        assert "root:" not in text  # /etc/passwd
    warnings = json.loads(published[2])["warnings"]
    # a /proc pseudo-file is refused unread (issue 20), not parsed as a profile
    assert any("env.yaml" in w and "pas un fichier ordinaire" in w for w in warnings)


def test_an_invalid_knowledge_folder_fails_before_anything(tmp_path: Path) -> None:
    folder = tmp_path / "kb"
    folder.mkdir()
    shutil.copy(KNOWLEDGE / "faute_cle.yaml", folder)
    out = tmp_path / "out"
    options = RenderOptions(formats=("html",), knowledge_dir=folder)
    with pytest.raises(KnowledgeError) as caught:
        _run(out, options=options)
    assert caught.value.exit_code == 2
    assert not out.exists()


def test_resume_key_reads_only_what_the_knowledge_loader_reads(tmp_path: Path) -> None:
    folder = tmp_path / "kb"
    folder.mkdir()
    shutil.copy(KNOWLEDGE / "ajout.yaml", folder)
    options = RenderOptions(formats=("html", "docx"), knowledge_dir=folder)
    out = folder / "sorties"  # inside the knowledge folder
    assert _run(out, options=options).produced == len(sb.CODES)
    (folder / "notes.txt").write_text("pas lu par la base")
    (folder / "sous").mkdir()
    (folder / "sous" / "autre.yaml").write_text("exemples: []\n")
    assert _run(out, options=options).skipped == len(sb.CODES)
    with (folder / "ajout.yaml").open("a", encoding="utf-8") as handle:
        handle.write("# changé\n")
    assert _run(out, options=options).produced == len(sb.CODES)


def test_a_relative_knowledge_folder_travels_with_the_tasks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fichegen.batch.run import iter_batch

    (tmp_path / "kb").mkdir()
    shutil.copy(KNOWLEDGE / "ajout.yaml", tmp_path / "kb")
    monkeypatch.chdir(tmp_path)
    options = RenderOptions(formats=("html",), knowledge_dir=Path("kb"))
    captured: list[object] = []

    def spy(tasks: list[object]) -> object:
        captured.extend(tasks)
        return iter(())

    with iter_batch(
        sb.DEP, output_dir=tmp_path / "out", options=options, reference=sb.FakeReference()
    ) as run:
        monkeypatch.setattr(run, "_replies", spy)
        list(run)
    assert captured
    for task in captured:
        ((name, raw),) = task.knowledge_files  # type: ignore[attr-defined]
        assert name == str(Path("kb") / "ajout.yaml")  # as given; the bytes travel
        assert raw == (KNOWLEDGE / "ajout.yaml").read_bytes()


def test_a_bad_source_date_epoch_fails_the_batch_before_anything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "99999999999999")
    out = tmp_path / "out"
    with pytest.raises(InputError, match="SOURCE_DATE_EPOCH invalide"):
        _run(out)
    assert not out.exists()
    _run(out, options=RenderOptions(formats=("html",), date=date(2026, 1, 1)))  # --date wins


def test_batch_output_parent_must_exist(tmp_path: Path) -> None:
    from fichegen.errors import OutputError

    with pytest.raises(OutputError, match="son dossier parent n'existe pas"):
        _run(tmp_path / "a" / "b")
    assert list(tmp_path.iterdir()) == []


def test_a_huge_profile_is_never_read_whole(tmp_path: Path) -> None:
    import time
    import tracemalloc

    from fichegen.batch.inputs import scan_profiles

    profiles = tmp_path / "profils"
    profiles.mkdir()
    huge = profiles / "enorme.yaml"
    with huge.open("wb") as handle:
        handle.write(b'commune:\n  code_insee: "90001"\n')
        handle.truncate(1 << 30)  # 1 Gio, sparse: nothing written on disk
    tracemalloc.start()
    start = time.monotonic()
    plan = scan_profiles(profiles, sb.FakeReference(), sb.DEP, sb.CODES)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert plan.by_code == {"90001": huge}
    assert peak < 16 * 1024 * 1024 and time.monotonic() - start < 5


def test_index_csv_cells_never_start_a_formula(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import csv

    profiles = tmp_path / "profils"
    profiles.mkdir()
    (profiles / "=HYPERLINK(x).yaml").write_text(
        'commune:\n  code_insee: "90001"\nINVALIDE: 1\n', encoding="utf-8"
    )
    out = tmp_path / "out"
    monkeypatch.chdir(profiles)  # --profiles . : file names come first in messages
    _run(out, profiles_dir=Path("."))
    text = (out / "index.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(text.splitlines(), delimiter=";"))
    (failed,) = [row for row in rows if row["Statut"] == "échec"]
    assert failed["Erreur"].startswith("'=HYPERLINK(x).yaml")
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@"))


def test_batch_api_arguments_of_the_wrong_type_are_refused_in_french(tmp_path: Path) -> None:
    from fichegen.batch.run import iter_batch

    with pytest.raises(InputError, match="code de département attendu"):
        iter_batch(90, output_dir=tmp_path, options=sb.options())  # type: ignore[arg-type]
    with pytest.raises(InputError, match="options : RenderOptions attendu"):
        iter_batch("90", output_dir=tmp_path, options={"formats": ["pdf"]})  # type: ignore[arg-type]
    with pytest.raises(InputError, match="output_dir : chemin de dossier attendu"):
        iter_batch("90", output_dir=None, options=sb.options())  # type: ignore[arg-type]
    out = str(tmp_path / "texte")  # a str path is accepted
    assert _run(out).produced == len(sb.CODES)  # type: ignore[arg-type]
