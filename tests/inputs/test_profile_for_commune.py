"""profile_for_commune: built without validation for a current code, same as validated."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from pydantic import BaseModel

from fichegen.errors import UnknownCommuneError
from fichegen.inputs.profile import Profile, profile_for_commune, profile_from_dict


def _fields_set(model: BaseModel) -> dict[str, Any]:
    """Each model's fields set, section by section (what provided_fields reads)."""
    found: dict[str, Any] = {"": sorted(model.model_fields_set)}
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            found[name] = _fields_set(value)
    return found


@pytest.mark.parametrize(
    "code",
    ["62193", "75056", "2A004", "2B033", "97411", "01001", "97617", "13055"],
)
def test_a_current_code_gives_the_validated_profile(code: str) -> None:
    fast = profile_for_commune(code)
    validated = profile_from_dict({"commune": {"code_insee": code}}, source_name="x")
    assert fast != validated  # the source name differs…
    validated._source_name = None
    assert fast == validated  # …and nothing else
    assert fast.model_dump() == validated.model_dump()
    assert _fields_set(fast) == _fields_set(validated)
    assert fast.provided_fields() == validated.provided_fields() == {"commune.code_insee"}
    assert fast.requested_code == code
    assert fast.source_name is None
    assert fast.origin_of("commune.code_insee").kind == "profil"
    assert fast.fiche.nombre_exemples == 4
    assert fast.patrimoine.locaux_disponibles == []
    assert fast.reference_commune().code_insee == code


def test_the_requested_code_is_kept() -> None:
    assert profile_for_commune("75056", "75101").requested_code == "75101"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("2a004", "2A004"),  # normalised by validation, as before
        (" 62193 ", "62193"),
    ],
)
def test_a_code_written_otherwise_goes_through_validation(code: str, expected: str) -> None:
    assert profile_for_commune(code).commune.code_insee == expected


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("75101", "arrondissement municipal"),
        ("99999", "99999"),
        ("6219", "5 caractères"),
        ("abcde", "5 caractères"),
    ],
)
def test_a_code_that_is_not_a_current_commune_is_refused_as_before(code: str, words: str) -> None:
    with pytest.raises(UnknownCommuneError) as caught:
        profile_for_commune(code)
    assert words in str(caught.value)


def test_profile_validation_is_built_only_when_something_is_validated() -> None:
    """A fiche asked for by its code never builds the profile's validators (a tenth of a
    one-shot DOCX); reading a profile does."""
    script = (
        "from fichegen.inputs.profile import Profile, profile_for_commune, profile_from_dict\n"
        "profile_for_commune('62193')\n"
        "print(Profile.__pydantic_complete__)\n"
        "profile_from_dict({'commune': {'code_insee': '62193'}})\n"
        "print(Profile.__pydantic_complete__)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["False", "True"]
    assert Profile.model_fields["commune"].is_required()


def test_batch_and_web_workers_start_with_the_validators_built() -> None:
    script = (
        "import fichegen.batch.preload\n"
        "from fichegen.inputs.profile import Profile\n"
        "print(Profile.__pydantic_complete__)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["True"]
