"""Turn a built fiche into bytes of one format, and write files atomically."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from fichegen.errors import InputError, OutputError, RenderError, os_error_text, require, shorten
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
    if fmt == "pdf" and options.engine == "typst":
        from fichegen.renderers.typst_pdf import render_typst_pdf

        return render_typst_pdf(document, variant=options.pdf_variant)
    if fmt == "pdf":
        from fichegen.renderers.pdf import render_pdf

        return render_pdf(document, variant=options.pdf_variant)
    if fmt == "docx":
        from fichegen.renderers.docx import render_docx

        return render_docx(document)
    raise RenderError(
        f"format inconnu « {shorten(fmt)} » ; formats possibles : {', '.join(FORMATS)}"
    )


def render(
    fiche: Fiche,
    fmt: str = "pdf",
    target: str | os.PathLike[str] | None = None,
    *,
    options: RenderOptions | None = None,
) -> bytes | None:
    """Render ``fiche`` as ``fmt`` (pdf, docx or html).

    Returns the bytes when ``target`` is None; otherwise writes them atomically to
    ``target`` and returns None. The folder of ``target`` must exist: it is never created
    (as ``open()`` does; the CLI creates only the ``-o`` folder itself).
    """
    from fichegen.document.compose import compose

    require(fmt, str, "format attendu en texte : pdf, docx ou html")
    require(target, (str, os.PathLike, type(None)), "target : chemin de fichier ou None attendu")
    if fmt not in FORMATS:
        raise InputError(
            f"format inconnu « {shorten(fmt)} » ; formats possibles : {', '.join(FORMATS)}"
        )
    path = None if target is None else _target_path(target)
    opts = options or RenderOptions()
    data = document_bytes(compose(fiche, opts), fmt, opts)
    if path is None:
        return data
    write_atomic(path, data)
    return None


def _target_path(target: str | os.PathLike[str]) -> Path:
    """The file to write, refused at once if it cannot be one (before any rendering)."""
    text = os.fspath(target)
    if not isinstance(text, str) or not text.strip():
        raise InputError("chemin du fichier à écrire vide", field="target")
    path = Path(text)
    if path.is_dir():
        raise InputError("c'est un dossier : indiquez un nom de fichier", file=text)
    if path.exists() and not path.is_file():  # /dev/null, /dev/stdout, a FIFO: never replaced
        raise InputError(
            "ce chemin n'est pas un fichier ordinaire (périphérique, tube…) : il ne sera pas "
            "remplacé ; indiquez un nom de fichier",
            file=text,
        )
    if not path.parent.is_dir():
        raise OutputError(
            f"dossier « {path.parent} » introuvable (il n'est pas créé) ; créez-le d'abord",
            file=text,
        )
    return path


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    A crash at any point leaves either the old file or the new one, never a partial one.
    The folder must exist. A symbolic link at ``path`` is replaced, never followed.
    """
    directory = path.parent
    try:
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
