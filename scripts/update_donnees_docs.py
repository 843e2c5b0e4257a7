"""Regenerate the column reference of docs/donnees.md from the profile schema.

tests/inputs/test_donnees_docs.py fails when docs/donnees.md and the schema disagree.
"""

from __future__ import annotations

import sys
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "donnees.md"
START = "<!-- colonnes : début (généré par scripts/update_donnees_docs.py) -->"
END = "<!-- colonnes : fin -->"


def updated(text: str) -> str:
    from fichegen.inputs.columns import columns_markdown

    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{columns_markdown()}{END}{tail}"


def main() -> int:
    text = DOC.read_text(encoding="utf-8")
    DOC.write_text(updated(text), encoding="utf-8")
    print(f"écrit : {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
