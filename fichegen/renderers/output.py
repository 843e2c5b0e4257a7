"""Turn a built fiche into bytes of one format, and write files atomically."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from fichegen.errors import OutputError, RenderError, os_error_text
from fichegen.options import FORMATS, RenderOptions, output_name

if TYPE_CHECKING:
    from fichegen.document.model import Document
    from fichegen.selection.fiche import Fiche

__all__ = ["document_bytes", "produce_files", "render", "render_formats", "write_atomic"]


def document_bytes(document: Document, fmt: str, options: RenderOptions) -> bytes:
    """Render an already composed document in one format."""
    if fmt == "html":
        from fichegen.renderers.html import render_html

        return render_html(document).encode("utf-8")
    if fmt == "pdf":
        from fichegen.renderers.pdf import render_pdf

        return render_pdf(document, variant=options.pdf_variant)
    if fmt == "docx":
        from fichegen.renderers.docx import render_docx

        return render_docx(document)
    raise RenderError(f"format inconnu « {fmt} » ; formats possibles : {', '.join(FORMATS)}")


def render(
    fiche: Fiche,
    fmt: str = "pdf",
    target: str | os.PathLike[str] | None = None,
    *,
    options: RenderOptions | None = None,
) -> bytes | None:
    """Render ``fiche`` as ``fmt`` (pdf, docx or html).

    Returns the bytes when ``target`` is None; otherwise writes them atomically to
    ``target`` and returns None.
    """
    from fichegen.document.compose import compose

    opts = options or RenderOptions()
    data = document_bytes(compose(fiche, opts), fmt, opts)
    if target is None:
        return data
    write_atomic(Path(target), data)
    return None


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    A crash at any point leaves either the old file or the new one, never a partial one.
    """
    directory = path.parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(
            f"impossible d'écrire dans le dossier « {directory} » : {os_error_text(exc)}",
            file=str(path),
        ) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise OutputError(
            f"impossible d'écrire le fichier : {os_error_text(exc)}", file=str(path)
        ) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise


def render_formats(fiche: Fiche, options: RenderOptions) -> tuple[tuple[str, bytes], ...]:
    """Compose the fiche once and render every requested format, in memory, in order."""
    from fichegen.document.compose import compose

    document = compose(fiche, options)
    return tuple((fmt, document_bytes(document, fmt, options)) for fmt in options.formats)


def produce_files(fiche: Fiche, options: RenderOptions, output_dir: Path) -> list[Path]:
    """Render every requested format of one fiche, then write them all atomically.

    Every format is rendered in memory first, so a render failure writes none of them.
    """
    commune = fiche.commune.commune
    payloads = [
        (output_dir / output_name(commune.code_insee, commune.nom, fmt), data)
        for fmt, data in render_formats(fiche, options)
    ]
    for path, data in payloads:
        write_atomic(path, data)
    return [path for path, _ in payloads]
