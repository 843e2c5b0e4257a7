"""One-shot fiches as whole processes, before and after: the start-up of ``fichegen render``.

Run from the checkout with the venv's Python::

    .venv/bin/python benchmarks/bench_startup.py [--repeat N] [--commune CODE]
        [--avant /chemin/vers/un/autre/venv/bin/fichegen]

Each pass runs, in turn: a ``python -c`` process rendering fichegen's HTML for the commune
with bare WeasyPrint (the baseline of issue 22, as in ``bench_engines.py``), the same with
WeasyPrint imported as fichegen imports it (``renderers/weasy_import.py``), then
``fichegen render --commune CODE`` with ``-f pdf``, ``-f docx`` and ``-f pdf --moteur
typst``, for this venv's ``fichegen`` and, with ``--avant``, for another installation (an
older version, to compare). One untimed pass first fills the disk caches; each
installation has its own cache folder (``FICHEGEN_CACHE``), so that two versions never evict
each other's entries. Medians of wall
and CPU time (user + system of the child) and the median of the per-pass ratios to the
baseline. On a shared machine, compare the ratios, measured in the same passes.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_engines import BARE, _bare_html

QUICK = (
    "from fichegen.renderers.weasy_import import import_weasyprint; import_weasyprint(); " + BARE
)


def _timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="passes alternées")
    parser.add_argument("--commune", default="62193")
    parser.add_argument("--avant", help="un autre programme fichegen, à comparer")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    try:
        html, base = _bare_html(args.commune, folder)
        programs = {"": str(Path(sys.executable).with_name("fichegen"))}
        if args.avant:
            programs = {" (avant)": args.avant, " (après)": programs[""]}
        bare = [str(html), base, str(folder / "bare.pdf")]
        commands = {
            "python -c WeasyPrint nu": [sys.executable, "-c", BARE, *bare],
            # The same, WeasyPrint imported as fichegen imports it (no gcc looking for its
            # libraries): what fichegen itself adds is the PDF's time over this one.
            "python -c WeasyPrint nu, import de fichegen": [sys.executable, "-c", QUICK, *bare],
        }
        # Each installation gets its own cache folder: sharing one, two versions would
        # evict each other's stored knowledge base on every run (one entry per kind is kept).
        envs: dict[str, dict[str, str] | None] = {k: None for k in commands}
        for fmt in (["-f", "pdf"], ["-f", "docx"], ["-f", "pdf", "--moteur", "typst"]):
            for number, (label, program) in enumerate(programs.items()):
                render = [program, "render", "--commune", args.commune, "-o", str(folder)]
                key = f"fichegen render {' '.join(fmt)}{label}"
                commands[key] = [*render, *fmt]
                envs[key] = {**os.environ, "FICHEGEN_CACHE": str(folder / f"cache-{number}")}
        walls: dict[str, list[float]] = {k: [] for k in commands}
        cpus: dict[str, list[float]] = {k: [] for k in commands}
        for key, command in commands.items():
            subprocess.run(command, check=True, capture_output=True, env=envs[key])
        for _ in range(args.repeat):
            for key, command in commands.items():
                wall, cpu = _timed(command, envs[key])
                walls[key].append(wall)
                cpus[key].append(cpu)
        base_key = next(iter(commands))
        print(f"--commune {args.commune}, {args.repeat} passes alternées (médianes)")
        print("| processus | réel (s) | réel / nu | processeur (s) | processeur / nu |")
        print("|---|---:|---:|---:|---:|")
        for key in commands:
            wall_ratio = statistics.median(
                a / b for a, b in zip(walls[key], walls[base_key], strict=True)
            )
            cpu_ratio = statistics.median(
                a / b for a, b in zip(cpus[key], cpus[base_key], strict=True)
            )
            print(
                f"| {key} | {statistics.median(walls[key]):.2f} | {wall_ratio:.2f} "
                f"| {statistics.median(cpus[key]):.2f} | {cpu_ratio:.2f} |"
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
