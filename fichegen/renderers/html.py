"""Render a Document as one HTML5 page (Jinja2, autoescaped, strict undefined).

The same HTML feeds the PDF renderer. All text comes from the model and is escaped; the
only markup inserted unescaped is the map SVG built by :mod:`fichegen.renderers.map`, which
escapes its own text.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from fichegen.document.model import Document, MapFigure, ordinal_runs
from fichegen.renderers.breaks import keeps_box_whole, keeps_card_whole, keeps_table_whole
from fichegen.renderers.map import map_print_html, map_svg
from fichegen.renderers.map_layout import FrameBase
from fichegen.resources import templates_dir

__all__ = [
    "FONTS_CSS",
    "STYLESHEET",
    "TEMPLATE",
    "environment",
    "render_html",
    "standalone_csp",
    "style_source",
    "stylesheet_text",
]

TEMPLATE = "fiche.html.j2"
STYLESHEET = "fiche.css"
FONTS_CSS = "fonts.css"

_RANK = re.compile(r"^(\d{1,2}\.)\s+(.+)$", re.DOTALL)


def _kind(block: object) -> str:
    return type(block).__name__


def _split_rank(title: str) -> tuple[str, str]:
    """Split a lever title "2. Ouvrir…" into ("2.", "Ouvrir…") so the rank can be styled."""
    match = _RANK.match(title)
    return (match.group(1), match.group(2)) if match else ("", title)


def _map_markup(figure: MapFigure) -> Markup:
    # map_svg escapes every text it writes.
    return Markup(map_svg(figure))


def _linked_href(base: FrameBase) -> str:
    from fichegen.renderers.fetcher import register_generated
    from fichegen.renderers.map_raster import frame_jpeg

    data, name = frame_jpeg(base)
    return register_generated(name, data)


def _linked_map_markup(figure: MapFigure) -> Markup:
    # The frames' pictures by URL, served by the locked fetcher (WeasyPrint caches them).
    return Markup(map_print_html(figure, href=_linked_href))


@cache
def environment() -> Environment:
    """The one Jinja environment of the process (autoescape on, undefined is an error)."""
    env = Environment(
        loader=FileSystemLoader(str(templates_dir())),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.globals.update(
        kind=_kind, split_rank=_split_rank, map_svg=_map_markup, text_runs=ordinal_runs
    )
    env.globals.update(
        keeps_box_whole=keeps_box_whole,
        keeps_card_whole=keeps_card_whole,
        keeps_table_whole=keeps_table_whole,
    )
    return env


@cache
def stylesheet_text(name: str = STYLESHEET) -> str:
    """Text of a stylesheet shipped in the templates folder."""
    return (templates_dir() / name).read_text(encoding="utf-8")


def style_source() -> str:
    """CSP source of the inline stylesheet of a standalone fiche (its sha256)."""
    digest = hashlib.sha256(f"\n{stylesheet_text()}\n".encode()).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


@cache
def standalone_csp() -> str:
    """The policy a standalone fiche carries in its own ``<meta>``: its stylesheet and
    its map's embedded pictures, nothing else (no script, no fetch, no form, no frame)."""
    return (
        f"default-src 'none'; style-src {style_source()}; img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )


def _render(doc: Document, context: dict[str, Any]) -> str:
    template = environment().get_template(TEMPLATE)
    return template.render(doc=doc, **context)


def render_html(doc: Document, *, standalone: bool = True) -> str:
    """The fiche as an HTML5 page.

    ``standalone=True`` inlines the stylesheet (and the map SVG, always inline) so the file
    works alone; fonts then fall back to the reader's sans-serif. ``standalone=False``
    links the package's stylesheets by relative URL, to be resolved against
    :func:`fichegen.renderers.fetcher.asset_base_url` (the PDF path, which embeds the fonts).
    """
    if standalone:
        context = {
            "inline_css": Markup(stylesheet_text()),
            "stylesheets": (),
            "csp": standalone_csp(),
        }
        return _render(doc, context)
    linked = {"inline_css": "", "stylesheets": (FONTS_CSS, STYLESHEET)}
    return _render(doc, {**linked, "map_svg": _linked_map_markup})
