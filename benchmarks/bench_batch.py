"""Benchmark of batch generation (figures printed, not asserted).

1. Territoire de Belfort (90, 101 communes) in PDF and DOCX with -j 1 then -j 2, in
   the same run: wall time and speed-up (target >= 1.7 on 2 cores).
2. Peak resident memory of one worker that renders the whole département without
   recycling (the -j 1 run): after its 50th fiche and at the end (target: within 10 %).
3. A no-op rerun of the -j 2 folder (target under 3 s).
4. Pas-de-Calais (62) end to end in PDF and DOCX with -j 2 (target under 6 minutes), or
   with ``--sample N`` only N communes spread over the département, the time for all 887
   extrapolated from them (an extrapolation, say so when quoting it), and a per-fiche,
   per-stage breakdown measured in this process on ``--stages K`` of them.

Usage, from the repository root:
    PYTHONPATH=. python benchmarks/bench_batch.py [--workdir DIR] [--skip-62] [--jobs N]
    PYTHONPATH=. python benchmarks/bench_batch.py --only-62 --sample 40 --stages 8
    PYTHONPATH=. python benchmarks/bench_batch.py --only-62 --old-source DIR
        (DIR: the previous release's source tree, e.g. ``git archive v0.1.0 | tar -x -C DIR``:
        CPU per fiche of both, in alternating processes, on communes of the 62)
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path

from fichegen.batch.result import CommuneResult
from fichegen.batch.run import iter_batch
from fichegen.options import RenderOptions

OPTIONS = RenderOptions(formats=("pdf", "docx"), date=date(2026, 3, 1))


def run(
    departement: str,
    out: Path,
    jobs: int,
    *,
    force: bool = True,
    max_tasks: int = 100,
    codes: list[str] | None = None,
) -> tuple[float, list[CommuneResult]]:
    start = time.perf_counter()
    batch = iter_batch(
        departement,
        output_dir=out,
        options=OPTIONS,
        jobs=jobs,
        force=force,
        max_tasks_per_worker=max_tasks,
        codes=codes,
    )
    results = list(batch)
    return time.perf_counter() - start, results


def describe(label: str, seconds: float, results: list[CommuneResult]) -> None:
    counts = {s: sum(r.status == s for r in results) for s in ("ok", "skipped", "failed")}
    rate = len(results) / seconds if seconds else 0.0
    print(
        f"{label}: {seconds:.1f} s, {len(results)} communes, {rate:.2f} communes/s, "
        f"ok={counts['ok']} skipped={counts['skipped']} failed={counts['failed']}"
    )
    for failure in [r for r in results if r.status == "failed"][:3]:
        print(f"  failure {failure.code_insee}: {(failure.error or '').splitlines()[0]}")


def memory(results: list[CommuneResult]) -> None:
    by_worker: dict[int, list[int]] = {}
    for result in results:
        if result.worker_pid and result.peak_rss_kb:
            by_worker.setdefault(result.worker_pid, []).append(result.peak_rss_kb)
    for pid, peaks in by_worker.items():
        if len(peaks) < 50:
            print(f"worker {pid}: {len(peaks)} fiches, peak RSS {peaks[-1] / 1024:.0f} MiB")
            continue
        after_50, end = peaks[49], peaks[-1]
        growth = 100 * (end - after_50) / after_50
        print(
            f"worker {pid}: {len(peaks)} fiches, peak RSS after 50 = {after_50 / 1024:.0f} MiB, "
            f"at the end = {end / 1024:.0f} MiB ({growth:+.1f} %)"
        )


def sample_codes(departement: str, count: int) -> tuple[list[str], int]:
    """``count`` communes spread evenly over the département (by code), and its size."""
    from fichegen.reference.lookup import load_reference

    codes = sorted(c.code_insee for c in load_reference().communes_of(departement))
    step = max(1, len(codes) // count)
    return codes[::step][:count], len(codes)


def stages(codes: list[str]) -> None:
    """Per-fiche time of each stage, in this process (CPU ms, median over the communes)."""
    import statistics

    import fichegen
    from fichegen.renderers.docx import render_docx
    from fichegen.renderers.html import render_html
    from fichegen.renderers.pdf import pdf_options, write_pdf

    options = pdf_options(None)
    names = ("build", "compose", "html", "weasyprint", "docx")
    times: dict[str, list[float]] = {name: [] for name in names}
    for index, code in enumerate(codes):
        marks = [time.process_time()]
        fiche = fichegen.build(fichegen.profile_for_commune(code))
        marks.append(time.process_time())
        doc = fichegen.compose(fiche)
        marks.append(time.process_time())
        html = render_html(doc, standalone=False)
        marks.append(time.process_time())
        write_pdf(html, options, date_iso=doc.date_iso)
        marks.append(time.process_time())
        render_docx(doc)
        marks.append(time.process_time())
        if index == 0:
            continue  # first fiche: caches (fonts, reference, map pictures) filling
        for name, start, end in zip(names, marks, marks[1:], strict=False):
            times[name].append((end - start) * 1000)
    total = sum(statistics.median(values) for values in times.values())
    print(f"per-fiche stages (CPU ms, median of {len(codes) - 1} fiches after the first):")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"  {name:<11} {median:8.1f} ms  {100 * median / total:5.1f} %")
    print(f"  {'total':<11} {total:8.1f} ms")


_RENDER_CODES = """
import sys, time
import fichegen
from fichegen.renderers.docx import render_docx
from fichegen.renderers.pdf import render_pdf
codes = sys.argv[1:]
times = []
for code in codes:
    start = time.process_time()
    doc = fichegen.compose(fichegen.build(fichegen.profile_for_commune(code)))
    render_pdf(doc)
    render_docx(doc)
    times.append(time.process_time() - start)
