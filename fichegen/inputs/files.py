"""Read a user's file only if it is an ordinary file, with a size cap.

Opening a named pipe blocks until a writer comes, a device may never end, and a
``/proc`` pseudo-file (``/proc/self/environ``) holds secrets a message could quote. The
file is opened without blocking, checked with ``fstat`` on the open descriptor (no race
with a swapped path) and refused, unread, unless it is a regular file; a file that
declares no size but yields bytes is a kernel pseudo-file and is refused too.
"""

from __future__ import annotations

import os
import stat

from fichegen.errors import NotRegularFile

__all__ = ["read_regular"]


def read_regular(path: str | os.PathLike[str], limit: int) -> bytes:
    """At most ``limit + 1`` bytes of ``path``; raise :class:`NotRegularFile` (an OSError)
    for anything but a regular file, and OSError as ``open`` does otherwise."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(21, "is a directory", os.fspath(path))
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(0, "not a regular file")
        data = handle.read(limit + 1)
    if data and info.st_size == 0:
        raise NotRegularFile(0, "pseudo-file")
    return data
