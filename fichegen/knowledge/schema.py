"""The schema of a knowledge YAML file (pydantic, unknown keys refused, strict types)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from fichegen.errors import shorten

LeverIdLit = Literal["locaux", "engagement", "creation", "cooperation", "contractualisation"]
_CODE = r"^(?:\d{5}|2[AB]\d{3})$"
_ID = r"^[a-z0-9][a-z0-9-]*$"


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class SignalM(Model):
    signal: str
    poids: float = Field(ge=-100, le=100)  # below 0: a counterpoint that lowers the lever
    raison: str = Field(min_length=1)
    raison_si_incomplet: str | None = None


class LeverM(Model):
    id: LeverIdLit
    titre: str = Field(min_length=1)
    accroche: str = Field(min_length=1)
    description: list[str] = Field(min_length=1)
    actions: list[str] = Field(min_length=1)
    signaux: list[SignalM]


class LeverPatchM(Model):
    id: LeverIdLit
    titre: str | None = Field(default=None, min_length=1)
    accroche: str | None = Field(default=None, min_length=1)
    description: list[str] | None = None
    actions: list[str] | None = None
    signaux: list[SignalM] | None = None


class FigureM(Model):
    libelle: str = Field(min_length=1)
    valeur: float = Field(ge=0)
    unite: str


RealisationKind = Literal["local", "pole", "reseau", "creche", "etude", "subvention", "places"]


class RealisationM(Model):
    """What the example's commune itself already did, for one lever (facts of the source)."""

    levier: LeverIdLit
    nature: RealisationKind
    fait: str = Field(min_length=1)
    depuis: int | None = Field(default=None, ge=1900, le=2100)
    suite: str = Field(min_length=1)
    commune_code: str | None = Field(default=None, pattern=_CODE)
    nom: str | None = None
    places: int | None = Field(default=None, ge=0)
    actions_faites: list[int] = Field(default=[], max_length=10)
    """Numbers (from 1) of the lever's actions this realisation already carried out."""


class ExampleSourceM(Model):
    """A public page an example beyond fiche n° 15 was read on."""

    url: str = Field(pattern=r"^https?://[^\s]+$")
    titre: str = Field(min_length=1)
    editeur: str = Field(min_length=1)


class ExampleM(Model):
    id: str = Field(pattern=_ID)
    titre: str = Field(min_length=1)
    commune_code: str = Field(pattern=_CODE)
    lieu: str = Field(min_length=1)
    echelle: Literal["commune", "intercommunalite", "departement"] = "commune"
    epci: str | None = None
    epci_code: str | None = Field(default=None, pattern=r"^\d{9}$")
    departement: str = Field(pattern=r"^(?:\d{2,3}|2[AB])$")
    annees: list[int] = []
    structure: str
    acteurs: list[str] = []
    communes_associees: list[str] = []
    chiffres: list[FigureM] = []
    faits: list[str] = Field(min_length=1)
    levier_principal: LeverIdLit
    autres_leviers: list[LeverIdLit] = []
    realisations: list[RealisationM] = []
    hors_fiche: bool = False
    """A real example fiche n° 15 does not cite: it must name the pages it was read on."""
    sources: list[ExampleSourceM] = []

    @model_validator(mode="after")
    def _beyond_fiche_has_sources(self) -> ExampleM:
        if self.hors_fiche and not self.sources:
            raise PydanticCustomError(
                "sources", "un exemple hors de la fiche n°\u00a015 doit citer au moins une source"
            )
        return self


class ResourceM(Model):
    id: str = Field(pattern=_ID)
    titre: str | None = Field(default=None, min_length=1)
    collection: str | None = None
    editeur: str | None = None
    date: str | None = None
    nature: str | None = None
    url: str | None = None
    exemple: str | None = None

    @field_validator("url")
    @classmethod
    def _https_only(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("https://"):
            raise PydanticCustomError(
                "url_https",
                "adresse web commençant par https:// attendue (aucun autre schéma n'est "
                "accepté), reçu « {url} »",
                {"url": shorten(value, 80)},
            )
        return value


class ContextM(Model):
    titre: str | None = None
    numero: int | None = None
    introduction: list[str] | None = None
    sppe: str | None = None
    acteurs_intro: str | None = None
    acteurs: list[str] | None = None


class SourceM(Model):
    titre: str
    collection: str | None = None
    editeur: str | None = None
    note: str | None = None


class LegalRuleM(Model):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    texte: str = Field(min_length=1)
    article: str = Field(min_length=1)
    version: str = Field(min_length=1)


class FileM(Model):
    contexte: ContextM | None = None
    leviers: list[LeverPatchM] | None = None
    exemples: list[ExampleM] | None = None
    ressources: list[ResourceM] | None = None
    source: SourceM | None = None
    droit: list[LegalRuleM] | None = None