print(sum(times[1:]) / len(times[1:]))
"""


def old_vs_new(codes: list[str], old_source: Path, rounds: int) -> None:
    """CPU seconds per fiche (PDF + DOCX, after the first) of the previous release (its
    source tree in ``old_source``) and of this checkout, in alternating processes."""
    import statistics
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    per: dict[str, list[float]] = {"old": [], "new": []}
    for _ in range(rounds):
        for key, source in (("old", old_source), ("new", root)):
            env = {**os.environ, "PYTHONPATH": str(source), "FICHEGEN_EXPECT_INSTALLED": ""}
            run = subprocess.run(
                [sys.executable, "-c", _RENDER_CODES, *codes],
                env=env,
                cwd=source,
                capture_output=True,
                text=True,
                check=True,
            )
            per[key].append(float(run.stdout.split()[-1]))
    ratios = [n / o for n, o in zip(per["new"], per["old"], strict=True)]
    print(
        f"CPU per fiche (PDF + DOCX), {len(codes) - 1} fiches x {rounds} rounds: "
        f"previous release {statistics.median(per['old']):.2f} s, "
        f"this checkout {statistics.median(per['new']):.2f} s, "
        f"ratio {statistics.median(ratios):.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--skip-62", action="store_true")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--only-62", action="store_true", help="skip the 90 runs")
    parser.add_argument("--sample", type=int, default=0, help="62: only N communes")
    parser.add_argument("--stages", type=int, default=0, help="62: stage breakdown on K")
    parser.add_argument(
        "--old-source", type=Path, default=None, help="previous release's source tree"
    )
    parser.add_argument("--old-fiches", type=int, default=7)
    parser.add_argument("--old-rounds", type=int, default=2)
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="bench-batch-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"cpu_count={os.cpu_count()} jobs={args.jobs} formats={','.join(OPTIONS.formats)}")
    print(f"workdir={work}")

    if args.old_source:
        codes, _size = sample_codes("62", args.old_fiches)
        old_vs_new(codes, args.old_source, args.old_rounds)
    if args.only_62:
        if args.sample or args.stages or not args.old_source:
            department_62(work, args.jobs, args.sample, args.stages)
        return
    t1, r1 = run("90", work / "90-j1", 1, max_tasks=10_000)
    describe("90 pdf+docx -j 1", t1, r1)
    memory(r1)
    t2, r2 = run("90", work / "90-jN", args.jobs)
    describe(f"90 pdf+docx -j {args.jobs}", t2, r2)
    print(f"speed-up -j {args.jobs} vs -j 1: {t1 / t2:.2f}")
    t3, r3 = run("90", work / "90-jN", args.jobs, force=False)
    describe("90 no-op rerun", t3, r3)

    if not args.skip_62:
        department_62(work, args.jobs, args.sample, args.stages)


def department_62(work: Path, jobs: int, sample: int, stage_count: int) -> None:
    shutil.rmtree(work / "62", ignore_errors=True)
    codes, size = sample_codes("62", sample) if sample else (None, 0)
    t4, r4 = run("62", work / "62", jobs, codes=codes)
    label = f"62 pdf+docx -j {jobs}" + (f", {len(r4)} of {size} communes" if codes else "")
    describe(label, t4, r4)
    memory(r4)
    if codes:
        per = t4 / len(r4)
        print(
            f"extrapolation to the {size} communes: {per * size:.0f} s "
            f"({per * size / 60:.1f} min, {per:.2f} s per commune with -j {jobs})"
        )
    if stage_count:
        stages((codes or sample_codes("62", stage_count)[0])[:stage_count])


if __name__ == "__main__":
    main()
