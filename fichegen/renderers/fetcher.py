"""The locked URL fetcher: WeasyPrint may read the package's own template files, nothing else.

Every other URL (http, https, data:, file:// outside the templates folder, symlinks leading
out of it) is refused with a logged message and never opened. Each request is recorded in
:attr:`LockedFetcher.requests` so tests can check what WeasyPrint asked for.
"""

from __future__ import annotations

import logging
import mimetypes
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

from fichegen.renderers.weasy_import import import_weasyprint
from fichegen.resources import templates_dir

import_weasyprint()  # quietly, without a compiler looking for its libraries

from weasyprint.urls import (  # noqa: E402
    FatalURLFetchingError,
    URLFetcher,
    URLFetcherResponse,
)

__all__ = ["LockedFetcher", "RefusedURLError", "asset_base_url", "register_generated"]

LOGGER = logging.getLogger("fichegen.renderers.fetcher")

_TYPES = {
    ".otf": "font/otf",
    ".ttf": "font/ttf",
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".jpg": "image/jpeg",
}


#: Pictures fichegen draws itself (the map's outlines), served by URL to WeasyPrint so that
#: it can cache them between documents. Bounded: the oldest are forgotten first.
_GENERATED: dict[str, bytes] = {}
_GENERATED_MAX = 64
_GENERATED_LOCK = threading.Lock()


def register_generated(name: str, data: bytes) -> str:
    """Serve ``data`` under the URL ``fichegen:generated/<name>`` (nothing is written to
    disk). The URL does not depend on where the package is installed: WeasyPrint names
    images after their URL, and the PDF must be the same from any installation."""
    url = f"fichegen:generated/{name}"
    with _GENERATED_LOCK:
        if url not in _GENERATED:
            while len(_GENERATED) >= _GENERATED_MAX:
                del _GENERATED[next(iter(_GENERATED))]
            _GENERATED[url] = data
    return url


class RefusedURLError(ValueError):
    """A URL outside the package's own assets (WeasyPrint catches it and skips the resource)."""


def asset_base_url() -> str:
    """The base URL given to WeasyPrint: the templates folder as a ``file://`` URL."""
    return templates_dir().resolve().as_uri() + "/"


class LockedFetcher(URLFetcher):  # type: ignore[misc]
    """Serves files inside :func:`templates_dir` only; refuses and logs everything else."""

    def __init__(self, *, fatal: bool = False) -> None:
        super().__init__(allowed_protocols=("file",), allow_redirects=False)
        self.root = templates_dir().resolve()
        self.fatal = fatal
        self.requests: list[str] = []
        self.refused: list[str] = []
        self.served: list[str] = []

    def _refuse(self, url: str, why: str) -> None:
        self.refused.append(url)
        LOGGER.warning("ressource refusée (%s) : %.200s", why, url)
        if self.fatal:
            raise FatalURLFetchingError(f"ressource refusée : {url[:200]}")
        raise RefusedURLError(f"ressource refusée ({why})")

    def _path_of(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            return None
        if parts.query or parts.fragment:
            return None
        path = Path(unquote(parts.path)).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            return None
        return path

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        """Return the asset for ``url`` or refuse it (never touches the network)."""
        self.requests.append(url)
        generated = _GENERATED.get(url)
        if generated is not None:
            self.served.append(url)
            kind = _TYPES.get(Path(url).suffix.lower(), "application/octet-stream")
            return URLFetcherResponse(url, generated, headers={"Content-Type": kind})
        path = self._path_of(url)
        if path is None:
            self._refuse(url, "hors des ressources de fichegen")
        assert path is not None
        content_type = _TYPES.get(path.suffix.lower()) or (
            mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        )
        self.served.append(url)
        return URLFetcherResponse(
            path.as_uri(), path.read_bytes(), headers={"Content-Type": content_type}
        )

    def open(self, url: object, data: object = None, timeout: object = None) -> URLFetcherResponse:
        """Never fall back to urllib's opener: everything goes through :meth:`fetch`."""
        full = getattr(url, "full_url", url)
        return self.fetch(str(full))
