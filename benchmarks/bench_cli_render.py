"""Whole process against in process, 5 alternated rounds: a fixed CPU loop (baseline),
``fichegen render --commune 59013 -f pdf`` as a user runs it, then one process that
renders the same fiche twice (first fiche after import, then a second one). Wall and
CPU times; run with the venv's Python: ``.venv/bin/python benchmarks/bench_cli_render.py``."""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

V = str(Path(sys.executable).parent)  # the venv running this script
WORK = Path(tempfile.mkdtemp(prefix="bench_cli_"))
os.chdir(WORK)
env = dict(os.environ, SOURCE_DATE_EPOCH="1780000000")


def run(cmd):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    out = subprocess.run(cmd, check=True, env=env, capture_output=True, text=True).stdout
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, out


base = [V + "/python", "-c", "s=0\nfor i in range(20_000_000): s+=i"]
cli = [V + "/fichegen", "render", "--commune", "59013", "-f", "pdf", "-o", str(WORK / "out")]
inproc = [
    V + "/python",
    "-c",
    """
import time, fichegen
c0=time.process_time(); w0=time.perf_counter()
p=fichegen.profile_for_commune('59013'); f=fichegen.build(p); fichegen.render(f,'pdf')
c1=time.process_time(); w1=time.perf_counter()
f=fichegen.build(p); fichegen.render(f,'pdf')
c2=time.process_time(); w2=time.perf_counter()
print(w1-w0, c1-c0, w2-w1, c2-c1)
""",
]
rows = []
for i in range(5):
    bw, bc, _ = run(base)
    cw, cc, _ = run(cli)
    _, _, out = run(inproc)
    fw, fc, ww, wc = map(float, out.split())
    rows.append(
        dict(
            base_wall=bw,
            base_cpu=bc,
            cli_wall=cw,
            cli_cpu=cc,
            first_wall=fw,
            first_cpu=fc,
            warm_wall=ww,
            warm_cpu=wc,
        )
    )
    print(i, {k: round(v, 2) for k, v in rows[-1].items()}, flush=True)
med = {k: round(statistics.median(r[k] for r in rows), 2) for k in rows[0]}
print("median", med)
print("ratios cli_cpu/base_cpu", [round(r["cli_cpu"] / r["base_cpu"], 2) for r in rows])
print("ratios warm_cpu/base_cpu", [round(r["warm_cpu"] / r["base_cpu"], 2) for r in rows])
