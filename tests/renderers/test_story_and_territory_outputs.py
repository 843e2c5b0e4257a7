"""Issue 19 in the files a user gets: the own story and the territory's words in HTML, PDF, DOCX.

Runs the CLI as a whole process on real communes (reference only), reopens the DOCX and
reads the PDF's text layer.
"""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\u00a0", " "))


def _render(code: str, folder: Path) -> dict[str, str]:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "fichegen",
            "render",
            "--commune",
            code,
            "-f",
            "html,pdf,docx",
            "-o",
            str(folder),
            "--date",
            "2026-12-05",
        ],
        check=True,
        capture_output=True,
    )
    html = next(folder.glob("*.html")).read_text(encoding="utf-8")
    html = re.sub(r"<style.*?</style>|<[^>]+>", " ", html, flags=re.S)
    pdf = subprocess.run(
        ["pdftotext", str(next(folder.glob("*.pdf"))), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    with zipfile.ZipFile(next(folder.glob("*.docx"))) as docx:
        xml = docx.read("word/document.xml").decode("utf-8")
    docx_text = re.sub(r"<[^>]+>", "", re.sub(r"</w:p>", "\n", xml))
    import html as html_module

    return {
        "html": _plain(html_module.unescape(html)),
        "pdf": _plain(pdf.replace("-\n", "")),
        "docx": _plain(html_module.unescape(docx_text)),
    }


CASES = [
    (
        "69266",
        ["Déjà fait à Villeurbanne", "depuis le premier trimestre 2021", "Et ensuite"],
        ["un pôle construit avec les acteurs est envisageable"],
    ),
    (
        "82038",
        ["Déjà fait à Caylus", "local restauré", "Et ensuite"],
        ["estimée"],
    ),
    (
        "97502",
        ["Caisse de prévoyance sociale", "aucune intercommunalité"],
        ["Convention territoriale globale avec la Caf", "Compétences exercées par"],
    ),
    ("75056", ["conseil d’arrondissement", "L2511-16"], ["membre de l’intercommunalité"]),
]


@pytest.mark.parametrize(("code", "present", "absent"), CASES)
def test_rendered_files_tell_the_story_and_the_territory(
    code: str, present: list[str], absent: list[str], tmp_path: Path
) -> None:
    texts = _render(code, tmp_path)
    for fmt, text in texts.items():
        for words in present:
            # PDF text may break a line inside the words: compare without spaces there.
            found = words in text or words.replace(" ", "") in text.replace(" ", "")
            assert found, (fmt, words)
        for words in absent:
            assert words not in text, (fmt, words)
