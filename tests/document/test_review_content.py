"""Content defects found by a reader of reference-only fiches, on the real communes named."""

from __future__ import annotations

from datetime import date

import pytest
from support_selection import fiche_for

from fichegen.document.compose import compose
from fichegen.document.model import Block, BulletList, Callout, Document, Paragraph, Section, Table
from fichegen.french.grammar import count
from fichegen.options import RenderOptions

OPTIONS = RenderOptions(date=date(2026, 11, 26))


def _walk(blocks: tuple[Block, ...]) -> list[Block]:
    found: list[Block] = []
    for block in blocks:
        found.append(block)
        if isinstance(block, Section | Callout):
            found.extend(_walk(block.blocks))
    return found


def _text(blocks: tuple[Block, ...]) -> str:
    parts: list[str] = []
    for block in _walk(blocks):
        if isinstance(block, Callout):
            parts.append(block.title)
        elif isinstance(block, Paragraph):
            parts.extend(r.text for r in block.runs)
        elif isinstance(block, BulletList):
            parts.extend(r.text for item in block.items for r in item)
        elif isinstance(block, Table):
            parts.extend(r.text for row in block.rows for cell in row for r in cell)
    return " ".join(parts)


def _section(doc: Document, section_id: str) -> Section:
    return next(s for s in _walk(doc.sections) if isinstance(s, Section) and s.id == section_id)


@pytest.mark.parametrize("code", ["97502"])
def test_ctg_statement_names_no_caf_where_there_is_none(code: str) -> None:
    doc = compose(fiche_for(code), OPTIONS)
    legal = _text(_section(doc, "annexe-droit").blocks)
    assert "convention territoriale globale conclue" in legal
    assert "Caf" not in legal.replace("pas de Caf", "")
    assert "Mayotte" not in legal


@pytest.mark.parametrize(("code", "body"), [("97611", "Mayotte"), ("59013", "(la Caf)")])
def test_ctg_statement_names_the_local_body(code: str, body: str) -> None:
    legal = _text(_section(compose(fiche_for(code), OPTIONS), "annexe-droit").blocks)
    assert body in legal
    if code == "97611":
        assert "la Caf ;" not in legal
    else:
        assert "Mayotte" not in legal


def test_unranked_levers_say_they_follow_the_source_order() -> None:
    fiche = fiche_for("97502")
    assert not any(lever.reasons for lever in fiche.levers)
    doc = compose(fiche, OPTIONS)
    essentials = _text(_section(doc, "essentiel").blocks)
    levers = _text(_section(doc, "leviers").blocks)
    assert "commencer par" not in essentials
    assert "ordre de la fiche n°\u00a015 du kit municipal" in essentials
    assert "classés du plus adapté" not in levers
    assert "ordre de la fiche n°\u00a015 du kit municipal" in levers


@pytest.mark.parametrize("code", ["90010", "07186"])
def test_a_reasonless_lever_among_the_first_says_it_is_there_by_default(code: str) -> None:
    fiche = fiche_for(code)
    top = fiche.levers[:3]
    doc = compose(fiche, OPTIONS)
    essentials = _text(_section(doc, "essentiel").blocks)
    assert "commencer par" in essentials
    bare = [lever for lever in top if not lever.reasons]
    assert bare, "the reviewed commune has a lever without reason among its first three"
    assert essentials.count("placé ici par défaut") == len(bare)


@pytest.mark.parametrize("code", ["59013"])
def test_the_population_bound_is_said_as_the_total_it_is(code: str) -> None:
    from fichegen.selection.thresholds import totale_max

    fiche = fiche_for(code)
    municipale = fiche.commune.commune.population_municipale
    assert municipale is not None
    plan = next(o for o in fiche.obligations if o.id == "planifier")
    bound = totale_max(municipale)
    assert bound <= 3500 and not plan.obligatoire and plan.certain
    text = plan.explication
    assert "même en y ajoutant" not in text
    assert f"population totale ne peut pas dépasser {count(bound, 'habitant')}" in text
    assert "reste donc sous ce seuil" in text
    # How the bound is drawn is said once, in the section's lead, with the municipale.
    method = fiche.sppe.methode_seuil
    assert method is not None and f"({count(municipale, 'habitant')})" in method
    assert "1 000 habitants plus 30 %" in method.replace("\u00a0", " ").replace("\u202f", " ")
    assert all(method not in o.explication for o in fiche.obligations)


