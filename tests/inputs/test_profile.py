"""Commune profiles: schema, located French errors (one test per bad-input kind), API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fichegen.errors import FichegenError, Issue, ProfileError, UnknownCommuneError
from fichegen.inputs.profile import (
    LEVER_IDS,
    Profile,
    load_profile,
    profile_for_commune,
    profile_from_dict,
    profile_from_text,
    profile_json_schema,
)
from fichegen.reference.lookup import load_reference

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "resources" / "profiles"
BUNDLED = sorted((ROOT / "profiles").glob("*.yaml"))

HEAD = 'commune:\n  code_insee: "59013"\n'


def errors_of(text: str) -> list[Issue]:
    with pytest.raises(ProfileError) as caught:
        profile_from_text(text, "profil.yaml")
    assert caught.value.exit_code == 2
    return list(caught.value.issues)


def only_error(text: str) -> Issue:
    issues = errors_of(text)
    assert len(issues) == 1, [issue.format() for issue in issues]
    return issues[0]


# --- valid profiles ---------------------------------------------------------------------


@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_bundled_profiles_validate(path: Path) -> None:
    profile = load_profile(path)
    assert profile.source_name == str(path)
    assert profile.reference_commune().code_insee == profile.commune.code_insee


def test_bundled_profiles_cover_the_three_sizes() -> None:
    names = {p.stem for p in BUNDLED}
    assert {"anstaing", "foix", "lille"} <= names
    foix = load_profile(ROOT / "profiles" / "foix.yaml").reference_commune()
    assert foix.population_municipale is not None and foix.population_totale is not None
    assert foix.population_municipale <= 10_000 < foix.population_totale
    lille = load_profile(ROOT / "profiles" / "lille.yaml").reference_commune()
    assert (lille.population_totale or 0) > 100_000
    anstaing = load_profile(ROOT / "profiles" / "anstaing.yaml")
    assert anstaing.acteurs_ess[0].type == "creche_associative"


def test_bundled_profiles_carry_no_invented_local_figure() -> None:
    """Bundled profiles name real communes: they hold no local figure nobody measured."""
    for path in BUNDLED:
        profile = load_profile(path)
        figures = profile.petite_enfance.model_dump(exclude_none=True)
        assert figures == {}, f"{path.name}: {figures}"
        assert profile.patrimoine.locaux_disponibles == [], path.name


def test_full_fixture_and_provided_fields() -> None:
    profile = load_profile(FIXTURES / "complet.yaml")
    assert profile.petite_enfance.places_eaje == 10
    assert profile.fiche.date is not None and profile.fiche.date.isoformat() == "2026-03-01"
    assert profile.provided_fields() == {
        "commune.code_insee",
        "commune.population_totale",
        "petite_enfance.enfants_moins_3_ans",
        "petite_enfance.places_eaje",
        "petite_enfance.places_eaje_ess",
        "petite_enfance.taux_couverture",
        "petite_enfance.relais_petite_enfance",
        "acteurs_ess",
        "patrimoine.locaux_disponibles",
        "gouvernance.convention_territoriale_globale",
        "gouvernance.contrats_ess",
        "priorites",
        "exclure",
        "fiche.nombre_exemples",
        "fiche.date",
        "fiche.auteur",
    }


def test_minimal_profile_has_defaults() -> None:
    profile = profile_from_text(HEAD)
    assert profile.source_name == "<texte>"
    assert profile.fiche.nombre_exemples == 4
    assert profile.priorites == [] and profile.acteurs_ess == []
    assert profile.provided_fields() == {"commune.code_insee"}


def test_unquoted_leading_zero_code_is_read_as_written() -> None:
    profile = profile_from_text("commune:\n  code_insee: 01001\n")
    assert profile.commune.code_insee == "01001"
    assert load_reference().get("01001").code_insee == "01001"


def test_four_digit_code_gets_a_quoting_hint() -> None:
    issue = only_error("commune:\n  code_insee: 1001\n")
    assert (issue.line, issue.column, issue.field) == (2, 15, "commune.code_insee")
    assert 'code_insee: "01001"' in issue.message


def test_corsican_code_is_normalised() -> None:
    assert profile_from_text('commune:\n  code_insee: "2a004"\n').commune.code_insee == "2A004"


def test_text_fields_typed_by_yaml_keep_their_text() -> None:
    profile = profile_from_text(
        HEAD + "acteurs_ess:\n  - {nom: 1789, type: autre}\nfiche: {auteur: yes}\n"
    )
    assert profile.acteurs_ess[0].nom == "1789"
    assert profile.fiche.auteur == "yes"


def test_html_and_template_text_is_kept_literally() -> None:
    hostile = "<script>alert(1)</script> {{ 7*7 }} {% include '/etc/passwd' %} &amp;"
    text = HEAD + f"acteurs_ess:\n  - nom: {json.dumps(hostile)}\n    type: autre\n"
    assert profile_from_text(text).acteurs_ess[0].nom == hostile


def test_control_characters_and_lone_surrogates_are_cleaned() -> None:
    text = HEAD + 'acteurs_ess:\n  - {nom: "A\\x1b[31mB\\uD800C\\u009b", type: autre}\n'
    assert profile_from_text(text).acteurs_ess[0].nom == "A[31mB\ufffdC"
    data = {
        "commune": {"code_insee": "59013"},
        "acteurs_ess": [{"nom": "X\x00\ud800", "type": "mam"}],
    }
    assert profile_from_dict(data).acteurs_ess[0].nom == "X\ufffd"


# --- one test per bad-input kind ----------------------------------------------------------


def test_malformed_yaml(tmp_path: Path) -> None:
    path = tmp_path / "casse.yaml"
    path.write_text(HEAD + "petite_enfance:\n  places_eaje: [1, 2\n", encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert caught.value.file == str(path) and caught.value.line == 5
    assert caught.value.first.format().startswith(f"{path}:5:")
    assert "YAML mal formé" in caught.value.first.message


def test_unknown_key_suggests_the_closest_key_of_its_level() -> None:
    issue = only_error(HEAD + "  populaton: 3\n")
    assert issue.format() == (
        "profil.yaml:3:3: « commune.populaton » : clé inconnue « populaton » ; "
        "vouliez-vous dire « population_totale » ?"
    )
    nested = only_error(HEAD + "petite_enfance:\n  place_eaje: 3\n")
    assert "« places_eaje »" in nested.message and (nested.line, nested.column) == (4, 3)
    top = only_error(HEAD + "zzz: 1\n")
    assert "clés possibles" in top.message and "petite_enfance" in top.message


def test_wrong_type() -> None:
    issue = only_error(HEAD + "petite_enfance:\n  places_eaje: beaucoup\n")
    assert issue.format() == (
        "profil.yaml:4:16: « petite_enfance.places_eaje » : "
        "nombre entier attendu, reçu « beaucoup »"
    )
    boolean = only_error(HEAD + "petite_enfance:\n  relais_petite_enfance: oui\n")
    assert "true ou false" in boolean.message
    listed = only_error(HEAD + "acteurs_ess: {nom: x}\n")
    assert listed.field == "acteurs_ess" and "liste attendue" in listed.message


def test_negative_count() -> None:
    issue = only_error(HEAD + "petite_enfance:\n  places_eaje: -3\n")
    assert issue.format() == (
        "profil.yaml:4:16: « petite_enfance.places_eaje » : "
        "nombre entier positif ou nul attendu, reçu « -3 »"
    )


def test_rate_over_300_is_an_error() -> None:
    # Caf rates over 100 exist: up to 300 is accepted (a warning above 150), above is refused.
    issue = only_error(HEAD + "petite_enfance:\n  taux_couverture: 320.5\n")
    assert issue.field == "petite_enfance.taux_couverture" and (issue.line, issue.column) == (4, 20)
    assert "entre 0 et 300" in issue.message and "320.5" in issue.message


def test_literal_value_lists_allowed_values_and_suggests() -> None:
    issue = only_error(HEAD + "acteurs_ess:\n  - nom: X\n    type: creche_asociative\n")
    assert issue.field == "acteurs_ess[0].type" and (issue.line, issue.column) == (5, 11)
    assert "creche_parentale" in issue.message
    assert "vouliez-vous dire « creche_associative »" in issue.message
    lever = only_error(HEAD + "priorites: [locaux, batiments]\n")
    assert lever.field == "priorites[1]" and "contractualisation" in lever.message


def test_unknown_code_suggests_a_commune_by_name() -> None:
    issue = only_error('commune:\n  code_insee: "59999"\n  nom: Anstaing\n')
    assert issue.field == "commune.code_insee" and (issue.line, issue.column) == (2, 15)
    assert "59999" in issue.message and "Anstaing (59013" in issue.message


def test_obsolete_code_names_the_current_commune() -> None:
    issue = only_error('commune:\n  code_insee: "01003"\n')
    assert "ancien code" in issue.message and "Francheleins" in issue.message
    assert 'code_insee: "01165"' in issue.message
    lille = only_error('commune:\n  code_insee: "59298"\n')
    assert "Lille" in lille.message and 'code_insee: "59350"' in lille.message


def test_commune_deleguee_and_arrondissement_codes_are_refused() -> None:
    deleguee = only_error('commune:\n  code_insee: "01039"\n')
    assert "déléguée" in deleguee.message and 'code_insee: "01138"' in deleguee.message
    paris = only_error('commune:\n  code_insee: "75101"\n')
    assert "arrondissement" in paris.message and 'code_insee: "75056"' in paris.message


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "vide.yaml"
    path.write_text("", encoding="utf-8")
    with pytest.raises(ProfileError, match="vide"):
        load_profile(path)


def test_top_level_list() -> None:
    issue = only_error("- commune: 59013\n")
    assert "liste" in issue.message and issue.line == 1


def test_missing_commune_and_code() -> None:
    issue = only_error("petite_enfance: {}\n")
    assert issue.field == "commune" and "obligatoire" in issue.message
    code = only_error("commune:\n  nom: Anstaing\n")
    assert code.field == "commune.code_insee" and code.line == 1


def test_duplicate_key_reports_both_lines() -> None:
    issue = only_error(HEAD + "petite_enfance:\n  mam: 1\n  mam: 2\n")
    assert (issue.line, issue.column) == (5, 3) and "ligne 4" in issue.message


def test_python_tag() -> None:
    issue = only_error(HEAD + "  nom: !!python/object/apply:os.system ['id']\n")
    assert issue.line == 3 and "!!python/object/apply:os.system" in issue.message


def test_alias_bomb_is_refused_at_compose_time() -> None:
    rows = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    rows += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 12)]
    issue = only_error(HEAD + "\n".join(rows) + "\n")
    assert "alias" in issue.message and issue.line is not None and issue.line <= 5


def test_huge_file(tmp_path: Path) -> None:
    path = tmp_path / "enorme.yaml"
    path.write_text(HEAD + "# " + "x" * (2 * 1024 * 1024) + "\n", encoding="utf-8")
    with pytest.raises(ProfileError, match="trop volumineux"):
        load_profile(path)


def test_deep_nesting() -> None:
    issue = only_error(HEAD + "acteurs_ess: " + "[" * 3000 + "]" * 3000 + "\n")
    assert "imbrication" in issue.message and issue.line == 3


def test_non_utf8_bytes_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(
        (HEAD + "  nom: Gruson\nacteurs_ess:\n  - {nom: Crèche, type: autre}\n").encode("cp1252")
    )
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert caught.value.line == 5 and "UTF-8" in caught.value.first.message


def test_cross_field_checks() -> None:
    ess = only_error(HEAD + "petite_enfance:\n  places_eaje: 5\n  places_eaje_ess: 7\n")
    assert ess.field == "petite_enfance.places_eaje_ess" and ess.line == 5
    population = only_error(HEAD + "  population_municipale: 10\n  population_totale: 9\n")
    assert population.field == "commune.population_totale"
    twice = only_error(HEAD + "priorites: [locaux, creation, locaux]\n")
    assert twice.field == "priorites[2]" and (twice.line, twice.column) == (3, 31)
    both = only_error(HEAD + "priorites: [locaux]\nexclure: [creation, locaux]\n")
    assert both.field == "exclure[1]" and "priorites" in both.message
    everything = only_error(HEAD + f"exclure: [{', '.join(LEVER_IDS)}]\n")
    assert everything.field == "exclure" and "au moins un" in everything.message


def test_all_errors_of_a_file_are_reported_in_line_order() -> None:
    with pytest.raises(ProfileError) as caught:
        load_profile(FIXTURES / "plein_d_erreurs.yaml")
    issues = caught.value.issues
    fields = [issue.field for issue in issues]
    assert fields == [
        "commune.populaton",
        "petite_enfance.places_eaje",
        "petite_enfance.taux_couverture",
        "acteurs_ess[0].type",
        "patrimoine.locaux_disponibles[0].surface_m2",
        "patrimoine.locaux_disponibles[0].domaine",
        "gouvernance.contrats_ess[0].montant_annuel_eur",
        "fiche.nombre_exemples",
        "fiche.date",
    ]
    assert [i.line for i in issues] == sorted(i.line or 0 for i in issues)
    assert all(i.file == str(FIXTURES / "plein_d_erreurs.yaml") for i in issues)


# --- dict input, commune-only profiles, schema ---------------------------------------------


def test_profile_from_dict_has_no_positions() -> None:
    with pytest.raises(ProfileError) as caught:
        profile_from_dict({"commune": {"code_insee": "59013"}, "petite_enfance": {"mam": -1}})
    issue = caught.value.first
    assert (issue.file, issue.line, issue.field) == ("<dict>", None, "petite_enfance.mam")
    with pytest.raises(ProfileError):
        profile_from_dict(["not", "a", "mapping"])  # type: ignore[arg-type]
    with pytest.raises(ProfileError, match="guillemets"):
        profile_from_dict({"commune": {"code_insee": 1001}})


def test_dict_input_is_not_coerced() -> None:
    code = {"code_insee": "59013"}
    cases: list[tuple[dict[Any, Any], str]] = [
        ({"commune": {"code_insee": b"59013"}}, "commune.code_insee"),
        ({"commune": {**code, "population_totale": 10**30}}, "commune.population_totale"),
        ({"commune": code, "petite_enfance": {"mam": True}}, "petite_enfance.mam"),
        ({"commune": code, ("a",): 1}, "('a',)"),
    ]
    for data, field in cases:
        with pytest.raises(ProfileError) as caught:
            profile_from_dict(data)
        assert field in [issue.field for issue in caught.value.issues]
    big = only_error(HEAD + "  population_totale: 1e400\n")
    assert "entier" in big.message


def test_profile_for_commune() -> None:
    profile = profile_for_commune("59013")
    assert isinstance(profile, Profile) and profile.source_name is None
    with pytest.raises(UnknownCommuneError) as caught:
        profile_for_commune("59298")
    assert "59350" in caught.value.first.message and caught.value.exit_code == 2
    with pytest.raises(UnknownCommuneError):
        profile_for_commune("abc")


def _schema_fields(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for part in [schema, *schema.get("$defs", {}).values()]:
        for name, prop in part.get("properties", {}).items():
            found[f"{part.get('title')}.{name}"] = prop
    return found


def test_json_schema_is_described_in_french() -> None:
    schema = profile_json_schema()
    assert schema["$id"] and schema["title"].startswith("Profil")
    assert schema["required"] == ["commune"]
    assert schema["additionalProperties"] is False
    fields = _schema_fields(schema)
    assert len(fields) > 30
    for name, prop in fields.items():
        description = prop.get("description", "")
        assert len(description) > 10, name
    acteur = schema["$defs"]["ActeurEss"]["properties"]["type"]
    assert "creche_cooperative" in json.dumps(acteur)
    json.dumps(schema)  # serialisable


def test_docs_document_every_schema_field() -> None:
    docs = (ROOT / "docs" / "profil.md").read_text(encoding="utf-8")
    for qualified in _schema_fields(profile_json_schema()):
        name = qualified.split(".")[-1]
        assert f"`{name}`" in docs, name
    for value in ("creche_parentale", "convention_pluriannuelle", "contractualisation", "public"):
        assert f"`{value}`" in docs


# --- robustness -----------------------------------------------------------------------------

scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
nested = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
keys = st.sampled_from(
    [
        "commune",
        "petite_enfance",
        "acteurs_ess",
        "patrimoine",
        "gouvernance",
        "priorites",
        "exclure",
        "fiche",
        "version",
        "code_insee",
        "places_eaje",
        "nom",
        "type",
        "populaton",
    ]
)
shaped = st.recursive(
    scalars | st.sampled_from(["59013", "01001", "59298", "mam", "locaux", "2A004"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=5),
    max_leaves=25,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
def test_arbitrary_text_gives_a_profile_or_our_error(text: str) -> None:
    try:
        assert isinstance(profile_from_text(text), Profile)
    except FichegenError as exc:
        assert exc.issues and all(issue.message for issue in exc.issues)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(nested | shaped)
def test_arbitrary_data_gives_a_profile_or_our_error(data: Any) -> None:
    try:
        assert isinstance(profile_from_dict(data), Profile)
    except FichegenError as exc:
        assert exc.issues


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(keys, shaped, max_size=6))
def test_arbitrary_yaml_documents_give_a_profile_or_our_error(data: dict[str, Any]) -> None:
    import yaml

    text = yaml.safe_dump(data, allow_unicode=True)
    try:
        assert isinstance(profile_from_text(text), Profile)
    except FichegenError as exc:
        assert exc.issues


# --- through the command line ---------------------------------------------------------------


def test_cli_validate_exit_codes_and_located_messages(run_cli: Any, tmp_path: Path) -> None:
    bad = tmp_path / "profil.yaml"
    bad.write_text(HEAD + "  populaton: 3\npetite_enfance:\n  places_eaje: -3\n", encoding="utf-8")
    result = run_cli("validate", bad)
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert f"{bad}:3:3: « commune.populaton » : clé inconnue" in lines[0]
    assert lines[1].startswith(f"{bad}:5:16: « petite_enfance.places_eaje » :")
    assert "Traceback" not in result.err
    assert run_cli("validate", *BUNDLED).code == 0
    tagged = tmp_path / "tag.yaml"
    tagged.write_text(HEAD + "x: !!python/object/apply:os.system ['id']\n", encoding="utf-8")
    result = run_cli("validate", tagged)
    assert result.code == 2 and f"{tagged}:3:4:" in result.err


def test_obsolete_code_is_reported_with_the_other_errors_of_its_section() -> None:
    text = 'commune:\n  code_insee: "59298"\n  populaton_totale: 12\n'
    with pytest.raises(ProfileError) as caught:
        profile_from_text(text, "p.yaml")
    lines = caught.value.lines()
    assert len(lines) == 2
    assert lines[0].startswith("p.yaml:2:15: « commune.code_insee » : 59298")
    assert "59350" in lines[0]
    assert lines[1].startswith("p.yaml:3:3: « commune.populaton_totale »")


def test_every_profile_field_has_a_french_title() -> None:
    """The fiche prints these titles instead of field paths: one source for labels."""
    from typing import get_args

    from pydantic import BaseModel

    from fichegen.inputs.labels import field_label
    from fichegen.inputs.profile import Profile

    def paths(model: type[BaseModel], prefix: str = "") -> list[str]:
        found = []
        for name, field in model.model_fields.items():
            found.append(prefix + name)
            for inner in (*get_args(field.annotation), field.annotation):
                for t in (*get_args(inner), inner):
                    if isinstance(t, type) and issubclass(t, BaseModel):
                        found += paths(t, f"{prefix}{name}.")
        return found

    every = set(paths(Profile))
    assert {"petite_enfance.places_eaje_ess", "fiche.auteur", "priorites"} <= every
    for path in every:
        title = field_label(path)
        assert "_" not in title and title[0].isupper(), (path, title)
