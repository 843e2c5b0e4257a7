"""The built-in knowledge base kept in the cache folder between processes.

The kept base must be the built one, record for record; a change of any built-in file
gives another entry (the old one is never read again); an unreadable, damaged or foreign
entry is ignored and rebuilt; ``FICHEGEN_CACHE=off`` keeps nothing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from fichegen.knowledge import base, stored
from fichegen.knowledge.types import KnowledgeBase
from fichegen.resources import knowledge_dir


def _fresh() -> KnowledgeBase:
    """The built-in base built from its YAML, without the cache."""
    return base._with_builtin().build(())


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("FICHEGEN_CACHE", str(tmp_path / "cache"))
    base._builtin.cache_clear()
    yield tmp_path / "cache" / "connaissances"
    base._builtin.cache_clear()


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.json"))


def _no_build(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        pytest.fail("the built-in base was built again")

    monkeypatch.setattr(base, "_load_files", refuse)


def test_the_kept_base_is_the_built_one(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = base.load_knowledge()
    assert first == _fresh()
    (entry,) = _entries(cache)
    assert entry.name == stored.builtin_key() + ".json"
    base._builtin.cache_clear()
    _no_build(monkeypatch)
    again = base.load_knowledge()
    assert again == first and again is not first
    # the same types, not only equal values: 3 and 3.0 print differently
    assert [type(f.valeur) for e in again.examples for f in e.chiffres] == [
        type(f.valeur) for e in first.examples for f in e.chiffres
    ]
    assert all(isinstance(lever.signaux, tuple) for lever in again.levers)


def test_a_changed_builtin_file_gives_a_new_entry(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base.load_knowledge()
    (old,) = _entries(cache)
    copy = tmp_path / "knowledge"
    shutil.copytree(knowledge_dir(), copy)
    context = next(p for p in copy.glob("*.yaml") if "contexte:" in p.read_text("utf-8"))
    text = context.read_text("utf-8")
    assert "titre: " in text
    context.write_text(text.replace("titre: ", "titre: Nouveau titre — ", 1), "utf-8")
    monkeypatch.setattr(base, "knowledge_dir", lambda: copy)
    monkeypatch.setattr(stored, "knowledge_dir", lambda: copy)
    base._builtin.cache_clear()
    changed = base.load_knowledge()
    assert changed.context.titre.startswith("Nouveau titre")
    (new,) = _entries(cache)  # the old entry was replaced
    assert new.name != old.name


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\x00\xff garbage",
        b'{"__record__": "KnowledgeBase"',  # cut short
        b"[1, 2, 3]",
        b'{"__record__": "Context", "titre": "x"}',  # missing fields
        b'{"__record__": "os.system", "command": "true"}',  # not a record
    ],
)
def test_a_damaged_or_foreign_entry_is_ignored_and_rebuilt(cache: Path, content: bytes) -> None:
    cache.mkdir(parents=True)
    entry = cache / (stored.builtin_key() + ".json")
    entry.write_bytes(content)
    assert base.load_knowledge() == _fresh()
    assert stored.decode(entry.read_bytes()) == _fresh()  # replaced by a good one


def test_an_entry_with_an_unknown_field_is_not_used(cache: Path) -> None:
    base.load_knowledge()
    (entry,) = _entries(cache)
    data = json.loads(entry.read_text("utf-8"))
    data["context"]["ajout"] = "x"
    entry.write_text(json.dumps(data), "utf-8")
    base._builtin.cache_clear()
    assert base.load_knowledge() == _fresh()


def test_cache_off_or_unusable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for setting in ("off", str(tmp_path / "a-file")):
        (tmp_path / "a-file").write_text("not a folder")
        monkeypatch.setenv("FICHEGEN_CACHE", setting)
        base._builtin.cache_clear()
        assert base.load_knowledge() == _fresh()
    base._builtin.cache_clear()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_a_process_with_the_base_kept_loads_no_yaml_reader_nor_schema(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from fichegen.knowledge.base import load_knowledge\n"
        "kb = load_knowledge()\n"
        "print(len(kb.examples), sorted(m for m in sys.modules if m.startswith("
        "('fichegen.knowledge.schema', 'fichegen.knowledge.located', 'yaml'))))\n"
    )
    env = {"FICHEGEN_CACHE": str(tmp_path), "PATH": "/usr/bin:/bin"}
    run = [sys.executable, "-c", code]  # from tmp_path: the installed fichegen, not a checkout
    first = subprocess.run(run, env=env, capture_output=True, text=True, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "fichegen.knowledge.schema" in first.stdout  # built
    second = subprocess.run(run, env=env, capture_output=True, text=True, cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert second.stdout.split(" ", 1) == [first.stdout.split(" ", 1)[0], "[]\n"]
