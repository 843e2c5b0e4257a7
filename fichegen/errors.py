"""The one error hierarchy of fichegen: every error a user can cause or meet.

Each error carries one or more located issues (file, line, column, field) and the
exit status the CLI must return. The CLI turns them into ``FILE:LINE:COLUMN: message``
lines in one place (:func:`fichegen.cli.main`); library callers get the same data.
"""

from __future__ import annotations

import errno
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "BatchError",
    "FichegenError",
    "InputError",
    "Issue",
    "KnowledgeError",
    "OutputError",
    "ProfileError",
    "RenderError",
    "UnknownCommuneError",
    "os_error_text",
]

EXIT_FAILED = 1
EXIT_INVALID = 2


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem at one place: a message in French plus where it was found."""

    message: str
    file: str | None = None
    line: int | None = None
    column: int | str | None = None  # a number in a text file, a letter in a spreadsheet
    field: str | None = None

    def format(self) -> str:
        """Render as ``FILE:LINE:COLUMN: message`` (parts that are unknown are left out)."""
        location = [part for part in (self.file, self.line, self.column) if part is not None]
        prefix = ":".join(str(part) for part in location)
        field = f"« {self.field} » : " if self.field else ""
        text = f"{field}{self.message}"
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


class BatchError(FichegenError):
    """At least one commune of a batch failed; the others were produced (exit status 1)."""

    exit_code = EXIT_FAILED


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
}


def os_error_text(exc: OSError) -> str:
    """The OS error in French (the system's own message is in the machine's language)."""
    return _OS_ERRORS.get(exc.errno or 0, exc.strerror or str(exc))
