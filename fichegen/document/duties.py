"""The SPPE duties section: what the law imposes, what the figures cannot settle, what it doesn't.

Three groups, never mixed: duties the figures settle as mandatory; duties they cannot settle
(each with the official figure to check); duties that do not apply at this population.
When the EPCI exercises the competences, the headings say the duties are the EPCI's.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal

from fichegen.document.model import BulletList, Callout, Paragraph, Run, Section, inline
from fichegen.document.territory_words import localize
from fichegen.french.grammar import count
from fichegen.french.typography import typeset

if TYPE_CHECKING:
    from fichegen.selection.fiche import Fiche, Obligation
    from fichegen.selection.territory import Territory

__all__ = ["TITLE", "duty_summary", "obligations_section"]

Tone = Literal["info", "reasons", "law", "warning"]
TITLE = typeset("Vos obligations : le service public de la petite enfance")


def _item(
    obligation: Obligation, *, verify: bool = True, here: Territory | None = None
) -> tuple[Run, ...]:
    parts: list[str | Run] = [
        Run(typeset(obligation.titre), strong=True),
        " — ",
        typeset(obligation.explication),
    ]
    citation = typeset(obligation.base_legale)
    if obligation.remarque:
        remark, citation = _one_citation(localize(typeset(obligation.remarque), here), citation)
        parts.append(" " + remark)
    if verify and obligation.verification and not obligation.certain:
        parts.append(" ")
        parts.append(Run(typeset(obligation.verification), strong=True))
    parts.append(Run(f" ({citation})", emphasis=True))
    return inline(*parts)


_TRAILING_CITATION = re.compile(r"\s*\(([^()]+)\)\s*$")


def _one_citation(remark: str, citation: str) -> tuple[str, str]:
    """A remark ending with its own citation of the same code is not followed by a second
    parenthesis: « (CASF, art. L214-2, III) (CASF, art. L214-1-3…) » becomes one citation."""
    found = _TRAILING_CITATION.search(remark)
    code = citation.split(",", 1)[0]
    if found is None or not found.group(1).startswith(code + ","):
        return remark, citation
    own = found.group(1)[len(code) + 1 :].strip()
    merged = citation if own in citation else typeset(f"{citation} ; {own}")
    return remark[: found.start()], merged


def _headings(fiche: Fiche) -> tuple[str, str, str]:
    titulaire = fiche.sppe.titulaire
    if titulaire:
        return (
            f"Ce que la loi impose à l’intercommunalité qui exerce ces compétences ({titulaire})",
            f"Obligations de l’intercommunalité ({titulaire}) que les chiffres disponibles "
            "ne permettent pas de trancher",
            "Ce que la loi n’impose pas à cette taille, mais qui reste possible",
        )
    return (
        "Ce que la loi impose à votre commune",
        "Obligations que les chiffres disponibles ne permettent pas de trancher",
        "Ce que la loi n’impose pas à une commune de cette taille, mais qui reste possible",
    )


def duty_summary(fiche: Fiche) -> tuple[list[str], list[str]]:
    """(settled mandatory duties, duties to check) as lower-case titles, for the summary."""

    def lower(text: str) -> str:
        return text[0].lower() + text[1:]

    settled = [lower(o.titre) for o in fiche.sppe.obligations if o.obligatoire and o.certain]
    unsure = [lower(o.titre) for o in fiche.sppe.obligations if not o.certain]
    return settled, unsure


def obligations_section(fiche: Fiche) -> Section:
    """SPPE duties of this commune (or of its EPCI) under article L214-1-3 CASF."""
    sppe = fiche.sppe
    blocks: list[Paragraph | BulletList | Callout] = []
    if not sppe.applicable:
        blocks.append(
            Callout(
                "Collectivité d’outre-mer",
                (Paragraph(inline(typeset(sppe.notice or ""))),),
                "warning",
            )
        )
        return Section("obligations", TITLE, 1, tuple(blocks))
    if sppe.population_reference is not None:
        blocks.append(
            Paragraph(
                inline(
                    typeset(
                        "Chiffres de population disponibles : "
                        if sppe.autres_chiffres
                        else "Chiffre de population disponible : "
                    ),
                    Run(typeset(sppe.population_label), strong=True),
                    f", {count(sppe.population_reference, 'habitant')}",
                    typeset(f" ; {sppe.autres_chiffres}. ") if sppe.autres_chiffres else ". ",
                    typeset(" ".join(_rule_texts(fiche))),
                ),
                style="lead",
            )
        )
    if sppe.verification_com:
        blocks.append(
            Callout(
                typeset("Collectivité d’outre-mer : ce qui est connu et ce qu’il faut vérifier"),
                (Paragraph(inline(typeset(sppe.verification_com))),),
                "warning",
            )
        )
    if sppe.notice:
        blocks.append(Paragraph(inline(typeset(sppe.notice)), style="note"))
    settled_title, unsure_title, optional_title = _headings(fiche)
    if sppe.verification_com:  # the box above says what to check, once
        unsure_title = "Compétences prévues par l’article L214-1-3, à vérifier sur place"
    groups: tuple[tuple[list[Obligation], str, Tone], ...] = (
        ([o for o in sppe.obligations if o.certain and o.obligatoire], settled_title, "law"),
        ([o for o in sppe.obligations if not o.certain], unsure_title, "warning"),
        ([o for o in sppe.obligations if o.certain and not o.obligatoire], optional_title, "info"),
    )
    for items, title, tone in groups:
        if not items:
            continue
        checks = {o.verification for o in items if not o.certain and o.verification}
        # One shared check is said once, after the list; different ones stay with their duty.
        shared = next(iter(checks)) if len(checks) == 1 and len(items) > 1 else None
        verify = sppe.verification_com is None and shared is None
        inner: list[BulletList | Paragraph] = [
            BulletList(
                tuple(_item(o, verify=verify, here=fiche.territoire) for o in items), "bullet"
            )
        ]
        if shared and sppe.verification_com is None:
            inner.append(Paragraph(inline(Run(typeset(shared), strong=True))))
        if title == optional_title and sppe.transfert_a_verifier:
            inner.append(Paragraph(inline(typeset(sppe.transfert_a_verifier))))
        if title == settled_title and sppe.transfert_exercice:
            inner.append(Paragraph(inline(typeset(sppe.transfert_exercice))))
        blocks.append(Callout(typeset(title), tuple(inner), tone))
    return Section("obligations", TITLE, 1, tuple(blocks))


def _rule_texts(fiche: Fiche) -> list[str]:
    """The threshold rule (not for a collectivité d'outre-mer, which has its own box) and
    why the figures settle the thresholds, said once here rather than on each duty."""
    sppe = fiche.sppe
    texts = [] if sppe.verification_com else [fiche.knowledge.rule("seuils").texte]
    return texts + ([sppe.methode_seuil] if sppe.methode_seuil else [])
