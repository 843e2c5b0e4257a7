"""Render a Document as PDF with Typst (PyPI ``typst``, an in-process compiler).

The second PDF engine (``--moteur typst``): same content and look as the WeasyPrint PDF,
about ten times faster. The template (``templates/typst/fiche.typ``) is copied once per
process into a private temporary folder, the compile root, with the map's frame pictures;
the document reaches it as JSON through ``sys.inputs`` (:mod:`fichegen.renderers.typst_data`)
and only ever becomes text content, never markup. Typst cannot read a file outside its
root, and only the bundled Inter fonts are loaded (no system fonts), so the output does
not depend on the machine. Tagged PDF by default; ``pdf/ua-1`` and ``pdf/a-3b`` variants.
"""

from __future__ import annotations

import atexit
import json
import shutil
import tempfile
import threading
from functools import cache
from pathlib import Path
from typing import Any

from fichegen.document.model import Document
from fichegen.errors import RenderError
from fichegen.renderers.map_layout import FrameBase
from fichegen.resources import fonts_dir, templates_dir

__all__ = ["TEMPLATE", "TYPST_STANDARDS", "render_typst_pdf", "typst_root"]

TEMPLATE = "fiche.typ"
#: fichegen's PDF variants and the Typst standards that give them.
TYPST_STANDARDS: dict[str | None, list[str]] = {
    None: [],
    "pdf/ua-1": ["ua-1"],
    "pdf/a-3b": ["a-3b"],
}

_LOCK = threading.Lock()


@cache
def typst_root() -> Path:
    """The private compile root of this process: the template and the map pictures."""
    root = Path(tempfile.mkdtemp(prefix="fichegen-typst-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    shutil.copyfile(templates_dir() / "typst" / TEMPLATE, root / TEMPLATE)
    return root


@cache
def _compiler() -> Any:
    import typst

    root = typst_root()
    return typst.Compiler(
        input=str(root / TEMPLATE),
        root=str(root),
        font_paths=[str(fonts_dir())],
        ignore_system_fonts=True,
    )


def _picture(base: FrameBase) -> str:
    """File name of a frame's picture in the compile root (written once per process)."""
    from fichegen.renderers.map_raster import frame_jpeg

    data, name = frame_jpeg(base)
    path = typst_root() / name
    if not path.exists():
        path.write_bytes(data)
    return name


def _epoch(date_iso: str) -> int:
    from datetime import UTC, datetime

    try:
        return int(datetime.fromisoformat(date_iso[:10]).replace(tzinfo=UTC).timestamp())
    except ValueError:
        return 0


def render_typst_pdf(doc: Document, *, variant: str | None = None) -> bytes:
    """The fiche as PDF bytes made by Typst: tagged PDF, or ``pdf/ua-1`` / ``pdf/a-3b``."""
    from fichegen.renderers.typst_data import document_data

    if variant not in TYPST_STANDARDS:
        raise RenderError(
            f"variante PDF inconnue : {variant!r} (attendu : pdf/ua-1, pdf/a-3b)",
            field="pdf_variant",
        )
    if variant == "pdf/a-3b":
        from fichegen.renderers.pdf import check_glyphs

        check_glyphs(doc)
    with _LOCK:
        data = json.dumps(document_data(doc, _picture), ensure_ascii=False)
        try:
            pdf = _compiler().compile(
                format="pdf",
                sys_inputs={"fiche": data},
                pdf_standards=TYPST_STANDARDS[variant],
                timestamp=_epoch(doc.date_iso),
            )
        except Exception as error:  # typst.TypstError: the template or the standard refused
            message = getattr(error, "message", None) or str(error)
            raise RenderError(f"le PDF (Typst) n'a pas pu être produit : {message}") from error
    if not isinstance(pdf, bytes):
        raise RenderError("Typst n'a pas produit de PDF")
    return pdf
