"""A whole batch run to its end: progress display, SIGTERM handling, French summary."""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any, TextIO

from fichegen.batch.inputs import ReferenceLike
from fichegen.batch.result import CommuneResult
from fichegen.batch.run import iter_batch
from fichegen.batch.worker import TaskFunction
from fichegen.french.formatting import integer
from fichegen.french.grammar import count
from fichegen.options import RenderOptions

__all__ = ["BatchInterrupted", "BatchSummary", "run_batch"]


class BatchInterrupted(KeyboardInterrupt):
    """The batch was stopped by Ctrl-C or SIGTERM; what was done is kept."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.exit_code = 128 + signum


@dataclass(frozen=True)
class BatchSummary:
    """The outcome of a whole batch."""

    departement: str
    total: int
    produced: int
    skipped: int
    failed: int
    seconds: float
    manifest: tuple[Path, ...]
    failures: tuple[CommuneResult, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def lines(self) -> list[str]:
        """The French summary printed at the end of a batch."""
        from fichegen.batch.progress import Progress

        out = [f"avertissement : {warning}" for warning in self.warnings]
        for failure in self.failures:
            first, *rest = (failure.error or "erreur inconnue").splitlines() or [""]
            out.append(f"échec {failure.code_insee} ({failure.nom}) : {first}")
            out.extend(f"    {line}" for line in rest)
        produced = count(self.produced, "fiche produite", "fiches produites")
        skipped = count(self.skipped, "fiche à jour ignorée", "fiches à jour ignorées")
        out.append(
            f"Département {self.departement} : {produced}, {skipped}, "
            f"{integer(self.failed)} en échec, sur {count(self.total, 'commune')}, "
            f"en {Progress.duration(self.seconds)}."
        )
        out.append(f"Manifeste : {self.manifest[1] if len(self.manifest) > 1 else ''}")
        return out


@contextlib.contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """Turn SIGTERM into :class:`BatchInterrupted` while a batch runs (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        raise BatchInterrupted(signum)

    previous: Callable[[int, FrameType | None], Any] | int | None = signal.signal(
        signal.SIGTERM, handler
    )
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def run_batch(
    departement: str,
    *,
    output_dir: Path,
    options: RenderOptions,
    profiles_dir: Path | None = None,
    jobs: int | None = None,
    force: bool = False,
    scheduler: str | None = None,
    timeout_s: float = 120.0,
    progress: bool | None = None,
    stream: TextIO | None = None,
    codes: Sequence[str] | None = None,
    task: TaskFunction | None = None,
    reference: ReferenceLike | None = None,
    max_tasks_per_worker: int = 100,
    donnees: Path | Sequence[Path] | None = None,
) -> BatchSummary:
    """Run a whole batch with a progress display (``progress``: None = automatic).

    Prints the French summary on ``stream`` (stderr by default) unless ``progress`` is
    False. On Ctrl-C or SIGTERM the workers are stopped, the manifest is written and
    :class:`BatchInterrupted` (a ``KeyboardInterrupt``) is raised.
    """
    from fichegen.batch.progress import Progress

    start = time.monotonic()
    run = iter_batch(
        departement,
        output_dir=output_dir,
        options=options,
        profiles_dir=profiles_dir,
        jobs=jobs,
        force=force,
        scheduler=scheduler,
        timeout_s=timeout_s,
        codes=codes,
        task=task,
        reference=reference,
        max_tasks_per_worker=max_tasks_per_worker,
        donnees=donnees,
    )
    counts = {"ok": 0, "skipped": 0, "failed": 0}
    failures: list[CommuneResult] = []
    reporter = Progress(
        run.total, label=f"Département {run.departement}", mode=progress, stream=stream
    )
    try:
        with _sigterm_interrupts(), run:
            for result in run:
                counts[result.status] += 1
                if result.status == "failed":
                    failures.append(result)
                reporter.update()
    except KeyboardInterrupt as exc:
        reporter.close()
        signum = exc.signum if isinstance(exc, BatchInterrupted) else signal.SIGINT
        reporter.line(
            f"Lot interrompu : {count(counts['ok'], 'fiche produite', 'fiches produites')}, "
            f"{integer(counts['failed'])} en échec ; le manifeste est à jour. "
            "Relancez la même commande pour terminer."
        )
        raise BatchInterrupted(signum) from exc
    finally:
        reporter.close()
    summary = BatchSummary(
        departement=run.departement,
        total=run.total,
        produced=counts["ok"],
        skipped=counts["skipped"],
        failed=counts["failed"],
        seconds=time.monotonic() - start,
        manifest=run.manifest_paths,
        failures=tuple(failures),
        warnings=tuple(run.warnings),
    )
    for line in summary.lines():
        reporter.line(line)
    return summary
