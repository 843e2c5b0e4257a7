"""Plausibility warnings: figures that cannot all be true, or far out of range.

They are warnings, not errors (validate exits 0), shown by validate, explain and the
fiche's annex, and no lever reason is built on them (issue 19, deliverable 4).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html import escape
from pathlib import Path

import pytest
from support_donnees import write_xlsx

from fichegen.document.compose import compose
from fichegen.french.typography import typeset
from fichegen.inputs.plausibility import plausibility_warnings
from fichegen.inputs.profile import load_profile, profile_from_text
from fichegen.options import RenderOptions
from fichegen.renderers.html import render_html
from fichegen.selection.builder import build

ROOT = Path(__file__).resolve().parents[2]

ZERO_CHILDREN = """version: 1
commune:
  code_insee: "59013"
petite_enfance:
  enfants_moins_3_ans: 0
  places_eaje: 500
  demandes_en_attente: 250
"""
TOO_MANY_PLACES = """version: 1
commune:
  code_insee: "59013"
petite_enfance:
  enfants_moins_3_ans: 100
  places_eaje: 2500
"""
SPREADSHEET_RATE = """version: 1
commune:
  code_insee: "59013"
petite_enfance:
  taux_couverture: 0.125
"""
HUGE_LOCAL = """version: 1
commune:
  code_insee: "59013"
patrimoine:
  locaux_disponibles:
    - description: ancienne usine
      surface_m2: 250000
"""
HIGH_RATE = """version: 1
commune:
  code_insee: "59013"
petite_enfance:
  taux_couverture: 180
"""
EXTREME = {
    "zero": (ZERO_CHILDREN, {"petite_enfance.places_eaje", "petite_enfance.demandes_en_attente"}),
    "places": (TOO_MANY_PLACES, {"petite_enfance.places_eaje"}),
    "rate": (SPREADSHEET_RATE, {"petite_enfance.taux_couverture"}),
    "local": (HUGE_LOCAL, {"patrimoine.locaux_disponibles[0].surface_m2"}),
    "high": (HIGH_RATE, {"petite_enfance.taux_couverture"}),
}
# What the reviewer saw, and what a reason must never say again.
ABSURD = re.compile(
    r"2\u202f?500 places|points de plus|0,1 places?|250\u202f?000|250 demandes|pour 0 enfant"
)


@pytest.fixture(params=sorted(EXTREME))
def extreme(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, set[str]]:
    text, fields = EXTREME[request.param]
    path = tmp_path / f"{request.param}.yaml"
    path.write_text(text, encoding="utf-8")
    return path, fields


def test_each_extreme_profile_is_valid_with_located_warnings(
    extreme: tuple[Path, set[str]],
) -> None:
    path, fields = extreme
    warnings = plausibility_warnings(load_profile(path))
    assert {w.field for w in warnings} == fields
    for w in warnings:
        assert w.severity == "avertissement" and w.file == str(path)
        assert w.line is not None and w.column is not None
        assert w.format().startswith(f"{path}:{w.line}:{w.column}: avertissement : ")
        assert "petite_enfance" not in w.message and "(s)" not in w.message


def test_ordinary_profiles_have_no_warning() -> None:
    for path in sorted((ROOT / "profiles").glob("*.yaml")):
        assert plausibility_warnings(load_profile(path)) == (), path.name


def test_warning_messages_say_what_is_wrong() -> None:
    (rate,) = plausibility_warnings(profile_from_text(SPREADSHEET_RATE))
    assert "0,125" in rate.message and "12,5\u00a0%" in rate.message
    zero = {w.field: w.message for w in plausibility_warnings(profile_from_text(ZERO_CHILDREN))}
    assert "500\u00a0places" in zero["petite_enfance.places_eaje"]
    assert "pour 0 enfant de moins" in zero["petite_enfance.places_eaje"]
    assert "250\u00a0demandes" in zero["petite_enfance.demandes_en_attente"]
    (local,) = plausibility_warnings(profile_from_text(HUGE_LOCAL))
    assert "250\u202f000\u00a0m²" in local.message


def test_a_rate_over_150_warns_and_up_to_300_is_accepted() -> None:
    (high,) = plausibility_warnings(profile_from_text(HIGH_RATE))
    assert "180" in high.message and "150" in high.message
    ok = profile_from_text(HIGH_RATE.replace("180", "120"))
    assert plausibility_warnings(ok) == ()


def test_validate_prints_warnings_and_exits_0_in_a_subprocess(
    extreme: tuple[Path, set[str]],
) -> None:
    path, fields = extreme
    env = {**os.environ}
    if os.environ.get("FICHEGEN_EXPECT_INSTALLED") != "1":
        env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, "-m", "fichegen", "validate", str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "valide (Anstaing (59013))" in done.stdout
    lines = [line for line in done.stderr.splitlines() if "avertissement" in line]
    assert len(lines) == len(fields)
    assert all(re.match(rf"{re.escape(str(path))}:\d+:\d+: avertissement : « ", x) for x in lines)


def test_explain_json_lists_the_warnings(run_cli, extreme: tuple[Path, set[str]]) -> None:  # type: ignore[no-untyped-def]
    path, fields = extreme
    result = run_cli("explain", path, "--json")
    assert result.code == 0
    data = json.loads(result.out)
    assert {w["champ"] for w in data["avertissements"]} == fields
    assert all(w["ligne"] and w["fichier"] == str(path) for w in data["avertissements"])
    text = run_cli("explain", path)
    assert "Chiffres à vérifier" in text.out and "avertissement : " in text.out


def test_no_reason_is_built_on_a_doubtful_figure(extreme: tuple[Path, set[str]]) -> None:
    path, _ = extreme
    fiche = build(load_profile(path))
    for lever in fiche.levers:
        for reason in lever.reasons:
            assert not ABSURD.search(reason), reason
    assert fiche.coverage.comparaison is None or "points de plus" not in fiche.coverage.comparaison


def test_a_rate_the_user_gave_is_shown_as_given_and_to_check() -> None:
    fiche = build(profile_from_text(SPREADSHEET_RATE))
    assert fiche.coverage.a_verifier and fiche.coverage.comparaison is not None
    assert "0,125" in fiche.coverage.comparaison
    assert not any(lever.id and "couverture" in " ".join(lever.reasons) for lever in fiche.levers)
    both = build(
        profile_from_text(TOO_MANY_PLACES.replace("2500", "40") + "  taux_couverture: 41.5\n")
    )
    assert both.coverage.comparaison is not None and "41,5" in both.coverage.comparaison


def test_the_annex_lists_the_figures_to_check(extreme: tuple[Path, set[str]]) -> None:
    path, fields = extreme
    fiche = build(load_profile(path))
    html = render_html(compose(fiche, RenderOptions(formats=("html",))))
    annex = html[html.index('id="annexe-profil"') :]
    assert "À vérifier" in annex
    for warning in fiche.warnings:
        assert escape(typeset(warning.message), quote=False) in annex
    assert "petite_enfance." not in html and "surface_m2" not in html
    assert len(fiche.warnings) == len(fields)


def test_a_spreadsheet_percentage_cell_is_located_at_its_cell(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = [["code_insee", "Taux de couverture"], ["59013", 0.125]]
    sheet = write_xlsx(tmp_path / "chiffres.xlsx", rows)
    result = run_cli("validate", "--donnees", sheet)
    assert result.code == 0, result.err
    assert f"{sheet}:2:B: avertissement : « petite_enfance.taux_couverture » : " in result.err
