"""The Cnaf's embedded coverage rates (2023): the commune's own above 10 000 inhabitants, else
its EPCI's said as such, compared with France's of the same dataset and year; a rate of the
Caf files given or of the team still wins; where the Cnaf publishes nothing the fiche says
« à compléter » and where to look. Real communes, real embedded figures."""

from __future__ import annotations

from pathlib import Path

import pytest
from support_official import write_txcouv
from support_selection import fiche_for

from fichegen.document.compose import compose
from fichegen.document.model import KeyFigure, Table
from fichegen.inputs.official.apply import apply_official
from fichegen.inputs.official.read import read_inputs
from fichegen.inputs.profile import profile_from_dict
from fichegen.options import RenderOptions
from fichegen.reference.lookup import load_reference
from fichegen.selection.builder import build
from fichegen.selection.fiche import Fiche


def _blocks(fiche: Fiche) -> list[object]:
    document = compose(fiche, RenderOptions())
    found: list[object] = []

    def walk(node: object) -> None:
        found.append(node)
        for name in ("sections", "blocks", "items", "figures"):
            for child in getattr(node, name, ()) or ():
                walk(child)

    walk(document)
    return found


def _tile(fiche: Fiche) -> KeyFigure:
    tiles = [
        b
        for b in _blocks(fiche)
        if isinstance(b, KeyFigure) and ("couverture" in b.label or "100\u00a0enfants" in b.label)
    ]
    assert len(tiles) == 1
    return tiles[0]


def _text(inline: object) -> str:
    """The text of a string or of inline runs, with ordinary spaces."""
    if inline is None:
        return ""
    if isinstance(inline, str):
        text = inline
    else:
        text = "".join(getattr(run, "text", str(run)) for run in inline)  # type: ignore[attr-defined]
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def test_reference_gives_the_commune_rate_else_the_epci_rate() -> None:
    reference = load_reference()
    own = reference.caf_rate("59043")  # Bailleul, 14 869 inhabitants
    assert own is not None and (own.level, own.rate, own.year, own.national) == (
        "commune",
        72.5,
        2023,
        60.9,
    )
    epci = reference.caf_rate("59034")  # Avelin, in the CC Pévèle-Carembault
    assert epci is not None and (epci.level, epci.code, epci.rate) == ("epci", "200041960", 76.0)
    assert reference.caf_rate("85113") is None  # L'Île-d'Yeu, outside any EPCI
    assert reference.caf_rate("97611") is None  # Mamoudzou: the Cnaf's files exclude Mayotte
    # Paris, Lyon and Marseille: the copy folded their arrondissements; their EPCI's rate.
    paris = reference.caf_rate("75056")
    assert paris is not None and (paris.level, paris.code) == ("epci", "200054781")


def test_big_commune_has_its_own_rate_on_the_tile_and_in_the_table() -> None:
    fiche = fiche_for("01053")  # Bourg-en-Bresse
    cov = fiche.coverage
    assert (cov.caf_taux, cov.caf_portee, cov.caf_annee) == (66.7, "commune", 2023)
    assert (cov.national_places_pour_100, cov.national_annee) == (60.9, 2023)
    tile = _tile(fiche)
    assert _text(tile.label) == "Places pour 100 enfants de moins de 3 ans"
    assert tile.value == "66,7" and _text(tile.detail) == "Commune, Caf 2023 · France : 60,9"
    rows = [r for b in _blocks(fiche) if isinstance(b, Table) for r in b.rows]
    caf_rows = [r for r in rows if "Taux de couverture de la commune en 2023" in _text(r[0])]
    assert len(caf_rows) == 1
    assert _text(caf_rows[0][1]) == "66,7"
    assert _text(caf_rows[0][2]) == "Cnaf, données ouvertes 2023 (taux par commune)"
    assert "« txcouv_pe_com », 2023 (Licence Ouverte 2.0)" in (cov.caf_source or "")


def test_small_commune_has_its_epci_rate_said_as_such_and_a_dated_reason() -> None:
    fiche = fiche_for("59172")  # Denain (20 640 inhabitants): 28,9, far below France's
    reasons = [r for lever in fiche.levers for r in lever.reasons if "places pour 100" in r]
    assert any(
        "28,9\u00a0places pour 100\u00a0enfants de moins de 3" in r
        and "(Caf, 2023)" in r
        and "contre 60,9 en France la même année" in r
        and r.count("2023") == 1  # the year is said once
        for r in reasons
    ), reasons
    fiche = fiche_for("59034")  # Avelin (2 561 inhabitants)
    cov = fiche.coverage
    assert (cov.caf_taux, cov.caf_portee) == (76.0, "epci")
    assert "CC Pévèle-Carembault (la Caf ne publie de taux par commune qu’au-dessus de 10 000" in (
        cov.comparaison or ""
    )
    tile = _tile(fiche)
    assert _text(tile.label) == "Places pour 100 enfants de moins de 3 ans"
    assert _text(tile.detail) == "Intercommunalité, Caf 2023 · France : 60,9"


@pytest.mark.parametrize(
    ("code", "hint"),
    [("85113", "taux à demander à la Caf"), ("97611", "pas de taux de la Caf ici")],
)
def test_no_published_rate_stays_to_complete_and_says_where(code: str, hint: str) -> None:
    fiche = fiche_for(code)
    cov = fiche.coverage
    assert cov.caf_taux is None and cov.taux_comparable is None
    tile = _tile(fiche)
    assert tile.missing and tile.value == "à compléter" and _text(tile.detail) == hint
    assert "Caf" in cov.note or "CSSM" in cov.note


def test_the_team_rate_is_compared_and_the_caf_rate_still_shown() -> None:
    fiche = fiche_for("59034", petite_enfance={"taux_couverture": 50.0})
    cov = fiche.coverage
    assert cov.taux_comparable == 50.0 and cov.caf_taux == 76.0
    assert "60,9 en 2023" in (cov.chiffres_fournis or "")
    tile = _tile(fiche)  # the team's rate takes the tile from the embedded one
    assert _text(tile.label) == "Taux de couverture fourni" and tile.value == "50"
    assert _text(tile.detail) == "France : 60,9 en 2023"
    assert any(
        "(taux fourni), contre 60,9 en France en 2023" in r
        for lever in fiche.levers
        for r in lever.reasons
    )


def test_a_caf_file_given_wins_over_the_embedded_rate(tmp_path: Path) -> None:
    # Test-only file shaped like the Cnaf's export, with an invented value.
    com = write_txcouv(tmp_path / "com.csv", "com", [("01053", "Bourg-en-Bresse", 2024, 12.3)])
    official = read_inputs([com]).official
    fiche = build(apply_official(profile_from_dict({"commune": {"code_insee": "01053"}}), official))
    cov = fiche.coverage
    assert (cov.caf_taux, cov.caf_annee) == (12.3, 2024)
    assert "com.csv" in (cov.caf_source or "") and "copie publique" not in (cov.caf_source or "")
