"""SPPE thresholds of an EPCI that exercises the competences, from Insee's populations de
référence: the 2023 PTOT of its member communes summed (III of article L214-1-3 CASF),
said as such with source and vintage; « à vérifier » kept when members are missing.

Real communes of a real EPCI (CC des Vallées d'Aigueblanche, three members); the file is a
fixture shaped like ``donnees_communes.csv`` (its PCAP values serve these tests only)."""

from __future__ import annotations

from pathlib import Path

from support_french import html_text
from support_official import populations_rows, write_ensemble_zip

from fichegen.document.compose import compose
from fichegen.inputs.official.apply import apply_official
from fichegen.inputs.official.read import read_inputs
from fichegen.inputs.official.types import OfficialData
from fichegen.inputs.profile import profile_from_dict
from fichegen.options import RenderOptions
from fichegen.reference.lookup import load_reference
from fichegen.renderers.html import render_html
from fichegen.selection.builder import build
from fichegen.selection.fiche import Fiche

EPCI = "247300015"  # CC des Vallées d'Aigueblanche: 73003, 73024, 73187
LA_LECHERE = "73187"  # 2 538 inhabitants: under 3 500 alone, the EPCI above
PCAP = 40


def _members() -> tuple[str, ...]:
    epci = load_reference().epci(EPCI)
    assert epci is not None
    return epci.membres


def _file(tmp_path: Path, leave_out: tuple[str, ...] = ()) -> tuple[OfficialData, int]:
    """The populations file with the EPCI's members (but ``leave_out``), and the sum of
    their PTOT as the file gives them."""
    reference = load_reference()
    extra = {
        code: (int(reference.get(code).population_municipale or 0), PCAP)
        for code in _members()
        if code not in leave_out
    }
    rows = populations_rows(extra)
    ptot = {row[6]: row[10] for row in rows[1:]}
    path = write_ensemble_zip(tmp_path / "ensemble.zip", rows)
    official = read_inputs([path]).official
    assert official is not None
    return official, sum(int(ptot[code]) for code in extra)


def _fiche(official: OfficialData | None, **petite_enfance: object) -> Fiche:
    data = {
        "commune": {"code_insee": LA_LECHERE},
        "petite_enfance": {"competence_transferee_epci": True, **petite_enfance},
    }
    profile = profile_from_dict(data)
    return build(apply_official(profile, official) if official is not None else profile)


def _duty(fiche: Fiche, rid: str):  # type: ignore[no-untyped-def]
    return next(o for o in fiche.obligations if o.id == rid)


def test_without_the_file_the_epci_threshold_is_to_be_checked() -> None:
    fiche = _fiche(None)
    assert not _duty(fiche, "planifier").certain
    assert "population totale 2022" in fiche.sppe.population_label


def test_members_summed_settle_both_thresholds(tmp_path: Path) -> None:
    official, total = _file(tmp_path)
    assert 3500 < total <= 10000
    fiche = _fiche(official)
    assert all(o.certain for o in fiche.obligations)
    assert _duty(fiche, "planifier").obligatoire and _duty(fiche, "qualite").obligatoire
    assert not _duty(fiche, "schema_pluriannuel").obligatoire
    assert not _duty(fiche, "relais_petite_enfance").obligatoire
    assert fiche.sppe.population_reference == total
    label = fiche.sppe.population_label
    assert label == (
        "population totale 2023 des 3\u00a0communes membres de la CC des Vallées d'Aigueblanche"
    )
    notice = fiche.sppe.notice or ""
    # What was summed, its source and vintage, and what to check.
    assert "additionne les populations totales des 3\u00a0communes membres" in notice
    assert "(Insee, « populations de référence », millésime 2023)" in notice
    assert "Si une partie seulement de ces communes a transféré la compétence" in notice
    assert "Faute de savoir lesquelles" not in notice
    shown = f"{total:,}".replace(",", "\u202f")
    assert f"({shown}\u00a0habitants)" in _duty(fiche, "planifier").explication


def test_a_missing_member_keeps_to_be_checked_and_is_named(tmp_path: Path) -> None:
    official, _ = _file(tmp_path, leave_out=("73024",))
    fiche = _fiche(official)
    assert not _duty(fiche, "planifier").certain
    assert "population totale 2022" in fiche.sppe.population_label
    notice = fiche.sppe.notice or ""
    assert "ne donne pas toutes les communes membres" in notice
    assert "il y manque Les Avanchers-Valmorel" in notice


