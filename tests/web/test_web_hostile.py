"""Hostile profiles through the API: each is refused in French or rendered literally,
and the server keeps answering."""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
YAML = {"Content-Type": "application/yaml"}
HEAD = 'commune:\n  code_insee: "59013"\n'


def _alias_bomb() -> str:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        lines.append(f"l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * 9)}]")
    return "\n".join(lines) + "\n"


HOSTILE_YAML = {
    "alias bomb": (_alias_bomb(), "alias"),
    "recursive alias": ("a: &x [1, *x]\n", "circulaire"),
    "deep nesting": ("a: " + "[" * 5000 + "]" * 5000 + "\n", "imbrication"),
    "python tag": ("a: !!python/object/apply:os.system ['echo pwned']\n", "refusée"),
    "empty": ("", "vide"),
    "list": ("- a\n- b\n", "liste"),
    "tab": ("commune:\n\tcode_insee: 1\n", "tabulation"),
    "two documents": (HEAD + "---\nb: 2\n", "un seul document"),
    "merge key": (HEAD + "x: &x {k: 1}\ny:\n  <<: *x\n", "<<"),
    "duplicate key": (HEAD + 'commune:\n  code_insee: "59350"\n', "« commune »"),
    "numeric code": ("commune:\n  code_insee: 1013\n", "entre guillemets"),
    "unknown key": (HEAD + "petite_enfance:\n  place_eaje: 3\n", "vouliez-vous dire"),
    "unknown commune": ('commune:\n  code_insee: "99999"\n', "99999"),
    "negative count": (HEAD + "petite_enfance:\n  places_eaje: -1\n", "positif ou nul"),
    "rate over 300": (HEAD + "petite_enfance:\n  taux_couverture: 301\n", "300"),
}


@pytest.mark.parametrize("name", list(HOSTILE_YAML))
def test_hostile_yaml_is_422_in_french(client: Any, name: str) -> None:
    text, expected = HOSTILE_YAML[name]
    answer = client.post("/api/explain", content=text.encode(), headers=YAML)
    assert answer.status_code == 422, answer.text
    messages = " ".join(e["message"] for e in answer.json()["erreurs"])
    assert expected in messages
    assert client.get("/sante").status_code == 200


def test_non_utf8_bytes_are_located(client: Any) -> None:
    answer = client.post("/api/explain", content=HEAD.encode() + b"x: \xff\xfe\n", headers=YAML)
    assert answer.status_code == 422
    assert answer.json()["erreurs"][0]["ligne"] == 3


@pytest.mark.parametrize(
    "body",
    [b"[]", b'"texte"', b"null", b"[" * 100_000 + b"]" * 100_000, b'{"commune": NaN}'],
)
def test_hostile_json_is_422(client: Any, body: bytes) -> None:
    answer = client.post("/api/explain", content=body, headers={"Content-Type": "application/json"})
    assert answer.status_code == 422, answer.text
    assert answer.json()["erreurs"][0]["message"]


HOSTILE_TEXT = "<script>alert(1)</script> {{ 7*7 }} {% include '/etc/passwd' %} &amp; <img src='file:///etc/hostname'>"


def test_html_and_template_text_is_shown_literally(
    client: Any, caplog: pytest.LogCaptureFixture
) -> None:
    body = {
        "commune": {"code_insee": "59013"},
        "acteurs_ess": [{"nom": HOSTILE_TEXT[:200], "type": "autre"}],
        "patrimoine": {"locaux_disponibles": [{"description": HOSTILE_TEXT + "\x1b\x00"}]},
        "fiche": {"auteur": "Équipe {{ config }}"},
    }
    with caplog.at_level(logging.DEBUG):
        answer = client.post("/api/fiche?format=html", json=body)
    assert answer.status_code == 200
    html = answer.text
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "{{ 7*7 }}" in html and "49" not in html.split("{{ 7*7 }}")[0][-5:]
    assert "<img src='file" not in html and "hostname" in html
    assert "Équipe {{ config }}" in html
    assert "\x1b" not in html and "\x00" not in html
    logged = caplog.text
    assert "alert" not in logged and "Équipe" not in logged  # logs hold no profile contents


def test_long_lists_and_long_text_are_bounded(client: Any) -> None:
    body = {
        "commune": {"code_insee": "59013"},
        "acteurs_ess": [{"nom": "A", "type": "autre"}] * 201,
        "patrimoine": {"locaux_disponibles": [{"description": "x" * 2001}]},
    }
    erreurs = client.post("/api/explain", json=body).json()["erreurs"]
    assert {e["champ"] for e in erreurs} >= {
        "acteurs_ess",
        "patrimoine.locaux_disponibles[0].description",
    }


def test_no_file_is_read_and_no_url_fetched_for_an_input(client: Any) -> None:
    body = {
        "commune": {"code_insee": "59013"},
        "patrimoine": {"locaux_disponibles": [{"description": "file:///etc/passwd"}]},
        "acteurs_ess": [{"nom": "A", "type": "autre", "description": "http://127.0.0.1:9/"}],
    }
    answer = client.post("/api/fiche?format=pdf", json=body)
    assert answer.status_code == 200
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(answer.content)).pages)
    assert "file:///etc/passwd" in "".join(text.split())  # printed, not read
    assert "root:x:" not in text
