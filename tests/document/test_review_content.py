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
    assert "même en y ajoutant" not in text and "ne peut pas dépasser" not in text
    assert "loin de ce seuil" in text
    # The bound, and how it is drawn, is said once, in the section's lead, as a bound.
    method = fiche.sppe.methode_seuil
    assert method is not None and f"d’au plus {count(bound, 'habitant')}" in method
    plain = method.replace("\u00a0", " ").replace("\u202f", " ")
    assert "1 000 habitants plus 30 %" in plain and "non un chiffre officiel" in plain
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


def _joined(block: Paragraph) -> str:
    return "".join(r.text for r in block.runs)


@pytest.mark.parametrize(
    ("code", "totale", "municipale"),
    [("59172", "2022", "2023"), ("01001", "2022", "2023"), ("97611", "2017", "2017")],
)
def test_the_population_figures_are_given_alike(code: str, totale: str, municipale: str) -> None:
    """« population totale 2022, 20 750 habitants ; population municipale 2023 : 20 665
    habitants » read as two ways of saying one thing: both figures take the same shape."""
    doc = compose(fiche_for(code), OPTIONS)
    lead = next(
        _joined(b)
        for b in _walk(_section(doc, "obligations").blocks)
        if isinstance(b, Paragraph) and _joined(b).startswith("Chiffres de population")
    )
    assert f"population totale {totale}, " in lead
    assert f"population municipale {municipale}, " in lead
    assert (
        f"municipale {municipale}\u00a0:" not in lead and f"municipale {municipale} :" not in lead
    )


def test_no_source_is_named_for_figures_nobody_gave() -> None:
    """« Source : chiffres fournis. Ces chiffres priment… » then « Aucun » contradicted itself."""
    bare = _text(_section(compose(fiche_for("01001"), OPTIONS), "annexe-profil").blocks)
    assert bare.startswith("Aucun")
    assert "priment" not in bare and "chiffres fournis" not in bare
    given = compose(fiche_for("01001", petite_enfance={"places_eaje": 12}), OPTIONS)
    assert "Ces chiffres priment sur les données publiques" in _text(
        _section(given, "annexe-profil").blocks
    )


@pytest.mark.parametrize("code", ["59172", "01001", "85113"])
def test_the_national_rate_of_the_annex_is_the_figure_the_fiche_compares_with(code: str) -> None:
    """« …jeu « txcouv_pe_nat », 2023 (…) : taux 2023 » said the year twice and no figure."""
    fiche = fiche_for(code)
    doc = compose(fiche, OPTIONS)
    sources = next(b for b in _walk(_section(doc, "annexe-sources").blocks) if isinstance(b, Table))
    row = next(
        "".join(r.text for r in row[1])
        for row in sources.rows
        if "".join(r.text for r in row[0]) == "Couverture nationale"
    )
    cov = fiche.coverage
    assert ": taux " not in row
    figure = f"{cov.national_places_pour_100:.1f}".replace(".", ",")
    assert (
        f"{figure}\u00a0places pour 100\u00a0enfants de moins de 3\u00a0ans en {cov.national_annee}"
        in row
    )


@pytest.mark.parametrize("code", ["75056", "69123", "13055"])
def test_a_metropolis_rate_is_no_reason_for_paris_lyon_marseille(code: str) -> None:
    """Paris read « 60,2 places (taux de l’intercommunalité) contre 60,9 » as a reason to create
    crèches: that is the Métropole du Grand Paris's rate, not the city's, which the Caf
    publishes by arrondissement. The rate stays shown, said as the metropolis's."""
    fiche = fiche_for(code)
    assert fiche.coverage.caf_portee == "epci" and fiche.coverage.caf_taux is not None
    reasons = [r for lever in fiche.levers for r in lever.reasons]
    assert not any("places pour 100\u00a0enfants" in r for r in reasons), reasons
    doc = compose(fiche, OPTIONS)
    assert "par arrondissement" in _text(_section(doc, "territoire").blocks)


@pytest.mark.parametrize("code", ["73187", "09122"])
def test_a_small_town_keeps_its_intercommunal_rate_as_a_reason(code: str) -> None:
    fiche = fiche_for(code)
    creation = next(lever for lever in fiche.levers if lever.id == "creation")
    assert any("taux de l’intercommunalité, Caf, 2023" in r for r in creation.reasons)


