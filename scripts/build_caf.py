"""Build ``data/caf_couverture.tsv.gz``: the Cnaf's coverage rates of 2023, on COG 2026 codes.

Maintainer-only script (standard library only). Input: a public copy of the Cnaf's open data
« taux de couverture petite enfance » (data.caf.fr, datasets ``txcouv_pe_nat``,
``txcouv_pe_epci`` and ``txcouv_pe_com``, year 2023, Licence Ouverte 2.0), as compiled by the
public repository ``MayetSoft/rouages.fr``, file ``public/territoires/petite-enfance.json`` at
commit 372f7636f4f2cc2aa91265dea40effc815e958b2 (one JSON line of 79 970 characters)::

    git show 372f7636f4f2cc2aa91265dea40effc815e958b2:public/territoires/petite-enfance.json \\
        > petite-enfance.json
    python scripts/build_caf.py petite-enfance.json

The copy holds, for the latest year the Cnaf published (``annee``), five rates per territory:
global, EAJE, childminders, preschool, home care (places per 100 children under 3). Its
emitter read the Cnaf's JSON export and turned a missing part into 0, so only the global
rate (the first, tested against ``null`` by the emitter) is kept here. Rows dropped:

- ``XX``, the Cnaf's placeholder of the communes outside any EPCI (a real but meaningless
  value, 195,8);
- 75056, 69123 and 13055: the emitter folded the arrondissements of Paris, Lyon and
  Marseille into the city's code, the last one read winning (Paris: 101,4 for the city,
  against 74,4 for the département de Paris, which is the same territory).

The checks printed (and asserted) are those of ``data/README.md``: size of the copy, each
global rate equal to the sum of its parts to rounding, codes present in COG 2026, and the
figures another public reader measured on the Cnaf's portal. The output is deterministic
(sorted rows, gzip without timestamp); its SHA-256 goes into ``data/reference_meta.json``.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import statistics
from collections.abc import Mapping
from pathlib import Path
from typing import Any

FILE_NAME = "caf_couverture.tsv.gz"
COPY_CHARS = 79970
PLM = {"75056", "69123", "13055"}
PLACEHOLDER = "XX"
META = {
    "producteur": "Cnaf",
    "portail": "data.caf.fr",
    "jeux": {"commune": "txcouv_pe_com", "epci": "txcouv_pe_epci", "france": "txcouv_pe_nat"},
    "licence": "Licence Ouverte 2.0",
    "copie": "dépôt GitHub MayetSoft/rouages.fr, fichier public/territoires/petite-enfance.json, "
    "commit 372f7636f4f2cc2aa91265dea40effc815e958b2",
    "indicateur": "taux de couverture global (places pour 100 enfants de moins de 3 ans, "
    "tous modes d’accueil formels)",
    "ecartes": {
        "XX": "ligne de remplissage de la Cnaf pour les communes hors intercommunalité",
        "75056": "arrondissements de Paris confondus par la copie (le dernier lu l’emporte)",
        "69123": "arrondissements de Lyon confondus par la copie (le dernier lu l’emporte)",
        "13055": "arrondissements de Marseille confondus par la copie (le dernier lu l’emporte)",
    },
}

# Figures measured on data.caf.fr by another public reader (repository of the petiteEnfanceFeed
# module, « Measured 2026-09-01, rentrée de référence 2023 »): they must hold in the copy.
PORTAL_FACTS = {"epci_rows": 1251, "dep_rows": 102, "national": 60.9, "placeholder": 195.8}
PORTAL_EPCI = {"249730052": 2.7, "242504488": 160.5}  # min (CC de l'Est Guyanais), max
PORTAL_DEP = {"973": 13.4, "978": 30.2, "974": 38.5, "971": 44.1, "977": 47.5, "972": 55.2}
# EPCI rates « CNAF Cafdata txcouv_pe_epci 2023 » joined to communes by another public project
# (JulienDepelchin/classement-actifs-lille @8804da67,
# data/output/education_communes_candidates.csv).
LILLE = {
    "59350": 62.4,  # Lille, Métropole européenne de Lille
    "59122": 66.9,  # Cambrai
    "59183": 58.6,  # Dunkerque
    "59178": 55.6,  # Douai
    "59043": 74.6,  # Bailleul
    "59172": 52.9,  # Denain
    "59014": 50.4,  # Anzin
    "59212": 73.5,  # Estaires
    "59034": 76.0,  # Avelin
    "59082": 79.5,  # Bierne
}


def read_copy(text: str) -> dict[str, Any]:
    """The copy, checked: its size, its year, every global rate equal to its parts' sum."""
    if len(text) != COPY_CHARS:
        raise ValueError(f"copy of {len(text)} characters, {COPY_CHARS} expected")
    data: dict[str, Any] = json.loads(text)
    if data["annee"] != 2023:
        raise ValueError(f"year {data['annee']!r}, 2023 expected")
    for section in ("e", "c", "d", "r"):
        for code, parts in data[section].items():
            if abs(parts[0] - sum(parts[1:])) > 0.25:
                raise ValueError(f"{section} {code}: {parts[0]} is not the sum of {parts[1:]}")
    return data


