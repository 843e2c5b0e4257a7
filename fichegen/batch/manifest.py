"""The manifest of a batch output folder: ``index.json``, ``index.csv`` and ``index.html``.

One record per commune (code, name, population, status, files with sha256, chosen
levers and examples, error message, and the resume key). Records of communes not
redone by a run are kept, so the manifest always describes the whole folder and the
next run can skip what is up to date. All three files are written atomically and
rewritten during the run, so they stay readable after any interruption. Between two
writes each result is also appended to a small journal (``.fichegen-journal.jsonl``),
read back by the next run, so even ``kill -9`` loses at most the commune being written.
"""

from __future__ import annotations

import csv
import io
import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fichegen.batch.folder import open_own, read_own
from fichegen.batch.index import render_index, title
from fichegen.batch.result import STATUS_LABELS, CommuneResult
from fichegen.errors import shorten
from fichegen.renderers.output import write_atomic

__all__ = [
    "MANIFEST_NAMES",
    "CommuneResult",
    "Manifest",
    "load_manifest",
]

MANIFEST_NAMES = ("index.csv", "index.json", "index.html")
JOURNAL_NAME = ".fichegen-journal.jsonl"
_FORMAT = "fichegen-batch-manifest"
_MAX_MANIFEST_BYTES = 256 * 1024 * 1024  # 35 000 communes take a few tens of MB


def _record(result: CommuneResult, key: str | None) -> dict[str, Any]:
    return {
        "code_insee": result.code_insee,
        "nom": result.nom,
        "population": result.population,
        "status": result.status,
        "files": [{"name": name, "sha256": sha} for name, sha in result.files],
        "levers": list(result.levers),
        "examples": list(result.examples),
        "error": result.error,
        "seconds": round(result.seconds, 3),
        "sources": list(result.sources),
        "input_key": key,
    }


def _from_record(data: dict[str, Any]) -> tuple[CommuneResult, str | None]:
    status = data["status"]
    if status not in STATUS_LABELS:
        raise ValueError(status)
    population = data.get("population")
    result = CommuneResult(
        code_insee=str(data["code_insee"]),
        nom=str(data["nom"]),
        population=int(population) if population is not None else None,
        status=status,
        files=tuple((str(f["name"]), str(f["sha256"])) for f in data.get("files", [])),
        levers=tuple(str(x) for x in data.get("levers", [])),
        examples=tuple(str(x) for x in data.get("examples", [])),
        error=data.get("error"),
        seconds=float(data.get("seconds", 0.0)),
        sources=tuple(str(x) for x in data.get("sources", [])),
    )
    key = data.get("input_key")
    return result, str(key) if key else None


_BAD_RECORD = (ValueError, KeyError, TypeError, AttributeError)
Records = dict[str, tuple[CommuneResult, str | None]]


def _journal(output_dir: Path) -> Records:
    """Results appended since the last manifest write; a torn last line is ignored."""
    records: Records = {}
    raw = read_own(output_dir / JOURNAL_NAME, _MAX_MANIFEST_BYTES)
    try:
        lines = raw.decode("utf-8").splitlines() if raw is not None else []
    except UnicodeDecodeError:
        return records
    for line in lines:
        try:
            result, key = _from_record(json.loads(line))
        except _BAD_RECORD:
            continue
        records[result.code_insee] = (result, key)
    return records


def load_manifest(output_dir: Path) -> tuple[Records, str | None]:
    """Records of previous runs (code -> (result, key)), and a warning if unreadable."""
    path = output_dir / "index.json"
    records: Records = {}
    problem = None
    if path.exists() or path.is_symlink():
        try:
            raw = read_own(path, _MAX_MANIFEST_BYTES)
            if raw is None:
                raise ValueError("pas un fichier ordinaire, ou trop volumineux")
            data = json.loads(raw.decode("utf-8"))
            if data.get("format") != _FORMAT:
                raise ValueError("format inconnu")
            for item in data["communes"]:
                result, key = _from_record(item)
                records[result.code_insee] = (result, key)
        except (OSError, UnicodeDecodeError, *_BAD_RECORD) as exc:
            records = {}
            why = shorten(str(exc) or type(exc).__name__, 80)
            problem = f"{path} : manifeste précédent illisible ({why}) ; tout sera refait"
    records.update(_journal(output_dir))
    return records, problem


