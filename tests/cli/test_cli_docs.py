"""docs/cli.md says exactly what --help says (regenerate: scripts/update_cli_docs.py)."""

from __future__ import annotations

import importlib.util

from conftest import ROOT


def test_cli_reference_is_up_to_date() -> None:
    spec = importlib.util.spec_from_file_location(
        "update_cli_docs", ROOT / "scripts" / "update_cli_docs.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    expected = module.render_doc()
    actual = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert actual == expected, "docs/cli.md est périmé : lancez python scripts/update_cli_docs.py"


def test_readme_mentions_every_command() -> None:
    from fichegen.cli.commands import cli

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in cli.commands:  # type: ignore[attr-defined]
        assert f"fichegen {name}" in readme, name
