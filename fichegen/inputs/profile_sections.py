"""The sections of a commune profile (pydantic v2): commune, early childhood, ESS actors,
premises, governance and fiche options, with their French titles, units and limits.

Assembled into :class:`fichegen.inputs.profile.Profile`; the JSON Schema, the docs and
the starter files are built from the descriptions written here.
"""

from __future__ import annotations

import datetime
import re
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    StrictBool,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from fichegen.errors import shorten
from fichegen.inputs.commune_code import check_current_code
from fichegen.inputs.field_types import Amount, Count, FreeText, Name

__all__ = [
    "COMMUNE_CODE",
    "LEVER_IDS",
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
]

LeverId = Literal["locaux", "engagement", "creation", "cooperation", "contractualisation"]
ActeurType = Literal[
    "centre_social",
    "espace_vie_sociale",
    "creche_associative",
    "creche_parentale",
    "creche_cooperative",
    "mam",
    "association_parents",
    "association_developpement_local",
    "ptce",
    "autre",
]
LEVER_IDS: tuple[str, ...] = get_args(LeverId)

COMMUNE_CODE = re.compile(r"\d{5}|2[AB]\d{3}")
"""A commune code as written in a profile: five digits, or 2A/2B and three digits."""
_CODE_SCHEMA: dict[str, Any] = {"pattern": r"^(\d{5}|2[AB]\d{3})$", "examples": ["59013", "2A004"]}


def _config(title: str, description: str) -> ConfigDict:
    # Validators are built on first use (``defer_build``): a fiche asked for by its code
    # alone never validates anything (``profile_for_commune``), and building them for the
    # nine models costs a one-shot DOCX a tenth of its time.
    return ConfigDict(
        extra="forbid",
        defer_build=True,
        title=title,
        json_schema_extra={"description": description},
    )


class CommuneProfile(BaseModel):
    """Which commune the profile is about, and optional overrides of the reference."""

    model_config = _config("Commune", "La commune concernée par la fiche.")

    # ``nom`` comes first so that the code check can use it to suggest a commune.
    nom: Name | None = Field(
        title="Nom de la commune",
        default=None,
        description="Nom à afficher, s'il doit remplacer celui de la référence.",
    )
    code_insee: Annotated[str, Strict()] = Field(
        title="Code INSEE",
        description=(
            "Code INSEE (COG) de la commune actuelle, 5 caractères, entre guillemets "
            '(« "59013" », « "2A004" »). Pas un ancien code, ni celui d\'une commune '
            "déléguée, associée ou d'un arrondissement municipal."
        ),
        json_schema_extra=_CODE_SCHEMA,
    )
    population_municipale: Count | None = Field(
        title="Population municipale",
        default=None,
        description="Population municipale (habitants), pour remplacer celle de la référence.",
    )
    population_totale: Count | None = Field(
        title="Population totale",
        default=None,
        description=(
            "Population totale (habitants : population municipale et population comptée à "
            "part), pour remplacer celle de la référence ; les seuils du SPPE s'y appliquent."
        ),
    )

    @field_validator("code_insee", mode="before")
    @classmethod
    def _code_is_text(cls, value: Any) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool):
            raise PydanticCustomError(
                "code_insee_nombre",
                'code INSEE à écrire comme texte entre guillemets (« "{code}" »), '
                "pas comme un nombre",
                {"code": shorten(f"{value:05}" if abs(value) < 10**30 else value)},
            )
        return value

    @field_validator("code_insee")
    @classmethod
    def _code_format(cls, value: str, info: ValidationInfo) -> str:
        code = value.strip().upper()
        if COMMUNE_CODE.fullmatch(code):
            # Checked here, not in a model validator, so that it is reported together with
            # the other errors of the section (a model validator runs only when all pass).
            check_current_code(code, info.data.get("nom"))
            return code
        if code.isdigit() and len(code) < 5:
            raise PydanticCustomError(
                "code_insee_court",
                "code INSEE de 5 caractères attendu, reçu « {code} » ; s'il commence par 0, "
                'écrivez-le en entier entre guillemets : code_insee: "{padded}"',
                {"code": code, "padded": code.zfill(5)},  # at most 4 digits
            )
        raise PydanticCustomError(
            "code_insee_format",
            "code INSEE de 5 caractères attendu (chiffres, ou 2A/2B et 3 chiffres pour la "
            "Corse), reçu « {code} »",
            {"code": shorten(value)},
        )

    @field_validator("population_totale")
    @classmethod
    def _totale_not_below_municipale(cls, value: int | None, info: ValidationInfo) -> int | None:
        municipale = info.data.get("population_municipale")
        if value is not None and municipale is not None and value < municipale:
            raise PydanticCustomError(
                "population_incoherente",
                "la population totale ({totale}) ne peut pas être inférieure à la population "
                "municipale ({municipale}) : elle l'inclut",
                {"totale": value, "municipale": municipale},
            )
        return value


