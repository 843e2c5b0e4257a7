"""Run the batch tasks on a ``dask.distributed`` cluster instead of local processes.

The very same task function runs on the Dask workers and returns bytes; the client
(this process) writes every file and the manifest, so workers need no shared disk.
Dask is an optional extra: ``pip install 'fichegen[dask]'``.

A worker process that dies is restarted by its nanny and the task is retried by the
scheduler (``distributed.scheduler.allowed-failures``); after that the commune fails
with ``KilledWorker``. The per-commune timeout of the local pool is not enforced here.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from typing import Any

from fichegen.batch.worker import CommuneTask, Reply, TaskFunction, call_task, failure_reply
from fichegen.errors import InputError

__all__ = ["connect", "run_on_dask"]


CONNECT_TIMEOUT = "20s"


def connect(address: str, timeout: str | None = None) -> Any:
    """A client of the scheduler at ``address``; an unreachable one is bad input (exit 2)."""
    try:
        from distributed import Client
    except ImportError as exc:
        raise InputError(
            "l'option --scheduler demande Dask, qui n'est pas installé : "
            "pip install 'fichegen[dask]'",
            field="--scheduler",
        ) from exc
    try:
        return Client(address, timeout=timeout or CONNECT_TIMEOUT, set_as_default=False)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError(
            f"impossible de joindre le planificateur Dask « {address} » : {exc} ; "
            "vérifiez l'adresse (tcp://HÔTE:8786) et que « dask scheduler » tourne",
            field="--scheduler",
        ) from exc


def run_on_dask(
    client: Any, task_fn: TaskFunction, tasks: Sequence[CommuneTask]
) -> Iterator[Reply]:
    """Yield one reply per task as the cluster completes them; cancel the rest on close.

    ``client`` comes from :func:`connect`; it is closed when the iteration ends.
    """
    if not tasks:
        client.close()
        return
    from distributed import as_completed

    token = uuid.uuid4().hex[:8]
    futures: dict[Any, CommuneTask] = {}
    try:
        for task in tasks:
            future = client.submit(
                call_task, task_fn, task, key=f"fiche15-{task.code_insee}-{token}", pure=False
            )
            futures[future] = task
        for future in as_completed(list(futures), loop=client.loop):  # type: ignore[no-untyped-call]
            task = futures.pop(future)
            try:
                reply: Reply = future.result()
            except Exception as exc:  # KilledWorker, CancelledError, lost connection...
                reply = failure_reply(
                    task.code_insee,
                    f"échec sur le cluster Dask ({type(exc).__name__} : {exc})",
                )
            future.release()
            yield reply
    finally:
        if futures:
            client.cancel(list(futures))
        client.close()
