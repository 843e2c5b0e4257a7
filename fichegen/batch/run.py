"""Batch generation: one fiche for every current commune of a département.

Decides what is up to date (resume keys), sends the rest to a local pool of worker
processes or to a Dask cluster (both run :func:`fichegen.batch.worker.produce_fiche`
and return bytes), writes every file atomically in this process, and keeps the
manifest current. :func:`iter_batch` yields one :class:`CommuneResult` per commune
as it completes; :func:`fichegen.batch.report.run_batch` drives it to the end.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Generator, Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any

from fichegen.batch.folder import (
    file_sha256,
    lock_folder,
    prepare_folder,
    remove_stale_temporaries,
    sha256,
)
from fichegen.batch.inputs import (
    ReferenceLike,
    checked_knowledge,
    commune_key,
    normalize_departement,
    read_donnees_files,
    read_profile_bytes,
    run_digest,
    scan_profiles,
)
from fichegen.batch.manifest import Manifest, load_manifest
from fichegen.batch.plan import Plan
from fichegen.batch.result import CommuneResult
from fichegen.batch.worker import CommuneTask, Reply, TaskFunction, produce_fiche
from fichegen.errors import InputError, OutputError, require
from fichegen.french.grammar import agree
from fichegen.options import RenderOptions, output_name
from fichegen.reference.types import Commune
from fichegen.renderers.output import write_atomic

if TYPE_CHECKING:
    from fichegen.inputs.donnees import Donnees
    from fichegen.inputs.official.types import OfficialData

__all__ = ["SCHEDULER_ENV", "BatchRun", "iter_batch"]

SCHEDULER_ENV = "FICHEGEN_SCHEDULER"


class BatchRun(Iterator[CommuneResult]):
    """The running batch: iterate it for one result per commune; close it to stop."""

    def __init__(self, plan: Plan, lock: IO[bytes] | None) -> None:
        self._plan = plan
        self._lock = lock
        self.total = len(plan.communes)
        self.departement = plan.departement
        self.output_dir = plan.output_dir
        self.warnings: list[str] = plan.warnings
        self.manifest_paths: tuple[Path, ...] = ()
        self.scheduler: str | None = plan.scheduler  # Dask address, None for the local pool
        self._gen = self._execute()

    def __next__(self) -> CommuneResult:
        return next(self._gen)

    def close(self) -> None:
        """Stop the workers, write the manifest, release the folder."""
        self._gen.close()
        self._release()

    def __enter__(self) -> BatchRun:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _release(self) -> None:
        client, self._plan.dask_client = self._plan.dask_client, None
        if client is not None:  # connected, but no task needed the cluster
            with contextlib.suppress(Exception):
                client.close()
        if self._lock is not None:
            with contextlib.suppress(OSError):
                self._lock.close()
            self._lock = None

    # --- the run ---------------------------------------------------------------------------

    def _expected(self, commune: Commune) -> list[str]:
        return [
            output_name(commune.code_insee, commune.nom, fmt) for fmt in self._plan.options.formats
        ]

    def _up_to_date(self, previous: CommuneResult | None, key: str, commune: Commune) -> bool:
        if previous is None or previous.status == "failed":
            return False
        if sorted(name for name, _ in previous.files) != sorted(self._expected(commune)):
            return False
        return all(file_sha256(self._plan.output_dir / name) == sha for name, sha in previous.files)

    def _result(self, commune: Commune, reply: Reply) -> CommuneResult:
        """Write the files of a successful reply; turn anything else into a failure."""
        plan = self._plan
        error = reply.error
        files: list[tuple[str, str]] = []
        output = reply.output
        if error is None and output is not None:
            produced = [fmt for fmt, _ in output.outputs]
            if sorted(produced) != sorted(plan.options.formats):
                error = f"formats produits inattendus : {', '.join(produced) or 'aucun'}"
            else:
                try:
                    for fmt, data in output.outputs:
                        name = output_name(commune.code_insee, commune.nom, fmt)
                        write_atomic(plan.output_dir / name, data)
                        files.append((name, sha256(data)))
                except OutputError as exc:
                    error = "\n".join(exc.lines())
        elif error is None:
            error = "aucune fiche renvoyée par le processus de rendu"
        ok = error is None and output is not None
        return CommuneResult(
            code_insee=commune.code_insee,
            nom=commune.nom,
            population=commune.population_municipale,
            status="ok" if ok else "failed",
            files=tuple(files) if ok else (),
            levers=output.levers if ok and output is not None else (),
            examples=output.examples if ok and output is not None else (),
            error=error,
            seconds=reply.seconds,
            worker_pid=reply.pid or None,
            peak_rss_kb=reply.peak_rss_kb or None,
            sources=plan.sources(commune.code_insee),
        )

    def _execute(self) -> Generator[CommuneResult, None, None]:
        from fichegen import __version__

        plan = self._plan
        previous, problem = load_manifest(plan.output_dir)
        if problem:
            plan.warnings.append(problem)
        manifest = Manifest(
            plan.output_dir,
            departement=plan.departement,
            formats=plan.options.formats,
            version=__version__,
            previous=previous,
            warnings=plan.warnings,
        )
        self.manifest_paths = manifest.paths
        by_code = {commune.code_insee: commune for commune in plan.communes}
        keys: dict[str, str] = {}
        tasks: list[CommuneTask] = []
        complete = False
        replies: Iterator[Reply] = iter(())
        try:
            for commune in plan.communes:
                code = commune.code_insee
                key = commune_key(plan.run_key, code, plan.input_digest(code))
                keys[code] = key
                before = previous.get(code)
                if code in plan.profiles.duplicates:
                    names = ", ".join(str(p) for p in plan.profiles.duplicates[code])
                    result = CommuneResult(
                        code,
                        commune.nom,
                        commune.population_municipale,
                        "failed",
                        (),
                        (),
                        (),
                        f"plusieurs profils pour la commune {code} ({names}) ; "
                        "gardez-en un seul dans le dossier des profils",
                        0.0,
                        sources=plan.sources(code),
                    )
                elif (
                    not plan.force
                    and before is not None
                    and before[1] == key
                    and self._up_to_date(before[0], key, commune)
                ):
                    old = before[0]
                    result = CommuneResult(
                        code,
                        commune.nom,
                        commune.population_municipale,
                        "skipped",
                        old.files,
                        old.levers,
                        old.examples,
                        None,
                        0.0,
                        sources=plan.sources(code),
                    )
                else:
                    profile = plan.profiles.by_code.get(code)
                    tasks.append(
                        CommuneTask(
                            code,
                            str(profile) if profile else None,
                            plan.options,
                            profile_bytes=_read_or_none(profile),
                            row=plan.row(code),
                            official=plan.official_of(code),
                            knowledge_files=plan.knowledge,
                        )
                    )
                    continue
                manifest.set(result, key, journal=False)  # written just below
                yield result
            manifest.write(complete=not tasks)
            tasks.sort(
                key=lambda t: (-(by_code[t.code_insee].population_municipale or 0), t.code_insee)
            )
            replies = self._replies(tasks)
            for reply in replies:
                commune = by_code[reply.code_insee]
                result = self._result(commune, reply)
                manifest.set(result, keys[commune.code_insee])
                yield result
                manifest.maybe_write()
            complete = True
        finally:
            with contextlib.suppress(Exception):
                getattr(replies, "close", lambda: None)()
            try:
                manifest.write(complete=complete)
            finally:
                self._release()

    def _replies(self, tasks: list[CommuneTask]) -> Iterator[Reply]:
        plan = self._plan
        if not tasks:
            return iter(())
        if plan.scheduler:
            from fichegen.batch.dask_cluster import run_on_dask

            client, plan.dask_client = plan.dask_client, None  # run_on_dask closes it
            return run_on_dask(client, plan.task_fn, tasks)
        from fichegen.batch.pool import LocalPool

        pool = LocalPool(
            plan.task_fn,
            jobs=min(plan.jobs, len(tasks)),
            timeout_s=plan.timeout_s,
            max_tasks=plan.max_tasks_per_worker,
            preload_pipeline=plan.task_fn is produce_fiche,
        )
        return pool.run(tasks)


def _read_or_none(path: Path | None) -> bytes | None:
    """The profile's bytes, sent with the task so that workers need no shared disk (the
    worker reports the error itself, with the file name, if the file cannot be read)."""
    if path is None:
        return None
    try:
        return read_profile_bytes(path)
    except OSError:
        return None


def iter_batch(
    departement: str,
    *,
    output_dir: Path,
    options: RenderOptions,
    profiles_dir: Path | None = None,
    jobs: int | None = None,
    force: bool = False,
    scheduler: str | None = None,
    timeout_s: float = 120.0,
    codes: Sequence[str] | None = None,
    task: TaskFunction | None = None,
    reference: ReferenceLike | None = None,
    max_tasks_per_worker: int = 100,
    donnees: Path | Sequence[Path] | None = None,
) -> BatchRun:
    """Start a batch; iterate the result for one :class:`CommuneResult` per commune.

    Input errors (unknown département, missing profiles folder, unwritable output
    folder, folder busy with another batch) are raised here, before anything runs.
    Files and the manifest are written as results arrive. ``codes`` (a subset of the
    département), ``task`` (a picklable replacement for the worker function) and
    ``reference`` are for tests and tools. ``donnees``: a spreadsheet of local figures
    (an unreadable file or header is refused here; a bad row fails only its commune).
    """
    from fichegen.french.formatting import generation_date

    require(departement, str, 'code de département attendu, en texte ("90", "2A")')
    require(output_dir, (str, os.PathLike), "output_dir : chemin de dossier attendu")
    require(options, RenderOptions, "options : RenderOptions attendu")
    require(profiles_dir, (str, os.PathLike, type(None)), "profiles_dir : chemin ou None attendu")
    output_dir = Path(output_dir)
    profiles_dir = Path(profiles_dir) if profiles_dir is not None else None
    dep = normalize_departement(departement)
    generation_date(options.date)  # a bad SOURCE_DATE_EPOCH fails here, not in every commune
    if reference is None:
        from fichegen.reference.lookup import load_reference

        reference = load_reference()
    communes = reference.communes_of(dep)
    if codes is not None:
        known = {c.code_insee: c for c in communes}
        missing = [code for code in codes if code not in known]
        if missing:
            what = agree("commune(s) absente(s)", len(missing))
            raise InputError(f"{what} du département {dep} : {', '.join(missing)}")
        communes = [known[code] for code in dict.fromkeys(codes)]
    if profiles_dir is not None and not profiles_dir.is_dir():
        raise InputError(f"dossier de profils introuvable : « {profiles_dir} »", field="--profiles")
    if jobs is not None and jobs < 1:
        raise InputError("le nombre de processus (-j) doit être au moins 1", field="-j")
    if timeout_s <= 0:
        raise InputError("le délai par commune doit être positif")
    knowledge = checked_knowledge(options)
    sheet, official = read_donnees_files(donnees, dep, {c.code_insee for c in communes})
    if scheduler is None:
        scheduler = os.environ.get(SCHEDULER_ENV)
    scheduler = scheduler or None  # empty: no scheduler; blanks are refused by connect()
    dask_client = None
    if scheduler is not None:  # a bad or unreachable scheduler is refused before any write
        from fichegen.batch.dask_cluster import connect

        dask_client = connect(scheduler)
    try:
        return _start(
            dep, communes, output_dir, options, profiles_dir, reference, knowledge,
            task or produce_fiche, jobs, force, scheduler, timeout_s, max_tasks_per_worker,
            dask_client, sheet, official,
        )  # fmt: skip
    except BaseException:
        if dask_client is not None:
            from fichegen.batch.dask_cluster import run_on_dask

            for _ in run_on_dask(dask_client, produce_fiche, ()):  # closes the client
                pass
        raise


def _start(
    dep: str,
    communes: list[Commune],
    output_dir: Path,
    options: RenderOptions,
    profiles_dir: Path | None,
    reference: ReferenceLike,
    knowledge: tuple[tuple[str, bytes], ...] | None,
    task_fn: TaskFunction,
    jobs: int | None,
    force: bool,
    scheduler: str | None,
    timeout_s: float,
    max_tasks_per_worker: int,
    dask_client: Any,
    sheet: tuple[Donnees | None, list[str]],
    official: OfficialData | None = None,
) -> BatchRun:
    from fichegen import __version__

    prepare_folder(output_dir)
    profiles = scan_profiles(profiles_dir, reference, dep, (c.code_insee for c in communes))
    task_name = f"{task_fn.__module__}.{task_fn.__qualname__}"
    plan = Plan(
        departement=dep,
        communes=communes,
        output_dir=output_dir,
        options=options,
        profiles=profiles,
        run_key=run_digest(options, __version__, task_name, knowledge),
        task_fn=task_fn,
        jobs=jobs or os.cpu_count() or 1,
        force=force,
        scheduler=scheduler,
        timeout_s=timeout_s,
        max_tasks_per_worker=max_tasks_per_worker,
        knowledge=knowledge,
        warnings=[*profiles.warnings, *sheet[1]],
        dask_client=dask_client,
        sheet=sheet[0],
        official=official,
    )
    lock = lock_folder(output_dir)
    remove_stale_temporaries(output_dir)
    return BatchRun(plan, lock)
