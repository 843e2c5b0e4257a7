"""The web server's bounded pool of render processes.

Requests never render in the server process: each profile task goes to one of ``jobs``
worker processes (a ``ProcessPoolExecutor`` started by the forkserver, which preloads
the pipeline, like the batch pool). At most ``jobs + queue`` tasks are accepted at once;
the next request is refused at once (:class:`PoolBusy`, answered 503 with Retry-After)
instead of waiting without end. Each task has a deadline, enforced in the worker by an
alarm and, as a last resort, by the server, which then kills and replaces the workers.
Workers are replaced after ``max_tasks`` tasks to keep memory flat, and a crashed
worker (segfault, kill) only costs the requests it was serving: the pool is rebuilt and
the request is tried once more.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.context import BaseContext

from fichegen.web.tasks import Outcome, run_task

__all__ = ["PoolBusy", "PoolFailure", "RenderPool"]

log = logging.getLogger("fichegen.web")

_GRACE_S = 30.0  # past twice the deadline (queue, worker start), the server kills the workers


class PoolBusy(Exception):
    """Every worker is busy and the queue is full."""


class PoolFailure(Exception):
    """A worker died or hung while serving the request (after one retry)."""


def _context() -> BaseContext:
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["fichegen.batch.preload", "fichegen.web.tasks"])
        return ctx
    return multiprocessing.get_context("spawn")


class RenderPool:
    """Run profile tasks on worker processes, with a bounded queue and a deadline."""

    def __init__(self, *, jobs: int, queue: int, deadline_s: float, max_tasks: int = 200) -> None:
        self.jobs = max(1, jobs)
        self.capacity = self.jobs + max(0, queue)
        self.deadline_s = deadline_s
        self._max_tasks = max(1, max_tasks)
        self._ctx = _context()
        self._executor: ProcessPoolExecutor | None = None
        self._in_flight = 0
        self._closed = False

    @property
    def in_flight(self) -> int:
        """Tasks accepted and not finished (running or waiting for a worker)."""
        return self._in_flight

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                self.jobs, mp_context=self._ctx, max_tasks_per_child=self._max_tasks
            )
        return self._executor

    def worker_pids(self) -> list[int]:
        """Process ids of the live workers (for the load test's memory figures)."""
        processes = getattr(self._executor, "_processes", None) or {}
        return [pid for pid, process in processes.items() if process.is_alive()]

    def _reset(self, executor: ProcessPoolExecutor, *, kill: bool) -> None:
        """Replace a broken or stuck executor; its running tasks are abandoned."""
        if self._executor is not executor:
            return  # another request already replaced it
        self._executor = None
        if kill:
            for process in list((getattr(executor, "_processes", None) or {}).values()):
                with contextlib.suppress(Exception):
                    process.kill()
        executor.shutdown(wait=False, cancel_futures=True)

    def _release(self) -> None:
        self._in_flight -= 1

    def _submit(
        self, executor: ProcessPoolExecutor, action: str, body: bytes, kind: str
    ) -> asyncio.Future[Outcome]:
        """Submit one task; it counts as in flight until the worker is done with it.

        A request that is abandoned (its client left) cancels its task if no worker has
        taken it yet; a task already running still counts until it ends.
        """
        loop = asyncio.get_running_loop()
        self._in_flight += 1
        try:
            future = executor.submit(run_task, action, body, kind, self.deadline_s)
        except BaseException:
            self._in_flight -= 1
            raise

        def done(_future: object) -> None:
            with contextlib.suppress(RuntimeError):  # the event loop is already closed
                loop.call_soon_threadsafe(self._release)

        future.add_done_callback(done)
        return asyncio.wrap_future(future)

    async def run(self, action: str, body: bytes, kind: str) -> Outcome:
        """Run one task; raise :class:`PoolBusy` at once when the queue is full."""
        if self._closed or self._in_flight >= self.capacity:
            raise PoolBusy
        for attempt in (1, 2):
            executor = self._pool()
            try:
                task = self._submit(executor, action, body, kind)
                return await asyncio.wait_for(task, self.deadline_s * 2 + _GRACE_S)
            except BrokenProcessPool:
                log.warning("processus de rendu arrêté brutalement (essai %d)", attempt)
                self._reset(executor, kill=False)
            except TimeoutError:
                log.warning("processus de rendu bloqué : remplacé")
                self._reset(executor, kill=True)
                break
        raise PoolFailure

    def close(self) -> None:
        """Refuse new tasks, let running ones finish, stop the workers."""
        self._closed = True
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
