"""docs/donnees.md keeps the column reference generated from the profile schema."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from conftest import ROOT

from fichegen.inputs.columns import columns


def _script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "update_donnees_docs", ROOT / "scripts" / "update_donnees_docs.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_column_reference_is_up_to_date() -> None:
    doc: Path = ROOT / "docs" / "donnees.md"
    text = doc.read_text(encoding="utf-8")
    assert _script().updated(text) == text, (
        "docs/donnees.md n'est plus à jour : lancez python scripts/update_donnees_docs.py"
    )
    for column in columns():
        assert f"| {column.label} | `{column.path}` |" in text


def test_every_column_says_where_to_find_its_figure() -> None:
    assert all(column.where for column in columns())


def test_every_profile_field_has_a_french_title() -> None:
    from fichegen.inputs.labels import field_label, field_labels

    for path, label in field_labels().items():
        assert label != path.rsplit(".", 1)[-1].removeprefix("[]"), path
    assert field_label("acteurs_ess[3].nom") == "Nom de l'acteur"
    assert field_label("petite_enfance.places_eaje") == "Places en crèche ou multi-accueil (EAJE)"