class PetiteEnfance(BaseModel):
    """Local early-childhood figures the team knows; each one optional."""

    model_config = _config(
        "Petite enfance",
        "Chiffres locaux de la petite enfance, connus de l'équipe ; chacun est facultatif. "
        "Un chiffre absent apparaît « à compléter » dans la fiche.",
    )

    enfants_moins_3_ans: Count | None = Field(
        title="Enfants de moins de 3 ans",
        default=None,
        description="Nombre d'enfants de moins de 3 ans qui habitent la commune.",
    )
    places_eaje: Count | None = Field(
        title="Places en crèche ou multi-accueil (EAJE)",
        default=None,
        description=(
            "Places en établissements d'accueil du jeune enfant (EAJE : crèches, "
            "multi-accueils, micro-crèches) situés dans la commune."
        ),
    )
    places_eaje_ess: Count | None = Field(
        title="Places en crèche gérées par l'ESS",
        default=None,
        description=(
            "Parmi les places en crèche ou multi-accueil (EAJE), celles gérées par une "
            "structure de l'ESS (association, coopérative, parents) ; au plus ce nombre."
        ),
    )
    assistants_maternels: Count | None = Field(
        title="Assistants maternels",
        default=None,
        description="Nombre d'assistants maternels en activité dans la commune.",
    )
    places_assistants_maternels: Count | None = Field(
        title="Places chez les assistants maternels",
        default=None,
        description="Places d'accueil agréées chez ces assistants maternels.",
    )
    mam: Count | None = Field(
        title="Maisons d'assistants maternels (MAM)",
        default=None,
        description="Nombre de maisons d'assistants maternels (MAM) dans la commune.",
    )
    demandes_en_attente: Count | None = Field(
        title="Demandes d'accueil en attente",
        default=None,
        description="Demandes d'accueil d'un jeune enfant restées sans solution.",
    )
    taux_couverture: Annotated[float, Strict(), Field(ge=0, le=300, allow_inf_nan=False)] | None = (
        Field(
            title="Taux de couverture",
            default=None,
            description=(
                "Taux de couverture en accueil formel, en places pour 100 enfants de moins "
                "de 3 ans (de 0 à 300 ; au-dessus de 150, un avertissement demande de le "
                "vérifier), s'il est connu localement."
            ),
        )
    )
    relais_petite_enfance: StrictBool | None = Field(
        title="Relais petite enfance",
        default=None,
        description="Un relais petite enfance (RPE) couvre-t-il la commune ?",
    )
    competence_transferee_epci: StrictBool | None = Field(
        title="Compétences exercées par l'intercommunalité (petite enfance)",
        default=None,
        description=(
            "Les compétences d'autorité organisatrice de l'accueil du jeune enfant sont-elles "
            "exercées par l'EPCI (III de l'article L214-1-3 du CASF) ?"
        ),
    )
    population_communes_transferees: Count | None = Field(
        title="Population des communes qui ont transféré la compétence",
        default=None,
        description=(
            "Quand l'EPCI exerce ces compétences : population totale des communes qui les lui "
            "ont transférées (habitants). Les seuils du SPPE s'y appliquent ; sans elle, la "
            "population totale de tout l'EPCI est retenue."
        ),
    )

    @field_validator("places_eaje_ess")
    @classmethod
    def _ess_within_total(cls, value: int | None, info: ValidationInfo) -> int | None:
        total = info.data.get("places_eaje")
        if value is not None and total is not None and value > total:
            raise PydanticCustomError(
                "places_ess_superieures",
                "places en ESS ({ess}) plus nombreuses que l'ensemble des places en crèche "
                "ou multi-accueil ({total}) : elles en font partie",
                {"ess": value, "total": total},
            )
        return value


