"""Benchmark of the PDF (and DOCX) renderers: prints figures, asserts nothing.

Run from the checkout: ``PYTHONPATH=.:tests python benchmarks/bench_pdf.py [--repeat N]``.

For each document (the bundled profiles and reference-only communes), in one run and
interleaved (each repetition runs every variant once, so machine load hits them alike):

* ``fichegen``: profile → build → compose → HTML → PDF (``render_pdf``: locked fetcher,
  option checks, glyph check for PDF/A, pinned timestamps), the whole of fichegen's path;
* ``bare``: WeasyPrint alone on the same HTML, same stylesheets, same map pictures (written
  to a temporary folder), same options (tagged PDF), its own fetcher and no shared cache;
* ``sans carte``: ``render_pdf`` of the same document without its map section;
* ``DOCX``: ``render_docx`` of the same document;
* for ``lille.yaml``, ``0.1.0``: bare WeasyPrint on the HTML the previous release wrote
  for the same fiche (``benchmarks/fixtures/lille-0.1.0.html.gz``, frozen copy: its map is
  the old all-vector SVG).

Times are medians of CPU time of this process (``time.process_time``: less sensitive than
wall time to other processes on a shared machine) and of wall time; ratios are computed
per repetition, then the median is taken.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import logging
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import fichegen  # noqa: E402
import fichegen.renderers.fetcher as locked  # noqa: E402  (imports WeasyPrint quietly)
from fichegen.document.model import Document  # noqa: E402
from fichegen.inputs.profile import Profile  # noqa: E402
from fichegen.renderers.docx import render_docx  # noqa: E402
from fichegen.renderers.html import render_html  # noqa: E402
from fichegen.renderers.pdf import pdf_options, render_pdf  # noqa: E402

OLD_HTML = ROOT / "benchmarks" / "fixtures" / "lille-0.1.0.html.gz"
COMMUNES = ("62193", "97411")  # Calais; Saint-Denis (La Réunion)


def _timed(action: Callable[[], object]) -> tuple[float, float]:
    """(CPU ms, wall ms) of one call."""
    cpu, wall = time.process_time(), time.perf_counter()
    action()
    return (time.process_time() - cpu) * 1000, (time.perf_counter() - wall) * 1000


def _profiles() -> dict[str, Profile]:
    profiles = {p.name: fichegen.load_profile(p) for p in sorted((ROOT / "profiles").glob("*"))}
    profiles.update({f"--commune {c}": fichegen.profile_for_commune(c) for c in COMMUNES})
    return profiles


def _full(profile: Profile) -> bytes:
    return render_pdf(fichegen.compose(fichegen.build(profile)))


def _bare_html(doc: Document, folder: Path) -> str:
    """The HTML render_pdf gives WeasyPrint, its map pictures written to ``folder``."""
    html = render_html(doc, standalone=False)
    for name in set(re.findall(r"fichegen:generated/([\w.-]+)", html)):
        data = locked._GENERATED[f"fichegen:generated/{name}"]
        (folder / name).write_bytes(data)
        html = html.replace(f"fichegen:generated/{name}", (folder / name).as_uri())
    return html


Times = dict[str, list[float]]


def _median(values: list[float]) -> float:
    return statistics.median(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", default="", help="documents whose name contains this")
    args = parser.parse_args()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    from weasyprint import HTML

    same = {k: v for k, v in pdf_options(None).items() if k != "pdf_variant"}
    base = locked.asset_base_url()
    folder = Path(tempfile.mkdtemp(prefix="bench-pdf-"))
    old_html = gzip.decompress(OLD_HTML.read_bytes()).decode() if OLD_HTML.exists() else None

    def bare(html: str) -> Callable[[], object]:
        return lambda: HTML(string=html, base_url=base).write_pdf(**same)

    print(
        "temps CPU médians en ms (temps réel médian entre parenthèses) ; "
        "rapports : médiane des rapports par répétition"
    )
    header = (
        f"{'document':<22} {'fichegen':>14} {'bare':>14} {'sans carte':>14} {'DOCX':>12}"
        f" {'fg/bare':>8} {'carte':>7} {'DOCX/PDF':>9} {'0.1.0 bare':>14} {'bare/0.1.0':>10}"
    )
    print(header)
    for name, profile in _profiles().items():
        if args.only not in name:
            continue
        doc = fichegen.compose(fichegen.build(profile))
        without = dataclasses.replace(
            doc, sections=tuple(s for s in doc.sections if s.id != "carte")
        )
        html = _bare_html(doc, folder)
        runs: dict[str, Callable[[], object]] = {
            "fichegen": lambda profile=profile: _full(profile),  # type: ignore[misc]
            "bare": bare(html),
            "pdf": lambda doc=doc: render_pdf(doc),  # type: ignore[misc]
            "sans carte": lambda without=without: render_pdf(without),  # type: ignore[misc]
            "docx": lambda doc=doc: render_docx(doc),  # type: ignore[misc]
        }
        if old_html is not None and name == "lille.yaml":
            runs["old"] = bare(old_html)
        for action in runs.values():  # warm caches (fonts, templates, map pictures)
            action()
        cpu: dict[str, list[float]] = {key: [] for key in runs}
        wall: dict[str, list[float]] = {key: [] for key in runs}
        for _ in range(args.repeat):
            for key, action in runs.items():
                c, w = _timed(action)
                cpu[key].append(c)
                wall[key].append(w)

        def ratio(a: str, b: str, cpu: dict[str, list[float]] = cpu) -> float:
            return _median([x / y for x, y in zip(cpu[a], cpu[b], strict=True)])

        def cell(key: str, width: int = 14, cpu: Times = cpu, wall: Times = wall) -> str:
            if key not in cpu:
                return f"{'—':>{width}}"
            text = f"{_median(cpu[key]):.0f} ({_median(wall[key]):.0f})"
            return f"{text:>{width}}"

        share = 1 - ratio("sans carte", "pdf")
        old = f"{ratio('bare', 'old'):10.2f}" if "old" in cpu else f"{'—':>10}"
        print(
            f"{name:<22} {cell('fichegen')} {cell('bare')} {cell('sans carte')} "
            f"{cell('docx', 12)} {ratio('fichegen', 'bare'):8.3f} {share * 100:6.1f}%"
            f" {ratio('docx', 'pdf') * 100:8.1f}% {cell('old')} {old}"
        )


if __name__ == "__main__":
    main()
