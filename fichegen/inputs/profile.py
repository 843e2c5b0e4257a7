"""The commune profile: its schema (pydantic v2) and the functions that load and check it.

A profile is the YAML file a campaign team writes about its commune. Only
``commune.code_insee`` is required; every other figure refines the fiche and overrides
the embedded reference. Reading is delegated to :mod:`fichegen.inputs.yamlio` (safe YAML with
positions); schema errors are turned into located French messages by
:func:`fichegen.validation.validate_located`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from fichegen.errors import Issue, ProfileError, UnknownCommuneError, require
from fichegen.inputs.commune_code import check_current_code
from fichegen.inputs.origins import Conflict, FieldOrigin
from fichegen.inputs.profile_sections import (
    COMMUNE_CODE,
    LEVER_IDS,
    ActeurEss,
    ActeurType,
    CommuneProfile,
    ContratEss,
    Gouvernance,
    LeverId,
    Local,
    OptionsFiche,
    Patrimoine,
    PetiteEnfance,
)
from fichegen.inputs.validation import dotted, validate_located
from fichegen.inputs.yamlio import (
    YamlDocument,
    clean_data,
    load_yaml_bytes,
    load_yaml_file,
    load_yaml_text,
)
from fichegen.reference.types import Commune

Location = tuple[str | None, int | None, int | str | None]
"""(file, line or spreadsheet row, column number or letter) of a value."""

__all__ = [
    "ActeurEss",
    "ActeurType",
    "CommuneProfile",
    "ContratEss",
    "Gouvernance",
    "LeverId",
    "Local",
    "OptionsFiche",
    "Patrimoine",
    "PetiteEnfance",
    "Profile",
    "build_validators",
    "load_profile",
    "profile_for_commune",
    "profile_from_dict",
    "profile_from_text",
    "profile_json_schema",
]


def _no_duplicates(values: list[str]) -> None:
    seen: set[str] = set()
    for index, value in enumerate(values):
        if value in seen:
            raise PydanticCustomError(
                "levier_en_double",
                "levier « {value} » cité deux fois",
                {"value": value, "index": index},
            )
        seen.add(value)


class Profile(BaseModel):
    """A commune profile: the commune and what the team knows about it."""

    model_config = ConfigDict(
        extra="forbid",
        defer_build=True,  # see profile_sections._config
        title="Profil de commune (fichegen, fiche n°\u00a015)",
        json_schema_extra={
            "description": (
                "Profil d'une commune pour la fiche n°\u00a015 du kit municipal (ESS, petite "
                "enfance & famille). Seul commune.code_insee est obligatoire."
            )
        },
    )

    version: Literal[1] = Field(
        title="Version du format",
        default=1,
        description="Version du format de profil ; toujours 1.",
    )
    commune: CommuneProfile = Field(
        title="Commune", description="La commune (seul code_insee est obligatoire)."
    )
    petite_enfance: PetiteEnfance = Field(
        title="Petite enfance",
        default_factory=PetiteEnfance,
        description="Chiffres locaux de la petite enfance.",
    )
    acteurs_ess: list[ActeurEss] = Field(
        title="Acteurs de l'ESS",
        default_factory=list,
        max_length=50,  # render cost: see docs/profil.md, « Limites »
        description="Acteurs locaux de l'ESS.",
    )
    patrimoine: Patrimoine = Field(
        title="Patrimoine",
        default_factory=Patrimoine,
        description="Patrimoine communal mobilisable.",
    )
    gouvernance: Gouvernance = Field(
        title="Gouvernance",
        default_factory=Gouvernance,
        description="Planification et contrats en place.",
    )
    priorites: list[LeverId] = Field(
        title="Leviers prioritaires",
        default_factory=list,
        description=(
            "Leviers à placer en tête, dans cet ordre : locaux, engagement, creation, "
            "cooperation, contractualisation."
        ),
    )
    exclure: list[LeverId] = Field(
        title="Leviers écartés",
        default_factory=list,
        description="Leviers à retirer de la fiche (au moins un levier doit rester).",
    )
    fiche: OptionsFiche = Field(
        title="Options de la fiche",
        default_factory=OptionsFiche,
        description="Réglages du document produit : nombre d'exemples, date, auteur.",
    )

    _source_name: str | None = PrivateAttr(default=None)
    _origins: dict[str, FieldOrigin] = PrivateAttr(default_factory=dict)
    _conflicts: tuple[Conflict, ...] = PrivateAttr(default=())
    _official: Any = PrivateAttr(default=None)  # inputs.official.types.OfficialCommune
    _requested_code: str | None = PrivateAttr(default=None)
    _locations: dict[str, Location] = PrivateAttr(default_factory=dict)

    @field_validator(
        "petite_enfance",
        "acteurs_ess",
        "patrimoine",
        "gouvernance",
        "priorites",
        "exclure",
        "fiche",
        mode="before",
    )
    @classmethod
    def _empty_section(cls, value: Any, info: ValidationInfo) -> Any:
        """A section whose lines are all commented out (``petite_enfance:``) is empty."""
        if value is not None:
            return value
        return [] if info.field_name in ("acteurs_ess", "priorites", "exclure") else {}

    @field_validator("version", mode="before")
    @classmethod
    def _version_is_integer(cls, value: Any) -> Any:
        if value == 1 and type(value) is not int:  # true, 1.0: not the integer 1
            raise PydanticCustomError(
                "version_type", "version du format : le nombre entier 1 attendu (version: 1)"
            )
        return value

    @field_validator("priorites", "exclure", mode="before")
    @classmethod
    def _ordered(cls, value: Any) -> Any:
        if isinstance(value, set | frozenset):  # from profile_from_dict: order undefined
            raise PydanticCustomError(
                "liste_non_ordonnee",
                "liste attendue, dans l'ordre voulu (un ensemble Python n'a pas d'ordre)",
            )
        return value

    @field_validator("priorites")
    @classmethod
    def _check_priorites(cls, value: list[str]) -> list[str]:
        _no_duplicates(value)
        return value

    @field_validator("exclure")
    @classmethod
    def _check_exclure(cls, value: list[str], info: ValidationInfo) -> list[str]:
        _no_duplicates(value)
        priorites = info.data.get("priorites") or []
        for index, lever in enumerate(value):
            if lever in priorites:
                raise PydanticCustomError(
                    "levier_prioritaire_exclu",
                    "levier « {lever} » à la fois dans priorites et dans exclure",
                    {"lever": lever, "index": index},
                )
        if set(value) >= set(LEVER_IDS):
            raise PydanticCustomError(
                "tous_leviers_exclus", "les cinq leviers sont exclus : gardez-en au moins un"
            )
        return value

    @property
    def source_name(self) -> str | None:
        """The file the profile was read from, as given (None when built in code)."""
        return self._source_name

    def origin_of(self, path: str) -> FieldOrigin:
        """Where the value of a provided field came from (the profile, unless a spreadsheet
        gave it)."""
        return self._origins.get(path) or FieldOrigin("profil", self._source_name)

    def location_of(self, path: str) -> Location:
        """(file, line, column) where the value at ``path`` (``petite_enfance.places_eaje``,
        ``patrimoine.locaux_disponibles[0].surface_m2``) was written: a line and column in a
        YAML file, a row and column letter in a spreadsheet; the parts not known are None."""
        return self._locations.get(path) or (self.origin_of(path).file, None, None)

    @property
    def requested_code(self) -> str:
        """The code the user asked for (an arrondissement's, an old code…), which led to
        ``commune.code_insee``; the commune's own code when nothing was resolved."""
        return self._requested_code or self.commune.code_insee

    @property
    def conflicts(self) -> tuple[Conflict, ...]:
        """Fields given differently by the profile and a spreadsheet (the profile's kept)."""
        return self._conflicts

    @property
    def official(self) -> Any:
        """The official open-data figures given for this commune that no field holds (the
        Caf's coverage rates, places), as an ``OfficialCommune``, or None."""
        return self._official

    def provided_fields(self) -> set[str]:
        """Dotted paths of the fields the profile itself set (lists count as one field).

        ``{"commune.code_insee", "petite_enfance.places_eaje", "acteurs_ess"}``: null values
        and the format ``version`` are left out.
        """
        return _provided(self, "")

    def reference_commune(self) -> Commune:
        """The commune of the embedded reference this profile is about (no overrides)."""
        from fichegen.reference.lookup import load_reference

        return load_reference().get(self.commune.code_insee)


def _provided(model: BaseModel, prefix: str) -> set[str]:
    found: set[str] = set()
    for name in model.model_fields_set:
        value = getattr(model, name)
        if value is None or (not prefix and name == "version"):
            continue
        path = f"{prefix}{name}"
        if isinstance(value, BaseModel):
            found |= _provided(value, f"{path}.")
        elif value != []:
            found.add(path)
    return found


def _finish(
    profile: Profile, source_name: str | None, document: YamlDocument | None = None
) -> Profile:
    profile._source_name = source_name
    if document is not None:
        profile._locations = {
            dotted(path): (source_name, where.line, where.column)
            for path, where in document.value_positions.items()
            if path
        }
    return profile


def load_profile(path: str | os.PathLike[str]) -> Profile:
    """Read and check a profile file; raise :class:`ProfileError` listing every issue."""
    require(path, (str, os.PathLike), "chemin d'un fichier de profil attendu")
    document = load_yaml_file(path, error=ProfileError)
    return _finish(
        validate_located(Profile, document, error=ProfileError), document.source, document
    )


def profile_from_bytes(raw: bytes, source_name: str = "<octets>") -> Profile:
    """Check a profile given as the bytes of its file (same messages as :func:`load_profile`)."""
    require(raw, (bytes, bytearray), "contenu d'un profil attendu, en octets")
    require(source_name, str, "source_name : texte attendu")
    raw = bytes(raw)
    document = load_yaml_bytes(raw, source_name, error=ProfileError)
    return _finish(
        validate_located(Profile, document, error=ProfileError), document.source, document
    )


def profile_from_text(text: str, source_name: str = "<texte>") -> Profile:
    """Read and check a profile given as YAML text."""
    require(text, str, "texte YAML d'un profil attendu")
    require(source_name, str, "source_name : texte attendu")
    document = load_yaml_text(text, source_name, error=ProfileError)
    return _finish(validate_located(Profile, document, error=ProfileError), source_name, document)


def profile_from_dict(data: Mapping[str, Any], source_name: str = "<dict>") -> Profile:
    """Check a profile given as plain data (no positions in the messages)."""
    if not isinstance(data, Mapping):
        raise ProfileError(
            "le profil doit être un ensemble de clés (« clé: valeur »)", file=source_name
        )
    cleaned = clean_data(dict(data), error=ProfileError, source=source_name)
    return _finish(
        validate_located(Profile, cleaned, error=ProfileError, source=source_name), source_name
    )


def profile_for_commune(code: str, requested: str | None = None) -> Profile:
    """A profile holding only the commune code: the fiche then uses reference data only.
    ``requested`` is the code asked for when it led to this commune (an arrondissement's)."""
    require(code, str, "code INSEE attendu, en texte")
    try:
        profile = _code_only_profile(code) or _finish(
            validate_located(Profile, {"commune": {"code_insee": code}}, error=ProfileError), None
        )
        if requested is not None and requested != code:
            profile._requested_code = requested
        return profile
    except ProfileError as exc:
        raise UnknownCommuneError(issues=[Issue(issue.message) for issue in exc.issues]) from None


def build_validators() -> None:
    """Build the profile's validators now rather than on the first profile read (done
    once in the batch and web forkservers, so that every worker starts with them)."""
    Profile.model_rebuild(force=True)


def _code_only_profile(code: str) -> Profile | None:
    """The profile validation would give for ``{"commune": {"code_insee": code}}``, built
    without validating when ``code`` is a current commune's code as written; None otherwise
    (validation then words the error). Equal to the validated profile, same fields set:
    tests/inputs/test_profile_for_commune.py."""
    if not COMMUNE_CODE.fullmatch(code):
        return None
    try:
        check_current_code(code, None)
    except PydanticCustomError:
        return None
    profile = Profile.model_construct(
        {"commune"},
        commune=CommuneProfile.model_construct({"code_insee"}, code_insee=code),
        petite_enfance=PetiteEnfance.model_construct(set()),
        patrimoine=Patrimoine.model_construct(set()),
        gouvernance=Gouvernance.model_construct(set()),
        fiche=OptionsFiche.model_construct(set()),
    )
    return _finish(profile, None)


def profile_json_schema() -> dict[str, Any]:
    """JSON Schema of profiles (French descriptions), for editors and ``fichegen schema``."""
    schema = Profile.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "urn:fichegen:profil:1",
        **schema,
    }
