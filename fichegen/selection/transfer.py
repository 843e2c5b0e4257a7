"""The SPPE thresholds of an EPCI that exercises the competences, from Insee's file.

When the populations de référence (millésime 2023) give every member commune of the EPCI
(membership from the embedded reference), their ``PTOT`` summed is the population totale
of the communes that transferred the competences if all of them did (III of article
L214-1-3 CASF). The fiche says what was summed, with its source and vintage, and what to
check (whether only some communes transferred); when members are missing from the file,
it says which, and the thresholds stay as the embedded figures settle them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fichegen.errors import FichegenError
from fichegen.french.formatting import integer
from fichegen.french.grammar import count, de_article

if TYPE_CHECKING:
    from fichegen.inputs.official.types import EpciPopulation
    from fichegen.inputs.profile import Profile

__all__ = ["members_label", "members_summed", "missing_words", "summed_words"]


def _whose(summed: EpciPopulation) -> str:
    if summed.members > 1:
        return f"des {count(summed.members, 'commune membre')}"
    return "de la seule commune membre"


def members_label(summed: EpciPopulation, epci_name: str) -> str:
    """« population totale 2023 des 3 communes membres de la CC … »."""
    year = f" {summed.source.year}" if summed.source.year else ""
    return f"population totale{year} {_whose(summed)} {de_article(epci_name)}"


def members_summed(profile: Profile, epci_code: str) -> EpciPopulation | None:
    """The populations de référence of the EPCI's members, when a file gave them."""
    official = profile.official
    found = getattr(official, "epci_population", None) if official is not None else None
    return found if found is not None and found.epci_code == epci_code else None


def summed_words(summed: EpciPopulation, epci_name: str) -> str:
    """What was summed (source and vintage) and what to check: which communes transferred."""
    source = summed.source
    whose = _whose(summed)
    return (
        f"La population retenue additionne les populations totales {whose} "
        f"{de_article(epci_name)} ({source.publisher}, « {source.dataset} », millésime "
        f"{source.year}). Si une partie seulement de ces communes a transféré la "
        "compétence, seule leur population compte : vérifiez-le auprès "
        f"{de_article(epci_name)} et, dans ce cas, reportez cette population dans vos chiffres."
    )


def missing_words(summed: EpciPopulation, epci_name: str) -> str:
    """Why the members' populations could not be summed (some are not in the file)."""
    from fichegen.reference.lookup import load_reference

    reference = load_reference()
    names = []
    for code in summed.missing[:3]:
        try:
            names.append(reference.get(code).nom)
        except FichegenError:  # a member unknown to the lookup: its code is shown
            names.append(code)
    shown = ", ".join(names[:-1]) + (" et " if len(names) > 1 else "") + names[-1]
    if len(summed.missing) > 3:
        shown = f"il en manque {integer(len(summed.missing))}, dont {shown}"
    else:
        shown = f"il y manque {shown}"
    return (
        f"Le fichier des {summed.source.dataset} ne donne pas toutes les communes membres "
        f"{de_article(epci_name)} ({shown}) : leur population totale n’a donc pas pu être "
        "additionnée."
    )
