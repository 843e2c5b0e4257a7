"""Insee's populations de référence (``donnees_communes.csv``, alone or in ``ensemble.zip``)
and census « évolution et structure de la population » (children aged 0 to 2).

Paris, Lyon and Marseille appear in the populations de référence only as municipal
arrondissements: they are summed into the commune. The vintage is read from the header
when it carries one; otherwise it is recognised by comparing the file's populations
municipales with the embedded ones (millésime 2023) and the DGCL's (millésime 2022). Only
the vintage in force (2023) is accepted: its ``PTOT`` settles the SPPE thresholds.
"""

from __future__ import annotations

from fichegen.errors import FichegenError, InputError, Issue, shorten
from fichegen.inputs.official.detect import Detected
from fichegen.inputs.official.types import (
    CensusChildren,
    OfficialData,
    OfficialSource,
    ReferencePopulation,
)
from fichegen.inputs.official.values import MAX_COUNT, code5, decimal
from fichegen.inputs.sheet_read import Grid, column_letter

__all__ = ["IN_FORCE", "read_census", "read_populations"]

IN_FORCE = 2023
"""Millésime of the populations légales in force since 1 January 2026."""
_MATCH_SHARE = 0.9
_PARIS_LYON_MARSEILLE = {"751": "75056", "693": "69123", "132": "13055"}


def _count(cell: object, where: tuple[str, int, int], name: str) -> int | Issue:
    value = decimal(cell)  # type: ignore[arg-type]
    if value is None or not 0 <= value <= MAX_COUNT or not value.is_integer():
        shown = shorten(cell if cell is not None else "")
        file, line, index = where
        return Issue(
            f"population illisible : « {shown} » (nombre entier attendu)",
            file,
            line,
            column_letter(index),
            name,
        )
    return int(value)


def _code(cells: list[object], cols: dict[str, int]) -> str:
    def at(name: str) -> str:
        index = cols[name]
        return str(cells[index]).strip() if index < len(cells) and cells[index] else ""

    if "code" in cols:
        return code5(at("code"))
    com = at("com") if "com" in cols else ""
    if len(com) == 5 and (com[:2].isdigit() or com[:2] in ("2A", "2B")):
        return com.upper()
    if "coddep" in cols and "codcom" in cols:
        dep, com3 = at("coddep").upper(), at("codcom")
        if dep.isdigit() and len(dep) == 1:
            dep = "0" + dep
        if len(dep) == 3:  # overseas: 971 + 01 → 97101
            return dep + com3.zfill(3)[-2:]
        return dep + com3.zfill(3)
    return code5(com)


def _vintage(rows: dict[str, tuple[int, int | None, int]], name: str, column: int) -> int:
    from fichegen.reference.lookup import load_reference

    reference = load_reference()
    same_2023 = same_2022 = checked = 0
    for code, (pmun, _, _) in rows.items():
        try:
            commune = reference.get(code)
        except FichegenError:
            continue
        checked += 1
        same_2023 += commune.population_municipale == pmun
        same_2022 += reference.population_municipale_dgcl(code) == pmun
    if checked and same_2023 >= _MATCH_SHARE * checked:
        return 2023
    if checked and same_2022 >= _MATCH_SHARE * checked:
        return 2022
    raise InputError(
        "millésime non reconnu : l’en-tête ne le dit pas et les populations municipales ne "
        "sont ni celles du millésime 2023 ni celles du millésime 2022 ; prenez le fichier "
        "« ensemble.zip » des populations de référence 2023 sur insee.fr",
        file=name,
        line=1,
        column=column_letter(column),
        field="PMUN",
    )


