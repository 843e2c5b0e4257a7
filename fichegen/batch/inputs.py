"""The inputs of a batch: which profile goes with which commune, and the resume keys.

Profiles are matched to communes by the ``commune.code_insee`` they contain (any file
name). The code is read cheaply and safely (YAML composed without expanding aliases,
never constructed); full validation is the worker's job, so an invalid profile fails
only its own commune. The resume key of a commune is a sha256 over everything its
fiche depends on: the profile bytes, the package data (reference and knowledge base),
the templates, a user knowledge folder, the fichegen version and the options.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import yaml

from fichegen.errors import FichegenError, os_error_text, require
from fichegen.options import RenderOptions
from fichegen.reference.types import Commune

if TYPE_CHECKING:
    from fichegen.inputs.donnees import Donnees
    from fichegen.inputs.official.types import OfficialData
    from fichegen.inputs.sheet_read import Grid

__all__ = [
    "ProfilePlan",
    "ReferenceLike",
    "checked_knowledge",
    "commune_key",
    "normalize_departement",
    "read_donnees_files",
    "read_profile_bytes",
    "read_profile_code",
    "read_sheet",
    "run_digest",
    "scan_profiles",
    "tree_digest",
]

_SCAN_BYTES = 1024 * 1024
_CODE_RE = re.compile(r"""code_insee["']?\s*:\s*["']?([0-9][0-9AaBb][0-9]{3})\b""")


class ReferenceLike(Protocol):
    """The part of :class:`fichegen.reference.Reference` a batch uses."""

    def communes_of(self, departement: str) -> list[Commune]: ...

    def get(self, code: str) -> Commune: ...


@dataclass
class ProfilePlan:
    """Profiles found in a folder, matched to communes of one département."""

    by_code: dict[str, Path] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)  # code -> sha256 of the file
    duplicates: dict[str, list[Path]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _node_code(text: str) -> str | None:
    """``commune.code_insee`` as written, from the YAML node tree (aliases not expanded)."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(root, yaml.MappingNode):
        return None
    for key, value in root.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "commune":
            if not isinstance(value, yaml.MappingNode):
                return None
            for sub_key, sub_value in value.value:
                if isinstance(sub_key, yaml.ScalarNode) and sub_key.value == "code_insee":
                    if isinstance(sub_value, yaml.ScalarNode):
                        return str(sub_value.value).strip() or None
                    return None
    return None


def normalize_departement(text: str) -> str:
    """``"2a"`` → ``"2A"``, ``"1"`` → ``"01"``."""
    code = text.strip().upper()
    return code.zfill(2) if code.isdigit() and len(code) == 1 else code


def read_profile_bytes(path: Path) -> bytes:
    """A profile's bytes, never more than one byte beyond the reader's limit: a link to a
    huge file is not loaded whole (the worker then says the file is too large)."""
    from fichegen.inputs.files import read_regular
    from fichegen.inputs.yamlio import MAX_BYTES

    return read_regular(path, MAX_BYTES)


def read_profile_code(raw: bytes) -> str | None:
    """The INSEE code a profile file is about, or None if it cannot be read at all."""
    head = raw[:_SCAN_BYTES]
    text = head.decode("utf-8", errors="replace")
    if len(raw) <= _SCAN_BYTES:
        try:
            return _node_code(text)
        except yaml.YAMLError:
            pass
    found = _CODE_RE.search(text)
    return found.group(1).upper() if found else None


def _profile_files(folder: Path) -> list[Path]:
    files = [p for p in folder.rglob("*") if p.suffix.lower() in (".yaml", ".yml") and p.is_file()]
    return sorted(files)


def scan_profiles(
    folder: Path | None, reference: ReferenceLike, departement: str, codes: Iterable[str]
) -> ProfilePlan:
    """Match every ``*.yaml``/``*.yml`` file of ``folder`` to a commune of ``departement``."""
    plan = ProfilePlan()
    if folder is None:
        return plan
    wanted = set(codes)
    found: dict[str, list[tuple[Path, str]]] = {}
    for path in _profile_files(folder):
        try:
            raw = read_profile_bytes(path)
        except OSError as exc:
            plan.warnings.append(f"{path} : profil illisible ({os_error_text(exc)}) ; ignoré")
            continue
        code = read_profile_code(raw)
        if code is None:  # nothing of the file is quoted: the manifest may be published
            plan.warnings.append(
                f"{path} : aucun commune.code_insee lisible dans ce fichier ; profil ignoré "
                f"(« fichegen validate {path} » dit ce qui ne va pas)"
            )
            continue
        try:
            resolve = getattr(reference, "resolve", None)
            commune = resolve(code).commune if resolve is not None else reference.get(code)
        except FichegenError as exc:
            plan.warnings.append(f"{path} : {' '.join(exc.lines())} ; profil ignoré")
            continue
        if commune.departement != departement:
            plan.warnings.append(
                f"{path} : le profil concerne {commune.nom} ({commune.code_insee}), "
                f"commune du département {commune.departement} et non {departement} ; "
                "profil ignoré pour ce lot"
            )
            continue
        if commune.code_insee not in wanted:
            continue
        found.setdefault(commune.code_insee, []).append((path, hashlib.sha256(raw).hexdigest()))
    for code, entries in found.items():
        if len(entries) > 1:
            plan.duplicates[code] = [path for path, _ in entries]
        else:
            plan.by_code[code] = entries[0][0]
            plan.digests[code] = entries[0][1]
    return plan


def tree_digest(roots: Sequence[Path | None], *, exclude: Iterable[str] = ()) -> str:
    """sha256 over the relative names and bytes of every file under ``roots``."""
    skipped = set(exclude)
    digest = hashlib.sha256()
    for index, root in enumerate(roots):
        digest.update(f"root {index}\0".encode())
        if root is None or not root.exists():
            digest.update(b"absent\0")
            continue
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            name = path.name if path == root else path.relative_to(root).as_posix()
            if name in skipped or "__pycache__" in path.parts:
                continue
            digest.update(name.encode("utf-8") + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def files_digest(files: Sequence[tuple[str, bytes]]) -> str:
    """sha256 over the base names and bytes of files (a knowledge folder as it is read)."""
    digest = hashlib.sha256()
    for name, raw in files:
        digest.update(Path(name).name.encode("utf-8", "replace") + b"\0")
        digest.update(hashlib.sha256(raw).digest())
    return digest.hexdigest()


def run_digest(
    options: RenderOptions,
    version: str,
    task_name: str,
    knowledge: Sequence[tuple[str, bytes]] | None = None,
) -> str:
    """One digest of everything common to all communes of a run; ``knowledge`` is the
    user knowledge folder as the loader reads it (see ``knowledge_files``)."""
    from fichegen.resources import data_dir, templates_dir

    described = {
        "version": version,
        "task": task_name,
        "formats": sorted(options.formats),
        "pdf_variant": options.pdf_variant,
        "engine": options.engine,
        "date": options.date.isoformat() if options.date else None,
        "extra": sorted(options.extra.items()),
        "data": tree_digest([data_dir()]),
        "templates": tree_digest([templates_dir()], exclude=("index.html.j2",)),
        "knowledge": files_digest(knowledge) if knowledge is not None else None,
    }
    return hashlib.sha256(json.dumps(described, sort_keys=True).encode("utf-8")).hexdigest()


def commune_key(run: str, code_insee: str, profile_digest: str | None) -> str:
    """Resume key of one commune: the run digest, its code and its profile (or none)."""
    profile = profile_digest or "reference-only"
    return hashlib.sha256(f"{run}\0{code_insee}\0{profile}".encode()).hexdigest()


def read_sheet(
    donnees: Path | None, departement: str, wanted: set[str], grid: Grid | None = None
) -> tuple[Donnees | None, list[str]]:
    """The spreadsheet's rows for the communes of this run, and warnings on the others."""
    if donnees is None:
        return None, []
    from fichegen.inputs.donnees import read_donnees

    sheet = read_donnees(donnees, grid)
    warnings = [f"{issue.format()} ; ligne ignorée" for issue in sheet.unmatched]
    warnings += [
        note
        for code, note in ((r.code_insee, r.note) for r in sheet.rows.values())
        if note and code in wanted
    ]
    others = [code for code in sheet.rows if code not in wanted]
    if others:
        from fichegen.french.grammar import agree

        warnings.append(
            f"{donnees} : {agree(f'{len(others)} ligne(s)', len(others))} hors du département "
            f"{departement} ou de la sélection, {agree('ignorée(s)', len(others))}"
        )
    empty = sheet.no_figure(wanted)
    if empty:
        warnings.append(empty)
    return sheet, warnings


def read_donnees_files(
    donnees: Path | Sequence[Path] | None, departement: str, wanted: set[str]
) -> tuple[tuple[Donnees | None, list[str]], OfficialData | None]:
    """``--donnees``: the spreadsheet's rows (see :func:`read_sheet`) and the official
    open-data files' figures, each file recognised by its header."""
    from fichegen.inputs.official.read import read_inputs

    require(
        donnees,
        (str, os.PathLike, tuple, list, type(None)),
        "donnees : chemin, liste de chemins ou None attendu",
    )
    if donnees is None or isinstance(donnees, str | os.PathLike):
        donnees = [] if donnees is None else [donnees]
    inputs = read_inputs([Path(p) for p in donnees])
    sheet = read_sheet(inputs.sheet_path, departement, wanted, inputs.sheet_grid)
    return sheet, inputs.official or None


def checked_knowledge(options: RenderOptions) -> tuple[tuple[str, bytes], ...] | None:
    """Read and check ``--knowledge`` once, before anything runs (an invalid folder is
    bad input, exit 2); its files then travel with every task."""
    if options.knowledge_dir is None:
        return None
    from fichegen.knowledge.base import knowledge_files, load_knowledge_files

    files = knowledge_files(options.knowledge_dir)  # names as given: only bytes travel
    load_knowledge_files(files)
    return files
