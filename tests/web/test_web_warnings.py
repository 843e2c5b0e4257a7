"""``POST /api/fiche`` gives the fiche's plausibility warnings back with the file, in the
``X-Fichegen-Avertissements`` header (a percent-encoded JSON array, ASCII only, bounded):
in process (TestClient) and over HTTP against a real ``fichegen serve``."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from support_web import running_server

from fichegen.web.tasks import WARNINGS_MAX

JSON = {"Content-Type": "application/json"}
# A rate typed as a spreadsheet percentage and a local of 25 hectares: two warnings.
DOUBTFUL: dict[str, Any] = {
    "commune": {"code_insee": "82038"},
    "petite_enfance": {"taux_couverture": 0.125},
    "patrimoine": {"locaux_disponibles": [{"description": "ancienne usine", "surface_m2": 250000}]},
}


def _warnings(headers: Any) -> tuple[list[dict[str, Any]], int]:
    value = headers["x-fichegen-avertissements"]
    assert value.isascii() and len(value) <= WARNINGS_MAX
    return json.loads(unquote(value)), int(headers["x-fichegen-avertissements-nombre"])


@pytest.mark.parametrize("fmt", ["html", "docx", "pdf"])
def test_the_fiche_comes_with_its_warnings(client: Any, fmt: str) -> None:
    answer = client.post(f"/api/fiche?format={fmt}", content=json.dumps(DOUBTFUL), headers=JSON)
    assert answer.status_code == 200
    warnings, total = _warnings(answer.headers)
    explained = client.post("/api/explain", content=json.dumps(DOUBTFUL), headers=JSON).json()
    expected = [
        {key: w[key] for key in ("ligne", "colonne", "champ", "message")}
        for w in explained["avertissements"]
    ]
    assert total == 2 and warnings == expected
    assert {w["champ"] for w in warnings} == {
        "petite_enfance.taux_couverture",
        "patrimoine.locaux_disponibles[0].surface_m2",
    }
    assert any("0,125" in w["message"] for w in warnings)  # French text, decoded intact


def test_no_warning_is_an_empty_list(client: Any) -> None:
    body = json.dumps({"commune": {"code_insee": "82038"}})
    answer = client.post("/api/fiche?format=html", content=body, headers=JSON)
    assert answer.status_code == 200
    assert _warnings(answer.headers) == ([], 0)


def test_many_warnings_are_cut_to_whole_ones_and_counted(client: Any) -> None:
    locals_ = [{"description": f"hangar {i}", "surface_m2": 200000 + i} for i in range(20)]
    body = json.dumps(
        {"commune": {"code_insee": "82038"}, "patrimoine": {"locaux_disponibles": locals_}}
    )
    answer = client.post("/api/fiche?format=html", content=body, headers=JSON)
    assert answer.status_code == 200
    warnings, total = _warnings(answer.headers)
    assert total == 20
    assert 0 < len(warnings) < total  # as many whole warnings as fit, in order
    fields = [w["champ"] for w in warnings]
    assert fields == [f"patrimoine.locaux_disponibles[{i}].surface_m2" for i in range(len(fields))]


def test_an_invalid_profile_has_no_warnings_header(client: Any) -> None:
    body = json.dumps({"commune": {"code_insee": "00000"}})
    answer = client.post("/api/fiche?format=html", content=body, headers=JSON)
    assert answer.status_code == 422
    assert "x-fichegen-avertissements" not in answer.headers


@pytest.mark.slow
def test_a_real_server_sends_the_warnings(tmp_path: Path) -> None:
    with running_server(tmp_path, jobs=1) as (url, _log, _process):
        request = urllib.request.Request(
            url + "/api/fiche?format=docx",
            data=json.dumps(DOUBTFUL).encode("utf-8"),
            headers=JSON,
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=120) as answer:
            status, headers, data = answer.status, answer.headers, answer.read()
    assert status == 200 and data.startswith(b"PK")
    warnings, total = _warnings({k.lower(): v for k, v in headers.items()})
    assert total == 2 and len(warnings) == 2
    assert all(w["message"] for w in warnings)