def read_populations(grid: Grid, found: Detected, shown_name: str | None = None) -> OfficialData:
    """Read a populations de référence table (communes, arrondissements summed)."""
    cols = found.columns
    if not any(k in cols for k in ("code", "com", "codcom")):
        raise InputError(
            "fichier des populations de référence sans colonne de code commune (COM, ou "
            "CODDEP et CODCOM)",
            file=grid.name,
            line=1,
        )
    rows: dict[str, tuple[int, int | None, int]] = {}
    parts: dict[str, list[tuple[int, int | None, int]]] = {}
    issues: list[Issue] = []
    for offset, cells in enumerate(grid.rows[1:]):
        line = offset + 2
        if all(c is None or str(c).strip() == "" for c in cells):
            continue
        code = _code(cells, cols)  # type: ignore[arg-type]
        figures: list[int | None] = []
        for stem in ("pmun", "pcap", "ptot"):
            index = cols.get(stem)
            if index is None:
                figures.append(None)
                continue
            cell = cells[index] if index < len(cells) else None
            value = _count(cell, (grid.name, line, index), stem.upper())
            if isinstance(value, Issue):
                issues.append(value)
                break
            figures.append(value)
        if len(figures) < 3:
            continue
        pmun, pcap, ptot = figures
        assert pmun is not None and ptot is not None
        city = _PARIS_LYON_MARSEILLE.get(code[:3])
        if city and code != city and code[3:].isdigit():
            parts.setdefault(city, []).append((pmun, pcap, ptot))
        rows[code] = (pmun, pcap, ptot)
    if issues:
        raise InputError(issues=issues[:20])
    if not rows:
        raise InputError("fichier des populations de référence sans aucune commune", file=grid.name)
    name = shown_name or grid.name
    for city, members in parts.items():
        if city not in rows:
            caps = [p[1] for p in members]
            rows[city] = (
                sum(p[0] for p in members),
                None if None in caps else sum(c for c in caps if c is not None),
                sum(p[2] for p in members),
            )
    arrondissements = {
        c
        for c in rows
        if c[:3] in _PARIS_LYON_MARSEILLE and c not in _PARIS_LYON_MARSEILLE.values()
    }
    year = found.year or _vintage(
        {c: v for c, v in rows.items() if c not in arrondissements}, name, cols["pmun"]
    )
    if year != IN_FORCE:
        raise InputError(
            f"populations de référence du millésime {year} : la fiche attend le millésime "
            f"{IN_FORCE}, en vigueur depuis le 1ᵉʳ janvier 2026 (fichier « ensemble.zip » sur "
            "insee.fr)",
            file=name,
            line=1,
        )
    source = OfficialSource("Insee", "populations de référence", "populations", year, name)
    result = OfficialData(files=[(name, "populations de référence")])
    for code, (pmun, pcap, ptot) in rows.items():
        detail = None
        if code in parts:
            detail = f"somme des {len(parts[code])} arrondissements municipaux"
        result.populations[code] = ReferencePopulation(pmun, pcap, ptot, source, detail)
    return result


def read_census(grid: Grid, found: Detected, shown_name: str | None = None) -> OfficialData:
    """Read the census table of children aged 0 to 2 (``P21_POP0002``…)."""
    cols = found.columns
    if "code" not in cols:
        raise InputError(
            "fichier du recensement sans colonne CODGEO (code de la commune)",
            file=grid.name,
            line=1,
        )
    year = found.year
    source = OfficialSource(
        "Insee",
        "évolution et structure de la population",
        "base-cc-evol-struct-pop",
        year,
        shown_name or grid.name,
    )
    result = OfficialData(files=[(shown_name or grid.name, f"recensement {year}")])
    index, code_index = cols["children"], cols["code"]
    issues: list[Issue] = []
    for offset, cells in enumerate(grid.rows[1:]):
        if all(c is None or str(c).strip() == "" for c in cells):
            continue
        code = code5(cells[code_index] if code_index < len(cells) else None)
        cell = cells[index] if index < len(cells) else None
        value = decimal(cell)
        if value is None or not 0 <= value <= MAX_COUNT:
            if cell is None or str(cell).strip() == "":
                continue  # not published for this commune
            issues.append(
                Issue(
                    f"effectif illisible : « {shorten(cell)} » (nombre attendu)",
                    grid.name,
                    offset + 2,
                    column_letter(index),
                    str(grid.rows[0][index]),
                )
            )
            continue
        result.children[code] = CensusChildren(value, source)
    if issues:
        raise InputError(issues=issues[:20])
    return result
