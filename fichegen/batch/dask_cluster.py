"""Run the batch tasks on a ``dask.distributed`` cluster instead of local processes.

The very same task function runs on the Dask workers and returns bytes; the client
(this process) writes every file and the manifest, so workers need no shared disk.
Dask is an optional extra: ``pip install 'fichegen[dask]'``.

The scheduler address is checked before any client is made: only ``tcp://HOST:PORT``
(or ``HOST:PORT``) is accepted, and the port must answer. A worker process that dies is
restarted by its nanny and the task is retried by the scheduler
(``distributed.scheduler.allowed-failures``); after that the commune fails with
``KilledWorker``. When no worker at all is connected for :data:`NO_WORKER_S` seconds (or
the scheduler is lost), the remaining communes fail with a message saying so. The
per-commune timeout of the local pool is not enforced here. Each worker writes its
temporary files to a folder of its own, deleted when the batch ends
(:mod:`fichegen.batch.dask_plugin`).
"""

from __future__ import annotations

import contextlib
import socket
import time
import uuid
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import urlsplit

from fichegen.batch.worker import CommuneTask, Reply, TaskFunction, call_task, failure_reply
from fichegen.errors import InputError, missing_extra, shorten

__all__ = ["connect", "parse_address", "run_on_dask"]


CONNECT_TIMEOUT = "20s"
PROBE_TIMEOUT_S = 5.0
NO_WORKER_S = 60.0
"""Seconds without any connected worker after which the remaining communes fail."""
POLL_S = 0.5

_FORM = "tcp://HÔTE:PORT (par exemple tcp://10.0.0.5:8786)"


def _refuse(address: str, why: str) -> InputError:
    return InputError(
        f"adresse de planificateur Dask invalide « {shorten(address)} » : {why} ; "
        f"forme attendue : {_FORM}",
        field="--scheduler",
    )


def parse_address(address: str) -> tuple[str, str, int]:
    """``tcp://host:port`` (or ``host:port``) → (normalized address, host, port).

    Other protocols are refused: ``tls://`` needs certificates that fichegen does not
    configure, ``inproc://`` only exists inside one process, ``ucx://`` and ``ws://`` need
    extra packages, ``http://`` is the dashboard, not the scheduler.
    """
    text = address.strip()
    if not text:
        raise _refuse(address, "adresse vide")
    if any(ch.isspace() or not ch.isprintable() for ch in text):
        raise _refuse(address, "espace ou caractère invisible dans l'adresse")
    scheme, sep, rest = text.partition("://")
    if not sep:
        scheme, rest = "tcp", text
    if scheme.lower() != "tcp":
        raise _refuse(
            address, f"protocole « {shorten(scheme)} » non pris en charge (tcp seulement)"
        )
    try:
        parts = urlsplit(f"tcp://{rest}")
        host, port = parts.hostname, parts.port
    except ValueError:
        raise _refuse(address, "port invalide (un nombre de 1 à 65535)") from None
    if parts.path or parts.query or parts.fragment or parts.username or parts.password:
        raise _refuse(address, "ni chemin, ni paramètres, ni identifiants dans l'adresse")
    if not host:
        raise _refuse(address, "nom d'hôte manquant")
    if port is None or not 1 <= port <= 65535:
        raise _refuse(address, "numéro de port manquant")
    shown = f"[{host}]" if ":" in host else host
    return f"tcp://{shown}:{port}", host, port


def connect(address: str, timeout: str | None = None) -> Any:
    """A client of the scheduler at ``address``; a bad or unreachable one is bad input
    (exit 2), and no half-made client is left behind."""
    normalized, host, port = parse_address(address)
    try:
        from distributed import Client
    except ImportError as exc:
        raise InputError(
            missing_extra("dask", "l'option --scheduler"), field="--scheduler"
        ) from exc
    unreachable = (
        f"impossible de joindre le planificateur Dask « {shorten(normalized)} »"
        " ; vérifiez l'adresse et que « dask scheduler » tourne"
    )
    try:  # a plain TCP probe first: Dask's own client hangs on some failures
        socket.create_connection((host, port), timeout=PROBE_TIMEOUT_S).close()
    except (OSError, UnicodeError) as exc:
        raise InputError(f"{unreachable} ({_os_reason(exc)})", field="--scheduler") from None
    client = _GuardedClient.make(Client, normalized, timeout or CONNECT_TIMEOUT)
    if client is None:
        raise InputError(
            f"{unreachable} (le port répond, mais aucun planificateur Dask n'y a répondu à temps)",
            field="--scheduler",
        )
    return client


def _os_reason(exc: BaseException) -> str:
    from fichegen.errors import os_error_text

    if isinstance(exc, TimeoutError | socket.timeout):
        return "pas de réponse"
    if isinstance(exc, socket.gaierror):
        return "nom d'hôte inconnu"
    if isinstance(exc, ConnectionRefusedError):
        return "connexion refusée"
    return os_error_text(exc) if isinstance(exc, OSError) else "adresse illisible"


