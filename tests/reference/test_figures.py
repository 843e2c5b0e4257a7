"""The embedded public figures (Insee, base du comparateur de territoires 2024), COG 2026 codes."""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from conftest import ROOT

from fichegen.reference.lookup import load_reference
from fichegen.resources import data_dir


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_figures", ROOT / "scripts" / "build_figures.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_file_is_the_one_whose_hash_is_recorded_with_its_source() -> None:
    meta = json.loads((data_dir() / "reference_meta.json").read_text(encoding="utf-8"))
    data = (data_dir() / "figures.tsv.gz").read_bytes()
    assert hashlib.sha256(data).hexdigest() == meta["sha256"]["figures.tsv.gz"]
    figures = meta["figures"]
    assert figures["source"].startswith("Insee, base du comparateur de territoires, édition 2024")
    assert "0839ae3532f5027b47ba3f0ebc88691757de871d" in figures["copie"]
    assert figures["licence"] == "Licence Ouverte"


# (code, population 2015, population 2021, ménages 2021, naissances 2022, décès 2022)
KNOWN = [
    ("90010", 49519, 45155, 23319, 492, 450),  # Belfort, one row in the copy
    # Paris: the 20 arrondissements summed (the 16th has two rows, one per postal code);
    # 2 133 111 is Insee's population légale 2021 of Paris.
    ("75056", 2206488, 2133111, 1128240, 23785, 14753),
    # Saint-Denis, commune nouvelle of 2025: Saint-Denis 93066 + Pierrefitte-sur-Seine 93059
    # (111 103 + 29 629 in 2015; 113 942 + 32 379 in 2021; 1 889 + 515 births).
    ("93066", 140732, 146321, 57873, 2404, 816),
    # Haut Valromey 01187 + Ruffieu 01330, merged since 2024 (693 + 182 in 2015, 609 + 177 in 2021).
    ("01187", 875, 786, 394, 10, 6),
]


@pytest.mark.parametrize(("code", "p15", "p21", "menages", "naissances", "deces"), KNOWN)
def test_figures_of_real_communes(
    code: str, p15: int, p21: int, menages: int, naissances: int, deces: int
) -> None:
    figures = load_reference().figures(code)
    assert figures is not None
    assert (
        figures.population_2015,
        figures.population_2021,
        figures.menages_2021,
        figures.naissances_2022,
        figures.deces_2022,
    ) == (p15, p21, menages, naissances, deces)
    assert figures.source.label == "Insee, base du comparateur de territoires, édition 2024"
    assert figures.year("naissances_2022") == 2022
    assert "2022" in figures.source.vintage("naissances_2022")


@pytest.mark.parametrize(
    "code",
    [
        "15141",  # Neussargues-Moissac: four communes restored in 2025 left its 2024 territory
        "15031",  # Celles, one of them
        "27676",  # Les Trois Lacs: a 2024 commune absent from the copy
        "98735",  # Papeete: the base does not cover the collectivités d'outre-mer
    ],
)
def test_unknown_where_the_2024_figures_do_not_describe_the_current_commune(code: str) -> None:
    assert load_reference().figures(code) is None


def test_mayotte_has_births_but_no_census_population() -> None:
    figures = load_reference().figures("97611")  # Mamoudzou: zeros in the copy, not counts
    assert figures is not None and figures.naissances_2022 and figures.naissances_2022 > 1000
    assert figures.population_2021 is None and figures.evolution_population is None


def test_a_code_that_leads_to_a_commune_gives_its_figures() -> None:
    reference = load_reference()
    assert reference.figures("75116") == reference.figures("75056")  # an arrondissement


