"""The certainty rule for one threshold (fichegen.selection.thresholds), case by case."""

from __future__ import annotations

import pytest

from fichegen.selection.thresholds import PopulationFigures, decide

T = 3500


@pytest.mark.parametrize(
    ("figures", "above", "certain", "why"),
    [
        (PopulationFigures(3500, True, None, None), False, True, "officiel"),
        (PopulationFigures(3501, True, None, None), True, True, "officiel"),
        # 2023 municipale above: the totale is at least as large.
        (PopulationFigures(3400, False, 3501, 3300), True, True, "municipale_au_dessus"),
        # Estimate 3 200 + (3 300 - 3 250) = 3 250 <= 3 325: below with the 5 % margin.
        (PopulationFigures(3300, False, 3200, 3250), False, True, "estimation_en_dessous"),
        # Estimate 3 300 + 50 = 3 350 > 3 325: too close to say.
        (PopulationFigures(3300, False, 3300, 3250), False, False, "incertain"),
        # Old totale above, new municipale below: cannot be settled.
        (PopulationFigures(3600, False, 3450, 3500), True, False, "incertain"),
        # No totale at all: below when even the largest population comptée à part the
        # bound allows (1 000 + 0,3 × municipale) keeps the totale at or under the threshold.
        (PopulationFigures(None, False, 1923, None), False, True, "municipale_borne"),
        (PopulationFigures(None, False, 1924, None), False, False, "incertain"),
        (PopulationFigures(None, False, None, None), False, False, "inconnu"),
        # EPCI: the commune alone above settles it; the whole EPCI above does not.
        (
            PopulationFigures(90000, False, 88000, 87000, plancher=3600),
            True,
            True,
            "plancher_au_dessus",
        ),
        (PopulationFigures(90000, False, 88000, 87000, plancher=1200), True, False, "incertain"),
        (
            PopulationFigures(3000, False, 2900, 2950, plancher=1200),
            False,
            True,
            "estimation_en_dessous",
        ),
    ],
)
def test_decide(figures: PopulationFigures, above: bool, certain: bool, why: str) -> None:
    decision = decide(figures, T)
    assert (decision.above, decision.certain, decision.why) == (above, certain, why)
