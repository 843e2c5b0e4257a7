"""The page's upload of open-data files with a profile (multipart/form-data), end to end
through the HTTP app: figures reach the fiche, errors name the file as sent, limits hold
and no file is left behind."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from support_official import MARSEILLE_ARRONDISSEMENTS, write_ensemble_zip, write_txcouv

PROFILE = {"version": 1, "commune": {"code_insee": "13055"}}


def _files(tmp_path: Path) -> list[tuple[str, tuple[str, bytes, str]]]:
    rates = [(c, "Marseille", 2023, 50.0 + i) for i, c in enumerate(MARSEILLE_ARRONDISSEMENTS)]
    com = write_txcouv(tmp_path / "txcouv_pe_com.csv", "com", rates, encoding="utf-8-sig")
    nat = write_txcouv(tmp_path / "txcouv_pe_nat.csv", "nat", [("", "", 2023, 61.5)])
    zip_path = write_ensemble_zip(tmp_path / "ensemble.zip")
    return [
        ("profil", ("profil.json", json.dumps(PROFILE).encode(), "application/json")),
        *(("donnees", (p.name, p.read_bytes(), "text/csv")) for p in (com, nat, zip_path)),
    ]


def _leftovers() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("fichegen-envoi-*")}


def test_preview_and_pdf_with_uploaded_open_data(client: Any, tmp_path: Path) -> None:
    before = _leftovers()
    answer = client.post("/api/apercu", files=_files(tmp_path))
    assert answer.status_code == 200, answer.text
    html = " ".join(answer.json()["html"].split())
    assert "contre 61,5 en France la même année" in html
    assert "population totale 2023 publiée par l’Insee" in html
    duties = html.split("Vos obligations", 1)[1].split("<h2", 1)[0]
    # thresholds settled: the only check left is whether the competences were transferred
    transfer = "à vérifier (CASF, art. L214-1-3, III)"
    assert duties.count("à vérifier") == duties.count(transfer) == 1, duties
    assert "estimée" not in duties
    assert "txcouv_pe_com.csv" in html and "ensemble.zip" in html
    pdf = client.post("/api/fiche?format=pdf", files=_files(tmp_path))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert _leftovers() == before  # the server keeps nothing


def test_bad_upload_is_located_with_the_name_it_was_sent_under(client: Any, tmp_path: Path) -> None:
    files = _files(tmp_path)[:1]
    files.append(
        ("donnees", ("txcouv_pe_dep.csv", b"numdep;annee;txcouv_dep\r\n13;2023;50\r\n", "text/csv"))
    )
    answer = client.post("/api/apercu", files=files)
    assert answer.status_code == 422
    [error] = answer.json()["erreurs"]
    assert error["ligne"] == 1 and "par département" in error["message"]
    assert "fichegen-envoi" not in answer.text and tempfile.gettempdir() not in answer.text


def test_upload_limits(client: Any, tmp_path: Path) -> None:
    big = [
        ("profil", ("profil.json", json.dumps(PROFILE).encode(), "application/json")),
        ("donnees", ("gros.csv", b"x" * (9 * 1024 * 1024), "text/csv")),
    ]
    answer = client.post("/api/apercu", files=big)
    assert answer.status_code == 413 and "8 Mio" in answer.text
    no_profile = [("donnees", ("a.csv", b"a;b\r\n", "text/csv"))]
    answer = client.post("/api/apercu", files=no_profile)
    assert answer.status_code == 422 and "profil" in answer.text


def test_page_offers_the_upload(client: Any) -> None:
    page = client.get("/").text
    assert 'id="donnees-ouvertes"' in page and "multiple" in page
