"""Fetch the official files into a folder: resume, atomic writes, a manifest with checksums.

Only the standard library speaks HTTP (``urllib``): one GET per file, nothing else is
needed. A file is first written under ``.<name>.part`` and renamed once complete, so a
cut connection or Ctrl-C never leaves a truncated file under its final name. A file the
manifest (``manifeste.json``) lists with the same address, size and sha256 is complete
and is skipped: running the command again resumes where it stopped. A file that cannot be
fetched is named with the page to download it from by hand; the others are still fetched.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fichegen import __version__
from fichegen.download.meter import Meter, size_text
from fichegen.download.sources import Source
from fichegen.errors import DownloadError, Issue, OutputError, os_error_text

__all__ = ["MANIFEST", "Outcome", "download_all", "read_manifest"]

MANIFEST = "manifeste.json"
CHUNK = 64 * 1024
NETWORK_ERRORS = (
    urllib.error.URLError,  # HTTPError too
    http.client.HTTPException,  # IncompleteRead: the connection was cut mid-file
    ConnectionError,
    TimeoutError,
)
TIMEOUT_S = 60.0
# The largest official file (the census zip) is tens of MB; nothing legitimate comes near
# these bounds, which stop a hostile or broken server from filling the disk or stalling.
MAX_BYTES = 512 * 1024 * 1024
DEADLINE_S = 30 * 60.0


class TooLarge(ConnectionError):
    """The server sent more than :data:`MAX_BYTES`, or for longer than :data:`DEADLINE_S`."""


class _NoDowngrade(urllib.request.HTTPRedirectHandler):
    """Follow redirects, but never from ``https`` to plain ``http``."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        if req.full_url.lower().startswith("https:") and not newurl.lower().startswith("https:"):
            raise urllib.error.HTTPError(newurl, code, "redirection https vers http", headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_NoDowngrade)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one file: ``fetched``, ``skipped`` (already complete) or ``failed``."""

    source: Source
    status: str
    size: int = 0
    reason: str = ""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def read_manifest(folder: Path) -> dict[str, dict[str, Any]]:
    """The manifest's entries by file name (empty when absent or unreadable)."""
    from fichegen.inputs.files import read_regular

    try:  # a regular file only: a named pipe under this name would block for ever
        data = json.loads(read_regular(folder / MANIFEST, 16 * 1024 * 1024).decode("utf-8"))
        return {entry["fichier"]: entry for entry in data["fichiers"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _write_manifest(folder: Path, entries: dict[str, dict[str, Any]]) -> None:
    data = {
        "outil": f"fichegen {__version__}",
        "fichiers": [entries[name] for name in sorted(entries)],
    }
    temporary = folder / f".{MANIFEST}.part"
    temporary.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(temporary, folder / MANIFEST)


def _complete(folder: Path, source: Source, entry: dict[str, Any] | None) -> bool:
    """True when the file on disk is the one the manifest recorded for this address."""
    path = folder / source.filename
    if (
        entry is None
        or entry.get("url") not in (source.url, source.whole_url)
        or not path.is_file()
    ):
        return False
    return path.stat().st_size == entry.get("octets") and _sha256(path) == entry.get("sha256")


def _reason(exc: BaseException) -> str:
    """Why a download failed, in French."""
    if isinstance(exc, urllib.error.HTTPError):
        if exc.msg == "redirection https vers http":
            return "redirection refusée vers une adresse non chiffrée (http)"
        return f"le serveur a répondu {exc.code}"
    if isinstance(exc, urllib.error.URLError):
        inner = exc.reason
        if isinstance(inner, ConnectionRefusedError):
            return "connexion refusée"
        if isinstance(inner, socket.gaierror):
            return "adresse introuvable (pas de connexion à internet ?)"
        if isinstance(inner, (TimeoutError, socket.timeout)):
            return "délai d’attente dépassé"
        if isinstance(inner, OSError):
            return f"connexion impossible ({os_error_text(inner)})"
        return "connexion impossible"
    if isinstance(exc, (TimeoutError, socket.timeout)):
        return "délai d’attente dépassé"
    if isinstance(exc, TooLarge):
        return f"fichier trop gros ou trop lent (plus de {size_text(MAX_BYTES)} ou de 30 min)"
    if isinstance(exc, ConnectionError):
        return "connexion interrompue"
    return "téléchargement interrompu avant la fin"


def _fetch(source: Source, url: str, target: Path, meter: Meter) -> int:
    """Download ``url`` (for ``source``) to ``target`` through a temporary file; return its
    size."""
    temporary = target.with_name(f".{target.name}.part")
    request = urllib.request.Request(url, headers={"User-Agent": f"fichegen/{__version__}"})
    received = 0
    try:
        started = time.monotonic()
        with _OPENER.open(request, timeout=TIMEOUT_S) as response:
            length = response.headers.get("Content-Length")
            expected = int(length) if length and length.isdigit() else None
            meter.start(source.filename, expected)
            temporary.unlink(missing_ok=True)  # never write through a planted link
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
            with os.fdopen(os.open(temporary, flags, 0o644), "wb") as out:
                while block := response.read(CHUNK):
                    out.write(block)
                    received += len(block)
                    if received > MAX_BYTES or time.monotonic() - started > DEADLINE_S:
                        raise TooLarge("body over the size or time bound")
                    meter.advance(len(block))
        if expected is not None and received != expected:
            raise ConnectionError("incomplete body")
        os.replace(temporary, target)
        return received
    finally:
        meter.finish()
        temporary.unlink(missing_ok=True)


def download_all(
    sources: Sequence[Source], folder: Path, *, meter: Meter | None = None, force: bool = False
) -> list[Outcome]:
    """Fetch every source into ``folder``; raise :class:`DownloadError` if any failed.

    The manifest is updated after each file, so an interruption keeps what was done.
    """
    meter = meter or Meter(mode=False)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"dossier impossible à créer : {os_error_text(exc)}", file=str(folder)
        ) from exc
    entries = read_manifest(folder)
    outcomes: list[Outcome] = []
    for source in sources:
        target = folder / source.filename
        if not force and _complete(folder, source, entries.get(source.filename)):
            size = target.stat().st_size
            meter.line(f"Déjà complet : {source.filename} ({size_text(size)})")
            outcomes.append(Outcome(source, "skipped", size))
            continue
        url = source.url
        try:
            try:
                size = _fetch(source, url, target, meter)
            except urllib.error.HTTPError as exc:
                if exc.code != 400 or source.whole_url is None:
                    raise
                # The portal refused the département filter: fetch the whole file instead.
                meter.line(f"Filtre refusé pour {source.filename} : fichier entier demandé")
                url = source.whole_url
                size = _fetch(source, url, target, meter)
        except NETWORK_ERRORS as exc:  # a local file error (disk full…) is not caught here
            outcomes.append(Outcome(source, "failed", reason=_reason(exc)))
            meter.line(f"Échec : {source.filename} ({_reason(exc)})")
            continue
        entries[source.filename] = {
            "fichier": source.filename,
            "url": url,
            "editeur": source.publisher,
            "contenu": source.title,
            "octets": size,
            "sha256": _sha256(target),
            "date": datetime.now(UTC).replace(microsecond=0).isoformat(),
        }
        _write_manifest(folder, entries)
        meter.line(f"Téléchargé : {source.filename} ({size_text(size)})")
        outcomes.append(Outcome(source, "fetched", size))
    failed = [o for o in outcomes if o.status == "failed"]
    if failed:
        raise DownloadError(
            issues=[
                Issue(
                    f"{o.source.filename} : {o.reason}. Téléchargez-le à la main depuis "
                    f"{o.source.by_hand}, puis placez-le dans {folder}."
                )
                for o in failed
            ]
        )
    return outcomes