@pytest.mark.parametrize("code", ["59172", "35093", "97502", "13055"])
def test_the_no_reason_sentence_is_read_once(code: str) -> None:
    """Three « …des chiffres locaux plus complets affineraient le classement. » in a row; and
    Saint-Pierre, whose levers have no ranking at all, read it under each lever."""
    fiche = fiche_for(code)
    bare = [lever.id for lever in fiche.levers if not lever.reasons]
    assert len(bare) >= 2, bare
    doc = compose(fiche, OPTIONS)
    texts = [_text(_section(doc, f"levier-{lever_id}").blocks) for lever_id in bare]
    if len(bare) == len(fiche.levers):  # unranked: the section's lead says it once
        assert all("affineraient" not in t and "ne désigne ce levier" in t for t in texts)
        return
    assert "affineraient le classement" in texts[0]
    for text in texts[1:]:
        assert "affineraient" not in text
        assert "ne désigne non plus ce levier" in text


@pytest.mark.parametrize(
    ("code", "sections", "figure", "other"),
    [
        ("59172", {}, "60,9 places pour 100 enfants de moins de 3\u00a0ans en 2023", "60,3"),
        (
            "85113",
            {"petite_enfance": {"taux_couverture": 48}},
            "60,9 places pour 100 enfants de moins de 3\u00a0ans en 2023",
            "60,3",
        ),
        # no Caf rate here (L'Île-d'Yeu, Mamoudzou, Saint-Pierre): France's is still the
        # embedded Cnaf data's, as in the sources table (a reader saw 60,3 in the method)
        ("85113", {}, "60,9 places pour 100 enfants de moins de 3\u00a0ans en 2023", "60,3"),
        ("97611", {}, "60,9 places pour 100 enfants de moins de 3\u00a0ans en 2023", "60,3"),
        ("97502", {}, "60,9 places pour 100 enfants de moins de 3\u00a0ans en 2023", "60,3"),
    ],
)
def test_the_method_names_the_national_rate_the_fiche_compares_with(
    code: str, sections: dict[str, dict[str, int]], figure: str, other: str
) -> None:
    """Denain read 60,9 (Cnaf, 2023) in its text and 60,3 (ONAPE, 2022) in its method."""
    fiche = fiche_for(code, **sections)
    rule = next(line for line in fiche.method if line.startswith("Couverture faible"))
    assert figure in rule
    text = _text(compose(fiche, OPTIONS).sections)
    assert other not in text


@pytest.mark.parametrize(("code", "placed"), [("97502", False), ("59172", True)])
def test_the_map_legend_shows_the_commune_only_where_it_is_drawn(code: str, placed: bool) -> None:
    """Saint-Pierre's map had « Saint-Pierre » in its legend and caption, and no Saint-Pierre
    on it: a reader looked for it on a map of metropolitan France."""
    from fichegen.document.model import MapFigure

    doc = compose(fiche_for(code), OPTIONS)
    figure = next(b for b in _walk(_section(doc, "carte").blocks) if isinstance(b, MapFigure))
    drawn = any(p.role == "commune" for frame in figure.frames for p in frame.points)
    assert drawn is placed
    assert any(item.role == "commune" for item in figure.legend) is placed
    name = doc.title.split("— ")[-1]
    if placed:
        assert figure.caption.startswith(f"{name} et les exemples retenus")
    else:
        assert figure.caption.startswith("Les exemples retenus")
        assert "n’apparaît pas sur la carte" in figure.caption


@pytest.mark.parametrize("code", ["85113", "29155", "97502"])
def test_a_missing_population_totale_says_where_to_find_it(code: str) -> None:
    """« non publiée pour cette commune » was untrue: the DGCL's file lists EPCI members only,
    and the Insee publishes L’Île-d’Yeu's population totale."""
    from fichegen.document.model import KeyFigures

    doc = compose(fiche_for(code), OPTIONS)
    tiles = next(b for b in _walk(_section(doc, "territoire").blocks) if isinstance(b, KeyFigures))
    totale = next(t for t in tiles.items if t.label.startswith("Population totale"))
    assert totale.missing
    assert totale.detail == "voir les populations légales de l’Insee"
    # the figure to look up is the one in force (2023), not the DGCL file's vintage (2022)
    if code != "97502":  # Saint-Pierre-et-Miquelon: its own census calendar, no vintage
        assert totale.label == "Population totale 2023", totale.label
        assert "2022" not in totale.label


