"""The web application (``fichegen serve``): a French page and the HTTP API of SPEC.md.

Takes HTTP requests (a commune search, a profile as JSON or YAML) and gives back the
page, JSON answers and the fiche's files. It has no logic of its own: ``app.py`` routes
to the library, ``tasks.py`` runs each profile task in a worker of the bounded pool of
``pool.py``, ``form.py`` and ``labels.py`` build the form from the profile's JSON Schema,
``page.py`` renders the page, ``security.py`` adds the headers and caps bodies, and
``server.py`` runs it all under uvicorn. Needs the ``web`` extra (Starlette, uvicorn).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fichegen._lazy import lazy_exports

_EXPORTS = {"create_app": "fichegen.web.app", "serve": "fichegen.web.server"}

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

if TYPE_CHECKING:
    from fichegen.web.app import create_app
    from fichegen.web.server import serve

__all__ = ["create_app", "serve"]
