"""CLI: the ``fichegen`` command, a thin Click layer over the API.

Parses arguments, calls :mod:`fichegen.api` and :mod:`fichegen.batch`, prints in French
and turns errors into exit codes in one place (:func:`main`). No logic of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fichegen._lazy import lazy_exports

_EXPORTS = {
    "main": "fichegen.cli.commands",
    "cli": "fichegen.cli.commands",
    "run": "fichegen.cli.process",
}

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

if TYPE_CHECKING:
    from fichegen.cli.commands import cli, main
    from fichegen.cli.process import run

__all__ = ["cli", "main", "run"]