def test_every_action_a_realisation_covers_exists() -> None:
    from fichegen.knowledge.base import load_knowledge

    kb = load_knowledge()
    for example in kb.examples:
        for r in example.realisations:
            actions = kb.lever(r.levier).actions
            assert all(1 <= n <= len(actions) for n in r.actions_faites), (example.id, r.levier)


@pytest.mark.parametrize(
    ("code", "lever_id", "done_words"),
    [
        ("59013", "creation", "Confier une étude de faisabilité"),
        ("93057", "locaux", "Lancer un appel à projets"),
    ],
)
def test_a_town_is_not_advised_what_its_story_says_it_did(
    code: str, lever_id: str, done_words: str
) -> None:
    fiche = fiche_for(code)
    doc = compose(fiche, OPTIONS)
    lever = _text(_section(doc, f"levier-{lever_id}").blocks)
    assert "Déjà fait" in lever
    actions = _text(_section(doc, f"levier-{lever_id}-actions").blocks)
    assert done_words not in actions
    # Another commune, without that story, is still advised it.
    other = compose(fiche_for("90010"), OPTIONS)
    assert done_words in _text(_section(other, f"levier-{lever_id}-actions").blocks)


@pytest.mark.parametrize("code", ["75056", "13055", "54395", "97611"])
def test_a_big_city_is_not_told_of_a_pole_under_parental_volunteering(code: str) -> None:
    fiche = fiche_for(code)
    engagement = next(lever for lever in fiche.levers if lever.id == "engagement")
    assert not any("pôle" in reason for reason in engagement.reasons)


@pytest.mark.parametrize("code", ["59013"])
def test_a_known_ess_creche_is_not_said_to_be_run_by_volunteers(code: str) -> None:
    fiche = fiche_for(code)
    text = " ".join(r for lever in fiche.levers for r in lever.reasons)
    assert "Petites Mains Grandes Aventures" in text
    assert "qui la font vivre" not in text
    assert "la fiche n°\u00a015 du kit municipal" in text
    # One level of brackets only.
    for reason in (r for lever in fiche.levers for r in lever.reasons):
        depth = 0
        for char in reason:
            depth += {"(": 1, ")": -1}.get(char, 0)
            assert depth <= 1, reason


_META = (
    "réécriture",
    "en sont tirés",
    "règle antérieure",
    "ne nomme pas son éditeur",
    "emplacements vides",
    "seules données de référence",
    "point de score",
    "du signal",
    "populations embarquées",
    "la fiche ne lui prête",
    "la fiche ne désigne pas",
)


@pytest.mark.parametrize("code", ["97502", "97611", "93057", "59013", "29155"])
def test_no_editorial_meta_comment_reaches_the_fiche(code: str) -> None:
    doc = compose(fiche_for(code), OPTIONS)
    text = _text(doc.sections)
    for words in _META:
        assert words not in text, words
    assert "dont viennent les exemples" in text
    assert "Les chiffres de la commune viennent des sources listées" in text


def _nested(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth > 1:
            return True
    return False


@pytest.mark.parametrize("code", ["97502", "93057", "59013", "54395"])
def test_french_consistency(code: str) -> None:
    doc = compose(fiche_for(code), OPTIONS)
    text = _text(doc.sections)
    assert "1er janvier" not in text
    assert "assistantes maternelles" not in text
    assert "Commune d’un établissement public territorial" not in text
    for block in _walk(doc.sections):
        if isinstance(block, Paragraph | BulletList):
            runs = (
                block.runs
                if isinstance(block, Paragraph)
                else [r for item in block.items for r in item]
            )
            assert not _nested("".join(r.text for r in runs)), block
        if isinstance(block, BulletList) and block.style == "reasons":
            for item in block.items:
                assert "".join(r.text for r in item).endswith("."), item


@pytest.mark.parametrize("code", ["01001", "59013", "93057"])
def test_lever_examples_do_not_repeat_the_place_their_title_names(code: str) -> None:
    """« Anstaing : faire émerger une crèche associative — Anstaing » read as a slip; the
    map's « placé à » note belongs to the example's card, not to the levers' lists."""
    document = compose(fiche_for(code), OPTIONS)
    items = [
        "".join(r.text for r in item)
        for block in _walk(document.sections)
        if isinstance(block, Section) and block.id.endswith("-exemples")
        for inner in block.blocks
        if isinstance(inner, BulletList)
        for item in inner.items
    ]
    assert items, "no lever example list found"
    for item in items:
        assert "placé à" not in item
        title, _, place = item.partition(" — ")
        if place:
            assert not title.startswith(place.split(",")[0]), item
    assert any(" — " not in item for item in items), items
