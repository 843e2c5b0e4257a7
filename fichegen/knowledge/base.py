"""The loader of the knowledge base of fiche n° 15: the built-in base plus a user folder.

The built-in base lives in ``data/knowledge/*.yaml`` (kept built between processes by
:mod:`~fichegen.knowledge.stored`). A user folder (``--knowledge DIR``) may add examples
and resources and override the texts of the context, the levers and the resources by id.
Every file is validated with pydantic (unknown keys refused) and every problem is
reported as ``FILE:LINE:COLUMN`` through :class:`~fichegen.errors.KnowledgeError`.
"""

from __future__ import annotations

import os
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fichegen.errors import FichegenError, Issue, KnowledgeError, shorten
from fichegen.french.grammar import agree
from fichegen.french.typography import typeset
from fichegen.knowledge.templating import TemplateSyntaxError, template_fields
from fichegen.knowledge.types import (
    LEGAL_IDS,
    LEVER_IDS,
    Context,
    Example,
    ExampleSource,
    Figure,
    KnowledgeBase,
    LegalRule,
    Lever,
    Realisation,
    Resource,
    Signal,
    SourceInfo,
)
from fichegen.knowledge.vocabulary import COMMON_FIELDS, SIGNAL_FIELDS
from fichegen.resources import knowledge_dir

if TYPE_CHECKING:  # the YAML reader and the pydantic schema load only to build a base
    from fichegen.knowledge.located import Located
    from fichegen.knowledge.schema import ExampleM, FileM, SignalM

__all__ = [
    "LEVER_IDS",
    "Context",
    "Example",
    "Figure",
    "KnowledgeBase",
    "LegalRule",
    "Lever",
    "Resource",
    "Signal",
    "SourceInfo",
    "knowledge_files",
    "load_knowledge",
    "load_knowledge_files",
]

KnowledgeFiles = tuple[tuple[str, bytes], ...]
"""The files of a knowledge folder as the loader reads them: (name shown, bytes)."""

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


def _parse_file(name: str, raw: bytes) -> tuple[FileM, Located]:
    from fichegen.inputs.validation import validate_located
    from fichegen.knowledge.located import load_located
    from fichegen.knowledge.schema import FileM

    located = load_located(name, raw)
    if located.data is None:
        return FileM(), located
    source = located.document if located.document is not None else located.data
    return validate_located(FileM, source, error=KnowledgeError, source=located.file), located


def _check_templates(model: FileM, located: Located) -> list[Issue]:
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
                        f"signal inconnu « {shorten(sig.signal)} » (signaux possibles : {known})",
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
                            agree("champ(s) non permis", len(extra))
                            + f" pour le signal « {shorten(sig.signal)} » : "
                            + ", ".join(f"{{{n}}}" for n in extra)
                            + f" (champs possibles : {possible})",
                        )
                    )
    return issues


def _signal(m: SignalM) -> Signal:
    return Signal(m.signal, float(m.poids), m.raison, m.raison_si_incomplet)


def _example(m: ExampleM, origine: str) -> Example:
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
        origine="hors_fiche15" if m.hors_fiche and origine == "fiche15" else origine,
        sources=tuple(ExampleSource(x.url, x.titre, x.editeur) for x in m.sources),
        realisations=tuple(
            Realisation(
                levier=r.levier,
                nature=r.nature,
                fait=r.fait,
                depuis=r.depuis,
                suite=r.suite,
                commune_code=r.commune_code or m.commune_code,
                nom=r.nom,
                places=r.places,
                actions_faites=tuple(r.actions_faites),
            )
            for r in m.realisations
        ),
    )