def test_consistent_with_the_embedded_populations_2023() -> None:
    """Population 2021 (this file) and population municipale 2023 (the reference) are close."""
    reference = load_reference()
    text = gzip.decompress((data_dir() / "figures.tsv.gz").read_bytes()).decode()
    rows = [line.split("\t") for line in text.splitlines()[1:]]
    compared = far = 0
    for code, _p15, p21, *_ in rows:
        municipale = reference.get(code).population_municipale
        if not p21 or municipale is None or municipale < 1000:
            continue
        compared += 1
        ratio = municipale / int(p21)
        assert 0.6 < ratio < 1.6, (code, p21, municipale)
        far += abs(ratio - 1) > 0.10
    assert compared > 10000
    assert far < compared * 0.02  # a few fast-growing communes, not a shifted column
    metro_drom = [c for d, _ in reference.departements() for c in reference.communes_of(d)]
    without = [
        c.code_insee
        for c in metro_drom
        if c.zone != "com" and reference.figures(c.code_insee) is None
    ]
    assert sorted(without) == ["15031", "15035", "15047", "15141", "15171", "27676"]
    assert len(rows) == 34869


FIG = ("population_2015", "population_2021", "menages_2021", "naissances_2022", "deces_2022")


def _fig(*values: int | None) -> dict[str, int | None]:
    return dict(zip(FIG, values, strict=True))


def test_build_sums_a_commune_nouvelle_only_when_every_former_commune_is_in_the_copy() -> None:
    build = _script()
    copy = {
        "01001": _fig(10, 12, 5, 1, 0),
        "01002": _fig(20, 21, 9, 2, 1),
        "01004": _fig(5, 6, 2, 0, 0),
    }
    communes_2024 = {"01001", "01002", "01004", "01005"}
    current = {"01001": "metro", "01004": "metro"}
    rattaches = {"01002": "01001", "01005": "01004"}
    rows, report = build.map_to_2026(copy, communes_2024, {}, current, rattaches)
    assert rows["01001"] == _fig(30, 33, 14, 3, 1)  # 01001 + 01002
    assert "01004" not in rows  # 01005 merged into it but is absent from the copy
    assert report["fusion_inconnue"] == ["01004 = 01004 + 01005"]


def test_build_reads_the_copy_as_published(tmp_path: Path) -> None:
    build = _script()
    header = (
        "insee_com,insee_reg,insee_dep,commune,commune_article,code_postal,commune_type,"
        "insee_parente,lat,lng,superficie_km2,population_2021,population_2015,menages_2021,"
        "naissances_2022,deces_2022,pop_15_64_totale_2021,pop_15_64_chomage_2021,"
        "pop_15_64_active_2021\n"
    )
    rows = [
        "01015,84,01,Arboys en Bugey,,01300,COM,,0,0,1,667,637,303,2,3,0,0,0",
        "01015,84,01,Arbignieu,,01300,COMD,01015,0,0,1,667,637,303,2,3,0,0,0",
        "75116,11,75,Paris 16e,,75016,ARM,75056,0,0,1,100,90,50,3,1,0,0,0",
        "75116,11,75,Paris 16e,,75116,ARM,75056,0,0,1,100,90,50,3,1,0,0,0",
        "75101,11,75,Paris 1er,,75001,ARM,75056,0,0,1,10,9,5,1,0,0,0,0",
        "97611,06,976,Mamoudzou,,97600,COM,,0,0,1,0,0,0,3301,276,0,0,0",
    ]
    copy = build.read_copy(header + "\n".join(rows) + "\n")
    assert copy["01015"] == _fig(637, 667, 303, 2, 3)
    assert copy["75056"] == _fig(99, 110, 55, 4, 1)  # duplicate postal-code row counted once
    assert copy["97611"] == _fig(None, None, None, 3301, 276)
    disagreeing = rows[2].replace(",100,90,", ",101,90,")
    with pytest.raises(ValueError, match="disagree"):
        build.read_copy(header + rows[3] + "\n" + disagreeing + "\n")


def test_the_layer_loads_nothing_heavy() -> None:
    """Asking for a commune's figures reads one small file: no pydantic, Babel or renderer."""
    code = (
        "import sys, fichegen\n"
        "from fichegen.reference import load_reference\n"
        "f = load_reference().figures('59013')\n"
        "assert f is not None and f.naissances_2022 is not None\n"
        "print(sorted(m for m in ('pydantic', 'babel', 'weasyprint', 'docx') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
