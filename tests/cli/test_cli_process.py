"""The ``fichegen`` process as a user runs it: how it starts and how it ends.

The console script leaves with ``os._exit`` once a command is done (no teardown of the
heap): its status, its output through a pipe and its ``atexit`` handlers (WeasyPrint's
font folder removed) must be those of an ordinary exit. At start, the command line loads
only what every command needs: the readers of spreadsheets and open-data files, the PDF
engines and the pydantic models of the knowledge base wait until used; a DOCX needs no
XML library at all.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

FICHEGEN = str(Path(sys.executable).with_name("fichegen"))
HEAVY = (
    "weasyprint",
    "docx",
    "lxml",
    "openpyxl",
    "python_calamine",
    "typst",
    "PIL",
    "jinja2",
    "yaml",
    "babel",
)


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run from a neutral folder: ``python -c`` and ``-m`` would import a checkout's
    ``fichegen`` from the current folder instead of the installed one."""
    return subprocess.run(
        [*args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
        cwd=tempfile.gettempdir(),
    )


@pytest.mark.parametrize("command", [[FICHEGEN], [sys.executable, "-m", "fichegen"]])
def test_exit_status_and_piped_output_are_those_of_a_normal_exit(command: list[str]) -> None:
    listed = _run(*command, "communes", "--departement", "62", "--tout")
    assert listed.returncode == 0, listed.stderr
    rows = listed.stdout.splitlines()
    assert len(rows) == 887 + 2  # header and rule, then every commune of the Pas-de-Calais
    assert rows[-1].split()[0].startswith("62")
    refused = _run(*command, "render", "--commune", "99999", "-f", "html")
    assert refused.returncode == 2
    assert "99999" in refused.stderr and refused.stdout == ""
    assert _run(*command, "--version").stdout.strip().startswith("fichegen ")
    assert _run(*command, "render", "--pas-une-option").returncode == 2


def test_exit_handlers_still_run(tmp_path: Path) -> None:
    """WeasyPrint's font folder (made in TMPDIR) is removed by an ``atexit`` handler."""
    private = tmp_path / "tmp"
    private.mkdir()
    env = dict(os.environ, TMPDIR=str(private))
    done = _run(FICHEGEN, "render", "--commune", "90010", "-f", "pdf", "-o", str(tmp_path), env=env)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "fiche15_90010_belfort.pdf").read_bytes().startswith(b"%PDF-")
    assert sorted(p.name for p in private.iterdir()) == []


def _modules_after(code: str, env: dict[str, str] | None = None) -> list[str]:
    script = (
        f"{code}\nimport sys\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & set(sys.argv[1:])))\n"
        "print(sorted(m for m in sys.modules if m.startswith(('fichegen.inputs.official',"
        " 'fichegen.inputs.sheet', 'fichegen.knowledge.schema', 'fichegen.inputs.validation',"
        " 'fichegen.renderers'))))"
    )
    done = _run(sys.executable, "-c", script, *HEAVY, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_the_command_line_starts_without_engines_nor_readers() -> None:
    assert _modules_after("import fichegen.cli.commands") == ["[]", "[]"]


_RENDER = ["breaks", "map", "map_labels", "map_layout", "map_raster", "output"]


@pytest.mark.parametrize(
    ("args", "engines", "renderers"),
    [
        (
            ["-f", "docx"],
            ["PIL"],  # the DOCX is written as text: neither python-docx nor lxml
            ["docx", "docx_package", "docx_picture", "docx_template", "docx_xml"],
        ),
        (["-f", "pdf", "--moteur", "typst"], ["PIL", "typst"], ["typst_data", "typst_pdf"]),
    ],
)
def test_a_fiche_loads_only_what_its_format_needs(
    args: list[str], engines: list[str], renderers: list[str], tmp_path: Path
) -> None:
    """No spreadsheet nor open-data reader without --donnees, no YAML reader without a
    profile file, no schema of the knowledge base once it is kept, no other engine."""
    env = dict(os.environ, FICHEGEN_CACHE=str(tmp_path / "cache"))
    code = (
        "from fichegen.cli.commands import main\n"
        f"main(['render', '--commune', '90010', '-o', {str(tmp_path)!r}, *{args!r}])"
    )
    _modules_after(code, env)  # the cache filled
    engines_loaded, modules = _modules_after(code, env)[-2:]  # after the path written
    assert engines_loaded == repr(engines)
    expected = ["fichegen.renderers", *(f"fichegen.renderers.{n}" for n in _RENDER + renderers)]
    assert sorted(ast.literal_eval(modules)) == sorted([*expected, "fichegen.inputs.validation"])