def test_a_population_given_for_the_transferring_communes_wins(tmp_path: Path) -> None:
    official, _ = _file(tmp_path)
    fiche = _fiche(official, population_communes_transferees=12000)
    assert fiche.sppe.population_reference == 12000
    assert _duty(fiche, "schema_pluriannuel").obligatoire
    assert "chiffre fourni" in fiche.sppe.population_label


def test_without_transfer_the_commune_own_figure_is_used(tmp_path: Path) -> None:
    official, _ = _file(tmp_path)
    profile = apply_official(profile_from_dict({"commune": {"code_insee": LA_LECHERE}}), official)
    fiche = build(profile)
    assert "population totale 2023 publiée par l’Insee" in fiche.sppe.population_label
    assert not _duty(fiche, "planifier").obligatoire and _duty(fiche, "planifier").certain


def test_a_batch_worker_gets_the_members_populations(tmp_path: Path) -> None:
    official, total = _file(tmp_path)
    epci = load_reference().epci(EPCI)
    assert epci is not None
    alone = official.subset(LA_LECHERE, EPCI, None)
    assert set(alone.populations) == {LA_LECHERE}
    part = official.subset(LA_LECHERE, EPCI, None, epci.membres)
    assert set(part.populations) == set(epci.membres)
    assert part.digest() != alone.digest()  # a member's figure changes the resume key
    assert _fiche(part).sppe.population_reference == total


def test_the_fiche_says_it_in_its_duties_section(tmp_path: Path) -> None:
    official, total = _file(tmp_path)
    page = render_html(compose(_fiche(official), RenderOptions()))
    text = " ".join(html_text(page))
    shown = f"{total:,}".replace(",", "\u202f")
    assert (
        "population totale 2023 des 3\u00a0communes membres de la CC des Vallées d’Aigueblanche, "
        f"{shown}\u00a0habitants" in text
    )
    assert "(Insee, «\u202fpopulations de référence\u202f», millésime 2023)" in text
    assert "vérifiez-le auprès de la CC des Vallées d’Aigueblanche" in text
    # Said once, in the duties section (the summary on page 1 does not repeat it).
    assert text.count("Si une partie seulement de ces communes") == 1


def _transfer_profile(folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / "la_lechere.yaml"
    path.write_text(
        f"version: 1\ncommune:\n  code_insee: '{LA_LECHERE}'\n"
        "petite_enfance:\n  competence_transferee_epci: true\n",
        encoding="utf-8",
    )
    return path


def test_the_cli_explains_the_sum_as_a_whole_process(tmp_path: Path) -> None:
    import json
    import subprocess
    import sys

    _, total = _file(tmp_path)
    profile = _transfer_profile(tmp_path / "profils")
    fichegen = Path(sys.executable).with_name("fichegen")
    result = subprocess.run(
        [str(fichegen), "explain", str(profile), "--donnees", str(tmp_path / "ensemble.zip"),
         "--json"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    duties = {o["id"]: o for o in data["obligations"]}
    assert duties["planifier"]["obligatoire"] is True
    assert (
        f"({total:,}\u00a0habitants)".replace(",", "\u202f") in duties["planifier"]["explication"]
    )


def test_a_batch_sums_the_members_too(tmp_path: Path) -> None:
    from datetime import date

    from fichegen.batch.report import run_batch

    _, total = _file(tmp_path)
    profiles = _transfer_profile(tmp_path / "profils").parent
    summary = run_batch(
        "73",
        output_dir=tmp_path / "out",
        options=RenderOptions(formats=("html",), date=date(2026, 3, 1)),
        profiles_dir=profiles,
        codes=[LA_LECHERE],
        jobs=1,
        progress=False,
        donnees=[tmp_path / "ensemble.zip"],
    )
    assert (summary.produced, summary.failed) == (1, 0), summary.failures
    (page,) = (tmp_path / "out").glob("fiche15_73187_*.html")
    text = " ".join(html_text(page.read_text(encoding="utf-8")))
    shown = f"{total:,}".replace(",", "\u202f")
    assert (
        f"3\u00a0communes membres de la CC des Vallées d’Aigueblanche, {shown}\u00a0habitants"
        in text
    )
