"""Atomic writes: a failure never leaves a partial file under the final name."""

from __future__ import annotations

from pathlib import Path

import pytest

from fichegen.errors import OutputError
from fichegen.renderers.output import write_atomic


def test_write_atomic_creates_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "fiche.pdf"
    write_atomic(target, b"%PDF-1.7")
    assert target.read_bytes() == b"%PDF-1.7"
    assert [p.name for p in target.parent.iterdir()] == ["fiche.pdf"]


def test_write_atomic_never_creates_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="chemin introuvable"):
        write_atomic(tmp_path / "absent" / "fiche.pdf", b"x")
    assert list(tmp_path.iterdir()) == []


def test_write_atomic_replaces_a_symlink_without_following_it(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("précieux")
    link = tmp_path / "fiche.pdf"
    link.symlink_to(victim)
    write_atomic(link, b"%PDF")
    assert victim.read_text() == "précieux"
    assert not link.is_symlink() and link.read_bytes() == b"%PDF"


def test_write_atomic_replaces_existing(tmp_path: Path) -> None:
    target = tmp_path / "f.docx"
    target.write_bytes(b"old")
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"


def test_output_folder_that_is_a_file_raises_output_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    with pytest.raises(OutputError) as info:
        write_atomic(blocker / "f.pdf", b"x")
    assert "impossible d'écrire" in str(info.value)
    assert blocker.read_text() == "x"
