"""Insee's public figures in the fiche: page 2 in each format, the estimate's label, reasons."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys

import docx
import pytest
from pypdf import PdfReader
from support_french import html_text

from fichegen.api import build_from
from fichegen.document.compose import compose
from fichegen.inputs.profile import profile_for_commune, profile_from_dict
from fichegen.renderers.html import render_html
from fichegen.selection.explain import explain_text
from fichegen.selection.fiche import Fiche

NNBSP = "\u202f"
BELFORT_LINES = (
    "Naissances en 2022",
    "492",
    "Évolution de la population de 2015 à 2021",
    f"\u22128,8{NNBSP}%",
    f"49{NNBSP}519\u00a0hab. en 2015",
    f"45{NNBSP}155 en 2021",
    "Ménages en 2021",
    f"23{NNBSP}319",
    "Insee, base du comparateur de territoires, édition 2024",
)


def _fiche(code: str, **petite_enfance: object) -> Fiche:
    if not petite_enfance:
        return build_from(profile_for_commune(code))
    data = {"version": 1, "commune": {"code_insee": code}, "petite_enfance": petite_enfance}
    return build_from(profile_from_dict(data))


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00ad", ""))  # \s also matches no-break spaces


def _html(fiche: Fiche) -> str:
    return _flat("\n".join(html_text(render_html(compose(fiche)))))


def test_belfort_html_shows_births_trend_households_with_source() -> None:
    text = _html(_fiche("90010"))
    for line in BELFORT_LINES:
        assert _flat(line) in text, line
    territory = text[text.index("Votre territoire en bref") :]
    assert territory.index("Naissances en 2022") < territory.index("Petite enfance")


@pytest.mark.slow
def test_belfort_render_page_2_of_the_pdf_and_the_reopened_docx(tmp_path: object) -> None:
    from pathlib import Path

    out = Path(str(tmp_path))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "fichegen",
            "render",
            "--commune",
            "90010",
            "-o",
            str(out),
            "--formats",
            "pdf,docx",
        ],
        check=True,
        capture_output=True,
    )
    pdf = PdfReader(io.BytesIO((out / "fiche15_90010_belfort.pdf").read_bytes()))
    page2 = _flat(pdf.pages[1].extract_text() or "")
    assert "Votre territoire en bref" in page2
    for line in BELFORT_LINES:
        assert _flat(line) in page2, line
    document = docx.Document(str(out / "fiche15_90010_belfort.docx"))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    paragraphs = [p.text for p in document.paragraphs]
    docx_text = _flat("\n".join(paragraphs + cells))
    for line in BELFORT_LINES:
        assert _flat(line) in docx_text, line


def test_the_estimate_is_labelled_with_its_method_wherever_it_appears() -> None:
    fiche = _fiche("90010")
    public = fiche.commune.public
    assert public is not None and public.enfants_estimes == 3 * 492
    shown = _flat(f"1{NNBSP}476")
    text = _html(fiche)
    assert text.count(shown) == 1  # the annex gives the method, not the number
    row = text[text.index("Enfants de moins de 3 ans (estimation)") :][:200]
    assert shown in row and "3 fois les naissances de 2022" in row
    assert "estimation, égale à 3 fois les naissances domiciliées en 2022" in text
    annex = text[text.index("Sources des données") :]
    assert "Insee, base du comparateur de territoires, édition 2024" in annex
    assert "Enfants de moins de 3 ans : estimation, égale à 3 fois" in annex
    explained = _flat(explain_text(fiche))
    assert f"{shown}, estimation, égale à 3 fois" in explained
    data = fiche.to_dict()["chiffres_publics"]["estimation_enfants_moins_3_ans"]
    assert data["valeur"] == 1476 and data["methode"].startswith("estimation")
    # never a ratio or a reason from it
    assert fiche.coverage.enfants_moins_3_ans is None and fiche.coverage.places_pour_100 is None
    assert not any(shown in r for lever in fiche.levers for r in lever.reasons)
    # and the coverage text does not deny that an estimate is shown
    assert "aucun chiffre n’est estimé" not in text and "aucun chiffre n'est estimé" not in text
    # Belfort's rate is the Cnaf's (2023), never one drawn from the estimate.
    assert fiche.coverage.caf_taux == 35.2
    assert "txcouv_pe_com" in _flat(fiche.coverage.note)


def test_a_known_figure_replaces_the_estimate_everywhere() -> None:
    fiche = _fiche("90010", enfants_moins_3_ans=1500)
    assert fiche.commune.public is not None and fiche.commune.public.enfants_estimes is None
    text = _html(fiche)
    assert "(estimation)" not in text and "3 fois les naissances" not in text
    assert "Enfants de moins de 3 ans :" not in explain_text(fiche)
    assert fiche.to_dict()["chiffres_publics"]["estimation_enfants_moins_3_ans"] is None


def _reasons(fiche: Fiche) -> dict[str, tuple[str, ...]]:
    return {lever.id: lever.reasons for lever in fiche.levers}


def test_reasons_come_from_the_communes_own_figures() -> None:
    belfort = _reasons(_fiche("90010"))
    # Belfort's offer is known through the Cnaf's rate (2023): no « offer unknown » reason.
    assert any(r.startswith("35,2\u00a0places pour 100\u00a0enfants") for r in belfort["creation"])
    assert not any("naissances en 2022 (Insee) et aucun" in r for r in belfort["creation"])
    yeu = _reasons(_fiche("85113"))  # L'Île-d'Yeu: no Caf rate published (outside any EPCI)
    assert any(r.startswith("26\u00a0naissances en 2022 (Insee)") for r in yeu["creation"])
    assert any(f"\u22128,8{NNBSP}%" in r for r in belfort["cooperation"])
    argiesans = _reasons(_fiche("90004"))  # population 2015 → 2021: +30,9 %
    assert any(f"+30,9{NNBSP}%" in r for r in argiesans["creation"])
    assert any(f"+30,9{NNBSP}%" in r for r in argiesans["locaux"])


@pytest.mark.parametrize(
    ("code", "petite_enfance"),
    [
        ("90010", {"places_eaje": 120}),  # places known: the offer is not unknown
        ("90010", {"places_eaje": 0}),  # known zero: its own reason, not « aucun nombre connu »
        ("59350", {}),  # Lille: a crèche of the ESS is known there
        ("59013", {}),  # Anstaing: same
    ],
)
def test_never_says_the_offer_is_unknown_when_something_is_known(
    code: str, petite_enfance: dict[str, object]
) -> None:
    fiche = _fiche(code, **petite_enfance)
    reasons = [r for lever in fiche.levers for r in lever.reasons]
    assert not any("aucun nombre de places en crèche connu" in r for r in reasons)
    if petite_enfance.get("places_eaje") == 0:
        assert any(r.startswith("Aucune place en crèche") for r in reasons)


def test_communes_of_a_departement_no_longer_all_get_the_same_levers() -> None:
    orders = {}
    for code in ("90010", "90001", "90004", "90065", "90039", "90011"):
        fiche = _fiche(code)
        orders[code] = tuple(lever.id for lever in fiche.levers)
        # the first lever always has a reason (a commune too small for a crèche of its own,
        # 90011, has only its neighbours' lever argued)
        assert fiche.levers[0].reasons, code
    assert len(set(orders.values())) >= 3, orders


def test_explain_json_carries_the_figures_and_their_source() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "fichegen", "explain", "--commune", "90010", "--json"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    public = json.loads(out)["chiffres_publics"]
    assert public["naissances_2022"] == 492
    assert public["evolution_population_2015_2021_pct"] == -8.8
    assert public["source"] == "Insee, base du comparateur de territoires, édition 2024"


@pytest.mark.parametrize(
    ("code", "said"),
    [
        ("98735", "ne couvre pas les collectivités d’outre-mer"),  # Papeete
        ("15141", "pour le territoire actuel de la commune"),  # Neussargues-Moissac, split 2025
    ],
)
def test_a_commune_without_figures_is_told_why(code: str, said: str) -> None:
    fiche = _fiche(code)
    assert fiche.commune.public is None
    text = _html(fiche)
    assert "Naissances en 2022" not in text and "3 fois les naissances" not in text
    assert _flat(said) in text
