"""WeasyPrint work per fiche: this checkout against earlier versions, in the same run.

Run from the checkout, after ``scripts/setup.sh --dev``:
``.venv/bin/python benchmarks/bench_weasy_work.py [--repeat N] [--base REV ...]``.

Each version (this checkout, and each ``--base`` revision, by default ``ca12f98``, v0.2
when issue 22 was filed, and ``4aee5b4``) runs in its own long-lived Python process of
the same virtual environment, its package taken from its own source tree through
``PYTHONPATH`` (a ``git archive`` of the revision in a temporary folder; the process
checks that ``import fichegen`` picks that tree). Every process composes the same
documents (the bundled profiles and ``--commune`` fiches), renders each once untimed
(warm: fonts, stylesheets, map backgrounds), then renders on request: the parent asks
each version in turn for the same document, so load on the machine hits them alike.

Printed: median CPU time of ``render_pdf`` per fiche (process time, ms; median wall time
in brackets), pages, CPU per page, and the medians of the per-repetition ratios of this
checkout to each base, per fiche and per page. Content grew between versions (more
sections), so the per-page ratio is the fairer one for the work WeasyPrint does per page.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BASES = ("ca12f98", "4aee5b4")
COMMUNES = ("62193",)

WORKER = r"""
import io, logging, sys, time
from pypdf import PdfReader
logging.disable(logging.WARNING)
root, names = sys.argv[1], sys.argv[2:]
import fichegen
from fichegen.renderers.pdf import render_pdf
if not fichegen.__file__.startswith(root):
    sys.exit(f"fichegen from {fichegen.__file__}, expected under {root}")
docs = []
for name in names:
    if name.startswith("--commune "):
        profile = fichegen.profile_for_commune(name.split()[1])
    else:
        profile = fichegen.load_profile(name)
    docs.append(fichegen.compose(fichegen.build(profile)))
pages = [len(PdfReader(io.BytesIO(render_pdf(d))).pages) for d in docs]  # warm
print("READY", *pages, flush=True)
for line in sys.stdin:
    doc = docs[int(line)]
    cpu, wall = time.process_time(), time.perf_counter()
    render_pdf(doc)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print("R", cpu * 1000, wall * 1000, flush=True)
"""


@dataclass
class Version:
    label: str
    tree: Path
    process: subprocess.Popen[str] | None = None
    pages: list[int] = field(default_factory=list)
    cpu: dict[int, list[float]] = field(default_factory=dict)
    wall: dict[int, list[float]] = field(default_factory=dict)

    def start(self, names: list[str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", WORKER, str(self.tree), *names],
            cwd=self.tree,
            env={**os.environ, "PYTHONPATH": str(self.tree)},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def _line(self, prefix: str) -> list[str]:
        assert self.process is not None and self.process.stdout is not None
        for line in self.process.stdout:
            if line.startswith(prefix + " "):
                return line.split()[1:]
        raise RuntimeError(f"{self.label}: le processus de mesure s’est arrêté")

    def ready(self) -> None:
        self.pages = [int(p) for p in self._line("READY")]

    def render(self, index: int) -> None:
        assert self.process is not None and self.process.stdin is not None
        self.process.stdin.write(f"{index}\n")
        self.process.stdin.flush()
        cpu, wall = (float(v) for v in self._line("R"))
        self.cpu.setdefault(index, []).append(cpu)
        self.wall.setdefault(index, []).append(wall)

    def stop(self) -> None:
        if self.process is not None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            self.process.wait(timeout=60)


def _archive(rev: str, folder: Path) -> Path:
    tree = folder / rev
    tree.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return tree


def _ratio(mine: list[float], theirs: list[float], scale: float) -> float:
    return statistics.median(a / b * scale for a, b in zip(mine, theirs, strict=True))


def report(versions: list[Version], names: list[str], repeat: int) -> None:
    current, bases = versions[0], versions[1:]
    print(f"\nrender_pdf dans le processus, {repeat} passes alternées après une passe de chauffe")
    print("temps CPU médian en ms (temps réel médian entre parenthèses) ; pages ; ms CPU par page")
    head = " | ".join(f"{v.label}" for v in versions)
    ratios = " | ".join(f"{current.label} / {b.label} (fiche ; page)" for b in bases)
    print(f"| document | {head} | {ratios} |")
    print("|---|" + "---:|" * (len(versions) + len(bases)))
    for i, name in enumerate(names):
        cells = []
        for v in versions:
            cpu = statistics.median(v.cpu[i])
            wall = statistics.median(v.wall[i])
            cells.append(f"{cpu:.0f} ({wall:.0f}) ; {v.pages[i]} p. ; {cpu / v.pages[i]:.0f}")
        for b in bases:
            per_fiche = _ratio(current.cpu[i], b.cpu[i], 1.0)
            per_page = _ratio(current.cpu[i], b.cpu[i], b.pages[i] / current.pages[i])
            cells.append(f"{per_fiche:.2f} ; {per_page:.2f}")
        print(f"| {name} | " + " | ".join(cells) + " |")
    for b in bases:
        fiche = [_ratio(current.cpu[i], b.cpu[i], 1.0) for i in range(len(names))]
        page = [
            _ratio(current.cpu[i], b.cpu[i], b.pages[i] / current.pages[i])
            for i in range(len(names))
        ]
        print(
            f"médiane des documents, {current.label} / {b.label} : "
            f"par fiche {statistics.median(fiche):.2f}, par page {statistics.median(page):.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="passes mesurées")
    parser.add_argument(
        "--base", action="append", help="révision de référence (plusieurs possibles)"
    )
    parser.add_argument("--commune", action="append", help="fiche sans profil (code INSEE)")
    parser.add_argument("--document", action="append", help="ne mesurer que ces documents")
    args = parser.parse_args()
    names = [str(p) for p in sorted((ROOT / "profiles").glob("*.yaml"))]
    names += [f"--commune {c}" for c in (args.commune or COMMUNES)]
    if args.document:
        names = [n for n in names if any(d in n for d in args.document)]
    folder = Path(tempfile.mkdtemp(prefix="bench-weasy-"))
    versions = [Version("actuel", ROOT)]
    try:
        for rev in args.base or DEFAULT_BASES:
            versions.append(Version(rev, _archive(rev, folder)))
        for v in versions:
            v.start(names)
        for v in versions:
            v.ready()
        for rep in range(args.repeat):
            for i in range(len(names)):
                shift = (rep + i) % len(versions)  # each version goes first in turn
                for v in versions[shift:] + versions[:shift]:
                    v.render(i)
        labels = [Path(n).name if n.endswith(".yaml") else n for n in names]
        report(versions, labels, args.repeat)
    finally:
        for v in versions:
            v.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