class ActeurEss(BaseModel):
    """A local actor of the social and solidarity economy."""

    model_config = _config(
        "Acteur de l'ESS", "Un acteur local de l'ESS (centre social, crèche associative, MAM…)."
    )

    nom: Name = Field(
        title="Nom de l'acteur",
        description="Nom de l'acteur, tel qu'il doit apparaître dans la fiche.",
    )
    type: ActeurType = Field(title="Catégorie", description="Catégorie de l'acteur.")
    places: Count | None = Field(
        title="Places",
        default=None,
        description="Places d'accueil du jeune enfant qu'il propose, le cas échéant.",
    )
    description: FreeText | None = Field(
        title="Description",
        default=None,
        description="Quelques mots sur l'acteur (texte libre, affiché tel quel).",
    )


class Local(BaseModel):
    """A building or room the commune could make available."""

    model_config = _config("Local", "Un local que la commune pourrait mettre à disposition.")

    description: FreeText = Field(
        title="Description du local",
        description="Ce qu'est le local (texte libre), ex. « ancienne école ».",
    )
    surface_m2: Annotated[float, Strict(), Field(gt=0, allow_inf_nan=False)] | None = Field(
        title="Surface",
        default=None,
        description="Surface en mètres carrés (m²), strictement positive.",
    )
    domaine: Literal["prive", "public"] | None = Field(
        title="Domaine",
        default=None,
        description="Domaine de la commune auquel appartient le local : « prive » ou « public ».",
    )


class Patrimoine(BaseModel):
    """Municipal property that could host an early-childhood project."""

    model_config = _config("Patrimoine", "Le patrimoine communal mobilisable.")

    locaux_disponibles: list[Local] = Field(
        title="Locaux disponibles",
        default_factory=list,
        max_length=20,  # render cost: see docs/profil.md, « Limites »
        description="Locaux disponibles ou bientôt libres.",
    )


class ContratEss(BaseModel):
    """One financial or contractual link between the commune and an ESS actor."""

    model_config = _config(
        "Contrat ESS", "Un lien contractuel ou financier avec un acteur de l'ESS."
    )

    acteur: Name = Field(title="Acteur", description="Nom de l'acteur concerné (texte libre).")
    mode: Literal["subvention", "marche_public", "dsp", "convention_pluriannuelle", "autre"] = (
        Field(
            title="Mode de contractualisation",
            description=(
                "Forme du lien : subvention, marché public, délégation de service public (dsp), "
                "convention pluriannuelle, autre."
            ),
        )
    )
    pluriannuel: StrictBool | None = Field(
        title="Engagement pluriannuel",
        default=None,
        description="Engagement sur plusieurs années ?",
    )
    montant_annuel_eur: Amount | None = Field(
        title="Montant annuel", default=None, description="Montant annuel en euros, positif ou nul."
    )


class Gouvernance(BaseModel):
    """Planning documents and contracts already in place."""

    model_config = _config("Gouvernance", "Documents de planification et contrats déjà en place.")

    convention_territoriale_globale: StrictBool | None = Field(
        title="Convention territoriale globale avec la Caf",
        default=None,
        description="Une convention territoriale globale (CTG) est-elle signée avec la Caf ?",
    )
    schema_pluriannuel_adopte: StrictBool | None = Field(
        title="Schéma pluriannuel adopté",
        default=None,
        description=(
            "Le schéma pluriannuel prévu par la loi pour maintenir et développer l'offre "
            "d'accueil des jeunes enfants est-il adopté ?"
        ),
    )
    contrats_ess: list[ContratEss] = Field(
        title="Contrats avec l'ESS",
        default_factory=list,
        max_length=50,  # render cost: see docs/profil.md, « Limites »
        description="Contrats ou subventions avec l'ESS.",
    )


class OptionsFiche(BaseModel):
    """Options of the generated document (YAML key ``fiche``)."""

    model_config = _config("Options de la fiche", "Réglages du document produit.")

    nombre_exemples: Annotated[int, Strict(), Field(ge=1, le=7)] = Field(
        title="Nombre d'exemples",
        default=4,
        description="Nombre d'exemples retenus dans la fiche, de 1 à 7 (4 par défaut).",
    )
    date: datetime.date | None = Field(
        title="Date de la fiche",
        default=None,
        description="Date imprimée sur la fiche (AAAA-MM-JJ) ; par défaut, le jour même.",
    )
    auteur: Name | None = Field(
        title="Auteur de la fiche",
        default=None,
        description="Auteur ou structure nommé sur la fiche.",
    )