class Manifest:
    """The manifest being written during a run."""

    def __init__(
        self,
        output_dir: Path,
        *,
        departement: str,
        formats: tuple[str, ...],
        version: str,
        previous: dict[str, tuple[CommuneResult, str | None]],
        warnings: list[str],
        min_interval_s: float = 2.0,
    ) -> None:
        self.output_dir = output_dir
        self.departement = departement
        self.formats = formats
        self.version = version
        self.warnings = warnings
        self.records: dict[str, tuple[CommuneResult, str | None]] = dict(previous)
        self._min_interval_s = min_interval_s
        self._last_write = 0.0
        self._dirty = False

    @property
    def paths(self) -> tuple[Path, ...]:
        return tuple(self.output_dir / name for name in MANIFEST_NAMES)

    def set(self, result: CommuneResult, key: str | None, *, journal: bool = True) -> None:
        """Record a result; with ``journal``, append it at once to the journal file."""
        self.records[result.code_insee] = (result, key)
        self._dirty = True
        if journal:
            line = json.dumps(_record(result, key), ensure_ascii=False) + "\n"
            with open_own(self.output_dir / JOURNAL_NAME) as handle:
                handle.write(line.encode("utf-8"))

    def maybe_write(self) -> None:
        """Write if something changed and the last write is old enough."""
        if self._dirty and time.monotonic() - self._last_write >= self._min_interval_s:
            self.write(complete=False)

    def write(self, *, complete: bool) -> None:
        """Write the three files atomically (JSON last: it is what a resume reads)."""
        ordered = [self.records[code] for code in sorted(self.records)]
        counts = {status: 0 for status in STATUS_LABELS}
        for result, _ in ordered:
            counts[result.status] += 1
        now = datetime.now(UTC)
        updated = now.isoformat(timespec="seconds")
        write_atomic(self.output_dir / "index.csv", _csv(ordered))
        write_atomic(
            self.output_dir / "index.html",
            _html(ordered, self.departement, now, complete, counts, self.warnings),
        )
        payload = {
            "format": _FORMAT,
            "fichegen_version": self.version,
            "departement": self.departement,
            "formats": list(self.formats),
            "updated": updated,
            "complete": complete,
            "counts": counts,
            "warnings": list(self.warnings),
            "communes": [_record(result, key) for result, key in ordered],
        }
        text = json.dumps(payload, ensure_ascii=False, indent=1) + "\n"
        write_atomic(self.output_dir / "index.json", text.encode("utf-8"))
        open_own(self.output_dir / JOURNAL_NAME, truncate=True).close()  # all in index.json
        self._last_write = time.monotonic()
        self._dirty = False


_CSV_COLUMNS = (
    "Code INSEE",
    "Commune",
    "Population municipale",
    "Statut",
    "Fichiers",
    "Empreintes SHA-256",
    "Leviers",
    "Exemples",
    "Erreur",
    "Durée (s)",
    "Origine des chiffres",
)
"""The French headers of ``index.csv`` (``index.json`` keeps its machine keys)."""


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    """A text cell a spreadsheet will not run as a formula: an error message may start
    with a file name such as ``=HYPERLINK(…).yaml`` (OWASP « CSV injection »)."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _csv(ordered: list[tuple[CommuneResult, str | None]]) -> bytes:
    """``index.csv`` as French Excel and LibreOffice open it in columns: UTF-8 with a BOM,
    « ; » between cells, French headers and statuses, decimal comma, lists joined by
    « , » in one cell, levers and examples by their titles."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(_CSV_COLUMNS)
    for result, _ in ordered:
        writer.writerow(
            (
                result.code_insee,
                _cell(result.nom),
                "" if result.population is None else result.population,
                STATUS_LABELS[result.status],
                ", ".join(name for name, _ in result.files),
                ", ".join(sha for _, sha in result.files),
                _cell(" ; ".join(title(i) for i in result.levers)),
                _cell(" ; ".join(title(i) for i in result.examples)),
                _cell(result.error or ""),
                f"{result.seconds:.3f}".replace(".", ","),
                _cell(" ; ".join(result.sources)),
            )
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _html(
    ordered: list[tuple[CommuneResult, str | None]],
    departement: str,
    updated: datetime,
    complete: bool,
    counts: dict[str, int],
    warnings: list[str],
) -> bytes:
    return render_index(
        ordered=[result for result, _ in ordered],
        departement=departement,
        updated=updated,
        complete=complete,
        counts=counts,
        warnings=warnings,
        labels=STATUS_LABELS,
    ).encode("utf-8")
