"""The one error hierarchy of fichegen: every error a user can cause or meet.

Each error carries one or more located issues (file, line, column, field) and the
exit status the CLI must return. The CLI turns them into ``FILE:LINE:COLUMN: message``
lines in one place (:func:`fichegen.cli.main`); library callers get the same data.
"""

from __future__ import annotations

import errno
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "BatchError",
    "DownloadError",
    "FichegenError",
    "InputError",
    "Issue",
    "KnowledgeError",
    "NotRegularFile",
    "OutputError",
    "ProfileError",
    "RenderError",
    "UnknownCommuneError",
    "missing_extra",
    "os_error_text",
    "printable",
    "require",
    "shorten",
]

EXIT_FAILED = 1
EXIT_INVALID = 2

ECHO_LIMIT = 40
"""Most characters of a user's value quoted back in a message (then an ellipsis)."""

# What a terminal would interpret or hide: C0/C1 controls (ESC starts escape sequences),
# bidirectional overrides and isolates, zero-width and other invisible format characters.
_UNPRINTABLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]"
)


def printable(text: str, *, newlines: bool = True) -> str:
    """``text`` safe to print on a terminal: controls and invisible characters made visible
    as ``\\xNN`` or ``\\uNNNN`` (a file name can hold an escape sequence or U+202E)."""
    if not newlines:  # a file name: a line break in it must not fake another line
        text = text.replace("\n", "\\n").replace("\t", "\\t")
    return _UNPRINTABLE.sub(
        lambda m: (
            f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}"
        ),
        text,
    )


