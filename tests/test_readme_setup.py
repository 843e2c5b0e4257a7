"""The README works as written: its first command installs what the usage section needs
(the web extra included), a missing extra is named with the command that adds it, help
texts never send users to a document they do not have, and the files the README's
commands write are ignored by git."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fichegen.errors import InputError

ROOT = Path(__file__).resolve().parent.parent


def test_setup_installs_the_web_extra_by_default() -> None:
    script = (ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8")
    plain = [line for line in script.splitlines() if "pip install -q" in line and "dev" not in line]
    assert plain and all("'.[web]'" in line or '".[web]"' in line for line in plain)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# fichegen\n\n```sh\nscripts/setup.sh && ")
    assert "fichegen serve" in readme


def test_missing_web_extra_gives_both_install_commands(monkeypatch: pytest.MonkeyPatch) -> None:
    from fichegen.web.server import serve

    monkeypatch.setitem(sys.modules, "uvicorn", None)  # import uvicorn now fails
    with pytest.raises(InputError) as caught:
        serve(port=1)
    message = caught.value.first.message
    assert ".venv/bin/pip install '.[web]'" in message
    assert "pip install 'fichegen[web]'" in message


def test_no_help_text_points_to_the_spec(run_cli) -> None:  # type: ignore[no-untyped-def]
    from fichegen.cli.commands import cli

    for name in ["", *cli.commands]:
        result = run_cli(*([name] if name else []), "--help")
        assert result.code == 0, name
        assert "SPEC" not in result.out, name
    assert "SPEC" not in run_cli("explain", "--json", "--help").out


@pytest.mark.skipif(
    shutil.which("git") is None or not (ROOT / ".git").exists(), reason="not a git checkout"
)
def test_what_the_readme_commands_write_is_ignored_by_git() -> None:
    written = [
        "fiche15_59013_anstaing.pdf",
        "fiche15_59350_lille.docx",
        "fiche15_59013_anstaing.html",
        "fiche.docx",
        "fiches/fiche15_90010_belfort.pdf",
        "fiches/90/index.csv",
        "sortie/fiche15_59013_anstaing.pdf",
        "donnees_90.xlsx",
        "anstaing.yaml",
        "profil_59013_anstaing.yaml",
        "profil.schema.json",
    ]
    result = subprocess.run(
        ["git", "check-ignore", "--no-index", *written],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert sorted(result.stdout.split()) == sorted(written)
    kept = subprocess.run(
        ["git", "check-ignore", "--no-index", "examples/fiche15_59013_anstaing.pdf",
         "profiles/anstaing.yaml"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert kept.stdout == ""
