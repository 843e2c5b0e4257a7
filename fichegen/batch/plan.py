"""Everything a batch run decided before it starts: communes, inputs, options, keys.

Also says, per commune, where its figures come from (a profile file, a spreadsheet row)
and the digest of those inputs that goes into its resume key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fichegen.batch.folder import sha256
from fichegen.batch.inputs import ProfilePlan
from fichegen.batch.worker import TaskFunction
from fichegen.options import RenderOptions
from fichegen.reference.types import Commune

if TYPE_CHECKING:
    from fichegen.inputs.donnees import Donnees, SheetRow
    from fichegen.inputs.official.types import OfficialData

__all__ = ["Plan"]


@dataclass
class Plan:
    departement: str
    communes: list[Commune]
    output_dir: Path
    options: RenderOptions
    profiles: ProfilePlan
    run_key: str
    task_fn: TaskFunction
    jobs: int
    force: bool
    scheduler: str | None
    timeout_s: float
    max_tasks_per_worker: int
    knowledge: tuple[tuple[str, bytes], ...] | None = None  # --knowledge, read once here
    warnings: list[str] = field(default_factory=list)
    dask_client: Any = None  # connected before anything is written (see iter_batch)
    sheet: Donnees | None = None  # the --donnees spreadsheet, read and matched
    official: OfficialData | None = None  # the --donnees open-data files, read

    def official_of(self, code: str) -> OfficialData | None:
        """What the open-data files say of one commune (its EPCI, France included)."""
        if self.official is None:
            return None
        from fichegen.inputs.official.apply import ARRONDISSEMENTS
        from fichegen.reference.lookup import load_reference

        epci = load_reference().epci_of(code)
        return self.official.subset(
            code,
            epci.code if epci else None,
            ARRONDISSEMENTS.get(code),
            epci.membres if epci else (),
        )

    def row(self, code: str) -> SheetRow | None:
        return self.sheet.rows.get(code) if self.sheet is not None else None

    def sources(self, code: str) -> tuple[str, ...]:
        """Where a commune's figures come from, for the manifest (« profil … », « tableur … »)."""
        found = []
        if code in self.profiles.by_code:
            found.append(f"profil {self.profiles.by_code[code]}")
        row = self.row(code)
        if row is not None:
            found.append(f"tableur {row.file}, ligne {row.row}")
        if self.official is not None:
            found.extend(f"données ouvertes {file}" for file, _ in self.official.files)
        return tuple(found) or ("référentiel seul",)

    def input_digest(self, code: str) -> str | None:
        """The digest of a commune's own inputs: its profile file and what its spreadsheet
        row gives (its values, not the file's name, the row's place or the format)."""
        profile, row = self.profiles.digests.get(code), self.row(code)
        official = self.official_of(code)
        row_gives = row is not None and bool(row.values or row.issues)
        if not row_gives and official is None:
            return profile  # an empty row gives nothing: as if the commune had none
        parts = [profile or "reference-only", row.digest if row and row_gives else "no-row"]
        if official is not None:
            parts.append(official.digest())
        return sha256("\0".join(parts).encode())
