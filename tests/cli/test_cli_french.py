"""The command line speaks French throughout: help, usage, suggestions, counts."""

from __future__ import annotations

import json
import re

import pytest

from fichegen.cli.commands import cli


def test_help_headings_and_usage_are_french(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("--help")
    assert result.code == 0
    assert "Usage : fichegen [OPTIONS] COMMANDE [ARGUMENTS]..." in result.out
    assert "Options :" in result.out and "Commandes :" in result.out
    assert "Options:" not in result.out and "COMMAND" not in result.out.replace("COMMANDE", "")


def test_help_lists_every_command_with_its_whole_description(  # type: ignore[no-untyped-def]
    run_cli,
) -> None:
    out = " ".join(run_cli("--help").out.split())
    for command in cli.commands.values():  # type: ignore[attr-defined]
        first = " ".join((command.help or "").split("\n\n")[0].split())
        assert first and first in out, first
    assert "..." not in out.replace("[ARGUMENTS]...", "")


@pytest.mark.parametrize(
    ("args", "suggestion"),
    [
        (("rendr",), "Vouliez-vous dire « render » ?"),
        (("render", "--formts", "html"), "Vouliez-vous dire « --formats » ?"),
    ],
)
def test_suggestions_are_french(  # type: ignore[no-untyped-def]
    run_cli, args: tuple[str, ...], suggestion: str
) -> None:
    result = run_cli(*args)
    assert result.code == 2
    assert suggestion in result.err
    assert "Did you mean" not in result.err


def test_communes_says_how_many_it_leaves_out(run_cli) -> None:  # type: ignore[no-untyped-def]
    everything = json.loads(run_cli("communes", "--departement", "2A", "--json", "--tout").out)
    limited = run_cli("communes", "--departement", "2A", "--json", "--limit", "10")
    shown = json.loads(limited.out)
    assert len(shown) == 10 < len(everything)
    left = len(everything) - 10
    assert f"{left}\u00a0autres non affichées" in limited.err
    assert "--tout" in limited.err
    assert everything[:10] == shown


def test_communes_is_quiet_when_nothing_is_left_out(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("communes", "Anstaing")
    assert "59013" in result.out and result.err == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("batch",), "Argument manquant « DÉPARTEMENT »"),
        (
            ("communes", "--limit", "0"),
            "« --limit » : 0 hors limites (valeur attendue : au moins 1)",
        ),
        (
            ("render", "--commune", "59013", "--pdf-variant", "pdf/x"),
            "« pdf/x » n'est pas l'une des valeurs possibles : « pdf/ua-1 », « pdf/a-3b »",
        ),
    ],
)
def test_usage_errors_quote_the_french_way(  # type: ignore[no-untyped-def]
    run_cli, args: tuple[str, ...], message: str
) -> None:
    result = run_cli(*args)
    assert result.code == 2
    assert message in result.err
    assert re.search(r"'[^' ]+'", result.err) is None  # no Python-style 'quotes'
