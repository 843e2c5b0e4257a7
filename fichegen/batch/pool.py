"""A local pool of worker processes that survives crashing and hanging tasks.

A plain ``ProcessPoolExecutor`` turns one segfault into ``BrokenProcessPool`` for every
pending task. Here each worker owns one pipe and runs one task at a time, so the parent
always knows which commune a dead or stuck worker was working on: that commune alone
fails (a crash is retried once, a timeout is not), the worker is replaced, and the
others go on. Workers are recycled after ``max_tasks`` tasks to keep memory flat, and
exit on their own if the parent disappears (``kill -9``).

Each worker writes its temporary files (WeasyPrint's ``weasyprint-*`` font folder among
them) to its own folder under one folder of the pool: a child process never runs the
``atexit`` handlers that would remove them, so the worker empties its folder when it
stops and the parent removes the pool's folder when it closes, whatever happened.

Workers are started with the ``forkserver`` method (``spawn`` where it is missing):
never a plain fork of a parent that may run threads (progress bar, Dask client).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import shutil
import signal
import tempfile
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection, wait
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess

from fichegen.batch.worker import CommuneTask, Reply, TaskFunction, call_task, failure_reply
from fichegen.batch.worker_process import enter_worker, leave_worker
from fichegen.french.grammar import count

__all__ = ["LocalPool", "describe_exit"]


def _context(preload_pipeline: bool) -> BaseContext:
    """The start method; the forkserver preloads the pipeline for real renders.

    The preload list only matters when the forkserver starts (once per parent process).
    """
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        preload = ["fichegen.batch.worker"]
        if preload_pipeline:
            preload.append("fichegen.batch.preload")
        ctx.set_forkserver_preload(preload)
        return ctx
    return multiprocessing.get_context("spawn")


def describe_exit(exitcode: int | None) -> str:
    """French description of how a worker process ended."""
    if exitcode is None:
        return "état inconnu"
    if exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        return f"tué par le signal {name}"
    return f"code de sortie {exitcode}"


def _worker_main(conn: Connection, task_fn: TaskFunction, parent_pid: int, folder: str) -> None:
    """Loop of one worker: receive a task, send back its reply, until told to stop."""
    enter_worker(folder, parent_pid)
    try:
        while True:
            try:
                task = conn.recv()
            except (EOFError, OSError):
                return
            if task is None:
                return
            reply = call_task(task_fn, task)
            try:
                conn.send(reply)
            except (BrokenPipeError, OSError):
                return
    finally:
        leave_worker(folder)


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    folder: str = ""
    task: CommuneTask | None = None
    started: float = 0.0
    done: int = 0


class LocalPool:
    """Run tasks on ``jobs`` worker processes; yield one reply per task, as they complete."""

    def __init__(
        self,
        task_fn: TaskFunction,
        *,
        jobs: int,
        timeout_s: float,
        max_tasks: int = 100,
        crash_retries: int = 1,
        preload_pipeline: bool = False,
    ) -> None:
        self._task_fn = task_fn
        self._jobs = max(1, jobs)
        self._timeout_s = timeout_s
        self._max_tasks = max(1, max_tasks)
        self._crash_retries = max(0, crash_retries)
        self._ctx = _context(preload_pipeline)
        self._workers: list[_Worker] = []
        self._root: str | None = None  # the pool's temporary folder, while workers run

    def _spawn(self) -> _Worker:
        if self._root is None:
            self._root = tempfile.mkdtemp(prefix="fichegen-lot-")
        folder = tempfile.mkdtemp(prefix="processus-", dir=self._root)
        parent_conn, child_conn = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(  # type: ignore[attr-defined]
            target=_worker_main,
            args=(child_conn, self._task_fn, os.getpid(), folder),
            name="fichegen-worker",
            daemon=True,
        )
        process.start()
        child_conn.close()
        worker = _Worker(process, parent_conn, folder)
        self._workers.append(worker)
        return worker

    def _retire(self, worker: _Worker, *, kill: bool = False) -> None:
        """Stop a worker (politely, or with SIGKILL) and forget it."""
        if worker in self._workers:
            self._workers.remove(worker)
        if kill:
            with contextlib.suppress(Exception):
                worker.process.kill()
        else:
            with contextlib.suppress(Exception):
                worker.conn.send(None)
        worker.process.join(timeout=0 if kill else 2.0)
        if worker.process.is_alive():
            with contextlib.suppress(Exception):
                worker.process.kill()
            worker.process.join(timeout=2.0)
        with contextlib.suppress(Exception):
            worker.conn.close()
        with contextlib.suppress(Exception):
            worker.process.close()
        shutil.rmtree(worker.folder, ignore_errors=True)

    def close(self) -> None:
        """Stop every worker; busy ones are killed (their task is abandoned)."""
        for worker in list(self._workers):
            self._retire(worker, kill=worker.task is not None)
        if self._root is not None:
            shutil.rmtree(self._root, ignore_errors=True)
            self._root = None

    def run(self, tasks: Sequence[CommuneTask]) -> Iterator[Reply]:
        """Yield one reply per task. Workers are stopped when the iterator is closed."""
        pending: deque[CommuneTask] = deque(tasks)
        try:
            while pending or any(w.task is not None for w in self._workers):
                self._assign(pending)
                yield from self._collect(pending)
        finally:
            self.close()

    def _assign(self, pending: deque[CommuneTask]) -> None:
        while pending:
            idle = next((w for w in self._workers if w.task is None), None)
            if idle is None:
                if len(self._workers) >= self._jobs:
                    return
                idle = self._spawn()
            task = pending.popleft()
            try:
                idle.conn.send(task)
            except (BrokenPipeError, OSError):
                pending.appendleft(task)
                self._retire(idle, kill=True)
                continue
            idle.task = task
            idle.started = time.monotonic()

    def _collect(self, pending: deque[CommuneTask]) -> Iterator[Reply]:
        busy = [w for w in self._workers if w.task is not None]
        if not busy:
            return
        now = time.monotonic()
        wait_for = max(0.0, min(w.started + self._timeout_s for w in busy) - now)
        handles: list[object] = [w.conn for w in busy] + [w.process.sentinel for w in busy]
        wait(handles, timeout=min(wait_for, 5.0) + 0.01)  # type: ignore[arg-type]
        for worker in busy:
            task = worker.task
            assert task is not None
            reply: Reply | None = None
            crashed = False
            try:
                if worker.conn.poll():
                    reply = worker.conn.recv()
                elif not worker.process.is_alive():
                    crashed = True
            except (EOFError, OSError):
                crashed = True
            if reply is not None:
                worker.task = None
                worker.done += 1
                if worker.done >= self._max_tasks:
                    self._retire(worker)
                yield reply
            elif crashed:
                worker.process.join(timeout=1.0)
                how = describe_exit(worker.process.exitcode)
                worker.task = None
                self._retire(worker, kill=True)
                if task.attempt <= self._crash_retries:
                    pending.appendleft(replace(task, attempt=task.attempt + 1))
                    continue
                yield failure_reply(
                    task.code_insee,
                    f"le processus de rendu s'est arrêté brutalement ({how}), "
                    f"après {count(task.attempt, 'essai')}",
                    time.monotonic() - worker.started,
                )
            elif time.monotonic() - worker.started > self._timeout_s:
                worker.task = None
                self._retire(worker, kill=True)
                yield failure_reply(
                    task.code_insee,
                    f"délai dépassé : la fiche n'était pas produite après "
                    f"{self._timeout_s:g} s ; le processus de rendu a été arrêté",
                    time.monotonic() - worker.started,
                )
