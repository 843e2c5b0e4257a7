"""HTTP tests of every route of the web application and of every error status."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import zipfile
from html import unescape
from pathlib import Path
from typing import Any

import pytest
import yaml

from fichegen.api import explain_fiche
from fichegen.errors import ProfileError
from fichegen.inputs.profile import load_profile, profile_json_schema

ROOT = Path(__file__).resolve().parents[2]
ANSTAING = ROOT / "profiles" / "anstaing.yaml"
ERRORS = ROOT / "tests" / "resources" / "profiles" / "plein_d_erreurs.yaml"
YAML = {"Content-Type": "application/yaml"}


def test_health(client: Any) -> None:
    answer = client.get("/sante")
    assert answer.status_code == 200
    assert answer.json()["etat"] == "prêt"


def test_security_headers_on_page_api_and_static(client: Any) -> None:
    for path in ("/", "/api/schema", "/static/app.js", "/sante", "/absent"):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
        assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
    assert client.get("/api/schema").headers["cache-control"] == "no-store"


def test_page_is_french_with_no_inline_script_or_style(client: Any) -> None:
    answer = client.get("/")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html")
    html = answer.text
    assert '<html lang="fr">' in html
    assert "Rechercher une commune" in html
    assert re.search(r"<script(?![^>]*\bsrc=)", html) is None
    assert "<style" not in html and " style=" not in html
    from fichegen.knowledge.base import load_knowledge

    for lever in load_knowledge(None).levers:  # the levers' titles come from the knowledge base
        assert lever.titre in unescape(html)


def test_every_form_control_has_its_label(client: Any) -> None:
    html = client.get("/").text
    html = re.sub(r"<template.*?</template>", "", html, flags=re.DOTALL)
    controls = re.findall(r'<(?:input|select|textarea)\b[^>]*\bid="([^"]+)"[^>]*>', html)
    hidden = set(re.findall(r'<input type="hidden" id="([^"]+)"', html))
    labels = set(re.findall(r'<label for="([^"]+)"', html))
    assert controls
    assert [c for c in controls if c not in labels and c not in hidden] == []


def _leaf_paths(schema: dict[str, Any], node: dict[str, Any], prefix: str) -> set[str]:
    ref = node.get("$ref") or node.get("items", {}).get("$ref")
    if ref:
        node = schema["$defs"][ref.split("/")[-1]]
    if "properties" not in node:
        return {prefix}
    found: set[str] = set()
    for name, child in node["properties"].items():
        found |= _leaf_paths(schema, child, f"{prefix}.{name}" if prefix else name)
    return found


def test_form_has_an_input_labelled_with_the_schema_title_for_every_field(client: Any) -> None:
    schema = profile_json_schema()
    leaves = _leaf_paths(schema, schema, "") - {"version", "priorites", "exclure"}
    html = client.get("/").text
    paths = {p.replace("[__i__]", "") for p in re.findall(r'data-path="([^"]+)"', html)}
    assert leaves <= paths
    labels = {unescape(t).strip() for t in re.findall(r'<label for="[^"]+">([^<]+)', html)}
    for leaf in leaves - {"commune.code_insee"}:  # the code is chosen through the search
        node = schema
        for part in leaf.split("."):
            ref = node.get("$ref") or node.get("items", {}).get("$ref")
            if ref:
                node = schema["$defs"][ref.split("/")[-1]]
            node = node["properties"][part]
        assert node["title"] in labels, leaf
    assert set(re.findall(r'data-lever="([^"]+)"', html)) == {
        "locaux",
        "engagement",
        "creation",
        "cooperation",
        "contractualisation",
    }


def test_static_files_and_no_way_out_of_their_folder(client: Any) -> None:
    script = client.get("/static/app.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert client.get("/static/app.css").status_code == 200
    assert client.get("/static/../index.html.j2").status_code == 404
    assert client.get("/static/%2e%2e/index.html.j2").status_code == 404


def test_schema_is_the_profile_schema(client: Any) -> None:
    assert client.get("/api/schema").json() == profile_json_schema()


def test_commune_search(client: Any) -> None:
    found = client.get("/api/communes", params={"q": "anstaing"}).json()
    assert found[0]["code_insee"] == "59013"
    assert {"nom", "departement", "population_municipale"} <= set(found[0])
    lyon = client.get("/api/communes", params={"q": "69381"}).json()
    assert lyon[0]["nom"] == "Lyon" and "arrondissement" in lyon[0]["note"]
    assert client.get("/api/communes", params={"q": "zzzzqqqq"}).json() == []


def test_commune_search_says_why_or_leaves_far_matches_out(client: Any) -> None:
    """The ten suggestions for « saint denis » are communes of that name; a commune found
    only by another name (a commune déléguée) or by a close spelling says so."""
    found = client.get("/api/communes", params={"q": "saint denis"}).json()
    assert len(found) == 10 and all(c["nom"].startswith("Saint-Denis") for c in found)
    assert not any("correspondance" in c for c in found)
    souleuvre = client.get("/api/communes", params={"q": "saint denis maisoncelles"}).json()
    assert souleuvre == [
        {
            **souleuvre[0],
            "nom": "Souleuvre en Bocage",
            "correspondance": ("commune déléguée Saint-Denis-Maisoncelles"),
        }
    ]
    close = client.get("/api/communes", params={"q": "belfrot"}).json()
    assert close[0]["nom"] == "Belfort" and close[0]["correspondance"] == "orthographe proche"


@pytest.mark.parametrize("query", [{}, {"q": "  "}, {"q": "x" * 101}])
def test_commune_search_bad_queries_are_400_in_french(client: Any, query: dict[str, str]) -> None:
    answer = client.get("/api/communes", params=query)
    assert answer.status_code == 400
    assert answer.json()["erreurs"][0]["message"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("fmt", "magic", "media"),
    [
        ("pdf", b"%PDF-", "application/pdf"),
        ("docx", b"PK", "application/vnd.openxmlformats"),
        ("html", b"<!DOCTYPE html>", "text/html"),
    ],
)
def test_fiche_in_each_format_from_a_yaml_profile(
    client: Any, fmt: str, magic: bytes, media: str
) -> None:
    answer = client.post(f"/api/fiche?format={fmt}", content=ANSTAING.read_bytes(), headers=YAML)
    assert answer.status_code == 200
    assert answer.content.startswith(magic)
    assert answer.headers["content-type"].startswith(media)
    disposition = answer.headers["content-disposition"]
    assert disposition == f'attachment; filename="fiche15_59013_anstaing.{fmt}"'
    if fmt == "docx":
        with zipfile.ZipFile(io.BytesIO(answer.content)) as docx:
            assert "Anstaing" in docx.read("word/document.xml").decode("utf-8")


def test_fiche_from_json_and_unknown_format(client: Any) -> None:
    body = {"commune": {"code_insee": "09122"}}
    answer = client.post("/api/fiche?format=html", json=body)
    assert answer.status_code == 200 and "Foix" in answer.text
    bad = client.post("/api/fiche?format=exe", json=body)
    assert bad.status_code == 400 and "format inconnu" in bad.json()["erreurs"][0]["message"]


def test_explain_is_the_cli_explain_json(client: Any) -> None:
    answer = client.post("/api/explain", content=ANSTAING.read_bytes(), headers=YAML)
    assert answer.status_code == 200
    from_cli = json.loads(explain_fiche(ANSTAING, None, as_json=True))
    for origin in from_cli["origines"]:  # a request body has no file name: « profil »
        origin["fichier"] = "profil" if origin["fichier"] == ANSTAING.name else origin["fichier"]
    assert answer.json() == from_cli
    assert {"commune", "obligations", "levers", "examples"} <= set(answer.json())


def test_invalid_profile_is_422_with_the_cli_messages_and_positions(client: Any) -> None:
    with pytest.raises(ProfileError) as cli_error:
        load_profile(ERRORS)
    expected = [
        {"ligne": i.line, "colonne": i.column, "champ": i.field, "message": i.message}
        for i in cli_error.value.issues
    ]
    for route in ("/api/fiche?format=pdf", "/api/explain", "/api/apercu", "/api/profil"):
        answer = client.post(route, content=ERRORS.read_bytes(), headers=YAML)
        assert answer.status_code == 422
        assert answer.json() == {"erreurs": expected}
    assert len(expected) >= 8 and all(e["ligne"] and e["champ"] for e in expected)


def test_json_errors_name_the_field(client: Any) -> None:
    body = {"commune": {"code_insee": "59013"}, "acteurs_ess": [{"nom": "A", "type": "creche"}]}
    erreurs = client.post("/api/apercu", json=body).json()["erreurs"]
    assert erreurs[0]["champ"] == "acteurs_ess[0].type"
    assert "valeurs possibles" in erreurs[0]["message"]
    broken = client.post(
        "/api/explain", content=b'{"commune": ', headers={"Content-Type": "application/json"}
    )
    assert broken.status_code == 422 and "JSON invalide" in broken.json()["erreurs"][0]["message"]


def test_body_over_one_mebibyte_is_413(client: Any) -> None:
    big = b"commune:\n  code_insee: '59013'\n# " + b"x" * (1024 * 1024) + b"\n"
    answer = client.post("/api/fiche?format=pdf", content=big, headers=YAML)
    assert answer.status_code == 413
    assert "trop volumineux" in answer.json()["erreurs"][0]["message"]

    def chunks() -> Any:  # no Content-Length: the cap is counted while reading
        for _ in range(20):
            yield b"#" * 65536 + b"\n"

    streamed = client.post("/api/explain", content=chunks(), headers=YAML)
    assert streamed.status_code == 413


def test_unsupported_media_type_is_415(client: Any) -> None:
    answer = client.post("/api/explain", content=b"x", headers={"Content-Type": "image/png"})
    assert answer.status_code == 415


def test_profile_as_yaml_round_trips_through_the_upload(client: Any) -> None:
    body = {
        "commune": {"code_insee": "59013"},
        "petite_enfance": {"places_eaje": 12, "relais_petite_enfance": True},
        "acteurs_ess": [{"nom": "Crèche « Les P’tits Loups »", "type": "creche_parentale"}],
        "priorites": ["locaux"],
        "fiche": {"auteur": "Liste Anstaing demain"},
    }
    saved = client.post("/api/profil?format=yaml", json=body)
    assert saved.status_code == 200
    assert saved.headers["content-disposition"] == (
        'attachment; filename="profil_59013_anstaing.yaml"'
    )
    assert yaml.safe_load(saved.content)["acteurs_ess"][0]["nom"] == body["acteurs_ess"][0]["nom"]
    again = client.post("/api/profil?format=json", content=saved.content, headers=YAML)
    assert again.status_code == 200
    assert again.json() == {"version": 1, **body}
    assert client.post("/api/profil?format=xml", json=body).status_code == 400


def test_preview_shows_levers_in_order_and_is_styled_under_the_csp(client: Any) -> None:
    body = {"commune": {"code_insee": "59013"}, "priorites": ["contractualisation"]}
    answer = client.post("/api/apercu", json=body)
    assert answer.status_code == 200
    data = answer.json()
    levers = data["explication"]["levers"]
    assert levers[0]["id"] == "contractualisation"
    assert [lever["rang"] for lever in levers] == list(range(1, len(levers) + 1))
    style = re.search(r"<style>(.*?)</style>", data["html"], flags=re.DOTALL)
    assert style is not None
    digest = base64.b64encode(hashlib.sha256(style.group(1).encode()).digest()).decode()
    assert f"'sha256-{digest}'" in answer.headers["content-security-policy"]
    assert "<script" not in data["html"]


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_page_colours_meet_wcag_aa_contrast(client: Any) -> None:
    css = client.get("/static/app.css").text
    colours = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-f]{6})", css))
    for text in ("ink", "muted", "accent", "error"):
        assert _contrast(colours[text], "#ffffff") >= 4.5, text  # text on white
    assert _contrast(colours["accent"], colours["accent-bg"]) >= 4.5  # reference box
    assert _contrast("#ffffff", colours["accent"]) >= 4.5  # buttons and header
    for non_text in ("focus", "line"):
        assert _contrast(colours[non_text], "#ffffff") >= 3.0, non_text  # focus ring, borders
    assert ":focus-visible" in css and "outline: 3px solid var(--focus)" in css


def test_plausibility_warnings_come_back_without_blocking(client: Any) -> None:
    body = {
        "commune": {"code_insee": "59013"},
        "petite_enfance": {
            "enfants_moins_3_ans": 0,
            "places_eaje": 500,
            "demandes_en_attente": 250,
        },
        "patrimoine": {"locaux_disponibles": [{"description": "usine", "surface_m2": 250000.0}]},
    }
    expected = {
        "petite_enfance.places_eaje",
        "petite_enfance.demandes_en_attente",
        "patrimoine.locaux_disponibles[0].surface_m2",
    }
    explained = client.post("/api/explain", json=body)
    assert explained.status_code == 200
    assert {w["champ"] for w in explained.json()["avertissements"]} == expected
    preview = client.post("/api/apercu", json=body)
    assert preview.status_code == 200
    assert {w["champ"] for w in preview.json()["explication"]["avertissements"]} == expected
    assert "À vérifier" in preview.json()["html"]
    fiche = client.post("/api/fiche?format=html", json=body)
    assert fiche.status_code == 200 and "250\u202f000\u00a0m²" in fiche.text
