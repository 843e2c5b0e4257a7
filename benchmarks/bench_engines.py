"""Benchmark of the two PDF engines, in process and as whole processes (figures printed).

Run from the checkout, after ``scripts/setup.sh --dev`` (the installed ``fichegen``):
``.venv/bin/python benchmarks/bench_engines.py [--repeat N] [--process-repeat N]``.

In process, for each document (the bundled profiles and reference-only communes), the
same composed document is rendered by WeasyPrint (``render_pdf``) and by Typst
(``render_typst_pdf``), interleaved; medians of CPU and wall time, and the median of the
per-repetition ratios.

As whole processes (wall and CPU time of each child, interleaved, medians), for
``--commune`` (Calais by default): ``fichegen render -f pdf`` with each engine, ``-f
docx``, and the baseline asked by issue 22: a ``python -c`` process rendering fichegen's
HTML for that commune with bare WeasyPrint (same stylesheets and map pictures, tagged
PDF). ``--processes-only`` skips the in-process part. On a shared machine, compare the
ratios (and CPU times) measured in the same run rather than the wall times.
"""

from __future__ import annotations

import argparse
import io
import logging
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMUNES = ("62193", "97411")  # Calais; Saint-Denis (La Réunion)

BARE = (
    "import sys, logging; logging.disable(logging.WARNING); from weasyprint import HTML; "
    "HTML(filename=sys.argv[1], base_url=sys.argv[2]).write_pdf(sys.argv[3], pdf_tags=True)"
)


def _timed(action: Callable[[], object]) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    action()
    return (time.process_time() - cpu) * 1000, (time.perf_counter() - wall) * 1000


def in_process(repeat: int) -> None:
    from pypdf import PdfReader

    import fichegen
    from fichegen.renderers.pdf import render_pdf
    from fichegen.renderers.typst_pdf import render_typst_pdf

    profiles = {p.name: fichegen.load_profile(p) for p in sorted((ROOT / "profiles").glob("*"))}
    profiles.update({f"--commune {c}": fichegen.profile_for_commune(c) for c in COMMUNES})
    print("\nEn processus : temps CPU médians en ms (temps réel médian entre parenthèses)")
    print("| document | WeasyPrint | Typst | WeasyPrint / Typst (CPU) | pages W / T |")
    print("|---|---:|---:|---:|---:|")
    for name, profile in profiles.items():
        doc = fichegen.compose(fichegen.build(profile))
        runs = {
            "weasyprint": lambda d=doc: render_pdf(d),
            "typst": lambda d=doc: render_typst_pdf(d),
        }
        pages = {
            k: len(PdfReader(io.BytesIO(action())).pages) for k, action in runs.items()
        }  # warm
        cpu: dict[str, list[float]] = {k: [] for k in runs}
        wall: dict[str, list[float]] = {k: [] for k in runs}
        for _ in range(repeat):
            for key, action in runs.items():
                c, w = _timed(action)
                cpu[key].append(c)
                wall[key].append(w)
        ratio = statistics.median(
            a / b for a, b in zip(cpu["weasyprint"], cpu["typst"], strict=True)
        )
        cells = [
            f"{statistics.median(cpu[k]):.0f} ({statistics.median(wall[k]):.0f})" for k in runs
        ]
        pages_text = f"{pages['weasyprint']} / {pages['typst']}"
        print(f"| {name} | {cells[0]} | {cells[1]} | {ratio:.1f} | {pages_text} |")


def _bare_html(code: str, folder: Path) -> tuple[Path, str]:
    """fichegen's HTML for the commune as WeasyPrint reads it, map pictures as files."""
    import fichegen
    import fichegen.renderers.fetcher as locked
    from fichegen.renderers.html import render_html

    doc = fichegen.compose(fichegen.build(fichegen.profile_for_commune(code)))
    html = render_html(doc, standalone=False)
    for name in set(re.findall(r"fichegen:generated/([\w.-]+)", html)):
        (folder / name).write_bytes(locked._GENERATED[f"fichegen:generated/{name}"])
        html = html.replace(f"fichegen:generated/{name}", (folder / name).as_uri())
    path = folder / "fiche.html"
    path.write_text(html, encoding="utf-8")
    return path, locked.asset_base_url()


def whole_process(code: str, repeat: int) -> None:
    fichegen_bin = str(Path(sys.executable).with_name("fichegen"))
    folder = Path(tempfile.mkdtemp(prefix="bench-engines-"))
    try:
        html, base = _bare_html(code, folder)
        render = [fichegen_bin, "render", "--commune", code, "-o", str(folder)]
        commands = {
            "python -c WeasyPrint nu (HTML de fichegen)": [
                sys.executable, "-c", BARE, str(html), base, str(folder / "bare.pdf")
            ],
            "fichegen render -f pdf": [*render, "-f", "pdf"],
            "fichegen render -f pdf --moteur typst": [*render, "-f", "pdf", "--moteur", "typst"],
            "fichegen render -f docx": [*render, "-f", "docx"],
        }  # fmt: skip
        times: dict[str, list[float]] = {k: [] for k in commands}
        cpus: dict[str, list[float]] = {k: [] for k in commands}
        for command in commands.values():  # once each, untimed: disk caches warm
            subprocess.run(command, check=True, capture_output=True)
        for _ in range(repeat):
            for key, command in commands.items():
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                start = time.perf_counter()
                subprocess.run(command, check=True, capture_output=True)
                times[key].append(time.perf_counter() - start)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpus[key].append(
                    after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
                )
        base_key = next(iter(commands))
        print(
            f"\nProcessus entiers (--commune {code}) : temps réel et temps processeur médians "
            f"sur {repeat} passes alternées ; rapports : médiane des rapports par passe"
        )
        print("| commande | réel (s) | réel / WeasyPrint nu | processeur (s) | processeur / nu |")
        print("|---|---:|---:|---:|---:|")
        for key in commands:
            wall = statistics.median(
                a / b for a, b in zip(times[key], times[base_key], strict=True)
            )
            cpu = statistics.median(a / b for a, b in zip(cpus[key], cpus[base_key], strict=True))
            print(
                f"| {key} | {statistics.median(times[key]):.2f} | {wall:.2f} "
                f"| {statistics.median(cpus[key]):.2f} | {cpu:.2f} |"
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="passes en processus")
    parser.add_argument("--process-repeat", type=int, default=5, help="passes par processus")
    parser.add_argument("--commune", default="62193")
    parser.add_argument("--skip-process", action="store_true")
    parser.add_argument(
        "--processes-only", action="store_true", help="seulement les processus entiers"
    )
    args = parser.parse_args()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    if not args.processes_only:
        in_process(args.repeat)
    if not args.skip_process:
        whole_process(args.commune, args.process_repeat)


if __name__ == "__main__":
    main()
