"""What ``fichegen communes`` prints: the table of communes found, and what it left out."""

from __future__ import annotations

from typing import Any

from fichegen.french.formatting import integer
from fichegen.french.grammar import count

__all__ = ["commune_table", "left_out_note"]


def left_out_note(shown: int, total: int) -> str:
    """What ``fichegen communes`` left out, and how to see it all."""
    return (
        f"{count(shown, 'commune affichée', 'communes affichées')} sur {integer(total)} "
        f"trouvées ; {count(total - shown, 'autre', 'autres')} non "
        f"{'affichée' if total - shown == 1 else 'affichées'} : ajoutez --tout pour toutes "
        f"les voir, ou --limit N."
    )


def commune_table(rows: list[dict[str, Any]]) -> str:
    """A plain-text table: code, nom, département, population, EPCI."""
    if not rows:
        return "Aucune commune trouvée."
    matched = any(r.get("correspondance") for r in rows)  # found by another name: say which
    header = ("Code", "Commune", "Département", "Population", "EPCI", "Correspondance")[
        : 5 + matched
    ]
    lines = [
        (
            r["code_insee"],
            r["nom"],
            f"{r['departement_nom']} ({r['departement']})",
            integer(r["population_municipale"]) if r["population_municipale"] is not None else "—",
            r["epci"] or "—",
            *((r.get("correspondance", ""),) if matched else ()),
        )
        for r in rows
    ]
    widths = [max(len(str(row[i])) for row in (header, *lines)) for i in range(len(header))]
    out = []
    for row in (header, tuple("─" * w for w in widths), *lines):
        cells = [
            str(cell).ljust(widths[i]) if i != 3 else str(cell).rjust(widths[i])
            for i, cell in enumerate(row)
        ]
        out.append("  ".join(cells).rstrip())
    notes = sorted({r["note"] for r in rows if r.get("note")})
    return "\n".join([*out, *(f"Note : {note}" for note in notes)])