@pytest.mark.parametrize(
    ("code", "words"), [("97502", "Distances non calculées"), ("97411", "outre-mer")]
)
def test_how_the_examples_were_chosen_is_said_with_the_examples(code: str, words: str) -> None:
    """« Position de la commune inconnue : les exemples sont choisis sans distance… » stood at
    the foot of page 1, under the ESS actors, five pages before any example."""
    fiche = fiche_for(code)
    assert any(words in n for n in fiche.example_notices)
    doc = compose(fiche, OPTIONS)
    assert words not in _text(_section(doc, "essentiel").blocks)
    examples = _section(doc, "exemples").blocks
    notes = [b for b in examples if isinstance(b, Paragraph) and b.style == "note"]
    assert any(words in _joined(b) for b in notes)
    assert examples.index(notes[0]) == 1  # right after the section's lead


@pytest.mark.parametrize(("code", "ranked"), [("97502", False), ("59172", True)])
def test_an_example_names_the_lever_rank_only_when_the_levers_are_ranked(
    code: str, ranked: bool
) -> None:
    """Saint-Pierre's examples each said « …, votre premier levier » while its fiche said
    the levers follow the kit's order, « sans classement propre à la commune »."""
    fiche = fiche_for(code)
    reasons = [r for ex in fiche.examples for r in ex.reasons]
    assert any("illustre le levier" in r for r in reasons), reasons
    assert any(" levier" in r and "votre " in r for r in reasons) is ranked


def test_an_example_named_like_the_commune_says_where_it_is() -> None:
    """Saint-Denis (La Réunion)'s map listed « 4. Saint-Denis (à 9 375 km) »: the reader took
    it for the commune itself. The example is in Seine-Saint-Denis."""
    from fichegen.document.model import MapFigure

    # the PôPE (Seine-Saint-Denis) illustrates the cooperation lever, put first here
    doc = compose(fiche_for("97411", priorites=["cooperation"]), OPTIONS)
    figure = next(b for b in _walk(_section(doc, "carte").blocks) if isinstance(b, MapFigure))
    labels = [p.label for frame in figure.frames for p in frame.points if p.role == "exemple"]
    assert any(label.endswith(". Saint-Denis, Seine-Saint-Denis") for label in labels), labels
    assert not any(label.endswith(". Saint-Denis") for label in labels)
    assert "Saint-Denis, Seine-Saint-Denis" in figure.alt_text
    other = compose(fiche_for("93066"), OPTIONS)  # Saint-Denis (93): its own name, plain
    assert "Seine-Saint-Denis" not in " ".join(
        p.label
        for b in _walk(_section(other, "carte").blocks)
        if isinstance(b, MapFigure)
        for frame in b.frames
        for p in frame.points
    )


@pytest.mark.parametrize("code", ["82038", "59350"])  # Caylus, Lille: examples of the source
def test_the_summary_gives_the_next_step_not_the_story_again(code: str) -> None:
    """Caylus's « L'essentiel » printed the three « Déjà fait… » sentences in full, then the
    levers printed them again: the summary now says « déjà fait ; ensuite : … »."""
    fiche = fiche_for(code)
    doc = compose(fiche, OPTIONS)
    summary = _text(_section(doc, "essentiel").blocks)
    told = [lever for lever in fiche.levers[:3] if lever.story]
    assert told
    for lever in told:
        assert lever.story[0] not in summary
        assert lever.next_steps[0].rstrip(".") in summary
    assert "déjà fait " in summary and "Déjà fait" not in summary


def test_a_priority_lever_says_so_in_the_summary_the_same_way() -> None:
    """Foix's first lever (a priority) showed a threshold reason, its second « Priorité
    retenue par l'équipe… »: both now read « (priorité de l'équipe) »."""
    fiche = fiche_for("09122", priorites=["cooperation", "contractualisation"])
    summary = _text(_section(compose(fiche, OPTIONS), "essentiel").blocks)
    assert summary.count("(priorité de l’équipe)") == 2
    assert "Priorité retenue par l’équipe" not in summary


def test_a_lever_without_reason_says_so_without_a_tick() -> None:
    """« ✓ Aucun des chiffres connus ne désigne… »: a tick read as a reason."""
    fiche = fiche_for("62193")
    bare = next(lever for lever in fiche.levers if not lever.reasons)
    doc = compose(fiche, OPTIONS)
    callout = next(b for b in _section(doc, f"levier-{bare.id}").blocks if isinstance(b, Callout))
    assert not any(isinstance(b, BulletList) for b in callout.blocks)
    assert "Aucun des chiffres connus" in _text(callout.blocks)
