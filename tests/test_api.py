"""The Python API refuses wrong arguments with French FichegenErrors, never a bare
AttributeError or TypeError, and never creates a folder it was not asked for."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import fichegen
from fichegen.errors import FichegenError, InputError, OutputError


@pytest.fixture(scope="module")
def fiche() -> Any:
    return fichegen.build(fichegen.profile_for_commune("90010"))


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda: fichegen.build(None), "profil attendu"),
        (lambda: fichegen.build({"commune": {"code_insee": "90010"}}), "reçu un dict"),
        (lambda: fichegen.render(None, "pdf"), "fiche attendue"),
        (lambda: fichegen.compose("fiche"), "fiche attendue"),
        (lambda: fichegen.profile_from_text(None), "texte YAML d'un profil attendu"),
        (lambda: fichegen.profile_from_dict(None), "ensemble de clés"),
        (lambda: fichegen.load_profile(None), "chemin d'un fichier de profil attendu"),
        (lambda: fichegen.profile_for_commune(90010), "code INSEE attendu"),
        (lambda: fichegen.load_knowledge(42), "chemin de dossier ou None attendu"),
    ],
)
def test_wrong_argument_types_raise_french_errors(call: Any, expected: str) -> None:
    with pytest.raises(FichegenError) as caught:
        call()
    assert expected in str(caught.value)


def test_render_with_a_wrong_format_or_target(fiche: Any, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="format inconnu « odt »"):
        fichegen.render(fiche, "odt")
    with pytest.raises(InputError, match="chemin du fichier à écrire vide"):
        fichegen.render(fiche, "html", "")
    with pytest.raises(InputError, match="c'est un dossier"):
        fichegen.render(fiche, "html", tmp_path)
    with pytest.raises(InputError, match="target"):
        fichegen.render(fiche, "html", 3)  # type: ignore[arg-type]


def test_render_never_creates_a_missing_folder(fiche: Any, tmp_path: Path) -> None:
    target = tmp_path / "absent" / "sous" / "x.html"
    with pytest.raises(OutputError, match="introuvable \\(il n'est pas créé\\)") as caught:
        fichegen.render(fiche, "html", target)
    assert caught.value.exit_code == 1
    assert list(tmp_path.iterdir()) == []
    fichegen.render(fiche, "html", tmp_path / "x.html")
    assert (tmp_path / "x.html").read_bytes().startswith(b"<!DOCTYPE html>")


def test_a_200_ligature_name_renders_to_a_short_file_name(tmp_path: Path, run_cli: Any) -> None:
    profile = tmp_path / "p.yaml"
    profile.write_text('commune:\n  code_insee: "90010"\n  nom: "' + "\ufb03" * 200 + '"\n')
    result = run_cli("render", profile, "-f", "html", "-o", tmp_path / "out")
    assert result.code == 0, result.err
    (written,) = (tmp_path / "out").iterdir()
    assert len(written.name) <= 80


def test_cli_render_creates_only_the_last_folder(tmp_path: Path, run_cli: Any) -> None:
    result = run_cli("render", "--commune", "90010", "-f", "html", "-o", tmp_path / "a" / "b")
    assert result.code == 1
    assert "son dossier parent n'existe pas" in result.err
    assert list(tmp_path.iterdir()) == []
    result = run_cli("render", "--commune", "90010", "-f", "html", "-o", tmp_path / "a")
    assert result.code == 0 and len(list((tmp_path / "a").iterdir())) == 1


@pytest.mark.parametrize("epoch", ["99999999999999", "253402300800", "²"])
def test_cli_render_refuses_a_bad_source_date_epoch(
    tmp_path: Path, run_cli: Any, monkeypatch: pytest.MonkeyPatch, epoch: str
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    result = run_cli("render", "--commune", "90010", "-f", "html", "-o", tmp_path)
    assert result.code == 2
    assert "SOURCE_DATE_EPOCH invalide" in result.err and "Traceback" not in result.err
    assert list(tmp_path.iterdir()) == []


def test_render_never_replaces_a_device_or_a_fifo(fiche: Any, tmp_path: Path) -> None:
    import os
    import stat

    fifo = tmp_path / "tube"
    os.mkfifo(fifo)
    for target in ("/dev/null", fifo):
        with pytest.raises(InputError, match="pas un fichier ordinaire"):
            fichegen.render(fiche, "html", target)
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode) and stat.S_ISFIFO(os.stat(fifo).st_mode)
