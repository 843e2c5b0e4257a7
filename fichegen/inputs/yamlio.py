"""Safe YAML with positions: read a document, keeping where every key and value was written.

The YAML event stream is composed here, iteratively, instead of by PyYAML's composer
and constructor, so that every limit is enforced while reading: file size, nesting
depth, number of values, number of aliases (an alias bomb is refused before it is
expanded), standard tags only (``!!python/...`` is refused), no duplicated keys,
one document whose top level is a mapping. Every key and value keeps its line and
column (1-based) and the text it was written with, so that a schema error can point
at ``FILE:LINE:COLUMN`` and a field such as ``code_insee: 01001`` can be read as written.
Text is cleaned once, here: C0/C1 control characters other than newline and tab are
removed and lone surrogates are replaced by U+FFFD.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from fichegen.errors import FichegenError, InputError, os_error_text, shorten
from fichegen.inputs.files import read_regular
from fichegen.inputs.yaml_document import (
    MAX_ALIASES,
    MAX_BYTES,
    MAX_DEPTH,
    MAX_VALUES,
    RAW_CONTROLS,
    SURROGATES,
    DataPath,
    Position,
    YamlDocument,
    clean_data,
    clean_text,
    depth_message,
    empty_message,
)

if TYPE_CHECKING:  # PyYAML loads when a text is parsed, not for a profile made in code
    import yaml

__all__ = [
    "MAX_ALIASES",
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_VALUES",
    "DataPath",
    "Position",
    "YamlDocument",
    "clean_data",
    "clean_text",
    "load_yaml_bytes",
    "load_yaml_file",
    "load_yaml_text",
]


def load_yaml_file(
    path: str | os.PathLike[str], *, error: type[FichegenError] = InputError
) -> YamlDocument:
    """Read one YAML file safely; raise ``error`` (with every issue found) if it is not usable."""
    source = os.fspath(path)
    try:
        raw = read_regular(source, MAX_BYTES)
    except FileNotFoundError:
        raise error("fichier introuvable", file=source) from None
    except IsADirectoryError:
        raise error("c'est un dossier, pas un fichier YAML", file=source) from None
    except OSError as exc:
        raise error(f"lecture impossible ({os_error_text(exc)})", file=source) from None
    return load_yaml_bytes(raw, source, error=error)


def load_yaml_bytes(
    raw: bytes, source: str = "<octets>", *, error: type[FichegenError] = InputError
) -> YamlDocument:
    """Parse the bytes of a YAML file (as read from disk) into a located document."""
    if len(raw) > MAX_BYTES:
        raise error(_size_message(), file=source)
    return load_yaml_text(_decode(raw, source, error), source, error=error)


def _size_message() -> str:
    return f"fichier trop volumineux (au plus {MAX_BYTES // 1024} Kio par fichier)"


_WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def _decode(raw: bytes, source: str, error: type[FichegenError]) -> str:
    for bom, name in _WIDE_BOMS:  # UTF-32 first: its little-endian mark starts like UTF-16's
        if raw.startswith(bom):
            raise error(
                f"fichier en {name} : enregistrez-le en UTF-8", file=source, line=1, column=1
            )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = exc.start
        line_start = raw.rfind(b"\n", 0, start) + 1
        line = raw.count(b"\n", 0, start) + 1
        column = len(raw[line_start:start].decode("utf-8", errors="replace")) + 1
        raise error(
            f"octet non UTF-8 (0x{raw[start]:02X}) : enregistrez le fichier en UTF-8",
            file=source,
            line=line,
            column=column,
        ) from None


def load_yaml_text(
    text: str, source: str = "<texte>", *, error: type[FichegenError] = InputError
) -> YamlDocument:
    """Parse YAML text safely into a located document whose top level is a mapping."""
    if len(text) > MAX_BYTES:
        raise error(_size_message(), file=source)
    text = SURROGATES.sub("\ufffd", RAW_CONTROLS.sub("", text.removeprefix("\ufeff")))
    if not text.strip():
        raise error(empty_message(error), file=source)
    import yaml

    from fichegen.inputs.yaml_composer import Composer

    composer = Composer(source, error)
    try:
        composer.run(yaml.parse(text, Loader=yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise error(
            f"YAML mal formé : {_yaml_problem(exc)}",
            file=source,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    except yaml.reader.ReaderError as exc:  # U+FFFE, U+FFFF: not allowed in YAML
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1])
        raise error(
            f"caractère interdit U+{code:04X} (non-caractère Unicode) : supprimez-le",
            file=source,
            line=line,
            column=column,
        ) from None
    except yaml.YAMLError:
        raise error("YAML illisible", file=source) from None
    except RecursionError:
        raise error(depth_message(), file=source) from None
    return composer.document()


_PROBLEMS = (
    (
        "cannot start any token",
        "caractère inattendu (les tabulations sont interdites : indentez avec des espaces)",
    ),
    (
        "mapping values are not allowed",
        "« : » inattendu (mettez entre guillemets un texte "
        "contenant « : », ou vérifiez l'indentation)",
    ),
    ("could not find expected ':'", "« : » attendu après la clé"),
    ("expected <block end>", "indentation incohérente"),
    ("unexpected end of stream", "fin de fichier inattendue (guillemet non fermé ?)"),
    ("<stream end>", "fin de fichier inattendue (crochet ou accolade non fermé ?)"),
    ("found undefined alias", "alias « * » sans ancre « & » correspondante"),
    ("expected ',' or ']'", "« , » ou « ] » attendu dans la liste"),
    ("expected ',' or '}'", "« , » ou « } » attendu"),
    ("found unknown escape character", "séquence d'échappement « \\ » inconnue"),
)


def _yaml_problem(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or ""
    for needle, french in _PROBLEMS:
        if needle in problem:
            return french
    return f"erreur de syntaxe ({shorten(problem or exc.context or 'inconnue', 80)})"
