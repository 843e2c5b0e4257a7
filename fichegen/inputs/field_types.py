"""The scalar types of profile fields: counts, amounts, names and free text, with limits."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, Strict, StringConstraints
from pydantic_core import PydanticCustomError

__all__ = ["Amount", "Count", "FreeText", "Name"]

Count = Annotated[int, Strict(), Field(ge=0, le=100_000_000)]
Amount = Annotated[float, Strict(), Field(ge=0, le=1e12, allow_inf_nan=False)]


def _one_line(value: str) -> str:
    # A name is a title, a file name and a map label: a line break or a tab in it cannot
    # be laid out (Pillow's text measurement fails on it) and is never meant.
    if any(ch in value for ch in "\n\r\t\u2028\u2029"):
        raise PydanticCustomError(
            "nom_sur_une_ligne",
            "un nom tient sur une seule ligne : retirez les retours à la ligne et tabulations",
        )
    return value


# Spaces around a name are dropped; a name of spaces only is refused (it would print a
# blank title).
Name = Annotated[
    str,
    Strict(),
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(_one_line),
]
FreeText = Annotated[str, Strict(), Field(max_length=2000)]
