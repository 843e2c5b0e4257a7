"""Peak memory of reading a census table of the largest accepted size, with a baseline.

Builds, in a temporary folder, a census CSV shaped like Insee's (35 000 communes, about 190
columns of decimals, ~85 MB) and a hostile one (1 000 000 rows of one commune, refused for
its row count), reads each in a fresh process and prints the peak resident memory, beside
the peak of a process that only imports the reader (the baseline).

    .venv/bin/python benchmarks/bench_official_memory.py
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
from pathlib import Path

PROBE = """
import resource, sys, time
from pathlib import Path
from fichegen.inputs.official.files import big_csv_grid
from fichegen.errors import FichegenError
start = time.perf_counter()
if sys.argv[1] != "-":
    try:
        big_csv_grid(Path(sys.argv[1]))
    except FichegenError:
        pass
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


def _write(folder: Path) -> dict[str, Path]:
    real = folder / "recensement.csv"
    columns = ["CODGEO", "P22_POP0002"] + [f"P22_X{i:03d}" for i in range(188)]
    row = ";".join(f"{random.random() * 1000:.8f}" for _ in range(189))
    with real.open("w") as out:
        out.write(";".join(columns) + "\n")
        for i in range(35000):
            out.write(f"{i:05d};{row}\n")
    hostile = folder / "hostile.csv"
    with hostile.open("w") as out:
        out.write("CODGEO;P22_POP;P22_POP0002\n")
        out.write(("59013;1631.5;55.25;" + "x" * 60 + "\n") * 1_000_000)
    return {"recensement (35 000 lignes)": real, "hostile (10^6 lignes)": hostile}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        files = _write(Path(tmp))
        for label, path in [("référence (import seul)", None), *files.items()]:
            arg = "-" if path is None else str(path)
            out = subprocess.run(
                [sys.executable, "-c", PROBE, arg], capture_output=True, text=True, check=True
            ).stdout.split()
            size = "" if path is None else f", {path.stat().st_size / 1e6:.0f} Mo"
            print(f"{label}{size} : {float(out[0]):.2f} s, mémoire de pointe {out[1]} Mo")


if __name__ == "__main__":
    main()
