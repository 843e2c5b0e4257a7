"""The reference looks a commune up in its text until every line is wanted: the same
answers as the full index, for every commune and every EPCI, first and last lines included."""

from __future__ import annotations

from fichegen.reference.lookup import Reference
from fichegen.reference.rows import find_line, read_tsv
from fichegen.resources import data_dir


def test_commune_lines_are_sorted_by_code_for_the_binary_search() -> None:
    codes = [line.split("\t", 1)[0] for line in read_tsv(data_dir() / "communes.tsv.gz")]
    assert codes == sorted(codes) and len(set(codes)) == len(codes)


def test_find_line_edges() -> None:
    text = "\nkey\tvalue\nA\t1\nB\t2\nD\t4"
    assert [find_line(text, k) for k in ("A", "B", "C", "D", "E", "")] == [
        "A\t1", "B\t2", None, "D\t4", None, None
    ]  # fmt: skip
    assert find_line("\nheader only", "A") is None


def test_lines_and_epci_members_found_in_the_text_match_the_full_index() -> None:
    lazy = Reference(data_dir())
    full = Reference(data_dir())
    index = full._lines  # every line, by code
    codes = list(index)
    assert lazy._line_index is None
    for code in (codes[0], codes[-1], *codes[:: len(codes) // 300]):
        assert lazy._line(code) == index[code]
        assert lazy.get(code) == full.get(code)
    for absent in ("00000", "2A999", "5913", "591300", "\t5913", "59013\n"):
        assert lazy._line(absent) is None
    assert lazy._line_index is None  # no line index was needed so far
    members: dict[str, list[str]] = {}
    for code, line in index.items():
        epci = line.split("\t")[5]
        if epci:
            members.setdefault(epci, []).append(code)
    assert len(members) > 1200
    for epci, codes_of in members.items():
        found = lazy.epci(epci)
        assert found is not None and found.membres == tuple(sorted(codes_of)), epci
    assert lazy.epci("123456789") is None
    assert lazy._line_index is None
