"""The error hierarchy: one base class, located issues, exit codes."""

from __future__ import annotations

import pytest

from fichegen import errors


def test_issue_format_with_full_location() -> None:
    issue = errors.Issue("nombre attendu", "p.yaml", 7, 3, "petite_enfance.mam")
    assert issue.format() == "p.yaml:7:3: « petite_enfance.mam » : nombre attendu"


def test_issue_format_without_location() -> None:
    assert errors.Issue("oups").format() == "oups"


@pytest.mark.parametrize(
    ("cls", "code"),
    [
        (errors.ProfileError, 2),
        (errors.KnowledgeError, 2),
        (errors.UnknownCommuneError, 2),
        (errors.InputError, 2),
        (errors.RenderError, 1),
        (errors.OutputError, 1),
        (errors.BatchError, 1),
    ],
)
def test_every_error_derives_from_base_and_carries_exit_code(
    cls: type[errors.FichegenError], code: int
) -> None:
    error = cls("message", file="f.yaml", line=2, column=1, field="x")
    assert isinstance(error, errors.FichegenError)
    assert error.exit_code == code
    assert (error.file, error.line, error.column, error.field) == ("f.yaml", 2, 1, "x")


def test_error_collects_several_issues() -> None:
    error = errors.ProfileError(issues=[errors.Issue("a", "f", 1, 1), errors.Issue("b", "f", 2, 1)])
    assert error.lines() == ["f:1:1: a", "f:2:1: b"]
    assert str(error) == "f:1:1: a\nf:2:1: b"


def test_shorten_caps_a_huge_value_with_an_ellipsis_on_one_line() -> None:
    assert errors.shorten("x" * 1_000_000) == "x" * 39 + "…"
    assert errors.shorten("a\n  b\tc") == "a b c"
    assert errors.shorten("court") == "court"


def test_printable_makes_escape_sequences_and_bidi_controls_visible() -> None:
    assert errors.printable("a\x1b[2Jb\u202ec\x07") == "a\\x1b[2Jb\\u202ec\\x07"
    assert errors.printable("ligne\nsuivante\tok") == "ligne\nsuivante\tok"


def test_an_issue_never_prints_a_terminal_escape_sequence() -> None:
    issue = errors.Issue("valeur « \x1b]0;titre\x07 »", "p\x1b[31m.yaml", 1, 2)
    assert "\x1b" not in issue.format() and "\x07" not in issue.format()
    assert issue.format().startswith("p\\x1b[31m.yaml:1:2: ")


def test_require_refuses_a_wrong_type_in_french() -> None:
    with pytest.raises(errors.InputError, match="profil attendu, reçu None"):
        errors.require(None, str, "profil attendu")
    with pytest.raises(errors.InputError, match="reçu un booléen"):
        errors.require(True, int, "nombre attendu")
    errors.require(3, int, "nombre attendu")


def test_os_errors_are_french_even_when_unlisted() -> None:
    import errno

    assert errors.os_error_text(OSError(errno.ENAMETOOLONG, "File name too long")) == (
        "nom de fichier trop long"
    )
    assert errors.os_error_text(OSError(errno.ECHILD, "No child processes")) == (
        "erreur système ECHILD"
    )
