"""Measure the DOCX renderer per fiche, and LibreOffice converting that DOCX to PDF.

Prints figures, asserts nothing. Run from the checkout::

    PYTHONPATH=. python benchmarks/bench_docx.py [--runs 20] [--soffice-runs 3]

Fiches: the bundled profiles when the public API can build them, plus the hand-built
sample document of the renderer tests. For each: ``render_docx`` (median of ``--runs``),
the part of it spent drawing the map picture (``map_jpeg``; the rest is the DOCX writer
itself), and, as the peer a user would otherwise reach for, ``soffice --headless
--convert-to pdf`` on the same DOCX (a new LibreOffice process each time, as from a
script; the profile is created beforehand).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fichegen.document.model import Block, Document, MapFigure, Section  # noqa: E402
from fichegen.renderers import docx as docx_module  # noqa: E402
from fichegen.renderers.docx import render_docx  # noqa: E402


def _timings_ms(func: Callable[[], object], runs: int) -> tuple[float, float]:
    """(median, minimum) in ms; the minimum is the least disturbed by a shared machine."""
    func()  # warm caches (reference document, fonts)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, min(times) * 1000


def _layout_only_ms(document: Document, runs: int) -> tuple[float, float]:
    """render_docx with the map pictures drawn beforehand: the DOCX renderer's own time."""
    drawn = {
        id(figure): docx_module.map_jpeg(figure, width_px=1600)
        for figure in _maps(document.sections)
    }
    original = docx_module.map_jpeg
    docx_module.map_jpeg = lambda figure, width_px=1600: drawn[id(figure)]  # type: ignore[assignment]
    try:
        return _timings_ms(lambda: render_docx(document), runs)
    finally:
        docx_module.map_jpeg = original


def _maps(blocks: tuple[Block, ...]) -> list[MapFigure]:
    found: list[MapFigure] = []
    for block in blocks:
        if isinstance(block, MapFigure):
            found.append(block)
        elif isinstance(block, Section):
            found.extend(_maps(block.blocks))
    return found


def _documents() -> list[tuple[str, Document]]:
    documents: list[tuple[str, Document]] = []
    try:
        import fichegen
        from fichegen.document.compose import compose

        for path in sorted((ROOT / "profiles").glob("*.yaml")):
            fiche = fichegen.build(fichegen.load_profile(path))  # type: ignore[attr-defined]
            documents.append((path.name, compose(fiche)))
    except (AttributeError, ImportError) as exc:  # API not available in this checkout
        print(f"(profils non rendus : {exc})")
    from tests.support_render import sample_document

    documents.append(("support_render.sample_document", sample_document()))
    return documents


def _soffice_ms(docx_bytes: bytes, runs: int) -> float | None:
    soffice = shutil.which("soffice")
    if soffice is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = folder / "fiche.docx"
        source.write_bytes(docx_bytes)
        profile = (folder / f"lo_profile_{os.getpid()}").as_uri()
        command = [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ]
        subprocess.run(command, capture_output=True, check=True)  # creates the profile
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(command, capture_output=True, check=True)
            times.append(time.perf_counter() - start)
        if not (folder / "fiche.pdf").exists():
            return None
        return statistics.median(times) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--soffice-runs", type=int, default=3)
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cœurs, --runs {args.runs}")
    print("temps en ms, médiane / minimum ; « hors carte » : image de la carte déjà dessinée")
    header = (
        f"{'fiche':34} {'DOCX complet':>15} {'DOCX hors carte':>16} {'Ko':>5}"
        f" {'soffice DOCX → PDF':>19}"
    )
    print(header)
    for name, document in _documents():
        data = render_docx(document)
        total = _timings_ms(lambda document=document: render_docx(document), args.runs)
        layout = _layout_only_ms(document, args.runs)
        soffice = _soffice_ms(data, args.soffice_runs)
        soffice_text = f"{soffice:.0f}" if soffice is not None else "(absent)"
        print(
            f"{name:34} {total[0]:7.1f} / {total[1]:5.1f} {layout[0]:7.1f} / {layout[1]:6.1f}"
            f" {len(data) / 1024:5.0f} {soffice_text:>19}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
