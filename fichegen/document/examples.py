"""The examples section: the real examples chosen for the commune, and its own story.

Takes the :class:`~fichegen.selection.fiche.Fiche` (its selected examples, with why each was
chosen, and the commune's own realisations) and gives the section's blocks: a lead saying
how they were chosen, one card per example, the commune's own example(s) told as such.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fichegen.document.model import (
    Block,
    BulletList,
    ExampleCard,
    Paragraph,
    Run,
    Section,
    inline,
)
from fichegen.french.formatting import integer
from fichegen.french.grammar import de
from fichegen.french.typography import sentence, typeset
from fichegen.selection.examples import NEAR_KM, distance_text

if TYPE_CHECKING:
    from fichegen.knowledge.base import Example
    from fichegen.selection.fiche import Fiche, SelectedExample

__all__ = ["examples_section"]


def _text(text: str) -> str:
    """Typography for text fichegen writes (never for profile or user-folder text)."""
    return typeset(text)


def _near(fiche: Fiche) -> bool:
    """True when at least one chosen example is near (see NEAR_KM) or in the département."""
    return any("proche" in selected.criteria for selected in fiche.examples)


def examples_section(fiche: Fiche) -> Section:
    """Examples chosen for this commune, nearest and most comparable, with why."""
    commune = fiche.commune.commune
    cards = tuple(_example_card(fiche, selected) for selected in fiche.examples)
    near = _near(fiche)
    km = integer(int(NEAR_KM))
    if near:
        title = "Des exemples près de chez vous ou qui vous ressemblent"
        why = sentence(
            "parce qu'elles sont proches {de_commune} ou parce qu'elles concernent",
            de_commune=de(commune.nom),
        )
    else:
        title = "Des exemples qui vous ressemblent ou illustrent vos leviers"
        why = sentence(
            "parce qu'elles illustrent les leviers retenus pour {nom} ou qu'elles concernent",
            nom=commune.nom,
        )
    intro_text = sentence(
        "Des réalisations réelles, choisies {why} une commune qui lui ressemble.", why=why
    )
    if not near and fiche.examples and commune.latitude is not None:
        intro_text += _text(f" Aucun des exemples disponibles ne se trouve à {km} km ou moins.")
    intro = Paragraph(inline(intro_text), style="lead")
    how = [Paragraph(inline(_text(n)), style="note") for n in fiche.example_notices]
    blocks: list[Block] = [intro, *how, *cards]
    blocks.extend(_own_story_cards(fiche))
    return Section("exemples", title, 1, tuple(blocks))


def _own_story_cards(fiche: Fiche) -> list[Block]:
    """The commune's own example(s): its story, with its facts, never a « nearby » one."""
    commune = fiche.commune.commune
    blocks: list[Block] = []
    for example_id in fiche.self_examples:
        example = fiche.knowledge.example(example_id)
        lead = (
            "{nom} figure elle-même parmi les exemples de la fiche n°\u00a015 : voici son "
            "histoire, telle que la fiche la raconte, et ce qui pourrait suivre."
        )
        blocks.append(Paragraph(inline(sentence(lead, nom=commune.nom)), style="lead"))
        blocks.append(
            ExampleCard(
                title=example.titre,
                place=example.lieu,
                why_chosen=(_text("dans votre commune"),),
                facts=example.faits,
                levers=tuple(fiche.knowledge.lever(i).titre for i in example.leviers),
            )
        )
        steps = tuple(
            inline(Run(fiche.knowledge.lever(r.levier).titre, strong=True), _text(" : ") + r.suite)
            for r in fiche.story
            if r.commune_code == commune.code_insee
            and r in example.realisations
            and not (fiche.a_verifier and r.nature == "creche")
        )
        if steps:
            blocks.append(
                Section(
                    f"histoire-{example.id}-suite",
                    _text("Et ensuite ?"),
                    2,
                    (BulletList(steps),),
                )
            )
    return blocks


def _example_card(fiche: Fiche, selected: SelectedExample) -> ExampleCard:
    example: Example = fiche.knowledge.example(selected.id)
    levers = tuple(
        fiche.knowledge.lever(i).titre for i in (example.levier_principal, *example.autres_leviers)
    )
    distance = None
    if selected.distance_km is not None:
        distance = distance_text(selected.distance_km)
    return ExampleCard(
        title=example.titre,
        place=example.lieu,
        # The distance is printed once, next to the place: not again among the reasons.
        why_chosen=tuple(_text(r) for r in selected.reasons if r != distance),
        facts=example.faits,
        levers=levers,
        distance=distance,
        source=_source_note(example),
    )


def _source_note(example: Example) -> str | None:
    """« Hors fiche n° 15 — sources : … » for an example read beyond the source fiche."""
    if example.origine != "hors_fiche15":
        return None
    word = "sources" if len(example.sources) > 1 else "source"
    urls = "\u202f; ".join(source.url for source in example.sources)  # addresses: never typeset
    return _text(f"Exemple pris hors de la fiche n°\u00a015 — {word} : ") + urls
