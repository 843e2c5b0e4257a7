"""A small batch through the real pipeline: real reference, profiles, selection, renderers."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest

from fichegen.batch.report import run_batch
from fichegen.options import RenderOptions, output_name
from fichegen.reference.lookup import load_reference

CODES = ["90010", "90001", "90002"]


@pytest.mark.slow
def test_real_batch_with_profiles_writes_fiches_and_manifest(tmp_path: Path) -> None:
    profiles = tmp_path / "profils"
    profiles.mkdir()
    (profiles / "andelnans.yaml").write_text(
        'version: 1\ncommune:\n  code_insee: "90001"\npriorites: [cooperation]\n',
        encoding="utf-8",
    )
    bad = profiles / "angeot.yaml"
    bad.write_text(
        'version: 1\ncommune:\n  code_insee: "90002"\npetite_enfanse:\n  mam: 1\n',
        encoding="utf-8",
    )
    (profiles / "lille.yaml").write_text(
        'version: 1\ncommune:\n  code_insee: "59350"\n', encoding="utf-8"
    )
    out = tmp_path / "out"
    options = RenderOptions(formats=("html", "docx"), date=date(2026, 3, 1))
    summary = run_batch(
        "90", output_dir=out, options=options, profiles_dir=profiles, codes=CODES, progress=False
    )
    assert (summary.produced, summary.failed) == (2, 1)
    failure = summary.failures[0]
    assert failure.code_insee == "90002"
    assert (failure.error or "").startswith(f"{bad}:4:1: ")
    assert "petite_enfance" in (failure.error or "")  # the closest valid key
    assert any("59350" in w and "lille.yaml" in w for w in summary.warnings)
    records = {
        c["code_insee"]: c
        for c in json.loads((out / "index.json").read_text(encoding="utf-8"))["communes"]
    }
    reference = load_reference()
    for code in ("90010", "90001"):
        record = records[code]
        assert record["status"] == "ok"
        assert record["levers"] and set(record["levers"]) <= {
            "locaux",
            "engagement",
            "creation",
            "cooperation",
            "contractualisation",
        }
        names = {f["name"] for f in record["files"]}
        nom = reference.get(code).nom
        assert names == {output_name(code, nom, "html"), output_name(code, nom, "docx")}
        for entry in record["files"]:
            data = (out / entry["name"]).read_bytes()
            assert hashlib.sha256(data).hexdigest() == entry["sha256"]
    assert records["90001"]["levers"][0] == "cooperation"  # the profile's priority
    html = (out / output_name("90010", "Belfort", "html")).read_text(encoding="utf-8")
    assert "Belfort" in html
    rerun = run_batch(
        "90", output_dir=out, options=options, profiles_dir=profiles, codes=CODES, progress=False
    )
    assert (rerun.skipped, rerun.failed) == (2, 1)


def test_worker_needs_no_shared_disk_for_profiles(tmp_path: Path) -> None:
    """The task carries the profile's bytes: a worker where the path does not exist works."""
    from fichegen.batch.worker import CommuneTask, produce_fiche

    text = 'commune:\n  code_insee: "90010"\nexclure: [locaux]\n'
    options = RenderOptions(formats=("html",), date=date(2026, 3, 1))
    elsewhere = str(tmp_path / "on-the-client-only" / "belfort.yaml")
    output = produce_fiche(CommuneTask("90010", elsewhere, options, profile_bytes=text.encode()))
    assert "locaux" not in output.levers
    assert output.outputs[0][0] == "html"


def test_profile_errors_from_bytes_name_the_client_file() -> None:
    from fichegen.batch.worker import CommuneTask, produce_fiche
    from fichegen.errors import ProfileError

    task = CommuneTask(
        "90010",
        "profils/belfort.yaml",
        RenderOptions(formats=("html",)),
        profile_bytes=b'commune:\n  code_insee: "90010"\n  nom: "\xff"\n',
    )
    with pytest.raises(ProfileError) as caught:
        produce_fiche(task)
    assert caught.value.lines()[0].startswith("profils/belfort.yaml:3:")
