"""The output folder of a batch: its lock, stale temporary files, and file digests."""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path
from typing import IO

from fichegen.errors import BatchError

__all__ = ["file_sha256", "lock_folder", "remove_stale_temporaries", "sha256"]

LOCK_NAME = ".fichegen-batch.lock"
_STALE_PATTERNS = (".fiche15_*.tmp", ".index.*.tmp")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: Path) -> str | None:
    try:
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        return digest.hexdigest()
    except OSError:
        return None


def lock_folder(output_dir: Path) -> IO[bytes] | None:
    """Hold an exclusive lock on the folder so two batches never write it at once."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        return None
    handle = (output_dir / LOCK_NAME).open("ab")
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        handle.close()
        raise BatchError(
            f"un autre lot écrit déjà dans le dossier « {output_dir} » ; "
            "attendez qu'il se termine ou choisissez un autre dossier (-o)"
        ) from exc
    return handle


def remove_stale_temporaries(output_dir: Path) -> None:
    """Temporary files left by a killed run (never under a final name) are removed."""
    for pattern in _STALE_PATTERNS:
        for path in output_dir.glob(pattern):
            with contextlib.suppress(OSError):
                path.unlink()
