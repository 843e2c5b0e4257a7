"""Load test of ``fichegen serve`` (figures printed, not asserted; exit 1 on a bad status).

Starts ``fichegen serve`` on 127.0.0.1 (free port, ``-j N``), then, for each number of
``--users`` (e.g. ``1,8,30``, one round after another on the same server), runs that many
simulated users for ``--seconds`` seconds with a bounded asyncio client (httpx2). Each
user loops: type a commune name (search), change a figure (preview), now and then
download the PDF, with a short think time (after a 503, the Retry-After the server asks,
as the page does). Any status other than 200 or 503 is an error.
Prints latency percentiles (p50, p95, p99, max) per kind of request, the status counts,
the resident memory (RSS) of the server and its render workers before and after each
round, and the peak sampled every second from /proc.

With ``--rafale``, instead: the latency of one PDF request alone (median of 5 in a row),
then ``--users`` clients that each ask for one PDF at the same instant, twice; prints the
p95 of the burst over the single request, and the 503 count. ``--moteur`` is passed to
``fichegen serve``.

Usage, from the repository root (after ``scripts/setup.sh --dev``):
    .venv/bin/python benchmarks/bench_web.py [--users 1,8,30] [--seconds 30] [--jobs 2]
        [--moteur typst] [--rafale]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import httpx2 as httpx

COMMUNES = [
    ("59013", "Anstaing"),
    ("09122", "Foix"),
    ("59350", "Lille"),
    ("2A004", "Ajaccio"),
    ("82038", "Caylus"),
    ("35238", "Rennes"),
    ("13055", "Marseille"),
    ("97411", "Saint-Denis"),
]
MIX = (("recherche", 0.5), ("apercu", 0.38), ("pdf", 0.12))
THINK_S = (0.2, 1.0)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _children() -> dict[int, list[int]]:
    children: dict[int, list[int]] = defaultdict(list)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children[int(fields[1])].append(int(entry.name))
    return children


def _workers(server: int) -> list[int]:
    """The render workers: children of the server's forkserver (or of the server)."""
    children = _children()
    found: list[int] = []
    for pid in children.get(server, []):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"forkserver" in command:
            found.extend(children.get(pid, []))
        elif b"resource_tracker" not in command:
            found.append(pid)
    return found


def _rss_mb(pid: int) -> float | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return None


def _profile(rng: random.Random) -> dict[str, object]:
    code, _ = rng.choice(COMMUNES)
    return {
        "commune": {"code_insee": code},
        "petite_enfance": {
            "enfants_moins_3_ans": rng.randint(10, 3000),
            "places_eaje": rng.randint(0, 300),
            "demandes_en_attente": rng.randint(0, 80),
        },
        "priorites": [rng.choice(["locaux", "engagement", "creation"])],
    }


async def _user(
    client: httpx.AsyncClient,
    seed: int,
    stop_at: float,
    latencies: dict[str, list[float]],
    statuses: dict[tuple[str, int], int],
) -> None:
    rng = random.Random(seed)
    kinds, weights = zip(*MIX, strict=True)
    while time.monotonic() < stop_at:
        kind = rng.choices(kinds, weights)[0]
        start = time.perf_counter()
        if kind == "recherche":
            name = rng.choice(COMMUNES)[1]
            answer = await client.get("/api/communes", params={"q": name[: rng.randint(3, 6)]})
        elif kind == "apercu":
            answer = await client.post("/api/apercu", json=_profile(rng))
        else:
            answer = await client.post("/api/fiche?format=pdf", json=_profile(rng))
        elapsed = time.perf_counter() - start
        statuses[(kind, answer.status_code)] += 1
        if answer.status_code == 200:
            latencies[kind].append(elapsed)
        if answer.status_code == 503:  # as the page does: wait what the server asks
            await asyncio.sleep(min(float(answer.headers.get("retry-after", "5")), 10.0))
        else:
            await asyncio.sleep(rng.uniform(*THINK_S))


async def _sample_memory(server: int, stop_at: float, peaks: dict[int, float]) -> None:
    while time.monotonic() < stop_at:
        for pid in [server, *_workers(server)]:
            found = _rss_mb(pid)
            if found is not None and found > peaks.get(pid, 0.0):
                peaks[pid] = found
        await asyncio.sleep(1.0)


def _percentiles(values: list[float]) -> str:
    if not values:
        return "— | — | — | —"
    ordered = sorted(values)
    cuts = statistics.quantiles(ordered, n=100, method="inclusive") if len(ordered) > 1 else []

    def at(p: int) -> float:
        return ordered[0] if not cuts else cuts[p - 1]

    return f"{at(50):.2f} | {at(95):.2f} | {at(99):.2f} | {ordered[-1]:.2f}"


def _memory(server: int) -> str:
    """RSS of the server and of each live render worker, now."""
    workers = [rss for pid in _workers(server) if (rss := _rss_mb(pid)) is not None]
    own = _rss_mb(server) or 0.0
    listed = ", ".join(f"{rss:.0f}" for rss in sorted(workers))
    return f"serveur {own:.0f} Mo ; {len(workers)} processus de rendu : {listed} Mo"


