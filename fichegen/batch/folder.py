"""The output folder of a batch: its lock, its own files, stale temporaries, file digests.

The batch's own files (lock, journal, manifest, fiches) are opened without following a
symbolic link and only if they are regular files: a link planted under one of these
names is removed and replaced by a real file, never written or truncated through, and a
FIFO or device is never read (it could block or never end).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import stat
from pathlib import Path
from typing import IO

from fichegen.errors import BatchError, OutputError, os_error_text

__all__ = [
    "file_sha256",
    "lock_folder",
    "open_own",
    "prepare_folder",
    "read_own",
    "remove_stale_temporaries",
    "sha256",
]

LOCK_NAME = ".fichegen-batch.lock"
_STALE_PATTERNS = (".fiche15_*.tmp", ".index.*.tmp")
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _open_regular(path: Path, flags: int, mode: int = 0o644) -> int | None:
    """A descriptor on ``path`` if it is a regular file (not a link); None otherwise."""
    try:
        fd = os.open(path, flags | _NOFOLLOW | _NONBLOCK, mode)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENXIO, errno.EISDIR, errno.ENOENT, errno.EMLINK):
            return None
        raise
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        return None
    os.set_blocking(fd, True)
    return fd


def open_own(path: Path, *, truncate: bool = False) -> IO[bytes]:
    """Open one of the batch's own files for appending (or truncated), as a regular file.

    Whatever else sits under that name (a symbolic link, a FIFO, a device node) is
    removed first; a folder under that name is an error.
    """
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | (os.O_TRUNC if truncate else 0)
    try:
        fd = _open_regular(path, flags)
        if fd is None:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            fd = _open_regular(path, flags | os.O_EXCL)
        if fd is None:
            raise OSError(errno.EEXIST, "not a regular file", str(path))
    except OSError as exc:
        raise OutputError(
            f"impossible d'écrire le fichier du lot : {os_error_text(exc)}", file=str(path)
        ) from exc
    return os.fdopen(fd, "ab")


def read_own(path: Path, limit: int) -> bytes | None:
    """The bytes of one of the batch's own files: None if absent, not a regular file, a
    symbolic link, unreadable or larger than ``limit``."""
    try:
        fd = _open_regular(path, os.O_RDONLY)
    except OSError:
        return None
    if fd is None:
        return None
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(limit + 1)
    return data if len(data) <= limit else None


def file_sha256(path: Path) -> str | None:
    """sha256 of a fiche on disk; None if absent or not a regular file (never a link)."""
    try:
        fd = _open_regular(path, os.O_RDONLY)
    except OSError:
        return None
    if fd is None:
        return None
    digest = hashlib.sha256()
    with os.fdopen(fd, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def lock_folder(output_dir: Path) -> IO[bytes] | None:
    """Hold an exclusive lock on the folder so two batches never write it at once."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        return None
    handle = open_own(output_dir / LOCK_NAME)
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        handle.close()
        raise BatchError(
            f"un autre lot écrit déjà dans le dossier « {output_dir} » ; "
            "attendez qu'il se termine ou choisissez un autre dossier (-o)"
        ) from exc
    return handle


def prepare_folder(output_dir: Path) -> None:
    """Create the output folder if needed (not its parents: a mistyped path is not built)."""
    if output_dir.exists() and not output_dir.is_dir():
        raise OutputError(
            "impossible d'écrire le lot : un fichier porte déjà ce nom (il faut un dossier)",
            file=str(output_dir),
        )
    try:
        output_dir.mkdir(exist_ok=True)
    except OSError as exc:
        missing = "" if output_dir.parent.is_dir() else " (son dossier parent n'existe pas)"
        raise OutputError(
            f"impossible de créer le dossier de sortie : {os_error_text(exc)}{missing}",
            file=str(output_dir),
        ) from exc
    if not os.access(output_dir, os.W_OK):
        raise OutputError("dossier de sortie non inscriptible", file=str(output_dir))


def remove_stale_temporaries(output_dir: Path) -> None:
    """Temporary files left by a killed run (never under a final name) are removed."""
    for pattern in _STALE_PATTERNS:
        for path in output_dir.glob(pattern):
            with contextlib.suppress(OSError):
                path.unlink()
