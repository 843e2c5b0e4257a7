"""Hostile profiles found by the adversarial pass: each is refused with a short, located,
French message, or cleaned as the documentation promises."""

from __future__ import annotations

from pathlib import Path

import pytest

from fichegen.errors import KnowledgeError, ProfileError
from fichegen.inputs.profile import load_profile, profile_from_dict, profile_from_text
from fichegen.inputs.yamlio import load_yaml_bytes

HEAD = 'commune:\n  code_insee: "90010"\n'


def _error(text: str | bytes, tmp_path: Path) -> ProfileError:
    path = tmp_path / "p.yaml"
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    return caught.value


def test_a_one_megabyte_scalar_is_not_echoed(tmp_path: Path) -> None:
    error = _error("x" * (1024 * 1024 - 10), tmp_path)
    assert len(str(error)) < 300
    assert "xxxxxxxx…" in str(error)


def test_a_900_000_digit_code_is_not_echoed(tmp_path: Path) -> None:
    error = _error('commune:\n  code_insee: "' + "9" * 900_000 + '"\n', tmp_path)
    assert error.field == "commune.code_insee"
    assert len(str(error)) < 400 and "…" in str(error)


def test_a_huge_unknown_key_is_capped(tmp_path: Path) -> None:
    error = _error(HEAD + "? " + "k" * 5000 + "\n: 1\n", tmp_path)  # explicit key: no limit
    assert len(str(error)) < 600 and "clé inconnue" in str(error)


def test_a_5000_digit_integer_names_its_field_and_bound(tmp_path: Path) -> None:
    error = _error(HEAD + "petite_enfance:\n  places_eaje: " + "9" * 5000 + "\n", tmp_path)
    assert error.field == "petite_enfance.places_eaje"
    assert (error.line, error.column) == (4, 16)
    assert "inférieur ou égal à 100 000 000" in error.first.message
    assert "étiquette" not in str(error) and len(str(error)) < 300


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1e308", "inférieur ou égal à 1 000 000 000 000"),
        ("1.7e308", "inférieur ou égal à 1 000 000 000 000"),
        ("1e999", "nombre fini attendu"),
        ('"12"', "écrit comme un texte : retirez les guillemets"),
    ],
)
def test_numbers_in_exponent_form_are_read_as_numbers(
    tmp_path: Path, value: str, expected: str
) -> None:
    text = HEAD + "gouvernance:\n  contrats_ess:\n    - {acteur: A, mode: dsp, "
    error = _error(text + f"montant_annuel_eur: {value}}}\n", tmp_path)
    assert error.field == "gouvernance.contrats_ess[0].montant_annuel_eur"
    assert expected in error.first.message


def test_a_tiny_exponent_number_in_a_count_says_integer(tmp_path: Path) -> None:
    error = _error(HEAD + "petite_enfance: {mam: 5e-324}\n", tmp_path)
    assert error.field == "petite_enfance.mam"
    assert error.first.message.startswith("nombre entier attendu")


@pytest.mark.parametrize("char", ["\ufffe", "\uffff"])
def test_noncharacters_are_located_and_french(tmp_path: Path, char: str) -> None:
    error = _error(HEAD + f"  nom: a{char}b\n", tmp_path)
    assert (error.line, error.column) == (3, 9)
    assert f"U+{ord(char):04X}" in error.first.message
    assert "unacceptable" not in str(error)


@pytest.mark.parametrize("encoding", ["utf-32", "utf-32-le", "utf-32-be"])
def test_utf32_is_named_utf32(tmp_path: Path, encoding: str) -> None:
    bom = {"utf-32-le": b"\xff\xfe\x00\x00", "utf-32-be": b"\x00\x00\xfe\xff"}.get(encoding, b"")
    error = _error(bom + HEAD.encode(encoding), tmp_path)
    assert error.first.message == "fichier en UTF-32 : enregistrez-le en UTF-8"


@pytest.mark.parametrize("version", ["true", "1.0", "1e0"])
def test_version_must_be_the_integer_1(tmp_path: Path, version: str) -> None:
    error = _error(f"version: {version}\n" + HEAD, tmp_path)
    assert error.field == "version"


def test_version_1_is_still_accepted() -> None:
    assert profile_from_text("version: 1\n" + HEAD).version == 1


@pytest.mark.parametrize("blank", ['"   "', '"\\u200b"', '"\\u00a0\\u3000"'])
def test_a_blank_name_is_refused(tmp_path: Path, blank: str) -> None:
    error = _error(HEAD + f"  nom: {blank}\n", tmp_path)
    assert error.field == "commune.nom"
    assert "texte non vide attendu" in error.first.message


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ('  nom: "Bel\\nfort"\n', "commune.nom"),
        ('  nom: "Bel\\tfort"\n', "commune.nom"),
        ('fiche:\n  auteur: "Liste\\r\\nSet-Cookie: x=1"\n', "fiche.auteur"),
    ],
)
def test_a_name_with_a_line_break_is_refused(tmp_path: Path, line: str, field: str) -> None:
    # Found by the adversarial pass on the web API: such a name crashed the map's label
    # measurement (Pillow) with an internal error instead of a located message.
    error = _error(HEAD + line, tmp_path)
    assert error.field == field
    assert "une seule ligne" in error.first.message
    assert error.exit_code == 2


def test_spaces_around_a_name_are_dropped() -> None:
    assert profile_from_text(HEAD + '  nom: "  Belfort  "\n').commune.nom == "Belfort"


def test_bidi_and_zero_width_characters_are_removed_from_free_text() -> None:
    text = (
        HEAD + '  nom: "\\u202egnp.exe"\nacteurs_ess:\n  - nom: "Cr\\u200bèche \\u2066A\\u2069"\n'
        '    type: mam\n    description: "a\\u200e\\u200fb\\ufeffc\\u2060d"\n'
    )
    profile = profile_from_text(text)
    assert profile.commune.nom == "gnp.exe"
    assert profile.acteurs_ess[0].nom == "Crèche A"
    assert profile.acteurs_ess[0].description == "abcd"
    from_dict = profile_from_dict({"commune": {"code_insee": "90010", "nom": "\u202eX\u200d"}})
    assert from_dict.commune.nom == "X"


def test_a_set_of_priorities_is_refused() -> None:
    with pytest.raises(ProfileError) as caught:
        profile_from_dict({"commune": {"code_insee": "90010"}, "priorites": {"locaux"}})
    assert caught.value.field == "priorites"
    assert "ordre" in caught.value.first.message
    kept = profile_from_dict({"commune": {"code_insee": "90010"}, "priorites": ["creation"]})
    assert kept.priorites == ["creation"]


def test_knowledge_files_are_not_called_profiles() -> None:
    for raw in (b"", b"- a\n", b"juste du texte\n"):
        with pytest.raises(KnowledgeError) as caught:
            load_yaml_bytes(raw, "k.yaml", error=KnowledgeError)
        assert "profil" not in str(caught.value) and "code_insee" not in str(caught.value)


def test_a_5000_digit_python_int_in_a_dict_is_refused_shortly() -> None:
    huge = 10**5000
    with pytest.raises(ProfileError) as caught:
        profile_from_dict({"commune": {"code_insee": huge}, "petite_enfance": {"mam": huge}})
    fields = {issue.field for issue in caught.value.issues}
    assert fields == {"commune.code_insee", "petite_enfance.mam"}
    assert len(str(caught.value)) < 500 and "plus de 3 000 chiffres" in str(caught.value)