async def _load(url: str, server: int, users: int, seconds: float) -> int:
    latencies: dict[str, list[float]] = defaultdict(list)
    statuses: dict[tuple[str, int], int] = defaultdict(int)
    peaks: dict[int, float] = {}
    limits = httpx.Limits(max_connections=users, max_keepalive_connections=users)
    before = _memory(server)
    stop_at = time.monotonic() + seconds
    async with httpx.AsyncClient(base_url=url, timeout=180.0, limits=limits) as client:
        await asyncio.gather(
            _sample_memory(server, stop_at, peaks),
            *(_user(client, seed, stop_at, latencies, statuses) for seed in range(users)),
        )
    print(f"\n{users} utilisateurs pendant {seconds:g} s contre {url}\n")
    print("| requête | réussies | 503 | autres | p50 (s) | p95 (s) | p99 (s) | max (s) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    bad = 0
    for kind, _ in MIX:
        ok = statuses.get((kind, 200), 0)
        busy = statuses.get((kind, 503), 0)
        other = sum(n for (k, s), n in statuses.items() if k == kind and s not in (200, 503))
        bad += other
        print(f"| {kind} | {ok} | {busy} | {other} | {_percentiles(latencies[kind])} |")
    others = {f"{k} {s}": n for (k, s), n in statuses.items() if s not in (200, 503)}
    if others:
        print(f"\nStatuts inattendus : {others}")
    await asyncio.sleep(2.0)  # let the last answers settle before the "after" reading
    print(f"\nMémoire résidente avant : {before}")
    print(f"Mémoire résidente après : {_memory(server)}")
    workers = sorted(rss for pid, rss in peaks.items() if pid != server)
    print(f"Mémoire résidente (pic) : serveur {peaks.get(server, 0):.0f} Mo ; ", end="")
    print(f"{len(workers)} processus de rendu vus (recyclés compris) : ", end="")
    print(", ".join(f"{rss:.0f}" for rss in workers) + " Mo")
    return 1 if bad else 0


async def _burst(url: str, users: int) -> int:
    """One PDF alone, then ``users`` PDFs at once (two rounds): p95 and 503 count."""
    rng = random.Random(7)
    limits = httpx.Limits(max_connections=users, max_keepalive_connections=users)
    async with httpx.AsyncClient(base_url=url, timeout=180.0, limits=limits) as client:

        async def one() -> tuple[int, float]:
            start = time.perf_counter()
            answer = await client.post("/api/fiche?format=pdf", json=_profile(rng))
            return answer.status_code, time.perf_counter() - start

        single = [(await one())[1] for _ in range(5)]
        results = []
        for _ in range(2):
            results += await asyncio.gather(*(one() for _ in range(users)))
    alone = statistics.median(single)
    ok = sorted(t for status, t in results if status == 200)
    busy = sum(1 for status, _ in results if status == 503)
    other = sum(1 for status, _ in results if status not in (200, 503))
    p95 = statistics.quantiles(ok, n=20, method="inclusive")[-1] if len(ok) > 1 else float("nan")
    print(f"\nPDF seul : médiane {alone:.2f} s sur 5 ; rafale de {users} clients, deux fois :")
    print(f"réussies {len(ok)}, 503 : {busy}, autres : {other} ; p50 {ok[len(ok) // 2]:.2f} s,")
    print(f"p95 {p95:.2f} s = {p95 / alone:.1f} fois une requête seule ; max {ok[-1]:.2f} s")
    return 1 if other else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", default="1,8,30", help="rounds, e.g. 1,8,30 (1 to 100 each)")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--moteur", choices=("weasyprint", "typst"), default="weasyprint")
    parser.add_argument("--rafale", action="store_true", help="PDF seul, puis tous à la fois")
    args = parser.parse_args()
    rounds = [min(max(int(n), 1), 100) for n in str(args.users).split(",") if n.strip()]
    seconds = min(max(args.seconds, 5.0), 600.0)  # bounded run
    port = _free_port()
    fichegen = Path(sys.executable).with_name("fichegen")
    command = [str(fichegen), "serve", "--port", str(port), "-j", str(args.jobs)]
    command += ["--moteur", args.moteur]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(url + "/sante", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                if server.poll() is not None or time.monotonic() > deadline:
                    print("le serveur n'a pas démarré", file=sys.stderr)
                    return 1
                time.sleep(0.3)
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"commande : {' '.join(['fichegen', *command[1:]])} ; cœurs : {os.cpu_count()}")
        print(f"charge de la machine au départ (1, 5, 15 min) : {load}")
        bad = 0
        for users in rounds:
            if args.rafale:
                bad |= asyncio.run(_burst(url, users))
            else:
                bad |= asyncio.run(_load(url, server.pid, users, seconds))
        return bad
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    sys.exit(main())