class _GuardedClient:
    """Make a Dask client; if its start fails, stop its event loop at once so that no
    ``Client.__del__`` later waits on a scheduler that never answered."""

    @staticmethod
    def make(client_class: Any, address: str, timeout: str) -> Any:
        made: list[Any] = []

        class Guarded(client_class):  # type: ignore[misc]
            def start(self, **kwargs: Any) -> None:
                made.append(self)
                # Dask's own timeout does not cover a port that accepts and stays silent:
                # bound the whole start (sync() takes callback_timeout for that).
                super().start(callback_timeout=timeout, **kwargs)

        try:
            return Guarded(address, timeout=timeout, set_as_default=False)
        except Exception:
            for client in made:
                _abandon(client)
            return None


def _abandon(client: Any) -> None:
    """Stop a client that never connected, without talking to the scheduler."""
    with contextlib.suppress(Exception):
        client.status = "closed"
        client._loop_runner.stop()


def _workers(client: Any) -> int | None:
    """Number of connected workers, or None if the scheduler cannot be asked."""
    if client.status not in ("running", "connecting"):
        return None
    try:
        return len(client.nthreads())
    except Exception:
        return None


def run_on_dask(
    client: Any, task_fn: TaskFunction, tasks: Sequence[CommuneTask]
) -> Iterator[Reply]:
    """Yield one reply per task as the cluster completes them; cancel the rest on close.

    ``client`` comes from :func:`connect`; it is closed when the iteration ends, whatever
    ends it.
    """
    plugin = None
    try:
        if not tasks:
            return
        plugin = _private_folders(client)
        yield from _run(client, task_fn, tasks)
    finally:
        if plugin is not None:  # each worker deletes its folder (see dask_plugin)
            with contextlib.suppress(Exception):
                client.unregister_worker_plugin(plugin)
        try:
            client.close(timeout=10)
        except Exception:
            _abandon(client)


def _private_folders(client: Any) -> str | None:
    """Register :class:`~fichegen.batch.dask_plugin.PrivateTempFolder` on the cluster for
    this batch; its name, or None if the scheduler refused it (the batch then runs with
    the workers' own temporary folder)."""
    from fichegen.batch.dask_plugin import PrivateTempFolder

    name = f"fichegen-dossier-temporaire-{uuid.uuid4().hex[:8]}"
    try:
        client.register_plugin(PrivateTempFolder(), name=name)
    except Exception:
        return None
    return name


def _run(client: Any, task_fn: TaskFunction, tasks: Sequence[CommuneTask]) -> Iterator[Reply]:
    from distributed import as_completed

    token = uuid.uuid4().hex[:8]
    futures: dict[Any, CommuneTask] = {}
    try:
        for task in tasks:
            future = client.submit(
                call_task, task_fn, task, key=f"fiche15-{task.code_insee}-{token}", pure=False
            )
            futures[future] = task
        queue = as_completed(list(futures), loop=client.loop)  # type: ignore[no-untyped-call]
        last_worker = time.monotonic()
        last_check = 0.0
        while futures:
            ready = queue.next_batch(block=False)  # type: ignore[no-untyped-call]
            for future in ready:
                yield _reply(futures.pop(future), future)
            if ready:
                continue
            now = time.monotonic()
            if now - last_check >= 2 * POLL_S:
                last_check = now
                count = _workers(client)
                if count:
                    last_worker = now
                elif now - last_worker >= NO_WORKER_S:
                    reason = (
                        "planificateur Dask perdu"
                        if count is None
                        else "aucun travailleur Dask connecté"
                    )
                    yield from _fail_all(futures, client, reason)
                    return
            time.sleep(POLL_S)
    finally:
        if futures:
            with contextlib.suppress(Exception):
                client.cancel(list(futures))


def _reply(task: CommuneTask, future: Any) -> Reply:
    try:
        reply: Reply = future.result()
    except Exception as exc:  # KilledWorker, CancelledError, lost connection...
        detail = shorten(str(exc), 120)
        reply = failure_reply(
            task.code_insee,
            f"échec sur le cluster Dask ({type(exc).__name__}{' : ' + detail if detail else ''})",
        )
    future.release()
    return reply


def _fail_all(futures: dict[Any, CommuneTask], client: Any, reason: str) -> Iterator[Reply]:
    """Fail every commune still waiting, with one clear message."""
    with contextlib.suppress(Exception):
        client.cancel(list(futures))
    message = (
        f"{reason} depuis {NO_WORKER_S:g} s : commune non produite ; relancez la commande "
        "quand des travailleurs sont connectés (les fiches déjà produites seront gardées)"
    )
    for future, task in list(futures.items()):
        futures.pop(future)
        yield failure_reply(task.code_insee, message)
