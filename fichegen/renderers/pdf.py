"""Render a Document as PDF with WeasyPrint: tagged by default, PDF/UA-1 and PDF/A-3b variants.

Everything WeasyPrint reads goes through :class:`~fichegen.renderers.fetcher.LockedFetcher`;
options are checked against an explicit table (WeasyPrint only logs unknown ones); in
PDF/A mode a character the bundled fonts cannot draw is an error, not a silent box.
"""

from __future__ import annotations

import logging
import threading
import unicodedata
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from typing import Any

from fichegen.document.model import (
    BulletList,
    Callout,
    Document,
    ExampleCard,
    KeyFigures,
    MapFigure,
    Paragraph,
    Section,
    Table,
)
from fichegen.errors import RenderError
from fichegen.renderers.pdf_tags import finish
from fichegen.resources import fonts_dir

__all__ = [
    "BUNDLED_FONTS",
    "PDF_OPTIONS",
    "PDF_VARIANTS",
    "check_glyphs",
    "document_text",
    "missing_glyphs",
    "pdf_options",
    "release_font_configuration",
    "render_pdf",
]

LOGGER = logging.getLogger("fichegen.renderers.pdf")

PDF_VARIANTS: tuple[str, ...] = ("pdf/ua-1", "pdf/a-3b")

#: The WeasyPrint options fichegen sets, with their values; anything else is refused.
PDF_OPTIONS: Mapping[str, object] = {
    "pdf_tags": True,
    "pdf_variant": None,
    "pdf_identifier": None,
    "uncompressed_pdf": False,
    "full_fonts": False,
    "hinting": False,
    "presentational_hints": False,
    "optimize_images": False,
    "custom_metadata": False,
}

BUNDLED_FONTS: tuple[str, ...] = (
    "Inter-Regular.otf",
    "Inter-Italic.otf",
    "Inter-SemiBold.otf",
    "Inter-Bold.otf",
)

#: Text the stylesheet itself generates (list markers, page numbers).
_STYLESHEET_TEXT = "✓→ page 0123456789 / ·"
_IGNORED = frozenset("\n\r\t")
#: WeasyPrint notes about the machine, not about the document (output stays correct).
_ENVIRONMENT_NOTES = ("Using fontTools instead of HarfBuzz-Subset",)


def pdf_options(variant: str | None = None, **overrides: object) -> dict[str, object]:
    """The options passed to ``write_pdf``; unknown names or variants raise RenderError."""
    from fichegen.renderers.weasy_import import import_weasyprint

    import_weasyprint()  # quietly and quickly, before any other WeasyPrint import
    from weasyprint import DEFAULT_OPTIONS

    if variant is not None and variant not in PDF_VARIANTS:
        raise RenderError(
            f"variante PDF inconnue : {variant!r} (attendu : {', '.join(PDF_VARIANTS)})",
            field="pdf_variant",
        )
    unknown = sorted(set(overrides) - set(PDF_OPTIONS))
    if unknown:
        raise RenderError(
            f"option de rendu PDF inconnue : {', '.join(unknown)} "
            f"(options possibles : {', '.join(sorted(PDF_OPTIONS))})"
        )
    options = {**PDF_OPTIONS, **overrides, "pdf_variant": variant}
    not_weasy = sorted(set(options) - set(DEFAULT_OPTIONS))
    if not_weasy:  # the table drifted from the installed WeasyPrint
        raise RenderError(f"option inconnue de WeasyPrint : {', '.join(not_weasy)}")
    return options


