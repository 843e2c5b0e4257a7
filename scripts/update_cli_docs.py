"""Regenerate docs/cli.md from the CLI's own --help texts (run after changing an option).

tests/test_cli_docs.py fails when docs/cli.md and the CLI disagree.
"""

from __future__ import annotations

import sys
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "cli.md"

INTRO = """# Référence de la ligne de commande

Cette page est produite par `python scripts/update_cli_docs.py` à partir de l'aide
de chaque commande ; un test vérifie qu'elle reste à jour.

Codes de sortie : 0 tout ce qui était demandé a été produit ; 1 quelque chose n'a pas pu
l'être (dans un lot : au moins une commune en échec, les autres produites) ; 2 usage
incorrect ou entrée invalide (rien n'est écrit).
"""


def help_text(args: list[str]) -> str:
    from click.testing import CliRunner

    from fichegen.cli.commands import cli

    result = CliRunner().invoke(cli, [*args, "--help"], prog_name="fichegen", terminal_width=100)
    return result.output.rstrip()


def render_doc() -> str:
    from fichegen.cli.commands import cli

    parts = [INTRO, "## fichegen\n", "```", help_text([]), "```\n"]
    for name in sorted(cli.commands):  # type: ignore[attr-defined]
        parts += [f"## fichegen {name}\n", "```", help_text([name]), "```\n"]
    return "\n".join(parts)


def main() -> int:
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text(render_doc(), encoding="utf-8")
    print(f"écrit : {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