def _reference(folder: Path) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    with gzip.open(folder / "communes.tsv.gz", "rt", encoding="utf-8") as fh:
        communes = {r["code"]: r for r in csv.DictReader(fh, delimiter="\t")}
    with (folder / "epci.tsv").open(encoding="utf-8") as fh:
        epcis = {r["code"]: r["nom"] for r in csv.DictReader(fh, delimiter="\t")}
    return communes, epcis


def select(
    data: Mapping[str, Any], communes: Mapping[str, Any], epcis: Mapping[str, str]
) -> dict[tuple[str, str], float]:
    """(level, code) -> global rate, for France, every COG 2026 EPCI and commune the copy has."""
    rows: dict[tuple[str, str], float] = {("france", "FR"): float(data["france"][0])}
    for code, parts in data["e"].items():
        if code == PLACEHOLDER:
            continue
        if code not in epcis:
            raise ValueError(f"EPCI {code} is not in COG 2026")
        rows[("epci", code)] = float(parts[0])
    for code, parts in data["c"].items():
        if code in PLM:
            continue
        if code not in communes:
            raise ValueError(f"commune {code} is not a COG 2026 commune")
        rows[("commune", code)] = float(parts[0])
    return rows


def check(data: Mapping[str, Any], rows: Mapping[tuple[str, str], float], communes: Any) -> None:
    """The figures measured elsewhere, and what the copy lacks (printed)."""
    epci = {c: r for (lvl, c), r in rows.items() if lvl == "epci"}
    assert len(data["e"]) == PORTAL_FACTS["epci_rows"], len(data["e"])
    assert len(data["d"]) == PORTAL_FACTS["dep_rows"], len(data["d"])
    assert data["france"][0] == PORTAL_FACTS["national"]
    assert data["e"][PLACEHOLDER][0] == PORTAL_FACTS["placeholder"]
    assert min(epci.values()) == PORTAL_EPCI["249730052"] == epci["249730052"]
    assert max(epci.values()) == PORTAL_EPCI["242504488"] == epci["242504488"]
    for dep, rate in PORTAL_DEP.items():
        assert data["d"][dep][0] == rate, dep
    for code, rate in LILLE.items():
        assert epci[communes[code]["epci"]] == rate, code
    print(
        f"EPCI: {len(epci)}, median {statistics.median(epci.values())}, "
        f"over 100: {sum(1 for r in epci.values() if r > 100)}"
    )
    big = [
        c
        for c, r in communes.items()
        if int(r["population_municipale"] or 0) > 10000 and ("commune", c) not in rows
    ]
    print(
        f"communes: {sum(1 for lvl, _ in rows if lvl == 'commune')}; "
        f"over 10 000 inhabitants without a rate: {len(big)} {' '.join(sorted(big))}"
    )
    missing = sorted({r["epci"] for r in communes.values() if r["epci"]} - set(epci))
    print(f"COG 2026 EPCI without a rate: {' '.join(missing)}")


def format_file(rows: Mapping[tuple[str, str], float]) -> bytes:
    lines = ["niveau\tcode\ttaux"]
    order = {"france": 0, "epci": 1, "commune": 2}
    for (level, code), rate in sorted(rows.items(), key=lambda kv: (order[kv[0][0]], kv[0][1])):
        lines.append(f"{level}\t{code}\t{rate:.1f}")
    return gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), compresslevel=9, mtime=0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("copy", type=Path, help="public/territoires/petite-enfance.json")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "data")
    args = parser.parse_args(argv)
    text = args.copy.read_text(encoding="utf-8").rstrip("\n")
    data = read_copy(text)
    communes, epcis = _reference(args.out)
    rows = select(data, communes, epcis)
    check(data, rows, communes)
    out = format_file(rows)
    (args.out / FILE_NAME).write_bytes(out)
    meta_path = args.out / "reference_meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["sha256"][FILE_NAME] = hashlib.sha256(out).hexdigest()
    meta["caf_couverture"] = {
        **META,
        "annee": data["annee"],
        "national": data["france"][0],
        "copie_maj": data["maj"],
        "copie_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
    }
    meta_path.write_text(
        json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