def _block_text(block: object) -> Iterator[str]:
    if isinstance(block, Section):
        yield block.title
        for child in block.blocks:
            yield from _block_text(child)
    elif isinstance(block, Paragraph):
        yield from (run.text for run in block.runs)
    elif isinstance(block, BulletList):
        yield from (run.text for item in block.items for run in item)
    elif isinstance(block, KeyFigures):
        for figure in block.items:
            yield from (figure.label, figure.value, figure.unit, figure.detail or "")
    elif isinstance(block, Table):
        yield from block.columns
        yield block.caption or ""
        yield from (run.text for row in block.rows for cell in row for run in cell)
    elif isinstance(block, Callout):
        yield block.title
        for child in block.blocks:
            yield from _block_text(child)
    elif isinstance(block, ExampleCard):
        yield from (block.title, block.place, block.distance or "")
        yield from (*block.why_chosen, *block.facts, *block.levers, block.source or "")
    elif isinstance(block, MapFigure):
        yield from (block.alt_text, block.caption)
        yield from (item.label for item in block.legend)
        for frame in block.frames:
            yield frame.title
            yield from (point.label + (point.detail or "") for point in frame.points)


def document_text(doc: Document) -> str:
    """All the text of the document that ends up drawn, in reading order."""
    head = (doc.title, doc.theme, doc.fiche_number, doc.commune_name, doc.departement_label)
    tail = (doc.date_text, doc.header_text, doc.footer_text)
    parts = [*head, *tail]
    for section in doc.sections:
        parts.extend(_block_text(section))
    return "\n".join(parts)


@cache
def _bundled_cmap() -> frozenset[int]:
    """Code points every bundled face can draw (intersection of their cmaps)."""
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    common: set[int] | None = None
    for name in BUNDLED_FONTS:
        with TTFont(str(fonts_dir() / name), lazy=True) as font:
            points = set(font.getBestCmap())
        common = points if common is None else common & points
    return frozenset(common or ())


def missing_glyphs(text: str) -> list[str]:
    """Characters of ``text`` that the bundled fonts cannot draw, sorted, each once."""
    cmap = _bundled_cmap()
    return sorted({ch for ch in text if ch not in _IGNORED and ord(ch) not in cmap})


def check_glyphs(doc: Document) -> None:
    """Refuse (RenderError) a document with characters the bundled fonts cannot draw."""
    missing = missing_glyphs(document_text(doc) + _STYLESHEET_TEXT)
    if missing:
        shown = ", ".join(
            f"« {ch} » (U+{ord(ch):04X} {unicodedata.name(ch, '?')})" for ch in missing
        )
        raise RenderError(
            f"caractères absents des polices intégrées, interdits en PDF/A : {shown}",
            field="pdf_variant",
        )


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if not message.startswith(_ENVIRONMENT_NOTES):
            self.messages.append(message)


@contextmanager
def _weasyprint_log() -> Iterator[_Collector]:
    """Collect WeasyPrint's warnings and errors (it reports problems only by logging)."""
    logger = logging.getLogger("weasyprint")
    collector = _Collector()
    logger.addHandler(collector)
    try:
        yield collector
    finally:
        logger.removeHandler(collector)


_PIN_LOCK = threading.Lock()


def _epoch_of(date_iso: str) -> int:
    """Seconds since 1970 of a ``YYYY-MM-DD`` date at midnight UTC (0 if unreadable)."""
    from datetime import UTC, datetime

    try:
        return int(datetime.fromisoformat(date_iso[:10]).replace(tzinfo=UTC).timestamp())
    except ValueError:
        return 0


@contextmanager
def _pinned_font_timestamps(epoch: int) -> Iterator[None]:
    """Pin the ``head.modified`` stamp fontTools writes into every font subset.

    When HarfBuzz-Subset is missing WeasyPrint subsets fonts with fontTools, which stamps
    the current time into each subset: two renders would then differ. The stamp is taken
    from the document date instead (fontTools' own SOURCE_DATE_EPOCH rule, scoped here).
    """
    from fontTools.misc.timeTools import epoch_diff  # type: ignore[import-untyped]
    from fontTools.ttLib.tables import _h_e_a_d  # type: ignore[import-untyped]

    with _PIN_LOCK, warnings.catch_warnings():
        # WeasyPrint 70 opens its sRGB profile (PDF/A output intent) without closing it.
        warnings.simplefilter("ignore", ResourceWarning)
        original = _h_e_a_d.timestampNow
        _h_e_a_d.timestampNow = lambda: epoch - epoch_diff
        try:
            yield
        finally:
            _h_e_a_d.timestampNow = original


