"""Selection → document model: every wording and ordering decision of the fiche.

:func:`compose` turns a :class:`~fichegen.fiche.Fiche` (what was selected and why) into
a :class:`~fichegen.model.Document` (what is printed, in which order). Renderers only
lay the document out.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from fichegen import __version__
from fichegen.document.annex import annex_section, resources_section
from fichegen.document.duties import duty_summary, obligations_section
from fichegen.document.examples import examples_section
from fichegen.document.map import map_section
from fichegen.document.model import (
    Block,
    BulletList,
    Callout,
    Document,
    Paragraph,
    Run,
    Section,
    inline,
)
from fichegen.document.territory import territory_section
from fichegen.document.territory_words import localize
from fichegen.french.formatting import french_date, generation_date
from fichegen.french.grammar import a
from fichegen.french.typography import sentence, typeset
from fichegen.options import RenderOptions
from fichegen.selection.builder import PRIORITY_REASON

if TYPE_CHECKING:
    from fichegen.knowledge.base import Example
    from fichegen.selection.fiche import Fiche, RankedLever

__all__ = ["compose"]

THEME = "Économie sociale et solidaire, petite enfance & famille"
NO_SIGNAL = (
    "Aucun des chiffres connus ne désigne ce levier en particulier ; "
    "des chiffres locaux plus complets affineraient le classement."
)
NO_SIGNAL_AGAIN = "Aucun des chiffres connus ne désigne non plus ce levier en particulier."
NO_SIGNAL_UNRANKED = "Aucun des chiffres connus ne désigne ce levier en particulier."
"""For the next levers without reason: the full sentence is read once per fiche."""
BY_DEFAULT = (
    " — placé ici par défaut, dans l’ordre de la fiche n°\u00a015 : "
    "aucun chiffre connu ne le désigne"
)
REFINE = (
    "Un local disponible, les places d’accueil et les demandes en attente, les collectifs de "
    "parents et les structures de l’ESS présentes sur la commune permettraient de les classer "
    "selon sa situation."
)


def compose(fiche: Fiche, options: RenderOptions | None = None) -> Document:
    """Build the complete document of one fiche."""
    from fichegen.errors import require
    from fichegen.selection.fiche import Fiche

    require(fiche, Fiche, "fiche attendue (résultat de fichegen.build)")
    require(options, (RenderOptions, type(None)), "options : RenderOptions ou None attendu")
    opts = options or RenderOptions()
    when = generation_date(opts.date)
    commune = fiche.commune.commune
    departement = f"{commune.departement_nom} ({commune.departement})"
    if commune.departement_nom == commune.nom:  # Paris: not « Paris · Paris (75) »
        departement = f"département {commune.departement}"
    sections = (
        essentials_section(fiche),
        territory_section(fiche),
        obligations_section(fiche),
        levers_section(fiche),
        examples_section(fiche),
        map_section(fiche),
        resources_section(fiche),
        annex_section(fiche, when),
    )
    author = fiche.profile.fiche.auteur or ""
    return Document(
        title=f"Fiche n°\u00a015 — {commune.nom}",
        theme=THEME,
        fiche_number="15",
        commune_name=commune.nom,
        commune_code=commune.code_insee,
        departement_label=departement,
        date_text=french_date(when),
        date_iso=when.isoformat(),
        sections=sections,
        author=author or "fichegen",
        subject=sentence(
            "{theme} : fiche adaptée à {commune}",
            theme=THEME,
            commune=f"{commune.nom} ({departement})",
        ),
        keywords=(
            "ESS",
            "petite enfance",
            "SPPE",
            "fiche n°\u00a015",
            commune.nom,
            commune.code_insee,
        ),
        generator=f"fichegen {__version__}",
        header_text=f"Fiche n°\u00a015 · {commune.nom} ({commune.departement})",
        footer_text=f"Préparée par {author}" if author else "",
    )


def _text(text: str) -> str:
    """Typography for text fichegen writes (never for profile or user-folder text)."""
    return typeset(text)


def essentials_section(fiche: Fiche) -> Section:
    """The at-a-glance summary: context in two sentences and the levers that come first."""
    commune = fiche.commune.commune
    context = fiche.knowledge.context
    # Knowledge-base texts arrive typeset (built-in) or exactly as the user wrote them.
    here = fiche.territoire
    blocks: list[Paragraph | BulletList | Callout] = [
        Paragraph(inline(localize(p, here)), style="lead" if i == 0 else "body")
        for i, p in enumerate(context.introduction)
    ]
    blocks.append(Paragraph(inline(context.sppe)))
    actors = tuple(inline(a) for a in context.acteurs)
    blocks.append(Callout(context.acteurs_intro, (BulletList(actors),), "info"))
    top = fiche.levers[:3]
    ranked = _ranked(fiche)
    if top:
        items = tuple(
            inline(
                Run(lever.titre, strong=True),
                *(localize(r, here) for r in (_first_reason(lever, commune.nom) if ranked else ())),
            )
            for lever in top
        )
        duties, unsure = duty_summary(fiche)
        summary: list[BulletList | Paragraph] = [BulletList(items, "numbered")]
        if not ranked:
            summary.insert(0, Paragraph(inline(_text(_UNRANKED_SHORT))))
        whose = "de l’intercommunalité" if fiche.sppe.titulaire else "légales"
        for label, listed in (
            (f"Obligations {whose} (SPPE) : ", duties),
            ("À vérifier : ", unsure),
        ):
            if listed:
                summary.append(
                    Paragraph(
                        inline(Run(_text(label), strong=True), _text(" ; ".join(listed) + "."))
                    )
                )
        blocks.insert(
            0,
            Callout(
                sentence("Pour {nom}, commencer par", nom=commune.nom)
                if ranked
                else _text("Les premiers leviers de la fiche n°\u00a015"),
                tuple(summary),
                "reasons",
            ),
        )
    for notice in fiche.notices:
        # Said in full in the duties section, or with the examples they concern.
        if notice != fiche.sppe.notice and notice not in fiche.example_notices:
            blocks.append(Paragraph(inline(_text(notice)), style="note"))
    return Section(
        "essentiel", sentence("L'essentiel pour {nom}", nom=commune.nom), 1, tuple(blocks)
    )


_UNRANKED_SHORT = (
    "Aucun chiffre connu ne distingue un levier d’un autre : ils sont donnés dans l’ordre de "
    "la fiche n°\u00a015 du kit municipal, sans classement propre à la commune."
)


def _ranked(fiche: Fiche) -> bool:
    """True when at least one lever has a reason (a figure, a priority, the commune's own
    story): only then does the order say something about the commune."""
    return any(lever.reasons for lever in fiche.levers)


def _first_reason(lever: RankedLever, commune: str) -> tuple[str, ...]:
    """The most telling reason, after « (priorité de l’équipe) » for a priority: a figure-based
    one; what the commune already did, in a few words (told in full with the lever). A lever
    with none, listed among the first ones, says it is there by default."""
    reasons = [r for r in lever.reasons if r != PRIORITY_REASON]
    told = bool(reasons) and reasons[0] in lever.story and bool(lever.next_steps)
    if lever.prioritaire:
        priority: tuple[str, ...] = (
            _text(" (priorité de l’équipe, déjà engagée)" if told else " (priorité de l’équipe)"),
        )
    else:
        priority = ()
    if not reasons:
        return priority or (_text(BY_DEFAULT),)
    first = reasons[0]
    if told:  # the story is told in full with the lever; here, what comes next
        step = lever.next_steps[0].rstrip(".")
        lead = "déjà fait {a_commune} ; prochaine étape : {step}"
        if lever.prioritaire:  # « (priorité de l’équipe, déjà engagée) » said it
            lead = "prochaine étape : {step}"
        first = sentence(lead, a_commune=a(commune), step=step)
    return (*priority, f" — {first}")


def levers_section(fiche: Fiche) -> Section:
    """The levers, most relevant first, each with its reasons, actions and examples."""
    commune = fiche.commune.commune
    subsections = tuple(_lever_subsection(fiche, lever) for lever in fiche.levers)
    lead = sentence(
        "Les leviers de la fiche n°\u00a015 sont classés du plus adapté au moins "
        "adapté {a_commune}, d'après vos chiffres et les données publiques. "
        "Chaque levier dit pourquoi il vous concerne.",
        a_commune=a(commune.nom),
    )
    if not all(lever.reasons for lever in fiche.levers):
        lead += _text(
            " Un levier qu’aucun chiffre ne désigne garde sa place dans l’ordre de la "
            "fiche n°\u00a015."
        )
    if not _ranked(fiche):
        lead = _text(
            "Aucun des chiffres connus ne désigne un levier plutôt qu’un autre pour "
            f"{commune.nom} : les leviers suivent donc l’ordre de la fiche n°\u00a015 du kit "
            "municipal, sans classement propre à la commune. " + REFINE
        )
    intro: list[Paragraph] = [Paragraph(inline(lead), style="lead")]
    if fiche.excluded_levers:
        names = ", ".join(
            sentence("« {t} »", t=fiche.knowledge.lever(i).titre) for i in fiche.excluded_levers
        )
        intro.append(
            Paragraph(inline(sentence("Écartés à votre demande : {names}.", names=names)), "note")
        )
    return Section("leviers", "Les leviers qui vous correspondent", 1, (*intro, *subsections))


def _lever_subsection(fiche: Fiche, lever: RankedLever) -> Section:
    data = fiche.knowledge.lever(lever.id)
    # Reasons are knowledge-base templates filled with profile values: already typeset.
    here = fiche.territoire
    first_bare = next((other.id for other in fiche.levers if not other.reasons), None)
    reasons = tuple(inline(localize(_closed(r), here)) for r in lever.reasons)
    # No reason: a plain sentence, not a ticked item (a tick would read as a reason).
    bare = NO_SIGNAL if lever.id == first_bare else NO_SIGNAL_AGAIN
    if not _ranked(fiche):  # the section's lead already says the order is the kit's
        bare = NO_SIGNAL_UNRANKED
    why: Block = BulletList(reasons, "reasons") if reasons else Paragraph(inline(_text(bare)))
    blocks: list[Block] = [Callout("Pourquoi pour votre commune", (why,), "reasons")]
    blocks.append(Paragraph(inline(data.accroche), style="lead"))
    blocks.extend(Paragraph(inline(localize(p, here))) for p in data.description)
    done = _done_actions(fiche, lever.id)
    # What the commune's own story says it already did is told above, not advised again.
    actions = [a for n, a in enumerate(data.actions, start=1) if n not in done]
    if actions:
        blocks.append(
            Section(
                f"levier-{lever.id}-actions",
                "Ce que la commune peut faire",
                3,
                (BulletList(tuple(inline(localize(a, here)) for a in actions), "actions"),),
            )
        )
    # The commune's own example is shown once, in the examples section, not under each lever.
    illustrations = [
        fiche.knowledge.example(i) for i in lever.example_ids if i not in fiche.self_examples
    ]
    if illustrations:
        items = tuple(inline(Run(ex.titre, strong=True), _place_suffix(ex)) for ex in illustrations)
        blocks.append(
            Section(f"levier-{lever.id}-exemples", "Exemples de ce levier", 3, (BulletList(items),))
        )
    return Section(f"levier-{lever.id}", f"{lever.rang}. {lever.titre}", 2, tuple(blocks))


def _place_suffix(example: Example) -> str:
    """« — place » after an example's title in a lever, unless the title already names it
    (« Anstaing : … — Anstaing » read as a slip); the map's « placé à … » note is left to the
    example's card, where a distance refers to it."""
    place = _MAP_NOTE.sub("", example.lieu).strip()
    head = re.split(r" \(|,", place, maxsplit=1)[0].strip()
    return "" if example.titre.startswith(head) else f" — {place}"


_MAP_NOTE = re.compile(r"\s*\(placé à [^)]*\)")


def _closed(reason: str) -> str:
    """A reason of the « Pourquoi » box ends with a full stop, like the story's own ones."""
    return reason if reason.endswith((".", "!", "?", "…")) else reason + "."


def _done_actions(fiche: Fiche, lever_id: str) -> set[int]:
    """Numbers of the lever's actions the commune's told story already carried out (a
    disputed crèche is not told, see selection/story.py, so its actions stay advised)."""
    return {
        n
        for r in fiche.story
        if r.levier == lever_id and not (fiche.a_verifier and r.nature == "creche")
        for n in r.actions_faites
    }
