"""French grammar of generated text: agreement by count, elision, articles, ordinals.

* :func:`count` gives ``1 crèche associative`` / ``2 crèches associatives`` (no-break space
  after the number), never ``(s)``;
  :func:`agree` resolves the ``(s)``, ``(x)``, ``(es)`` and ``(aux)`` markers of a phrase.
* :func:`de` and :func:`a` join a preposition to a place name: ``d’Anstaing``, ``du Havre``,
  ``des Mureaux``, ``au Havre``, ``aux Abymes``, ``de Hautes-Alpes``.
* :func:`with_article` puts the article before a collective name (an EPCI): ``la CC du
  Quercy Caussadais``, ``la Métropole européenne de Lille``, ``l’EPT…``, ``le syndicat…``,
  and none before a name that starts with a city (``Toulouse Métropole``).
* :func:`the` elides the article: ``l’école``, ``l’EPCI``, ``la crèche``.
* :func:`ordinal` gives ``1er``, ``1re``, ``2e``.
"""

from __future__ import annotations

import re

from fichegen.french.formatting import integer
from fichegen.french.typography import NBSP

__all__ = [
    "a",
    "a_article",
    "agree",
    "capitalize",
    "count",
    "de",
    "de_article",
    "elides",
    "ordinal",
    "the",
    "with_article",
]

_VOWELS = frozenset("aàâäeéèêëiîïoôöuùûüyœæ")
# Words whose initial h is aspirated: no elision, no contraction ("de Hautes-Alpes").
# Place names with a Germanic or Flemish h keep it too ("de Haguenau", "de Hazebrouck").
_ASPIRATED_H = (
    "haut",
    "hauts",
    "haute",
    "hautes",
    "hague",
    "haguenau",
    "hazebrouck",
    "halluin",
    "hem",
    "hénin",
    "hérouville",
    "hendaye",
    "hoenheim",
    "houilles",
    "hamel",
    "hallennes",
    "hasparren",
    "hérault",
    "havre",
    "hongrie",
    "huit",
    "huitième",
)
_MARKER = re.compile(r"(\w+)\((s|x|es|aux)\)")
_LEADING_ARTICLE = re.compile(r"^(?:(Les|Le|La)\s+|(L['’]))(?=\S)")


def _first_word(text: str) -> str:
    return re.split(r"[\s\-’']", text.strip(), maxsplit=1)[0].lower()


def elides(word: str) -> bool:
    """Whether ``le``/``de``/``que`` elide before ``word`` (vowel or mute h)."""
    first = _first_word(word)
    if not first:
        return False
    if first[0] == "h":
        return first not in _ASPIRATED_H and not any(
            first.startswith(h) and len(h) >= 5 for h in _ASPIRATED_H
        )
    return first[0] in _VOWELS


def agree(phrase: str, number: int) -> str:
    """Resolve agreement markers: ``crèche(s) associative(s)`` for 1 or for several.

    ``(s)``, ``(x)``, ``(es)`` are added in the plural; ``social(aux)`` becomes ``sociaux``.
    French puts 0 and 1 in the singular.
    """
    plural = abs(number) >= 2

    def one(match: re.Match[str]) -> str:
        stem, suffix = match.group(1), match.group(2)
        if not plural:
            return stem
        if suffix == "aux":
            return stem[:-2] + "aux" if stem.endswith("al") else stem + "aux"
        return stem + suffix

    return _MARKER.sub(one, phrase)


def count(number: int, phrase: str, plural: str | None = None, *, shown: str | None = None) -> str:
    """``count(2, "contrat")`` → ``2 contrats``; ``count(1, "crèche(s) associative(s)")``.

    The number is joined to its noun by a no-break space (U+00A0), as
    :func:`fichegen.french.typography.typeset` joins a number to a counted noun.

    ``plural`` is the plural form when it is not regular; ``shown`` replaces the digits
    (a formatted number, e.g. with grouped thousands).
    """
    digits = (shown if shown is not None else integer(number)) + NBSP  # never split
    if plural is not None:
        return digits + (plural if abs(number) >= 2 else phrase)
    if _MARKER.search(phrase):
        return digits + agree(phrase, number)
    if abs(number) >= 2:
        phrase = " ".join(w if w.endswith(("s", "x", "z")) else w + "s" for w in phrase.split())
    return digits + phrase


def the(noun: str, *, feminine: bool = False) -> str:
    """The definite article before a noun: ``l’école``, ``l’hôpital``, ``la crèche``."""
    if elides(noun):
        return "l’" + noun
    return ("la " if feminine else "le ") + noun


def _contract(preposition: str, name: str) -> str:
    """``de`` or ``à`` before a place name, contracting its own article."""
    match = _LEADING_ARTICLE.match(name)
    if match:
        article = match.group(1) or match.group(2)
        rest = name[match.end() :]
        if article == "Le" and not elides(rest):
            return ("du " if preposition == "de" else "au ") + rest
        if article == "Les":
            return ("des " if preposition == "de" else "aux ") + rest
        # "La Rochelle", "L’Haÿ-les-Roses": the article stays, capitalised.
        return f"{preposition} {name}"
    if preposition == "de" and elides(name):
        return "d’" + name
    return f"{preposition} {name}"


def de(name: str) -> str:
    """``de`` + name: ``d’Anstaing``, ``du Havre``, ``des Mureaux``, ``de La Rochelle``."""
    return _contract("de", name)


def a(name: str) -> str:
    """``à`` + name: ``à Anstaing``, ``au Havre``, ``aux Mureaux``, ``à La Rochelle``."""
    return _contract("à", name)


# Name prefixes of collective bodies and the article they take.
_COLLECTIVE_ARTICLES: tuple[tuple[str, str], ...] = (
    ("cc ", "la"),
    ("ca ", "la"),
    ("cu ", "la"),
    ("communauté ", "la"),
    ("métropole ", "la"),
    ("eurométropole ", "l’"),
    ("ept ", "l’"),
    ("établissement ", "l’"),
    ("syndicat ", "le"),
    ("sivu ", "le"),
    ("sivom ", "le"),
    ("pays ", "le"),
    ("pôle ", "le"),
    ("petr ", "le"),
)


def with_article(name: str) -> str:
    """The collective name with its article: ``la CC du Quercy Caussadais``.

    A name that starts with a place (``Toulouse Métropole``, ``Grenoble-Alpes-Métropole``)
    takes none.
    """
    low = name.lower() + " "
    for prefix, article in _COLLECTIVE_ARTICLES:
        if low.startswith(prefix):
            return f"{article}{name}" if article.endswith("’") else f"{article} {name}"
    return name


def de_article(name: str) -> str:
    """``de`` + collective name with its article: ``de la CC…``, ``du syndicat…``."""
    full = with_article(name)
    if full.startswith("le "):
        return "du " + full[3:]
    if full == name:
        return de(name)
    return "de " + full


def a_article(name: str) -> str:
    """``à`` + collective name with its article: ``à la CC…``, ``au syndicat…``."""
    full = with_article(name)
    if full.startswith("le "):
        return "au " + full[3:]
    if full == name:
        return a(name)
    return "à " + full


def capitalize(text: str) -> str:
    """Upper-case the first letter only: ``la CC du…`` → ``La CC du…``."""
    return text[:1].upper() + text[1:]


def ordinal(number: int, *, feminine: bool = False) -> str:
    """``1er`` (``1re`` in the feminine), then ``2e``, ``3e``…"""
    if number == 1:
        return "1re" if feminine else "1er"
    return f"{number}e"
