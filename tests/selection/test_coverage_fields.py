"""``Coverage`` keeps one source of truth: the rate set against France's and the whole
comparison text are derived from the rate given, the Caf's rate and sentence, and whether
the figures are to check (never stored twice, so they cannot disagree)."""

from __future__ import annotations

from dataclasses import fields, replace

from fichegen.inputs.profile import profile_from_dict
from fichegen.selection.builder import build
from fichegen.selection.fiche import Coverage


def test_derived_values_are_not_stored() -> None:
    stored = {f.name for f in fields(Coverage)}
    assert "taux_comparable" not in stored and "comparaison" not in stored


def test_the_rate_given_is_compared_unless_to_check_then_the_caf_one() -> None:
    # L'Île-d'Yeu: outside any EPCI, under 10 000 inhabitants, no Caf rate embedded.
    profile = profile_from_dict(
        {"commune": {"code_insee": "85113"}, "petite_enfance": {"taux_couverture": 41.5}}
    )
    coverage = build(profile).coverage
    assert coverage.taux_fourni == 41.5 and coverage.taux_comparable == 41.5
    assert coverage.comparaison == coverage.chiffres_fournis
    with_caf = replace(coverage, caf_taux=52.0, caf_phrase="Phrase de la Caf.")
    assert with_caf.taux_comparable == 41.5  # the rate given comes first
    assert with_caf.comparaison == f"Phrase de la Caf. {coverage.chiffres_fournis}"
    doubtful = replace(with_caf, a_verifier=True)
    assert doubtful.taux_comparable == 52.0  # the Caf's, like with like, still stands
    assert replace(coverage, a_verifier=True).taux_comparable is None
    assert replace(coverage, chiffres_fournis=None).comparaison is None
