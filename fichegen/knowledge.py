"""The knowledge base of fiche n°15: typed records and the loader (built-in + user folder).

The built-in base lives in ``data/knowledge/*.yaml``. A user folder (``--knowledge DIR``)
may add examples and resources and override the texts of the context, the levers and the
resources by id. Every file is validated with pydantic (unknown keys refused) and every
problem is reported as ``FILE:LINE:COLUMN`` through :class:`~fichegen.errors.KnowledgeError`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from fichegen.errors import FichegenError, Issue, KnowledgeError
from fichegen.knowledge_yaml import Located, load_located
from fichegen.resources import knowledge_dir
from fichegen.signals import COMMON_FIELDS, SIGNAL_FIELDS
from fichegen.templating import TemplateSyntaxError, template_fields
from fichegen.validation import validate_located

__all__ = [
    "LEVER_IDS",
    "Context",
    "Example",
    "Figure",
    "KnowledgeBase",
    "Lever",
    "Resource",
    "Signal",
    "SourceInfo",
    "load_knowledge",
]

LEVER_IDS: tuple[str, ...] = (
    "locaux",
    "engagement",
    "creation",
    "cooperation",
    "contractualisation",
)
LeverIdLit = Literal["locaux", "engagement", "creation", "cooperation", "contractualisation"]
_CODE = r"^(?:\d{5}|2[AB]\d{3})$"
_ID = r"^[a-z0-9][a-z0-9-]*$"


# ----- records (what the rest of fichegen reads) ------------------------------------------


@dataclass(frozen=True)
class Signal:
    """One condition that makes a lever relevant, its weight and its reason template."""

    signal: str
    poids: float
    raison: str
    raison_si_incomplet: str | None = None


@dataclass(frozen=True)
class Lever:
    id: str
    titre: str
    accroche: str
    description: tuple[str, ...]
    actions: tuple[str, ...]
    signaux: tuple[Signal, ...]


@dataclass(frozen=True)
class Figure:
    libelle: str
    valeur: float
    unite: str


@dataclass(frozen=True)
class Example:
    id: str
    titre: str
    commune_code: str
    lieu: str
    echelle: str
    epci: str | None
    departement: str
    annees: tuple[int, ...]
    structure: str
    acteurs: tuple[str, ...]
    chiffres: tuple[Figure, ...]
    faits: tuple[str, ...]
    levier_principal: str
    autres_leviers: tuple[str, ...]
    communes_associees: tuple[str, ...] = ()
    epci_code: str | None = None
    origine: str = "fiche15"
    """``fiche15`` for the source's examples, ``utilisateur`` for a user folder's."""

    @property
    def leviers(self) -> tuple[str, ...]:
        """Main lever first, then the others."""
        return (self.levier_principal, *self.autres_leviers)


@dataclass(frozen=True)
class Resource:
    id: str
    titre: str
    editeur: str
    date: str | None
    nature: str | None
    collection: str | None = None
    url: str | None = None
    exemple: str | None = None


@dataclass(frozen=True)
class Context:
    titre: str
    numero: int
    introduction: tuple[str, ...]
    sppe: str
    acteurs_intro: str
    acteurs: tuple[str, ...]


@dataclass(frozen=True)
class SourceInfo:
    titre: str
    collection: str | None
    editeur: str | None
    note: str | None


@dataclass(frozen=True)
class KnowledgeBase:
    """The whole content of fiche n°15, plus what a user folder added."""

    context: Context
    levers: tuple[Lever, ...]
    examples: tuple[Example, ...]
    resources: tuple[Resource, ...]
    source: SourceInfo
    user_files: tuple[str, ...] = field(default=())

    def lever(self, lever_id: str) -> Lever:
        for lever in self.levers:
            if lever.id == lever_id:
                return lever
        raise KeyError(lever_id)

    def example(self, example_id: str) -> Example:
        for example in self.examples:
            if example.id == example_id:
                return example
        raise KeyError(example_id)


# ----- schema (what a YAML file may contain) ----------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class _SignalM(_Model):
    signal: str
    poids: float = Field(ge=0, le=100)
    raison: str = Field(min_length=1)
    raison_si_incomplet: str | None = None


class _LeverM(_Model):
    id: LeverIdLit
    titre: str = Field(min_length=1)
    accroche: str = Field(min_length=1)
    description: list[str] = Field(min_length=1)
    actions: list[str] = Field(min_length=1)
    signaux: list[_SignalM]


class _LeverPatchM(_Model):
    id: LeverIdLit
    titre: str | None = Field(default=None, min_length=1)
    accroche: str | None = Field(default=None, min_length=1)
    description: list[str] | None = None
    actions: list[str] | None = None
    signaux: list[_SignalM] | None = None


class _FigureM(_Model):
    libelle: str = Field(min_length=1)
    valeur: float = Field(ge=0)
    unite: str


class _ExampleM(_Model):
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
    chiffres: list[_FigureM] = []
    faits: list[str] = Field(min_length=1)
    levier_principal: LeverIdLit
    autres_leviers: list[LeverIdLit] = []


class _ResourceM(_Model):
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
                {"url": value},
            )
        return value


class _ContextM(_Model):
    titre: str | None = None
    numero: int | None = None
    introduction: list[str] | None = None
    sppe: str | None = None
    acteurs_intro: str | None = None
    acteurs: list[str] | None = None


class _SourceM(_Model):
    titre: str
    collection: str | None = None
    editeur: str | None = None
    note: str | None = None


class _FileM(_Model):
    contexte: _ContextM | None = None
    leviers: list[_LeverPatchM] | None = None
    exemples: list[_ExampleM] | None = None
    ressources: list[_ResourceM] | None = None
    source: _SourceM | None = None


# ----- loading ---------------------------------------------------------------------------


def _yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise KnowledgeError(
            "dossier de base de connaissances introuvable ou illisible", file=str(folder)
        )
    files = sorted(p for p in folder.iterdir() if p.suffix in {".yaml", ".yml"} and p.is_file())
    if not files:
        raise KnowledgeError("aucun fichier YAML (.yaml, .yml) dans ce dossier", file=str(folder))
    return files


def _parse_file(path: Path) -> tuple[_FileM, Located]:
    located = load_located(path)
    if located.data is None:
        return _FileM(), located
    source = located.document if located.document is not None else located.data
    return validate_located(_FileM, source, error=KnowledgeError, source=located.file), located


def _check_templates(model: _FileM, located: Located) -> list[Issue]:
    issues: list[Issue] = []
    for i, lever in enumerate(model.leviers or []):
        for j, sig in enumerate(lever.signaux or []):
            base: tuple[str | int, ...] = ("leviers", i, "signaux", j)
            allowed = SIGNAL_FIELDS.get(sig.signal)
            if allowed is None:
                known = ", ".join(sorted(SIGNAL_FIELDS))
                issues.append(
                    located.issue(
                        (*base, "signal"),
                        f"signal inconnu « {sig.signal} » (signaux possibles : {known})",
                    )
                )
                continue
            for key in ("raison", "raison_si_incomplet"):
                text = getattr(sig, key)
                if text is None:
                    continue
                try:
                    used = template_fields(text)
                except TemplateSyntaxError as exc:
                    issues.append(located.issue((*base, key), f"modèle de phrase invalide : {exc}"))
                    continue
                extra = sorted(used - allowed - COMMON_FIELDS)
                if extra:
                    possible = ", ".join(f"{{{n}}}" for n in sorted(allowed | COMMON_FIELDS))
                    issues.append(
                        located.issue(
                            (*base, key),
                            f"champ(s) non permis pour le signal « {sig.signal} » : "
                            + ", ".join(f"{{{n}}}" for n in extra)
                            + f" (champs possibles : {possible})",
                        )
                    )
    return issues


def _signal(m: _SignalM) -> Signal:
    return Signal(m.signal, float(m.poids), m.raison, m.raison_si_incomplet)


def _example(m: _ExampleM, origine: str) -> Example:
    return Example(
        id=m.id,
        titre=m.titre,
        commune_code=m.commune_code,
        lieu=m.lieu,
        echelle=m.echelle,
        epci=m.epci,
        departement=m.departement,
        annees=tuple(m.annees),
        structure=m.structure,
        acteurs=tuple(m.acteurs),
        chiffres=tuple(Figure(f.libelle, f.valeur, f.unite) for f in m.chiffres),
        faits=tuple(m.faits),
        levier_principal=m.levier_principal,
        autres_leviers=tuple(x for x in m.autres_leviers if x != m.levier_principal),
        communes_associees=tuple(m.communes_associees),
        epci_code=m.epci_code,
        origine=origine,
    )


class _Builder:
    """Accumulates files in order; the built-in base first, then a user folder."""

    def __init__(self) -> None:
        self.context: dict[str, Any] = {}
        self.levers: dict[str, dict[str, Any]] = {}
        self.examples: dict[str, Example] = {}
        self.resources: dict[str, dict[str, Any]] = {}
        self.source: SourceInfo | None = None

    def add(self, model: _FileM, located: Located, *, user: bool) -> list[Issue]:
        issues = _check_templates(model, located)
        if model.contexte is not None:
            self.context.update(model.contexte.model_dump(exclude_none=True))
        for i, lever in enumerate(model.leviers or []):
            patch = lever.model_dump(exclude_none=True)
            patch.pop("id")
            if lever.signaux is not None:
                patch["signaux"] = tuple(_signal(s) for s in lever.signaux)
            if lever.id not in self.levers and user:
                issues.append(located.issue(("leviers", i, "id"), "levier absent de la base"))
            self.levers.setdefault(lever.id, {}).update(patch)
        for i, ex in enumerate(model.exemples or []):
            if ex.id in self.examples:
                issues.append(
                    located.issue(
                        ("exemples", i, "id"),
                        f"l'exemple « {ex.id} » existe déjà ; choisissez un autre id",
                    )
                )
                continue
            if user:
                problem = _unknown_code(ex.commune_code)
                if problem:
                    issues.append(located.issue(("exemples", i, "commune_code"), problem))
                    continue
                problem = _other_departement(ex.commune_code, ex.departement)
                if problem:
                    issues.append(located.issue(("exemples", i, "departement"), problem))
                    continue
            self.examples[ex.id] = _example(ex, "utilisateur" if user else "fiche15")
        for i, res in enumerate(model.ressources or []):
            data = res.model_dump(exclude_none=True)
            if res.id not in self.resources and ("titre" not in data or "editeur" not in data):
                issues.append(
                    located.issue(
                        ("ressources", i),
                        "une nouvelle ressource doit avoir un titre et un éditeur",
                    )
                )
                continue
            self.resources.setdefault(res.id, {}).update(data)
        if model.source is not None:
            s = model.source
            self.source = SourceInfo(s.titre, s.collection, s.editeur, s.note)
        return issues

    def build(self, user_files: tuple[str, ...]) -> KnowledgeBase:
        missing = [lid for lid in LEVER_IDS if lid not in self.levers]
        if missing or self.source is None:
            raise KnowledgeError(
                "base de connaissances incomplète : " + ", ".join(missing or ["source"])
            )
        try:
            context = Context(
                titre=self.context["titre"],
                numero=self.context["numero"],
                introduction=tuple(self.context["introduction"]),
                sppe=self.context["sppe"],
                acteurs_intro=self.context["acteurs_intro"],
                acteurs=tuple(self.context["acteurs"]),
            )
            levers = tuple(
                Lever(
                    id=lid,
                    titre=d["titre"],
                    accroche=d["accroche"],
                    description=tuple(d["description"]),
                    actions=tuple(d["actions"]),
                    signaux=tuple(d["signaux"]),
                )
                for lid in LEVER_IDS
                for d in [self.levers[lid]]
            )
        except KeyError as exc:
            raise KnowledgeError(
                f"base de connaissances incomplète : champ {exc} manquant"
            ) from None
        resources = tuple(
            Resource(
                id=rid,
                titre=d["titre"],
                editeur=d["editeur"],
                date=d.get("date"),
                nature=d.get("nature"),
                collection=d.get("collection"),
                url=d.get("url"),
                exemple=d.get("exemple"),
            )
            for rid, d in self.resources.items()
        )
        return KnowledgeBase(
            context=context,
            levers=levers,
            examples=tuple(self.examples.values()),
            resources=resources,
            source=self.source,
            user_files=user_files,
        )


def _load_folder(builder: _Builder, folder: Path, *, user: bool) -> tuple[str, ...]:
    issues: list[Issue] = []
    files = _yaml_files(folder)
    for path in files:
        try:
            model, located = _parse_file(path)
        except KnowledgeError as exc:
            issues.extend(exc.issues)
            continue
        issues.extend(builder.add(model, located, user=user))
    if issues:
        raise KnowledgeError(issues=issues)
    return tuple(str(p) for p in files)


@cache
def _builtin() -> KnowledgeBase:
    builder = _Builder()
    _load_folder(builder, knowledge_dir(), user=False)
    return builder.build(())


def load_knowledge(extra_dir: Path | None = None) -> KnowledgeBase:
    """The built-in knowledge base, with a user folder's additions and overrides if given."""
    if extra_dir is None:
        return _builtin()
    builder = _Builder()
    _load_folder(builder, knowledge_dir(), user=False)
    user_files = _load_folder(builder, Path(extra_dir), user=True)
    return builder.build(user_files)


def _unknown_code(code: str) -> str | None:
    """French reason why a user example's code is not a current commune, else None."""
    from fichegen.reference import load_reference  # late: only user examples need it

    try:
        load_reference().get(code)
    except FichegenError as exc:
        return str(exc)
    return None


def _other_departement(code: str, departement: str) -> str | None:
    """French reason why an example's département does not match its commune, else None."""
    from fichegen.reference import load_reference

    commune = load_reference().get(code)
    if commune.departement == departement:
        return None
    return (
        f"la commune {code} ({commune.nom}) est dans le département {commune.departement}, "
        f"pas {departement}"
    )


def with_examples(kb: KnowledgeBase, examples: tuple[Example, ...]) -> KnowledgeBase:
    """A copy of ``kb`` with other examples (used by tests and tools)."""
    return replace(kb, examples=examples)
