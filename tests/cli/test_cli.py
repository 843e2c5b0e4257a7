"""The fichegen command line, end to end, on real communes and bundled profiles."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PROFILES, ROOT

DATE = "2026-11-26"


def test_render_profile_default_formats(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("render", PROFILES / "anstaing.yaml", "-o", tmp_path, "--date", DATE)
    assert result.code == 0, result.err
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["fiche15_59013_anstaing.docx", "fiche15_59013_anstaing.pdf"]
    assert result.out.splitlines() == [str(tmp_path / n) for n in reversed(names)]
    assert (tmp_path / names[1]).read_bytes().startswith(b"%PDF-")


def test_invalid_profile_among_valid_writes_nothing(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.yaml"
    bad.write_text('commune:\n  code_insee: "59013"\npetite_enfance:\n  places_eaje: -3\n')
    out = tmp_path / "out"
    result = run_cli("render", PROFILES / "anstaing.yaml", bad, "-o", out, "-f", "html")
    assert result.code == 2
    assert f"{bad}:4:16:" in result.err
    assert "places_eaje" in result.err and "Traceback" not in result.err
    assert not out.exists()


def test_output_folder_that_is_a_file_exits_1(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "fichier"
    blocker.write_text("x")
    result = run_cli("render", "--commune", "59013", "-f", "html", "-o", blocker)
    assert result.code == 1
    assert "impossible d'écrire" in result.err
    assert "un fichier porte déjà ce nom" in result.err  # the OS message, in French
    assert blocker.read_text() == "x"


def test_render_arrondissement_code_resolves_to_commune(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("render", "--commune", "75101", "-f", "html", "-o", tmp_path, "--date", DATE)
    assert result.code == 0, result.err
    produced = tmp_path / "fiche15_75056_paris.html"
    assert produced.is_file()
    assert "arrondissement" in result.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("render",), "au moins un profil"),
        (("render", "--commune", "59013", "-f", "odt"), "format inconnu"),
        (("render", "--commune", "99999"), "99999"),
        (("render", "--commune", "59013", "--pdf-variant", "pdf/x"), "n'est pas l'une des valeurs"),
        (("render", "--commune", "59013", "--commune", "59013"), "demandée deux fois"),
        # The source named is the code asked twice, not the last --commune of the line.
        (
            ("render", "--commune", "59013", "--commune", "69266", PROFILES / "anstaing.yaml"),
            "anstaing.yaml et --commune 59013)",
        ),
        (("render", "--commune", "59013", "--date", "26/11/2026"), "AAAA-MM-JJ"),
        (("explain",), "indiquez un profil YAML, --commune"),
        (("explain", "p.yaml", "--commune", "59013"), "soit un profil"),
        (("validate",), "au moins un profil"),
        (("communes",), "indiquez un nom"),
        (("communes", "--departement", "99"), "99"),
        (("batch", "99"), "99"),
        (("nimportequoi",), "Commande inconnue"),
    ],
)
def test_bad_usage_exits_2_with_french_message(
    run_cli, args: tuple[str, ...], message: str
) -> None:  # type: ignore[no-untyped-def]
    result = run_cli(*args)
    assert result.code == 2, (result.out, result.err)
    assert message in result.err
    assert "Traceback" not in result.err


def test_explain_json_has_the_contract_keys(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("explain", PROFILES / "foix.yaml", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert {
        "code_insee",
        "nom",
        "departement",
        "population_totale",
        "population_municipale",
    } <= set(data["commune"])
    assert data["commune"]["code_insee"] == "09122"
    ids = {o["id"] for o in data["obligations"]}
    assert ids == {
        "recenser",
        "informer",
        "planifier",
        "qualite",
        "schema_pluriannuel",
        "relais_petite_enfance",
    }
    assert all({"id", "obligatoire", "base_legale"} <= set(o) for o in data["obligations"])
    assert [lever["rang"] for lever in data["levers"]] == list(range(1, len(data["levers"]) + 1))
    assert [lever["id"] for lever in data["levers"]][:2] == ["cooperation", "contractualisation"]
    for example in data["examples"]:
        assert {"id", "commune_code", "distance_km", "reasons"} <= set(example)
        assert example["reasons"]


@pytest.mark.parametrize("code", ["59013", "2A004", "97608", "98735", "55189"])
def test_explain_any_commune(run_cli, code: str) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("explain", "--commune", code)
    assert result.code == 0, result.err
    assert code in result.out


def test_communes_search_and_departement(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("communes", "saint denis", "--json")
    codes = {c["code_insee"] for c in json.loads(result.out)}
    assert {"93066", "97411"} <= codes
    table = run_cli("communes", "--departement", "2A", "--limit", "200").out
    assert "Ajaccio" in table and "2A004" in table


def test_schema_is_json_schema(run_cli) -> None:  # type: ignore[no-untyped-def]
    schema = json.loads(run_cli("schema").out)
    assert "commune" in schema["properties"]
    assert "commune" in schema["required"]


def test_validate(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ok = run_cli("validate", *sorted(PROFILES.glob("*.yaml")))
    assert ok.code == 0 and "Anstaing (59013)" in ok.out
    bad = tmp_path / "typo.yaml"
    bad.write_text('commune:\n  code_insee: "59013"\n  populaton_totale: 3\n')
    result = run_cli("validate", bad)
    assert result.code == 2
    assert "population_totale" in result.err and f"{bad}:3:3" in result.err


def _render_in_subprocess(tmp: Path, fmt: str) -> bytes:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1780000000", "PYTHONHASHSEED": str(len(str(tmp)))}
    if os.environ.get("FICHEGEN_EXPECT_INSTALLED") != "1":
        env["PYTHONPATH"] = str(ROOT)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "fichegen",
            "render",
            str(PROFILES / "lille.yaml"),
            "-f",
            fmt,
            "-o",
            str(tmp),
        ],
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    return (tmp / f"fiche15_59350_lille.{fmt}").read_bytes()


@pytest.mark.parametrize("fmt", ["docx", "html"])
def test_whole_pipeline_is_reproducible_across_processes(tmp_path: Path, fmt: str) -> None:
    first = _render_in_subprocess(tmp_path / "a", fmt)
    second = _render_in_subprocess(tmp_path / "bb", fmt)
    assert first == second


def test_pdf_and_docx_hold_the_same_content_in_the_same_order(tmp_path: Path) -> None:
    import docx
    from docx.oxml.ns import qn
    from pypdf import PdfReader

    import fichegen
    from fichegen.french.typography import typeset

    fiche = fichegen.build(fichegen.load_profile(PROFILES / "lille.yaml"))
    options = fichegen.RenderOptions(formats=("pdf", "docx"))
    pdf = fichegen.render(fiche, "pdf", options=options)
    docx_bytes = fichegen.render(fiche, "docx", options=options)
    assert pdf is not None and docx_bytes is not None
    pdf_text = " ".join(
        " ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )
    body = docx.Document(io.BytesIO(docx_bytes)).element.body
    docx_text = " ".join(  # every paragraph in document order, table cells included
        " ".join("".join(t.text or "" for t in p.iter(qn("w:t"))).split())
        for p in body.iter(qn("w:p"))
    )
    expected = ["Lille", *(f"{lever.rang}. {lever.titre}" for lever in fiche.levers)]
    expected += [typeset(o.titre) for o in fiche.obligations if o.obligatoire][:2]
    assert "locaux" not in [lever.id for lever in fiche.levers]  # excluded by the profile
    for text in (pdf_text, docx_text):
        flat = text.replace("\u00ad", "").replace("- ", "").replace("-\n", "")
        positions = [flat.find(" ".join(item.split()).replace("- ", "")) for item in expected[1:]]
        assert all(p >= 0 for p in positions), (expected, positions)
        assert positions[: len(fiche.levers)] == sorted(positions[: len(fiche.levers)])


def test_knowledge_folder_adds_and_overrides(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import shutil

    folder = tmp_path / "kb"
    folder.mkdir()
    shutil.copy(ROOT / "tests" / "resources" / "knowledge" / "ajout.yaml", folder)
    result = run_cli("explain", "--commune", "59013", "--json", "--knowledge", folder)
    assert result.code == 0, result.err
    data = json.loads(result.out)
    titles = {lever["id"]: lever["titre"] for lever in data["levers"]}
    assert titles["locaux"] == "Des locaux pour l'ESS"
    assert "gruson-exemple-local" in {e["id"] for e in data["examples"]}


def test_invalid_knowledge_folder_is_located(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import shutil

    folder = tmp_path / "kb"
    folder.mkdir()
    shutil.copy(ROOT / "tests" / "resources" / "knowledge" / "faute_cle.yaml", folder)
    out = tmp_path / "out"
    result = run_cli("render", "--commune", "59013", "--knowledge", folder, "-o", out)
    assert result.code == 2
    assert "faute_cle.yaml:4:5" in result.err and "titre" in result.err
    assert not out.exists()


def test_batch_command_end_to_end(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "975"
    first = run_cli("batch", "975", "-f", "html", "-o", out, "-j", "1", "--date", DATE)
    assert first.code == 0, first.err
    names = sorted(p.name for p in out.glob("fiche15_*.html"))
    assert names == ["fiche15_97501_miquelon-langlade.html", "fiche15_97502_saint-pierre.html"]
    rows = (out / "index.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(rows) == 3 and all(";produite;" in row for row in rows[1:])
    again = run_cli("batch", "975", "-f", "html", "-o", out, "-j", "1", "--date", DATE)
    assert again.code == 0
    assert "0\u00a0fiche produite, 2\u00a0fiches à jour ignorées" in again.err


def test_communes_explains_an_attached_code(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("communes", "59298")
    assert result.code == 0
    assert "59350" in result.out and "Lille" in result.out
    assert "Note : 59298 est le code de la commune associée" in result.out
    assert json.loads(run_cli("communes", "59298", "--json").out)[0]["note"].startswith("59298")


def test_validate_prints_a_file_name_with_escape_sequences_safely(  # type: ignore[no-untyped-def]
    run_cli, tmp_path: Path
) -> None:
    good = tmp_path / "bon\x1b]0;pirate\x07\x1b[2J.yaml"
    good.write_text('commune:\n  code_insee: "90010"\n', encoding="utf-8")
    bad = tmp_path / "mauvais\x1b[31m\u202e.yaml"
    bad.write_text("commune: 3\n", encoding="utf-8")
    result = run_cli("validate", good)
    assert result.code == 0 and "\\x1b]0;pirate\\x07\\x1b[2J.yaml : valide" in result.out
    result = run_cli("validate", bad)
    assert result.code == 2
    for text in (result.out, result.err):
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert "mauvais\\x1b[31m\\u202e.yaml" in result.err
    fake = tmp_path / "a.yaml\nfaux.yaml : valide (Paris (75056))"
    fake.write_text('commune:\n  code_insee: "90010"\n', encoding="utf-8")
    result = run_cli("validate", fake)
    assert result.code == 0 and result.out.count("\n") == 1  # no forged second line


def test_batch_prints_warnings_about_hostile_file_names_safely(  # type: ignore[no-untyped-def]
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fichegen.batch.report

    profiles = tmp_path / "profils"
    profiles.mkdir()
    (profiles / "x\x1b[2J\x1b]0;t\x07.yaml").write_text("pas: un profil\n", encoding="utf-8")
    seen: dict[str, object] = {}
    real = fichegen.batch.report.run_batch

    def only_one(*args: object, **kwargs: object) -> object:
        seen.update(kwargs)
        return real(*args, codes=["90001"], **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(fichegen.batch.report, "run_batch", only_one)
    out = tmp_path / "out"
    result = run_cli("batch", "90", "--profiles", profiles, "-o", out, "-f", "html", "-j", "1")
    assert result.code == 0, result.err
    assert "\x1b" not in result.err and "\x07" not in result.err
    assert "x\\x1b[2J\\x1b]0;t\\x07.yaml" in result.err


@pytest.mark.slow
def test_sigterm_stops_a_cli_batch_with_status_143(tmp_path: Path) -> None:
    import signal
    import time

    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "fichegen", "batch", "90", "-o", str(out), "-f", "html", "-j", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1780000000"},
        cwd=tmp_path,  # the installed package, not the source tree
    )
    deadline = time.monotonic() + 60
    while not list(out.glob("fiche15_*.html")) and time.monotonic() < deadline:
        time.sleep(0.2)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 143, err.decode()
    assert "Lot interrompu" in err.decode()
    assert json.loads((out / "index.json").read_text(encoding="utf-8"))["complete"] is False
