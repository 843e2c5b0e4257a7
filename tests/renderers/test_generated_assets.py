"""Pictures fichegen draws itself are served to WeasyPrint by the locked fetcher, by a URL
that does not depend on the installation folder; nothing else under that scheme is."""

from __future__ import annotations

import pytest

from fichegen.renderers.fetcher import LockedFetcher, RefusedURLError, register_generated


def test_registered_picture_is_served_and_others_are_refused() -> None:
    url = register_generated("test-picture.jpg", b"\xff\xd8\xff data")
    assert url == "fichegen:generated/test-picture.jpg"
    fetcher = LockedFetcher()
    response = fetcher.fetch(url)
    assert response.content_type == "image/jpeg"
    assert response.read() == b"\xff\xd8\xff data"
    with pytest.raises(RefusedURLError):
        fetcher.fetch("fichegen:generated/never-registered.jpg")
    assert fetcher.refused == ["fichegen:generated/never-registered.jpg"]
