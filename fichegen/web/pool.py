"""The web server's bounded pool of render processes.

Requests never render in the server process: each profile task goes to one of ``jobs``
worker processes, each owning one pipe and running one task at a time
(:func:`fichegen.web.tasks.worker_main`, started by the forkserver, which preloads the
pipeline). This replaces ``ProcessPoolExecutor(max_tasks_per_child=…)``, whose worker
replacement deadlocks (CPython gh-115634, and gh-119592 after ``shutdown(wait=False)``,
in every 3.11-3.14 release before the 2026 fixes): here the server itself starts,
recycles and replaces each worker, so there is no manager thread to hang.

- At most ``jobs + queue`` tasks are admitted at once; the next request is refused at
  once (:class:`PoolBusy`, 503 with Retry-After). A queued request waits for a worker
  at most twice the deadline.
- Every admitted task gives its slot back on every path (answer, error, deadline, client
  gone, worker death): the slot is held by one coroutine and released in its ``finally``.
  A client that leaves while its task runs does not stop the task (the worker stays
  busy and counted until it is done), but a task still waiting for a worker is dropped.
- The worker enforces the deadline with an alarm, answers, and is then replaced (the
  alarm may have cut a lazy import or a cache half-filled); if it does not answer by
  ``deadline + grace``, the server kills it. A worker that dies or hangs costs only its
  own request (:class:`PoolFailure`, answered in French) and is replaced at once.
- Workers are recycled after ``max_tasks`` tasks (memory stays flat): the worker is told
  to stop once idle, and a new one takes its place.
- Each worker writes its temporary files to its own folder under one folder of the
  pool; the server removes a worker's folder when it ends, and the pool's at close.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import shutil
import tempfile
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.context import BaseContext
from typing import Any

from fichegen.web.tasks import Outcome, worker_main

__all__ = ["PoolBusy", "PoolFailure", "RenderPool"]

log = logging.getLogger("fichegen.web")

_GRACE_S = 15.0  # past the deadline, a worker that has not answered is killed
_START_S = 60.0  # a worker that is not ready by then is killed (first start preloads)


class PoolBusy(Exception):
    """Every worker is busy and the queue is full (or no worker came in time)."""


class PoolFailure(Exception):
    """The worker serving the request died or hung; ``message`` says which, in French."""

    def __init__(self, message: str = "le processus de rendu s'est arrêté ; réessayez") -> None:
        super().__init__(message)
        self.message = message


def _context() -> BaseContext:
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["fichegen.batch.preload", "fichegen.web.tasks"])
        return ctx
    return multiprocessing.get_context("spawn")  # pragma: no cover - not Linux


@dataclass(eq=False)
class _Worker:
    process: Any
    conn: Any
    folder: str
    tasks: int = 0

    @property
    def pid(self) -> int:
        return int(self.process.pid)

    def alive(self) -> bool:
        try:
            return bool(self.process.is_alive())
        except ValueError:  # already closed
            return False


_DIED = "mort"
_HUNG = "bloqué"


def _exchange(conn: Any, task: tuple[Any, ...], limit_s: float) -> Any:
    """Send one task and wait for its answer (in a thread): the Outcome, or why not."""
    try:
        conn.send(task)
        if not conn.poll(limit_s):
            return _HUNG
        return conn.recv()
    except (EOFError, OSError):
        return _DIED


class RenderPool:
    """Run profile tasks on worker processes, with a bounded queue and a deadline."""

    def __init__(self, *, jobs: int, queue: int, deadline_s: float, max_tasks: int = 200) -> None:
        self.jobs = max(1, jobs)
        self.capacity = self.jobs + max(0, queue)
        self.deadline_s = deadline_s
        self.max_tasks = max(1, max_tasks)
        self.counts = {"recyclés": 0, "morts": 0, "bloqués": 0, "interrompus": 0}
        self._ctx = _context()
        self._root: str | None = None
        self._workers: list[_Worker] = []  # started and not retired
        self._idle: deque[_Worker] = deque()
        self._waiters: deque[asyncio.Future[_Worker]] = deque()
        self._starting = 0
        self._in_flight = 0
        self._closed = False
        self._threads: ThreadPoolExecutor | None = None
        self._jobs: set[asyncio.Future[Any]] = set()  # tasks, starts and stops under way

    # --- state -----------------------------------------------------------------------------

    @property
    def in_flight(self) -> int:
        """Tasks admitted and not finished (running or waiting for a worker)."""
        return self._in_flight

    @property
    def folder(self) -> str | None:
        """The pool's temporary folder (one sub-folder per worker), while it runs."""
        return self._root

    def worker_pids(self) -> list[int]:
        """Process ids of the live workers."""
        return [w.pid for w in self._workers if w.alive()]

    def ready(self) -> bool:
        """True when a new task can be admitted and a live worker can take it."""
        for worker in list(self._idle):
            if not worker.alive():
                self._drop(worker, "morts")
        return (
            not self._closed
            and self._in_flight < self.capacity
            and any(w.alive() for w in self._workers)
        )

    # --- workers ---------------------------------------------------------------------------

    def _pool_threads(self) -> ThreadPoolExecutor:
        if self._threads is None:
            # one exchange per worker, plus starts and stops of workers being replaced
            self._threads = ThreadPoolExecutor(self.jobs * 2 + 2, thread_name_prefix="rendu")
        return self._threads

    def _start_worker(self) -> _Worker:
        """Start one worker and wait until it says it is ready (runs in a thread)."""
        assert self._root is not None
        folder = tempfile.mkdtemp(prefix="processus-", dir=self._root)
        parent_conn, child_conn = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(  # type: ignore[attr-defined]
            target=worker_main,
            args=(child_conn, folder, os.getpid()),
            name="fichegen-rendu",
            daemon=True,
        )
        worker = _Worker(process, parent_conn, folder)
        try:
            process.start()
            child_conn.close()
            if not parent_conn.poll(_START_S):
                raise OSError("processus de rendu pas prêt à temps")
            parent_conn.recv()
        except BaseException:
            self._stop_worker(worker, kill=True)
            raise
        return worker

    @staticmethod
    def _stop_worker(worker: _Worker, *, kill: bool) -> None:
        """Stop one worker (politely, or with SIGKILL) and remove its folder (in a thread)."""
        process = worker.process
        if not kill:
            with contextlib.suppress(Exception):
                worker.conn.send(None)
        with contextlib.suppress(Exception):
            if process.pid is not None:
                process.join(timeout=0 if kill else 5.0)
                if process.is_alive():
                    process.kill()
                    process.join(timeout=5.0)
        with contextlib.suppress(Exception):
            worker.conn.close()
        with contextlib.suppress(Exception):
            process.close()
        shutil.rmtree(worker.folder, ignore_errors=True)

    def _fill(self) -> None:
        """Start workers until there are ``jobs`` of them (started or starting)."""
        while not self._closed and len(self._workers) + self._starting < self.jobs:
            self._starting += 1
            self._spawn_in_background()

    def _spawn_in_background(self) -> None:
        loop = asyncio.get_running_loop()

        async def spawn() -> None:
            try:
                worker = await loop.run_in_executor(self._pool_threads(), self._start_worker)
            except Exception as exc:
                self._starting -= 1
                log.error("processus de rendu impossible à démarrer (%s)", type(exc).__name__)
                if not self._closed:
                    loop.call_later(1.0, self._fill)
                return
            self._starting -= 1
            self._workers.append(worker)
            self._free(worker)

        self._keep(loop.create_task(spawn()))

    def _keep(self, job: asyncio.Future[Any]) -> None:
        self._jobs.add(job)
        job.add_done_callback(self._jobs.discard)

    def _free(self, worker: _Worker) -> None:
        """Give an idle worker to the first waiting task, or keep it idle."""
        if self._closed:
            self._retire(worker, kill=False)
            return
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(worker)
                return
        self._idle.append(worker)

    def _retire(self, worker: _Worker, *, kill: bool) -> None:
        """Forget a worker and stop it in the background; start its replacement."""
        if worker in self._workers:
            self._workers.remove(worker)
        with contextlib.suppress(ValueError):
            self._idle.remove(worker)
        stopping = self._pool_threads().submit(self._stop_worker, worker, kill=kill)
        self._keep(asyncio.wrap_future(stopping))
        self._fill()

    def _drop(self, worker: _Worker, why: str) -> None:
        self.counts[why] += 1
        log.warning("processus de rendu %d %s : remplacé", worker.pid, why.rstrip("s"))
        self._retire(worker, kill=True)

    # --- tasks -----------------------------------------------------------------------------

    async def start(self) -> None:
        """Start the workers and wait until one is ready."""
        if self._root is None:
            self._root = tempfile.mkdtemp(prefix="fichegen-web-")
        self._fill()
        worker = await self._acquire(_START_S)
        self._free(worker)

    async def _acquire(self, wait_s: float) -> _Worker:
        """An idle live worker, waiting at most ``wait_s`` for one (else PoolBusy)."""
        while self._idle:
            worker = self._idle.popleft()
            if worker.alive():
                return worker
            self._drop(worker, "morts")
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[_Worker] = loop.create_future()
        self._waiters.append(waiter)

        def give_up() -> None:
            if not waiter.done():
                waiter.set_exception(PoolBusy())

        timer = loop.call_later(wait_s, give_up)
        try:
            return await waiter
        except BaseException:
            if waiter.done() and not waiter.cancelled() and waiter.exception() is None:
                self._free(waiter.result())  # given a worker just as the client left
            raise
        finally:
            timer.cancel()
            with contextlib.suppress(ValueError):
                self._waiters.remove(waiter)

    async def run(self, action: str, body: bytes, kind: str) -> Outcome:
        """Run one task; raise :class:`PoolBusy` at once when the queue is full."""
        if self._closed or self._in_flight >= self.capacity:
            raise PoolBusy
        self._in_flight += 1
        try:
            worker = await self._acquire(self.deadline_s * 2)
        except BaseException:
            self._in_flight -= 1
            raise
        job = asyncio.get_running_loop().create_task(
            self._serve(worker, (action, body, kind, self.deadline_s))
        )
        self._keep(job)
        job.add_done_callback(lambda done: done.cancelled() or done.exception())
        return await asyncio.shield(job)  # a client that leaves does not cut the task short

    async def _serve(self, worker: _Worker, task: tuple[Any, ...]) -> Outcome:
        loop = asyncio.get_running_loop()
        result: Any = _DIED
        try:
            result = await loop.run_in_executor(
                self._pool_threads(), _exchange, worker.conn, task, self.deadline_s + _GRACE_S
            )
        finally:
            self._in_flight -= 1
            if isinstance(result, Outcome):
                worker.tasks += 1
                if result.interrupted:  # its state is not trusted after the alarm
                    self.counts["interrompus"] += 1
                    self._retire(worker, kill=False)
                elif worker.tasks >= self.max_tasks:
                    self.counts["recyclés"] += 1
                    self._retire(worker, kill=False)
                else:
                    self._free(worker)
            else:
                self._drop(worker, "bloqués" if result == _HUNG else "morts")
        if result == _HUNG:
            raise PoolFailure(
                f"délai dépassé : la fiche n'était pas prête après {self.deadline_s:g} s ; "
                "le processus de rendu a été remplacé"
            )
        if not isinstance(result, Outcome):
            raise PoolFailure("le processus de rendu s'est arrêté brutalement ; réessayez")
        return result

    async def aclose(self) -> None:
        """Refuse new tasks, let running ones end (bounded), stop the workers, clean up."""
        self._closed = True
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_exception(PoolBusy())
        running = [job for job in self._jobs if not job.done()]
        if running:
            await asyncio.wait(running, timeout=self.deadline_s + _GRACE_S)
        for worker in list(self._workers):
            self._retire(worker, kill=False)
        remaining = [job for job in self._jobs if not job.done()]
        if remaining:
            await asyncio.wait(remaining, timeout=30)
        if self._threads is not None:
            self._threads.shutdown(wait=True, cancel_futures=True)
            self._threads = None
        if self._root is not None:
            shutil.rmtree(self._root, ignore_errors=True)
            self._root = None
