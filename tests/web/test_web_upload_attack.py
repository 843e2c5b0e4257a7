"""Hostile uploads of open-data files through the HTTP app (issue 20, fresh attack): each
answered quickly with a 4xx and a French message naming the file as sent; nothing left in
the temporary folder."""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path
from typing import Any

from support_official import txcouv_rows

PROFILE = json.dumps({"version": 1, "commune": {"code_insee": "01001"}}).encode()
BOUNDARY = "fichegenAttaque"
MULTIPART = {"content-type": f"multipart/form-data; boundary={BOUNDARY}"}


def _part(name: str, data: bytes, filename: str | None = None) -> bytes:
    disposition = f'form-data; name="{name}"'
    if filename is not None:
        disposition += f'; filename="{filename}"'
    return f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + data + b"\r\n"


def _body(*parts: bytes) -> bytes:
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def _leftovers() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("fichegen-envoi-*")}


def test_tens_of_thousands_of_empty_parts_refused_fast(client: Any) -> None:
    """5 Mio of empty parts took the e-mail parser 25 s: now counted and refused first."""
    parts = [_part("donnees", b"", f"f{i}.csv") for i in range(60_000)]
    start = time.perf_counter()
    answer = client.post(
        "/api/apercu", content=_body(_part("profil", PROFILE), *parts), headers=MULTIPART
    )
    assert time.perf_counter() - start < 5
    assert answer.status_code == 422
    assert "trop de parties" in answer.json()["erreurs"][0]["message"]


def test_error_in_an_uploaded_file_names_it(client: Any) -> None:
    """With several files sent, the error says which one (by the name it was sent under,
    cleaned of its path and control characters)."""
    rows = txcouv_rows("com", [("01001", "L'Abergement-Clémenciat", 2023, 50.0)])
    rows[1][-1] = "-5"
    csv = "\n".join(";".join(str(c) for c in r) for r in rows).encode()
    before = _leftovers()
    answer = client.post(
        "/api/apercu",
        content=_body(
            _part("profil", PROFILE), _part("donnees", csv, "../../etc/txcouv\x1b[31m.csv")
        ),
        headers=MULTIPART,
    )
    assert answer.status_code == 422
    [error] = answer.json()["erreurs"]
    assert error["fichier"] == "txcouv_31m.csv"
    assert error["ligne"] == 2 and "valeur impossible : « -5 »" in error["message"]
    assert "\x1b" not in answer.text and tempfile.gettempdir() not in answer.text
    assert _leftovers() == before


def test_profile_errors_name_no_file(client: Any) -> None:
    answer = client.post("/api/apercu", content=_body(_part("profil", b"{]")), headers=MULTIPART)
    assert answer.status_code == 422
    assert "fichier" not in answer.json()["erreurs"][0]
