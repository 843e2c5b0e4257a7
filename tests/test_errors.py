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
