"""Grammalecte finds nothing in fiches built with open-data files (the Caf's rate of the
commune, of arrondissements combined, of an EPCI; Insee's populations; census children;
conflicts with the team's figures), and no field path reaches them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support_donnees import write_csv
from support_french import grammalecte, html_text, unexplained
from support_official import (
    MARSEILLE_ARRONDISSEMENTS,
    census_rows,
    write_ensemble_zip,
    write_txcouv,
)

from fichegen.document.compose import compose
from fichegen.inputs.official.apply import apply_official
from fichegen.inputs.official.read import read_inputs
from fichegen.inputs.profile import profile_from_dict
from fichegen.options import RenderOptions
from fichegen.renderers.html import render_html
from fichegen.selection.builder import build

CAF_IDS = {"txcouv_pe_com", "txcouv_pe_epci", "txcouv_pe_nat", "nbpla_pe_com", "nbpla_pe_epci"}


@pytest.mark.slow
def test_grammalecte_on_fiches_with_open_data(tmp_path: Path) -> None:
    rates = [(c, "Marseille", 2023, 50.0 + i) for i, c in enumerate(MARSEILLE_ARRONDISSEMENTS)]
    rates.append(("90010", "Belfort", 2023, 71.4))
    files = [
        write_txcouv(tmp_path / "txcouv_pe_com.csv", "com", rates),
        write_txcouv(tmp_path / "txcouv_pe_epci.csv", "epci", [("200069052", "CA", 2022, 66.6)]),
        write_csv(
            tmp_path / "nbpla_pe_epci.csv",
            [["numepci", "annee", "tot_offre_epci"], ["200069052", "2022", "2 345"]],
        ),
        write_ensemble_zip(tmp_path / "ensemble.zip"),
        write_csv(tmp_path / "rp.csv", census_rows(2021, {"90010": 1234.6, "90001": 30.2})),
    ]
    data = read_inputs(files).official
    profiles = {
        "Marseille": {"commune": {"code_insee": "13055"}},
        "Belfort, désaccord": {
            "commune": {"code_insee": "90010"},
            "petite_enfance": {"enfants_moins_3_ans": 1500, "taux_couverture": 75.0},
        },
        "Andelnans, intercommunalité": {"commune": {"code_insee": "90001"}},
    }
    texts = {}
    for name, raw in profiles.items():
        fiche = build(apply_official(profile_from_dict(raw), data))
        page = render_html(compose(fiche, RenderOptions()))
        texts[name] = html_text(page)
        paths = re.findall(r"\b[a-z]+_[a-z_]+\b", " ".join(texts[name]))
        assert not [p for p in paths if p not in CAF_IDS and not p.endswith("_csv")], name
    left = unexplained(grammalecte(texts))
    assert not left, "\n".join(str(f) for f in left[:40]) + f"\n({len(left)} en tout)"
