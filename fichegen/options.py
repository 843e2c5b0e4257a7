"""One table of output options, shared by the Python API, the CLI and the batch."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from fichegen.errors import InputError, shorten

__all__ = [
    "ENGINES",
    "FORMATS",
    "PDF_VARIANTS",
    "RenderOptions",
    "output_name",
    "parse_formats",
    "slugify",
]

FORMATS: tuple[str, ...] = ("pdf", "docx", "html")
DEFAULT_FORMATS: tuple[str, ...] = ("pdf", "docx")
PDF_VARIANTS: tuple[str, ...] = ("pdf/ua-1", "pdf/a-3b")
#: PDF engines: WeasyPrint (default, from the HTML) or Typst (same look, much faster).
ENGINES: tuple[str, ...] = ("weasyprint", "typst")


@dataclass(frozen=True)
class RenderOptions:
    """What to produce and how; every field has a CLI flag of the same meaning."""

    formats: tuple[str, ...] = DEFAULT_FORMATS
    pdf_variant: str | None = None
    date: date | None = None  # generation date; None = SOURCE_DATE_EPOCH, else today
    knowledge_dir: Path | None = None
    extra: dict[str, str] = field(default_factory=dict)  # for tools driving a batch task;
    # it is part of the batch resume key, so changing it redoes the fiches
    engine: str = "weasyprint"  # the PDF engine (ENGINES)

    def __post_init__(self) -> None:
        from fichegen.errors import require

        require(
            self.formats, (tuple, list), "formats : liste de formats attendue (pdf, docx, html)"
        )
        require(self.date, (date, type(None)), "date : datetime.date ou None attendu")
        require(
            self.knowledge_dir,
            (Path, str, type(None)),
            "knowledge_dir : chemin de dossier ou None attendu",
        )
        require(self.extra, dict, "extra : dict attendu")
        object.__setattr__(self, "formats", tuple(self.formats))
        if isinstance(self.knowledge_dir, str):
            object.__setattr__(self, "knowledge_dir", Path(self.knowledge_dir))
        for fmt in self.formats:
            if fmt not in FORMATS:
                raise InputError(
                    f"format inconnu « {shorten(fmt)} » ; formats possibles : {', '.join(FORMATS)}"
                )
        if self.engine not in ENGINES:
            raise InputError(
                f"moteur PDF inconnu « {shorten(str(self.engine))} » ; "
                f"moteurs possibles : {', '.join(ENGINES)}"
            )
        if self.pdf_variant is not None and self.pdf_variant not in PDF_VARIANTS:
            raise InputError(
                f"variante PDF inconnue « {shorten(self.pdf_variant)} » ; "
                f"variantes possibles : {', '.join(PDF_VARIANTS)}"
            )


def parse_formats(text: str) -> tuple[str, ...]:
    """Parse ``pdf,docx`` into a tuple of known formats, in the given order, without repeats."""
    formats: list[str] = []
    for part in text.split(","):
        name = part.strip().lower()
        if not name:
            continue
        if name not in FORMATS:
            raise InputError(
                f"format inconnu « {shorten(name)} » ; formats possibles : {', '.join(FORMATS)}",
                field="-f/--formats",
            )
        if name not in formats:
            formats.append(name)
    if not formats:
        raise InputError("aucun format demandé ; exemple : -f pdf,docx", field="-f/--formats")
    return tuple(formats)


SLUG_MAX = 60
"""Longest slug in a file name (the longest commune name of the reference gives 45):
a 200-character ``nom`` of ligatures such as « ﬃ » must not exceed the 255 bytes a
file name can have."""


def slugify(name: str) -> str:
    """ASCII, lower-case, hyphen-separated name: ``L'Île-d'Yeu`` → ``l-ile-d-yeu``.

    At most :data:`SLUG_MAX` characters, cut at a hyphen when there is one."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    if len(slug) > SLUG_MAX:
        cut = slug[: SLUG_MAX + 1]
        slug = (cut.rsplit("-", 1)[0] if "-" in cut else cut[:SLUG_MAX]).strip("-")
    return slug or "commune"


def output_name(code_insee: str, commune_name: str, fmt: str) -> str:
    """File name of a fiche: ``fiche15_<code_insee>_<slug>.<ext>`` (code kept as written, 2A/2B)."""
    return f"fiche15_{code_insee}_{slugify(commune_name)}.{fmt}"
