"""Safe YAML reading: positions, caps, refused constructs, text cleaning."""

from __future__ import annotations

import datetime
import time
from pathlib import Path

import pytest

from fichegen.errors import FichegenError, InputError, ProfileError
from fichegen.inputs.yamlio import (
    MAX_ALIASES,
    MAX_BYTES,
    MAX_DEPTH,
    Position,
    clean_data,
    clean_text,
    load_yaml_file,
    load_yaml_text,
)


def refused(text: str) -> FichegenError:
    with pytest.raises(InputError) as caught:
        load_yaml_text(text, "t.yaml")
    return caught.value


def test_positions_of_keys_and_values_are_one_based() -> None:
    doc = load_yaml_text("a:\n  b: 12\n  c: [x, y]\n", "t.yaml")
    assert doc.data == {"a": {"b": 12, "c": ["x", "y"]}}
    assert doc.key_positions[("a", "b")] == Position(2, 3)
    assert doc.value_positions[("a", "b")] == Position(2, 6)
    assert doc.value_positions[("a", "c", 1)] == Position(3, 10)
    # an unknown path falls back to its nearest located parent
    assert doc.position(("a", "missing"), key=True) == Position(1, 1)


def test_scalars_keep_their_written_text_and_ints_stay_decimal() -> None:
    doc = load_yaml_text("code: 01001\nn: 012\nd: 2025-02-01\nb: yes\nh: 0x10\n", "t.yaml")
    assert doc.data["code"] == 1001  # never the YAML 1.1 octal 513
    assert doc.data["n"] == 12
    assert doc.plain_text(("code",)) == "01001"
    assert doc.data["d"] == datetime.date(2025, 2, 1)
    assert doc.data["b"] is True
    assert doc.data["h"] == 16


def test_python_tag_is_refused_with_its_line() -> None:
    error = refused("a: 1\nb: !!python/object/apply:os.system ['echo pwned']\n")
    assert error.line == 2 and error.column == 4
    assert "!!python/object/apply:os.system" in error.first.message
    assert "refusée" in error.first.message


@pytest.mark.parametrize("text", ["a: !custom 1\n", "a: !!binary aGVsbG8=\n", "a: !!set {x}\n"])
def test_other_non_standard_tags_are_refused(text: str) -> None:
    assert "étiquette YAML" in refused(text).first.message


def test_alias_bomb_is_refused_before_expansion() -> None:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        refs = ", ".join([f"*l{level - 1}"] * 9)
        lines.append(f"l{level}: &l{level} [{refs}]")
    started = time.perf_counter()
    error = refused("\n".join(lines) + "\n")
    elapsed = time.perf_counter() - started
    assert "alias" in error.first.message
    assert error.line is not None and error.line <= 3  # stopped in the first levels
    assert elapsed < 0.5


def test_a_few_aliases_are_accepted() -> None:
    doc = load_yaml_text("a: &x {k: 1}\nb: *x\n", "t.yaml")
    assert doc.data["b"] == {"k": 1}
    too_many = "a: &x 1\nb: [" + ", ".join(["*x"] * (MAX_ALIASES + 1)) + "]\n"
    assert "alias" in refused(too_many).first.message


def test_recursive_alias_is_refused() -> None:
    assert "circulaire" in refused("a: &x [1, *x]\n").first.message


def test_deep_nesting_is_refused_without_recursion_error() -> None:
    error = refused("a: " + "[" * 5000 + "]" * 5000 + "\n")
    assert "imbrication" in error.first.message
    assert error.line == 1
    block = "".join(f"{'  ' * i}k{i}:\n" for i in range(MAX_DEPTH + 2)) + "  " * 40 + "x: 1\n"
    assert "imbrication" in refused(block).first.message


def test_duplicate_keys_name_both_lines_and_all_are_reported() -> None:
    error = refused("a: 1\nb: 2\na: 3\nc:\n  x: 1\n  x: 2\n")
    assert [(issue.line, issue.column) for issue in error.issues] == [(3, 1), (6, 3)]
    assert "« a »" in error.issues[0].message and "ligne 1" in error.issues[0].message
    assert "ligne 5" in error.issues[1].message


def test_empty_file_and_comments_only_are_refused() -> None:
    assert "vide" in refused("").first.message
    assert "vide" in refused("# rien\n\n").first.message
    assert "vide" in refused("~\n").first.message


def test_top_level_list_or_scalar_is_refused() -> None:
    error = refused("- a\n- b\n")
    assert "liste" in error.first.message and error.line == 1
    assert "ensemble de clés" in refused("just text\n").first.message


def test_malformed_yaml_gets_french_message_and_position() -> None:
    error = refused("a: 1\nb: [1, 2\nc: 3\n")
    assert error.first.message.startswith("YAML mal formé")
    assert error.line == 3
    tab = refused("a:\n\tb: 1\n")
    assert "tabulation" in tab.first.message and (tab.line, tab.column) == (2, 1)


def test_several_documents_are_refused() -> None:
    assert "un seul document" in refused("a: 1\n---\nb: 2\n").first.message


def test_merge_keys_are_refused() -> None:
    assert "<<" in refused("a: &x {k: 1}\nb:\n  <<: *x\n").first.message


def test_control_characters_and_lone_surrogates_are_cleaned() -> None:
    doc = load_yaml_text('a: "x\\x1by\\uD800z\\u0085w\\tv\\nu"\nb: plain\x07 text\n', "t.yaml")
    assert doc.data["a"] == "xy\ufffdzw\tv\nu"
    assert doc.data["b"] == "plain text"


def test_clean_text_and_clean_data() -> None:
    assert clean_text("a\x00b\x9fc\ud83dd\n\te") == "abc\ufffdd\n\te"
    assert clean_data({"k\x1b": ["v\x01", 3, None]}) == {"k": ["v", 3, None]}
    looped: list[object] = []
    looped.append(looped)
    with pytest.raises(InputError):
        clean_data(looped)


def test_file_size_cap(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: " + b"x" * MAX_BYTES + b"\n")
    with pytest.raises(ProfileError) as caught:
        load_yaml_file(big, error=ProfileError)
    assert "trop volumineux" in caught.value.first.message
    assert caught.value.file == str(big)


def test_non_utf8_bytes_give_their_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("a: 1\nnom: Saint-Étienne\n".encode("latin-1"))
    with pytest.raises(InputError) as caught:
        load_yaml_file(path)
    assert (caught.value.line, caught.value.column) == (2, 12)
    assert "UTF-8" in caught.value.first.message and "0xC9" in caught.value.first.message


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeffnom: Évry\n".encode())
    assert load_yaml_file(path).data == {"nom": "Évry"}


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="introuvable"):
        load_yaml_file(tmp_path / "absent.yaml")
    with pytest.raises(InputError, match="dossier"):
        load_yaml_file(tmp_path)


def test_error_class_is_chosen_by_the_caller() -> None:
    with pytest.raises(ProfileError):
        load_yaml_text("- a\n", "t.yaml", error=ProfileError)
