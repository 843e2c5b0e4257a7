"""The ``--moteur`` option of render, batch and serve: which engine makes the PDF."""

from __future__ import annotations

import click

from fichegen.options import ENGINES

__all__ = ["engine_option"]

engine_option = click.option(
    "--moteur",
    "engine",
    type=click.Choice(ENGINES),
    default="weasyprint",
    show_default=True,
    help="Moteur du PDF : weasyprint (par défaut) ou typst (même fiche, environ dix fois "
    "plus rapide : pour les lots et le service web).",
)