def shorten(value: object, limit: int = ECHO_LIMIT) -> str:
    """A user's value as quoted back in a message: one line, printable, at most ``limit``
    characters (then « … »), so that a huge or hostile value never floods a message."""
    if isinstance(value, int) and value.bit_length() > 10_000:  # str() refuses 4 300+ digits
        return f"{'-' if value < 0 else ''}nombre de plus de 3 000 chiffres"
    text = value if isinstance(value, str) else repr(value) if value is None else str(value)
    text = " ".join(text[: limit * 4].split()) if len(text) > limit else " ".join(text.split())
    text = printable(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem at one place: a message in French plus where it was found."""

    message: str
    file: str | None = None
    line: int | None = None
    column: int | str | None = None  # a number in a text file, a letter in a spreadsheet
    field: str | None = None
    severity: str = "erreur"
    """``"erreur"`` (the input is refused) or ``"avertissement"`` (a figure to check)."""

    def format(self) -> str:
        """Render as ``FILE:LINE:COLUMN: message`` (parts that are unknown are left out); a
        warning reads ``FILE:LINE:COLUMN: avertissement : message``."""
        location = [part for part in (self.file, self.line, self.column) if part is not None]
        prefix = printable(":".join(str(part) for part in location), newlines=False)
        field = f"« {shorten(self.field, 80)} » : " if self.field else ""
        kind = "avertissement : " if self.severity == "avertissement" else ""
        text = f"{kind}{field}{printable(self.message)}"
        return f"{prefix}: {text}" if prefix else text


class FichegenError(Exception):
    """Base class of every error raised by fichegen on purpose."""

    exit_code: int = EXIT_FAILED

    def __init__(
        self,
        message: str | None = None,
        *,
        issues: Iterable[Issue] = (),
        file: str | None = None,
        line: int | None = None,
        column: int | str | None = None,
        field: str | None = None,
    ) -> None:
        collected = list(issues)
        if message is not None:
            collected.insert(0, Issue(message, file, line, column, field))
        if not collected:
            collected.append(Issue("erreur inconnue"))
        self.issues: Sequence[Issue] = tuple(collected)
        super().__init__("\n".join(issue.format() for issue in self.issues))

    @property
    def first(self) -> Issue:
        return self.issues[0]

    @property
    def file(self) -> str | None:
        return self.first.file

    @property
    def line(self) -> int | None:
        return self.first.line

    @property
    def column(self) -> int | str | None:
        return self.first.column

    @property
    def field(self) -> str | None:
        return self.first.field

    def lines(self) -> list[str]:
        """One formatted line per issue, as the CLI prints them."""
        return [issue.format() for issue in self.issues]


class InputError(FichegenError):
    """Bad usage or invalid input: nothing is written (exit status 2)."""

    exit_code = EXIT_INVALID


class ProfileError(InputError):
    """A commune profile that cannot be read or does not follow the schema."""


class KnowledgeError(InputError):
    """A knowledge-base folder (built in or ``--knowledge DIR``) that is invalid."""


class UnknownCommuneError(InputError):
    """An INSEE code or name that matches no current commune."""


class OutputError(FichegenError):
    """A file could not be written (exit status 1)."""

    exit_code = EXIT_FAILED


class RenderError(FichegenError):
    """A document could not be produced in the requested format (exit status 1)."""

    exit_code = EXIT_FAILED


class DownloadError(FichegenError):
    """An official file could not be downloaded; the others were (exit status 1)."""

    exit_code = EXIT_FAILED


class BatchError(FichegenError):
    """At least one commune of a batch failed; the others were produced (exit status 1)."""

    exit_code = EXIT_FAILED


_TYPE_NAMES = {
    "NoneType": "None",
    "str": "un texte",
    "bytes": "des octets",
    "dict": "un dict",
    "list": "une liste",
    "tuple": "un tuple",
    "set": "un ensemble",
    "int": "un nombre entier",
    "float": "un nombre",
    "bool": "un booléen",
}


def require(value: object, expected: type | tuple[type, ...], what: str) -> None:
    """Refuse a Python API argument of the wrong type with a French :class:`InputError`
    (instead of an ``AttributeError`` deep inside): ``what`` says what was expected."""
    if not isinstance(value, expected) or (
        isinstance(value, bool)
        and bool not in (expected if isinstance(expected, tuple) else (expected,))
    ):
        name = type(value).__name__
        raise InputError(f"{what}, reçu {_TYPE_NAMES.get(name, f'un objet {name}')}")


_OS_ERRORS = {
    errno.EACCES: "permission refusée",
    errno.EPERM: "opération non permise",
    errno.ENOENT: "chemin introuvable",
    errno.EEXIST: "un fichier porte déjà ce nom",
    errno.ENOTDIR: "un élément du chemin n'est pas un dossier",
    errno.EISDIR: "c'est un dossier",
    errno.ENOSPC: "plus de place sur le disque",
    errno.EROFS: "système de fichiers en lecture seule",
    errno.EDQUOT: "quota disque dépassé",
    errno.ENAMETOOLONG: "nom de fichier trop long",
    errno.ELOOP: "trop de liens symboliques, ou lien symbolique refusé",
    errno.EBUSY: "ressource occupée",
    errno.EINVAL: "argument invalide",
    errno.ENXIO: "périphérique ou adresse introuvable",
}


class NotRegularFile(OSError):
    """A path that is not an ordinary file (pipe, device, socket, /proc pseudo-file):
    nothing of it is read, so nothing of it can be quoted."""


def os_error_text(exc: OSError) -> str:
    """The OS error in French (the system's own message is in the machine's language)."""
    if isinstance(exc, NotRegularFile):
        return "ce n’est pas un fichier ordinaire : tube, périphérique ou fichier du système"
    known = _OS_ERRORS.get(exc.errno or 0)
    if known is not None:
        return known
    name = errno.errorcode.get(exc.errno or 0)
    return f"erreur système {name}" if name else "erreur système"


def missing_extra(extra: str, needed: str) -> str:
    """« le serveur web demande l'extra « web », non installé … » with the exact command for
    each way of installing fichegen: from the repository (``scripts/setup.sh``, ``.venv``)
    and with pip."""
    return (
        f"{needed} demande l'extra « {extra} », qui n'est pas installé. Installation depuis "
        f"le dépôt (scripts/setup.sh) : dans le dossier du dépôt, .venv/bin/pip install "
        f"'.[{extra}]' ; installation avec pip : pip install 'fichegen[{extra}]'"
    )
