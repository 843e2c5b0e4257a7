"""The fiche's general texts in each territory's own words.

The built-in levers speak of « la Caf » and of « l’intercommunalité », which is true of most
communes. Where the selection's :class:`~fichegen.selection.territory.Territory` says
otherwise (no Caf at Mayotte or Saint-Pierre-et-Miquelon, no EPCI at Ouessant), the same
sentences are printed with that territory's words. Each replacement names the exact words
it replaces: ``tests/document/test_territory_words.py`` checks that every one of them is
still found in the built-in knowledge base, so none can silently stop applying.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fichegen.french.typography import typeset

if TYPE_CHECKING:
    from fichegen.selection.territory import Territory

__all__ = ["CTG_BODY", "NO_EPCI", "ORGANISME", "localize", "replacements"]

NO_EPCI: tuple[tuple[str, str], ...] = (
    (", seule ou avec l’intercommunalité", ""),
    ("Les communes et leurs intercommunalités peuvent", "Les communes peuvent"),
)
"""Intercommunal wording dropped for a commune outside any EPCI."""

ORGANISME: tuple[tuple[str, str], ...] = (
    (
        "la convention territoriale globale (CTG), passée avec la Caisse d’allocations familiales,",
        "les conventions passées avec {organisme},",
    ),
    (
        "à l’élaboration ou au renouvellement de la CTG avec la Caf",
        "aux conventions passées avec {court}",
    ),
    (
        "Pas de convention territoriale globale avec la Caf",
        "Pas de convention avec {court}",
    ),
    ("Convention territoriale globale avec la Caf", "Convention avec {court}"),
)
"""Caf wording replaced where another body pays family benefits."""

_CTG_MAYOTTE: tuple[tuple[str, str], ...] = (
    (
        "la convention territoriale globale (CTG), passée avec la Caisse d’allocations familiales,",
        "la convention territoriale globale (CTG), passée avec {organisme},",
    ),
    (
        "à l’élaboration ou au renouvellement de la CTG avec la Caf",
        "à l’élaboration ou au renouvellement de la CTG avec {court}",
    ),
    (
        "Pas de convention territoriale globale avec la Caf",
        "Pas de convention territoriale globale avec {court}",
    ),
    (
        "Convention territoriale globale avec la Caf",
        "Convention territoriale globale avec {court}",
    ),
)
"""At Mayotte the CSSM signs the CTG (CASF, art. L214-2, III): only the body changes."""


CTG_BODY = "(la Caf ; à Mayotte, la Caisse de sécurité sociale de Mayotte)"
"""The bracket of the legal CTG statement naming the body, as the knowledge base words it."""


def _ctg_body(territory: Territory) -> tuple[tuple[str, str], ...]:
    """The CTG statement names the body of this territory only: the Caf where one serves,
    the CSSM at Mayotte; elsewhere (no Caf, applicability to be checked) no body is named and
    the territory's own note, printed beside it, says whom to ask."""
    if territory.caf:
        return ((CTG_BODY, "(la Caf)"),)
    if territory.regime == "mayotte":
        return ((CTG_BODY, "(à Mayotte, la Caisse de sécurité sociale de Mayotte)"),)
    return ((" " + CTG_BODY, ""),)


def replacements(territory: Territory) -> tuple[tuple[str, str], ...]:
    """The (old, new) pairs that apply to this territory, already typeset."""
    pairs: list[tuple[str, str]] = list(_ctg_body(territory))
    if not territory.intercommunalite:
        pairs.extend(NO_EPCI)
    if not territory.caf:
        table = _CTG_MAYOTTE if territory.regime == "mayotte" else ORGANISME
        pairs.extend(
            (old, new.format(organisme=territory.organisme, court=territory.organisme_court))
            for old, new in table
        )
    return tuple((typeset(old), typeset(new)) for old, new in pairs)


def localize(text: str, territory: Territory | None) -> str:
    """``text`` with the territory's own words (unchanged for most communes)."""
    if territory is None:
        return text
    for old, new in replacements(territory):
        text = text.replace(old, new)
    return text
