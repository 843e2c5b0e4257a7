"""Measure the embedded commune reference: first lookup in a new process, memory, lookups.

Also measures what the embedded public figures (``Reference.figures``) add to the first
lookup: new processes alternate between a baseline (``get``) and ``get`` + ``figures``.
Prints figures, asserts nothing. Run from the checkout::

    PYTHONPATH=. python benchmarks/bench_reference.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

_CHILD = r"""
import json, resource, time
t0 = time.perf_counter()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
from fichegen.reference.lookup import load_reference
ref = load_reference()
commune = ref.get("59013")
t1 = time.perf_counter()
if WITH_FIGURES:
    ref.figures("59013")
first = time.perf_counter() - t0
figures_s = time.perf_counter() - t1
after_first = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
for dep, _ in ref.departements():
    ref.communes_of(dep)
    ref.outlines(dep)
ref.search("saint denis")
ref.resolve("59298")
after_all = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({
    "first_get_s": first,
    "figures_s": figures_s,
    "rss_first_mb": (after_first - before) / 1024,
    "rss_everything_mb": (after_all - before) / 1024,
    "commune": commune.nom,
}))
"""


def _child(with_figures: bool = False) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    code = f"WITH_FIGURES = {with_figures}\n" + _CHILD
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    ).stdout
    result: dict[str, float] = json.loads(out)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    runs: list[dict[str, float]] = []
    with_figures: list[dict[str, float]] = []
    for _ in range(args.runs):  # interleaved, so that a busy machine weighs on both alike
        runs.append(_child())
        with_figures.append(_child(with_figures=True))
    firsts = [r["first_get_s"] for r in runs]
    print(f"new process, import + load_reference().get('59013'), {args.runs} runs:")
    print(f"  median {statistics.median(firsts):.3f} s, max {max(firsts):.3f} s")
    plus = [r["first_get_s"] for r in with_figures]
    added = (statistics.median(plus) - statistics.median(firsts)) * 1e3
    print(f"same + .figures('59013') (public figures layer), {args.runs} runs:")
    print(f"  median {statistics.median(plus):.3f} s, {added:+.1f} ms against the baseline")
    own = sorted(r["figures_s"] * 1e3 for r in with_figures)
    print(
        f"  the .figures() call itself, timed inside each process: median "
        f"{statistics.median(own):.1f} ms, max {own[-1]:.1f} ms"
    )
    print(f"RSS delta after first get: {max(r['rss_first_mb'] for r in runs):.1f} MB")
    everything = max(r["rss_everything_mb"] for r in runs)
    print(f"RSS delta after every commune, outline, search: {everything:.1f} MB")

    from fichegen.reference.lookup import Reference, load_reference
    from fichegen.resources import data_dir

    codes = [c.code_insee for c in load_reference().communes_of("59")]
    ref = Reference(data_dir())
    t0 = time.perf_counter()
    for code in codes:
        ref.get(code)
    per_get = (time.perf_counter() - t0) / len(codes)
    t0 = time.perf_counter()
    for query in ("saint denis", "lille", "ste marie", "abergement", "fleury"):
        ref.search(query)
    per_search = (time.perf_counter() - t0) / 5
    print(
        f"get (first build of each Commune): {per_get * 1e6:.1f} µs;",
        f"search: {per_search * 1e3:.1f} ms",
    )
    t0 = time.perf_counter()
    ref.figures("59013")
    first_figures = time.perf_counter() - t0
    t0 = time.perf_counter()
    for code in codes:
        ref.figures(code)
    per_figures = (time.perf_counter() - t0) / len(codes)
    print(
        f"figures, in process: first call {first_figures * 1e3:.1f} ms;",
        f"then {per_figures * 1e6:.1f} µs per commune (département 59)",
    )


if __name__ == "__main__":
    main()
