"""The installed package finds its data and templates wherever it is run from."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

import fichegen
from fichegen import resources

INSTALLED = os.environ.get("FICHEGEN_EXPECT_INSTALLED") == "1"


def test_public_api_is_exported() -> None:
    for name in fichegen.__all__:
        assert hasattr(fichegen, name), name
    assert fichegen.__version__.count(".") == 2


def test_package_is_typed() -> None:
    assert (Path(fichegen.__file__).parent / "py.typed").is_file()


@pytest.mark.skipif(not INSTALLED, reason="only meaningful against a non-editable install")
def test_tests_run_against_the_installed_wheel_not_the_checkout() -> None:
    package_dir = Path(fichegen.__file__).resolve().parent
    assert package_dir != ROOT / "fichegen", package_dir
    assert "site-packages" in package_dir.parts, package_dir
    assert resources.data_dir() == package_dir / "data"
    assert resources.templates_dir() == package_dir / "templates"


def test_assets_are_present() -> None:
    assert (resources.data_dir() / "communes.tsv.gz").is_file()
    assert any(resources.knowledge_dir().glob("*.yaml"))
    assert any(resources.templates_dir().glob("*.j2"))
    assert any(resources.fonts_dir().iterdir())


def test_cli_runs_from_another_folder(tmp_path: Path) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1780000000"}
    if INSTALLED:
        env.pop("PYTHONPATH", None)
    else:
        env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "fichegen",
            "render",
            "--commune",
            "90010",
            "-f",
            "html",
            "-o",
            "out",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    produced = list((tmp_path / "out").glob("fiche15_90010_*.html"))
    assert len(produced) == 1
    assert "Fiche n°\u00a015" in produced[0].read_text(encoding="utf-8")


def test_version_flag(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("--version")
    assert result.code == 0
    assert result.out.strip() == f"fichegen {fichegen.__version__}"


def test_importing_the_reference_does_not_load_the_pipeline() -> None:
    """``import fichegen`` is cheap: pydantic, Babel and the renderers load on first use."""
    code = (
        "import sys, fichegen; from fichegen.reference.lookup import load_reference; "
        "load_reference().get('59013'); "
        "print(sorted(m for m in ('pydantic', 'babel', 'weasyprint', 'docx') if m in sys.modules))"
    )
    env = {**os.environ}
    if not INSTALLED:
        env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
