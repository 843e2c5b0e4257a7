"""Where the package's own files live: data, templates, fonts.

The only module that knows the layout. In a source checkout ``data/`` and
``templates/`` sit beside the package; in an installed wheel they are shipped inside it
as ``fichegen/data`` and ``fichegen/templates``.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

__all__ = ["data_dir", "fonts_dir", "knowledge_dir", "templates_dir", "web_dir"]


@cache
def _asset_root(name: str) -> Path:
    installed = Path(str(files("fichegen"))) / name
    if installed.is_dir():
        return installed
    checkout = Path(__file__).resolve().parent.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"fichegen: dossier de données introuvable : {name}")


def data_dir() -> Path:
    """Folder of the commune reference and the knowledge base."""
    return _asset_root("data")


def knowledge_dir() -> Path:
    """Folder of the built-in knowledge base of fiche n° 15 (YAML)."""
    return data_dir() / "knowledge"


def templates_dir() -> Path:
    """Folder of the Jinja templates, the stylesheet and the DOCX reference document."""
    return _asset_root("templates")


def fonts_dir() -> Path:
    """Folder of the bundled fonts (and their licence)."""
    return templates_dir() / "fonts"


def web_dir() -> Path:
    """Folder of the web page: its template and its static files (``static/``)."""
    return templates_dir() / "web"
