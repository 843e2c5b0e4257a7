"""Helpers shared by the knowledge/selection tests: real communes found in the reference."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from fichegen.inputs.profile import Profile, profile_from_dict
from fichegen.reference.lookup import load_reference
from fichegen.reference.types import Commune
from fichegen.selection.builder import build
from fichegen.selection.fiche import Fiche


@cache
def all_communes() -> tuple[Commune, ...]:
    reference = load_reference()
    return tuple(c for dep, _ in reference.departements() for c in reference.communes_of(dep))


def find_commune(predicate: Callable[[Commune], bool]) -> Commune:
    """The first commune (in code order) matching the predicate; fails the test if none."""
    for commune in sorted(all_communes(), key=lambda c: c.code_insee):
        if predicate(commune):
            return commune
    raise AssertionError("no commune of the reference matches")


def profile(code: str, **sections: Any) -> Profile:
    return profile_from_dict({"commune": {"code_insee": code}, **sections})


def fiche_for(code: str, **sections: Any) -> Fiche:
    return build(profile(code, **sections))
