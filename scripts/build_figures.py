"""Build ``data/figures.tsv.gz``: Insee's public figures of every commune, on COG 2026 codes.

Maintainer-only script (standard library only). Inputs:

1. Insee's « Base du comparateur de territoires », 2024 edition (published 27 June 2024), as
   copied in the public repository ``rcarlier/datas.fun``, file ``France/communes.csv`` at commit
   0839ae3532f5027b47ba3f0ebc88691757de871d (COG 2024 codes, one row per commune and postal code)::

       git show 0839ae3532f5027b47ba3f0ebc88691757de871d:France/communes.csv > communes2024.csv

2. The list of COG 2024 communes, from ``npm pack @etalab/decoupage-administratif@4.0.0``
   (``package/data/communes.json``, the package's 2024 edition): it says which communes existed
   in 2024, so that a commune nouvelle whose former communes are not all in the copy is unknown.

3. The embedded reference already in ``data/`` (COG 2026 codes, ``codes_rattaches.tsv.gz``).

Then::

    python scripts/build_figures.py communes2024.csv package/data/communes.json \\
        [--comparateur-2021 base_cc_comparateur.CSV]

The optional file is Insee's earlier edition of the same base (2021 edition, P13/P18
populations, births 2020), used only to print the consistency check of ``data/README.md``.
The output is deterministic (sorted rows, gzip without timestamp); its SHA-256 goes into
``data/reference_meta.json`` next to the reference files'.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
import statistics
from collections.abc import Mapping, Sequence
from pathlib import Path

FIELDS = ("population_2015", "population_2021", "menages_2021", "naissances_2022", "deces_2022")
COLUMNS = ("code", *FIELDS)
FILE_NAME = "figures.tsv.gz"
PLM = {"75056", "69123", "13055"}
MAYOTTE = "976"
META = {
    "source": "Insee, base du comparateur de territoires, édition 2024 (27 juin 2024)",
    "licence": "Licence Ouverte",
    "copie": "dépôt GitHub rcarlier/datas.fun, fichier France/communes.csv, "
    "commit 0839ae3532f5027b47ba3f0ebc88691757de871d",
    "cog_source": 2024,
    "millesimes": {
        "population_2015": "recensement de la population 2015 (population municipale)",
        "population_2021": "recensement de la population 2021 (population municipale)",
        "menages_2021": "recensement de la population 2021",
        "naissances_2022": "état civil 2022 (naissances domiciliées)",
        "deces_2022": "état civil 2022 (décès domiciliés)",
    },
    "natalite_definition": "naissances domiciliées en 2022 pour 1 000 habitants en 2021, "
    "ensemble des communes dont les deux chiffres sont connus",
}

Figures = dict[str, int | None]


def read_copy(text: str) -> dict[str, Figures]:
    """COG 2024 code -> figures, from the copy's CSV.

    ``COMD`` rows (communes déléguées, which repeat their commune nouvelle's figures under its
    code) are dropped; the rows repeated once per postal code must agree and count once; the
    municipal arrondissements of Paris, Lyon and Marseille are summed into their commune.
    Mayotte has no census population in this base (zeros): unknown.
    """
    seen: dict[tuple[str, str], tuple[str, ...]] = {}
    parents: dict[str, str] = {}
    for row in csv.DictReader(io.StringIO(text)):
        kind = row["commune_type"]
        if kind == "COMD":
            continue
        if kind not in ("COM", "ARM"):
            raise ValueError(f"unexpected commune_type {kind!r} for {row['insee_com']}")
        values = tuple(row[f] for f in FIELDS)
        if kind == "COM" and row["insee_com"].startswith(MAYOTTE):
            values = ("", "", "", *values[3:])
        key = (row["insee_com"], kind)
        if key in seen and seen[key] != values:
            raise ValueError(f"duplicate rows of {key} disagree: {seen[key]} / {values}")
        seen[key] = values
        if kind == "ARM":
            parents[row["insee_com"]] = row["insee_parente"]
    result: dict[str, Figures] = {}
    for (code, kind), values in sorted(seen.items()):
        pairs = zip(FIELDS, values, strict=True)
        figures: Figures = {f: int(v) if v != "" else None for f, v in pairs}
        target = parents[code] if kind == "ARM" else code
        if kind == "ARM":
            if target not in PLM:
                raise ValueError(f"arrondissement {code} of unexpected commune {target}")
            total = result.setdefault(target, dict.fromkeys(FIELDS, 0))
            for f in FIELDS:
                a, b = total[f], figures[f]
                total[f] = None if a is None or b is None else a + b
        else:
            result[target] = figures
    return result


def cog2024(communes: Sequence[Mapping[str, object]]) -> tuple[set[str], dict[str, str]]:
    """The COG 2024 communes (outside the COM) and, for each code they had absorbed
    (``anciensCodes``, communes déléguées or associées), the 2024 commune holding it."""
    current = {str(c["code"]) for c in communes if c["type"] == "commune-actuelle"}
    current -= {str(c["code"]) for c in communes if c.get("zone") == "com"}
    holder: dict[str, str] = {}
    for c in communes:
        if c["type"] == "commune-actuelle":
            for old in c.get("anciensCodes") or ():  # type: ignore[attr-defined]
                holder.setdefault(str(old), str(c["code"]))
        elif c.get("chefLieu"):
            holder.setdefault(str(c["code"]), str(c["chefLieu"]))
    return current, holder


def map_to_2026(
    copy: Mapping[str, Figures],
    communes_2024: set[str],
    holder_2024: Mapping[str, str],
    current: Mapping[str, str],
    rattaches: Mapping[str, str],
) -> tuple[dict[str, Figures], dict[str, list[str]]]:
    """COG 2026 code -> figures (``current``: 2026 code -> zone), and a report of what happened.

    A commune nouvelle created since 2024 gets the sum of its former communes' counts when all
    of them have the figure in the copy, otherwise unknown. A commune restored since 2024 (a
    2026 commune no 2024 commune leads to) and the commune it left are unknown: the 2024
    counts cover a territory that no longer exists.
    """
    sources: dict[str, list[str]] = {}
    for code in sorted(communes_2024):
        target = code if code in current else rattaches.get(code)
        if target is None or target not in current:
            raise ValueError(f"COG 2024 commune {code} leads to no COG 2026 commune")
        sources.setdefault(target, []).append(code)
    report: dict[str, list[str]] = {"fusion_somme": [], "fusion_inconnue": [], "inconnue": []}
    split: set[str] = set()
    for code, zone in current.items():
        if zone != "com" and code not in sources:
            parent = holder_2024.get(code)
            if parent is None:
                raise ValueError(f"COG 2026 commune {code} has no COG 2024 origin")
            split.add(rattaches.get(parent, parent))
            split.add(code)
            report.setdefault("retablie", []).append(f"{code} (détachée de {parent})")
    result: dict[str, Figures] = {}
    for code in sorted(current):
        if current[code] == "com":
            continue
        olds = sources.get(code, [])
        if code in split or not olds:
            report["inconnue"].append(code)
            continue
        figures: Figures = {}
        for f in FIELDS:
            values = [copy[o][f] if o in copy else None for o in olds]
            figures[f] = None if any(v is None for v in values) else sum(v or 0 for v in values)
        if len(olds) > 1:
            complete = all(o in copy for o in olds)
            report["fusion_somme" if complete else "fusion_inconnue"].append(
                f"{code} = {' + '.join(olds)}"
            )
        if all(v is None for v in figures.values()):
            report["inconnue"].append(code)
            continue
        result[code] = figures
    return result, report


def format_file(rows: Mapping[str, Figures]) -> bytes:
    lines = ["\t".join(COLUMNS)]
    for code in sorted(rows):
        values = rows[code]
        cells = ("" if values[f] is None else str(values[f]) for f in FIELDS)
        lines.append("\t".join([code, *cells]))
    data = ("\n".join(lines) + "\n").encode("utf-8")
    return gzip.compress(data, compresslevel=9, mtime=0)


def _reference(folder: Path) -> tuple[dict[str, str], dict[str, str], dict[str, int]]:
    current: dict[str, str] = {}
    municipale: dict[str, int] = {}
    with gzip.open(folder / "communes.tsv.gz", "rt", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            current[row["code"]] = row["zone"]
            if row["population_municipale"]:
                municipale[row["code"]] = int(row["population_municipale"])
    with gzip.open(folder / "codes_rattaches.tsv.gz", "rt", encoding="utf-8") as fh:
        rattaches = {r["code"]: r["commune"] for r in csv.DictReader(fh, delimiter="\t")}
    return current, rattaches, municipale


def check(
    copy: Mapping[str, Figures],
    communes_json: Sequence[Mapping[str, object]],
    rows: Mapping[str, Figures],
    municipale_2023: Mapping[str, int],
    comparateur_2021: Path | None,
) -> None:
    """Print the consistency checks written down in ``data/README.md``."""
    legal = {
        str(c["code"]): c.get("population")
        for c in communes_json
        if c["type"] == "commune-actuelle" and c.get("zone") != "com"
    }
    same = [c for c in copy if c in legal and copy[c]["population_2021"] is not None]
    diff = [c for c in same if copy[c]["population_2021"] != legal[c]]
    print(
        f"population 2021 vs populations légales 2021 (decoupage 4.0.0): {len(same)} compared,"
        f" {len(diff)} differ: {diff[:10]}"
    )
    pairs = [
        (c, rows[c]["population_2021"], municipale_2023[c])
        for c in rows
        if rows[c]["population_2021"] and c in municipale_2023 and municipale_2023[c] >= 1000
    ]
    devs = sorted((abs(b - a) / a, c) for c, a, b in pairs if a is not None)
    print(
        f"population 2021 vs municipale 2023 (embedded), communes >= 1000 hab.: {len(devs)},"
        f" median {statistics.median(d for d, _ in devs):.2%}, max {devs[-1][0]:.2%}"
        f" ({devs[-1][1]}), over 10 %: {sum(1 for d, _ in devs if d > 0.10)}"
    )
    if comparateur_2021 is None:
        return
    old: dict[str, dict[str, str]] = {}
    with comparateur_2021.open(encoding="latin-1", newline="") as fh:
        for row in csv.DictReader(fh, delimiter=";"):
            old[row["CODGEO"]] = row
    both = [c for c in copy if c in old and copy[c]["population_2015"]]
    big = [c for c in both if int(float(old[c]["P18_POP"] or 0)) >= 1000]
    devs18 = []
    for c in big:
        p15, p21 = copy[c]["population_2015"], copy[c]["population_2021"]
        assert p15 is not None and p21 is not None
        p18 = float(old[c]["P18_POP"])
        low, high = min(p15, p21), max(p15, p21)
        devs18.append((max(low - p18, p18 - high, 0) / p18, c))
    devs18.sort()
    print(
        f"P18 (2021 edition) vs [P15, P21] (2024 edition), communes >= 1000 hab.: {len(devs18)},"
        f" inside the range: {sum(1 for d, _ in devs18 if d == 0)},"
        f" beyond 5 %: {sum(1 for d, _ in devs18 if d > 0.05)}, max {devs18[-1][0]:.2%}"
        f" ({devs18[-1][1]})"
    )
    ratios = []
    for c in big:
        n20 = float(old[c]["NAISD20"] or 0)
        n22 = copy[c]["naissances_2022"]
        if n20 >= 100 and n22 is not None:
            ratios.append((n22 / n20, c))
    ratios.sort()
    print(
        f"births 2022 / births 2020, communes with >= 100 births in 2020: {len(ratios)},"
        f" median {statistics.median(r for r, _ in ratios):.3f},"
        f" min {ratios[0][0]:.3f} ({ratios[0][1]}), max {ratios[-1][0]:.3f} ({ratios[-1][1]})"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("copy", type=Path, help="France/communes.csv of rcarlier/datas.fun")
    parser.add_argument("cog2024", type=Path, help="communes.json of decoupage-administratif 4.0.0")
    parser.add_argument("--comparateur-2021", type=Path, help="base_cc_comparateur.CSV (2021)")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "data")
    args = parser.parse_args(argv)

    copy = read_copy(args.copy.read_text(encoding="utf-8"))
    communes_json = json.loads(args.cog2024.read_text(encoding="utf-8"))
    communes_2024, holder = cog2024(communes_json)
    missing = sorted(communes_2024 - set(copy))
    print(f"copy: {len(copy)} communes; COG 2024: {len(communes_2024)}; absent: {missing}")
    current, rattaches, municipale = _reference(args.out)
    rows, report = map_to_2026(copy, communes_2024, holder, current, rattaches)
    for key, items in report.items():
        print(f"{key}: {len(items)} {'; '.join(items[:60])}")
    for f in FIELDS:
        known = sum(1 for r in rows.values() if r[f] is not None)
        print(f"{f}: known for {known} of {sum(1 for z in current.values() if z != 'com')}")
    data = format_file(rows)
    (args.out / FILE_NAME).write_bytes(data)
    meta_path = args.out / "reference_meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["sha256"][FILE_NAME] = hashlib.sha256(data).hexdigest()
    both = [r for r in rows.values() if r["population_2021"] and r["naissances_2022"] is not None]
    births = sum(r["naissances_2022"] or 0 for r in both)
    people = sum(r["population_2021"] or 0 for r in both)
    meta["figures"] = {**META, "natalite_ensemble": round(births * 1000 / people, 1)}
    print(f"births 2022 per 1000 inhabitants (2021), every commune: {births} / {people}")
    text = json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    meta_path.write_text(text, encoding="utf-8")
    check(copy, communes_json, rows, municipale, args.comparateur_2021)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