class _Builder:
    """Accumulates files in order; the built-in base first, then a user folder."""

    def __init__(self) -> None:
        self.context: dict[str, Any] = {}
        self.levers: dict[str, dict[str, Any]] = {}
        self.examples: dict[str, Example] = {}
        self.resources: dict[str, dict[str, Any]] = {}
        self.source: SourceInfo | None = None
        self.legal: dict[str, LegalRule] = {}

    def add(self, model: FileM, located: Located, *, user: bool) -> list[Issue]:
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
                        f"l'exemple « {shorten(ex.id)} » existe déjà ; choisissez un autre id",
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
        for rule in model.droit or []:
            self.legal[rule.id] = LegalRule(rule.id, rule.texte, rule.article, rule.version)
        if model.source is not None:
            s = model.source
            self.source = SourceInfo(s.titre, s.collection, s.editeur, s.note)
        return issues

    def build(self, user_files: tuple[str, ...]) -> KnowledgeBase:
        missing = [lid for lid in LEVER_IDS if lid not in self.levers]
        missing += [f"droit.{rid}" for rid in LEGAL_IDS if rid not in self.legal]
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
            legal=tuple(self.legal.values()),
        )


def knowledge_files(folder: str | os.PathLike[str]) -> KnowledgeFiles:
    """Read the files of a knowledge folder the loader uses (``*.yaml``, ``*.yml`` at its
    top level, in name order): this is all a fiche depends on in the folder."""
    from fichegen.knowledge.located import read_capped

    issues: list[Issue] = []
    files: list[tuple[str, bytes]] = []
    for path in _yaml_files(Path(folder)):
        try:
            files.append((str(path), read_capped(path)))
        except KnowledgeError as exc:
            issues.extend(exc.issues)
    if issues:
        raise KnowledgeError(issues=issues)
    return tuple(files)


def _load_files(builder: _Builder, files: KnowledgeFiles, *, user: bool) -> tuple[str, ...]:
    issues: list[Issue] = []
    for name, raw in files:
        try:
            model, located = _parse_file(name, raw)
        except KnowledgeError as exc:
            issues.extend(exc.issues)
            continue
        if not user:
            model = _typeset(model)
        issues.extend(builder.add(model, located, user=user))
    if issues:
        raise KnowledgeError(issues=issues)
    return tuple(name for name, _ in files)


def _typeset(model: FileM) -> FileM:
    """The built-in texts with French typography (a user folder's text stays as written)."""
    from fichegen.knowledge.schema import FileM

    def walk(value: Any, key: str = "") -> Any:
        if isinstance(value, str):
            return value if key in _LITERAL_KEYS else typeset(value)
        if isinstance(value, dict):
            return {k: walk(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, key) for v in value]
        return value

    return FileM.model_validate(walk(model.model_dump(exclude_unset=True)))


_LITERAL_KEYS = frozenset(
    {"id", "url", "signal", "commune_code", "epci_code", "departement", "levier", "nature"}
)


@cache
def _builtin() -> KnowledgeBase:
    from fichegen.knowledge.stored import stored_builtin

    return stored_builtin(lambda: _with_builtin().build(()))


def _with_builtin() -> _Builder:
    """A builder holding the built-in base, to which a user folder may be added."""
    builder = _Builder()
    _load_files(builder, knowledge_files(knowledge_dir()), user=False)
    return builder


def load_knowledge_files(files: KnowledgeFiles) -> KnowledgeBase:
    """The built-in base with a user folder given as its files (see :func:`knowledge_files`):
    a batch reads them once and sends them with every task, so workers need no disk."""
    builder = _with_builtin()
    user_files = _load_files(builder, files, user=True)
    return builder.build(user_files)


def load_knowledge(extra_dir: Path | None = None) -> KnowledgeBase:
    """The built-in knowledge base, with a user folder's additions and overrides if given."""
    from fichegen.errors import require

    require(extra_dir, (str, os.PathLike, type(None)), "chemin de dossier ou None attendu")
    if extra_dir is None:
        return _builtin()
    return load_knowledge_files(knowledge_files(extra_dir))


def _unknown_code(code: str) -> str | None:
    """French reason why a user example's code is not a current commune, else None."""
    from fichegen.reference.lookup import load_reference  # late: only user examples need it

    try:
        load_reference().get(code)
    except FichegenError as exc:
        return str(exc)
    return None


def _other_departement(code: str, departement: str) -> str | None:
    """French reason why an example's département does not match its commune, else None."""
    from fichegen.reference.lookup import load_reference

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
