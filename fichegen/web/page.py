"""The page: one HTML document rendered from ``templates/web/index.html.j2``.

The form comes from :func:`fichegen.web.form.form_sections`; the levers' titles from
the built-in knowledge base. The page has no inline script or style: its behaviour is
``static/app.js`` and its look ``static/app.css``.
"""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from fichegen import __version__
from fichegen.resources import web_dir
from fichegen.web.form import error_labels, form_sections

__all__ = ["render_page"]


@cache
def render_page() -> str:
    """The page's HTML (the same for every visitor: it holds no user data)."""
    from fichegen.knowledge.base import load_knowledge

    env = Environment(
        loader=FileSystemLoader(str(web_dir())), autoescape=True, undefined=StrictUndefined
    )
    levers = [(lever.id, lever.titre) for lever in load_knowledge(None).levers]
    return env.get_template("index.html.j2").render(
        sections=form_sections(), levers=levers, version=__version__, labels=error_labels()
    )