@cache
def _font_config() -> Any:
    """One FontConfiguration per process: WeasyPrint's advice to keep memory flat when
    rendering many documents (each new one registers the @font-face fonts again)."""
    import atexit

    from weasyprint.text.fonts import FontConfiguration

    # Released before interpreter shutdown: its __del__ calls into cffi, which is already
    # torn down by then ("Exception ignored in FontConfiguration.__del__").
    atexit.register(release_font_configuration)
    return FontConfiguration()


def release_font_configuration() -> None:
    """Drop this process's FontConfiguration now and remove the ``weasyprint-*`` folder it
    made (its ``__del__`` does so, called here since a reference cycle may keep it alive
    until a garbage collection that a process leaving with ``os._exit`` never runs).
    Worker processes call it when they stop, since a child process never runs the
    ``atexit`` handlers; the command line runs it as an ``atexit`` handler."""
    if _font_config.cache_info().currsize:
        config = _font_config()
        _font_config.cache_clear()
        config.__del__()  # removes its folder (and again, harmlessly, when collected)


#: WeasyPrint's image caches, shared by the documents of the process: the map's frame
#: pictures (the same for every fiche of a région) are then read once, not once per PDF.
#: One per set of options, since WeasyPrint prepares a cached image for the options of
#: the document that first loaded it (otherwise output would depend on render order).
_IMAGE_CACHES: dict[str, dict[str, Any]] = {}
_IMAGE_CACHE_MAX = 256


def _image_cache(options: dict[str, Any]) -> dict[str, Any]:
    key = repr(sorted(options.items()))
    cache = _IMAGE_CACHES.setdefault(key, {})
    if len(cache) > _IMAGE_CACHE_MAX:
        cache.clear()
    return cache


def write_pdf(
    html: str, options: dict[str, Any], *, date_iso: str = "1970-01-01"
) -> tuple[bytes, list[str]]:
    """Render prepared HTML with the locked fetcher; return the PDF and WeasyPrint's messages."""
    from weasyprint import HTML

    from fichegen.renderers.fetcher import LockedFetcher, asset_base_url  # before weasyprint
    from fichegen.renderers.pdf_hyphens import names_kept_whole

    fetcher = LockedFetcher()
    pinned = _pinned_font_timestamps(_epoch_of(date_iso))
    with _weasyprint_log() as log, pinned, names_kept_whole():
        document = HTML(string=html, base_url=asset_base_url(), url_fetcher=fetcher)
        pdf = document.write_pdf(
            font_config=_font_config(),
            cache=_image_cache(options),
            finisher=finish if options.get("pdf_tags") else None,
            **options,
        )
    for message in log.messages:
        LOGGER.warning("WeasyPrint : %s", message)
    if not isinstance(pdf, bytes):
        raise RenderError("WeasyPrint n'a pas produit de PDF")
    return pdf, log.messages


def render_pdf(doc: Document, *, variant: str | None = None) -> bytes:
    """The fiche as PDF bytes: tagged PDF, or the ``pdf/ua-1`` / ``pdf/a-3b`` variant."""
    from fichegen.renderers.html import render_html

    options = pdf_options(variant)
    if variant == "pdf/a-3b":
        check_glyphs(doc)
    html = render_html(doc, standalone=False)
    try:
        pdf, _messages = write_pdf(html, options, date_iso=doc.date_iso)
    except RenderError:
        raise
    except Exception as error:  # WeasyPrint, Pango or font errors
        raise RenderError(f"le PDF n'a pas pu être produit : {error}") from error
    return pdf
