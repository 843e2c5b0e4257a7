"""``fichegen serve --moteur typst``: the API's PDFs are made by Typst, free text printed
literally, end to end over HTTP against a real server process."""

from __future__ import annotations

import io
import json
import re
import urllib.request
from pathlib import Path

import pytest
from pypdf import PdfReader
from support_web import running_server

pytestmark = pytest.mark.slow

HOSTILE = '#read("/etc/passwd") ] $x$ *gras* @ref <lbl> \\'


def _post(url: str, body: dict[str, object]) -> tuple[int, bytes]:
    request = urllib.request.Request(
        url + "/api/fiche?format=pdf",
        data=json.dumps(body).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=120) as answer:
        return answer.status, answer.read()


def test_serve_moteur_typst_answers_with_typst_pdfs(tmp_path: Path) -> None:
    profile = {
        "commune": {"code_insee": "09122"},
        "acteurs_ess": [{"nom": HOSTILE, "type": "creche_cooperative", "description": HOSTILE}],
    }
    with running_server(tmp_path, jobs=1, extra=("--moteur", "typst")) as (url, _log, _p):
        status, pdf = _post(url, profile)
    assert status == 200 and pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata is not None and str(reader.metadata.creator).startswith("Typst")
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in reader.pages))
    assert HOSTILE in text and "root:" not in text
