"""Selection → document model: sections in order, markers, reasons, map frames."""

from __future__ import annotations

from datetime import date

import pytest
from support_selection import fiche_for

from fichegen.document.compose import compose
from fichegen.document.model import (
    Block,
    BulletList,
    Callout,
    Document,
    ExampleCard,
    KeyFigures,
    MapFigure,
    Paragraph,
    Run,
    Section,
    Table,
)
from fichegen.french.formatting import integer
from fichegen.french.typography import typeset
from fichegen.options import RenderOptions

OPTIONS = RenderOptions(date=date(2026, 11, 26))


def walk(blocks: tuple[Block, ...]) -> list[Block]:
    found: list[Block] = []
    for block in blocks:
        found.append(block)
        if isinstance(block, Section | Callout):
            found.extend(walk(block.blocks))
    return found


def runs(doc: Document) -> list[Run]:
    out: list[Run] = []
    for block in walk(doc.sections):
        if isinstance(block, Paragraph):
            out.extend(block.runs)
        elif isinstance(block, BulletList):
            out.extend(r for item in block.items for r in item)
        elif isinstance(block, Table):
            out.extend(r for row in block.rows for cell in row for r in cell)
    return out


def text_of(doc: Document) -> str:
    return " ".join(r.text for r in runs(doc))


def test_sections_follow_the_contract_order() -> None:
    doc = compose(fiche_for("59013"), OPTIONS)
    assert [s.id for s in doc.sections] == [
        "essentiel",
        "territoire",
        "obligations",
        "leviers",
        "exemples",
        "carte",
        "ressources",
        "annexe",
    ]
    assert doc.date_text == "26 novembre 2026"
    assert doc.commune_name == "Anstaing"
    assert doc.departement_label == "Nord (59)"


def test_missing_figures_are_marked_and_provided_ones_are_not() -> None:
    bare = compose(fiche_for("59013"), OPTIONS)
    assert sum(r.missing for r in runs(bare)) >= 8
    full = compose(
        fiche_for(
            "59013",
            petite_enfance={
                "enfants_moins_3_ans": 55,
                "places_eaje": 0,
                "places_eaje_ess": 0,
                "assistants_maternels": 12,
                "places_assistants_maternels": 30,
                "mam": 0,
                "demandes_en_attente": 20,
                "relais_petite_enfance": False,
                "competence_transferee_epci": False,
            },
            gouvernance={"convention_territoriale_globale": True},
            acteurs_ess=[{"nom": "Centre social", "type": "centre_social"}],
        ),
        OPTIONS,
    )
    assert not any(r.missing for r in runs(full))
    figures = next(b for b in walk(full.sections) if isinstance(b, KeyFigures))
    coverage = next(f for f in figures.items if "pour 100\u00a0enfants" in f.label)
    assert coverage.value == "54,5" and not coverage.missing  # (0 + 30) / 55 * 100
    # named for what it counts, with no national figure of another scope beside it
    assert coverage.label.startswith("Places en crèche et chez les assistants maternels")
    assert "France" not in (coverage.detail or "")


def test_levers_appear_in_rank_order_with_their_reasons() -> None:
    fiche = fiche_for(
        "59013",
        patrimoine={
            "locaux_disponibles": [
                {"description": "ancienne école", "surface_m2": 200, "domaine": "prive"}
            ]
        },
    )
    doc = compose(fiche, OPTIONS)
    levers = next(s for s in doc.sections if s.id == "leviers")
    subsections = [b for b in levers.blocks if isinstance(b, Section)]
    assert [s.id for s in subsections] == [f"levier-{lever.id}" for lever in fiche.levers]
    for section, lever in zip(subsections, fiche.levers, strict=True):
        assert section.title.startswith(f"{lever.rang}. ")
        why = next(b for b in section.blocks if isinstance(b, Callout))
        assert why.tone == "reasons"
        assert len(why.blocks[0].items) == max(1, len(lever.reasons))  # type: ignore[union-attr]
    assert "200" in text_of(doc) and "ancienne école" in text_of(doc)


def test_excluded_levers_are_absent_and_said() -> None:
    doc = compose(fiche_for("59013", exclure=["locaux", "engagement"]), OPTIONS)
    levers = next(s for s in doc.sections if s.id == "leviers")
    ids = [b.id for b in levers.blocks if isinstance(b, Section)]
    assert "levier-locaux" not in ids and "levier-engagement" not in ids
    assert "Écartés à votre demande" in text_of(doc)


def test_example_cards_say_why_and_never_offer_the_commune_itself() -> None:
    fiche = fiche_for("59013")
    doc = compose(fiche, OPTIONS)
    cards = [b for b in walk(doc.sections) if isinstance(b, ExampleCard)]
    assert all(card.why_chosen for card in cards)
    # The commune's own example is told once, as its story, never among the chosen ones.
    story = [c for c in cards if c.why_chosen == ("dans votre commune",)]
    chosen = [c for c in cards if c not in story]
    assert len(chosen) == len(fiche.examples) > 0
    assert not any("Anstaing" in card.place for card in chosen)
    assert [c.place for c in story] == ["Anstaing"]
    assert "figure elle-même parmi les exemples" in text_of(doc)


def _map(code: str) -> MapFigure:
    doc = compose(fiche_for(code), OPTIONS)
    return next(b for b in walk(doc.sections) if isinstance(b, MapFigure))


def test_metro_map_shows_the_region_and_france_only_when_an_example_is_far() -> None:
    from fichegen.reference.lookup import load_reference

    reference = load_reference()
    fiche = fiche_for("59275")  # Gruson, next to Anstaing
    regions = {reference.get(e.commune_code).region for e in fiche.examples}
    figure = _map("59275")
    assert figure.frames[0].title == "Hauts-de-France"
    assert len(figure.frames) == (1 if regions == {"32"} else 2)
    near = {p.label.split(". ", 1)[1] for p in figure.frames[0].points if p.role == "exemple"}
    assert "Anstaing" in near
    if len(figure.frames) == 2:
        assert figure.frames[1].title == "France métropolitaine"
        assert figure.frames[0].scale == figure.frames[1].scale == 1.0
        far = {p.label for p in figure.frames[1].points if p.role == "exemple"}
        assert not far & {p.label for p in figure.frames[0].points}


@pytest.mark.parametrize(
    ("code", "titles", "own"),
    [
        ("97411", ["La Réunion", "France métropolitaine"], 1),
        ("98735", ["France métropolitaine"], 0),  # Papeete: no position in the reference
    ],
)
def test_overseas_map_frames(code: str, titles: list[str], own: int) -> None:
    figure = _map(code)
    assert [frame.title for frame in figure.frames] == titles
    assert figure.alt_text.startswith("Carte situant")
    commune_points = [p for f in figure.frames for p in f.points if p.role == "commune"]
    assert len(commune_points) == own
    if len(figure.frames) == 2:  # metropolitan France beside the overseas commune, smaller
        assert figure.frames[1].scale < figure.frames[0].scale


def test_com_commune_gets_a_notice_instead_of_duties() -> None:
    doc = compose(fiche_for("98735"), OPTIONS)
    obligations = next(s for s in doc.sections if s.id == "obligations")
    assert isinstance(obligations.blocks[0], Callout)
    assert obligations.blocks[0].tone == "warning"


def test_annex_lists_profile_fields_and_sources() -> None:
    doc = compose(fiche_for("59013", petite_enfance={"places_eaje": 12}), OPTIONS)
    text = text_of(doc)
    assert "Places en crèche ou multi-accueil (EAJE)" in text
    assert "petite_enfance" not in text
    assert "Etalab, découpage administratif 6.0.0" in text  # the publisher, not a package
    assert "L214-1-3" in text


def test_reference_only_fiche_lists_no_profile_value() -> None:
    doc = compose(fiche_for("90010"), OPTIONS)
    annex = next(s for s in doc.sections if s.id == "annexe")
    from_profile = next(
        b for b in annex.blocks if isinstance(b, Section) and b.id == "annexe-profil"
    )
    text = " ".join(r.text for b in from_profile.blocks if isinstance(b, Paragraph) for r in b.runs)
    assert "Aucun" in text
    assert not any(isinstance(b, Table) for b in from_profile.blocks)


def test_free_text_is_kept_literally() -> None:
    hostile = '<img src="file:///etc/hostname"> {{ 7*7 }} {% raw %}'
    doc = compose(
        fiche_for(
            "59013",
            acteurs_ess=[{"nom": hostile, "type": "autre"}],
            patrimoine={"locaux_disponibles": [{"description": hostile}]},
        ),
        OPTIONS,
    )
    assert hostile in text_of(doc)


def test_profile_text_keeps_its_own_typography() -> None:
    """Free text is never retypeset: straight apostrophes and plain spaces stay."""
    name = "L'Arbre à bulles : crèche « parentale »"
    doc = compose(
        fiche_for("59013", acteurs_ess=[{"nom": name, "type": "creche_parentale"}]), OPTIONS
    )
    assert name in text_of(doc)


def test_author_on_cover_and_header_tool_only_in_metadata_and_annex() -> None:
    doc = compose(fiche_for("59013", fiche={"auteur": "Liste Anstaing demain"}), OPTIONS)
    assert doc.footer_text == "Préparée par Liste Anstaing demain"
    assert "fichegen" not in doc.header_text + doc.footer_text
    assert doc.generator.startswith("fichegen ")
    annex = next(s for s in doc.sections if s.id == "annexe")
    assert "fichegen" in " ".join(
        r.text for r in runs(Document(**{**_fields(doc), "sections": (annex,)}))
    )
    territory = next(s for s in doc.sections if s.id == "territoire")
    assert "fichegen" not in " ".join(
        r.text for r in runs(Document(**{**_fields(doc), "sections": (territory,)}))
    )


def test_figures_given_name_who_gave_them() -> None:
    given = compose(fiche_for("59013", petite_enfance={"places_eaje": 12}), OPTIONS)
    assert "chiffres fournis" in text_of(given)
    signed = compose(
        fiche_for("59013", petite_enfance={"places_eaje": 12}, fiche={"auteur": "Équipe A"}),
        OPTIONS,
    )
    assert "Équipe A" in text_of(signed)
    assert "votre profil" not in text_of(signed) + text_of(given)


def _fields(doc: Document) -> dict[str, object]:
    return {name: getattr(doc, name) for name in doc.__dataclass_fields__}


def test_same_fiche_same_document() -> None:
    assert compose(fiche_for("90010"), OPTIONS) == compose(fiche_for("90010"), OPTIONS)


def test_own_example_appears_once_and_not_under_levers() -> None:
    fiche = fiche_for("82038")
    doc = compose(fiche, OPTIONS)
    title = fiche.knowledge.example("caylus-histoire-de-bulles").titre
    cards = [b for b in walk(doc.sections) if isinstance(b, ExampleCard)]
    assert [c.title for c in cards].count(title) == 1
    assert typeset(title) not in text_of(doc)  # not listed again under a lever


def test_examples_title_says_near_only_when_an_example_is_near() -> None:
    near = compose(fiche_for("59275"), OPTIONS)  # Gruson, next to Anstaing
    far = compose(fiche_for("2A004"), OPTIONS)  # Ajaccio: every example is on the mainland
    section = {s.id: s for s in near.sections}["exemples"]
    assert "près de chez vous" in section.title
    section = {s.id: s for s in far.sections}["exemples"]
    assert "près" not in section.title
    assert "50 km" in text_of(far) or "50\u00a0km" in text_of(far)


@pytest.mark.parametrize("code", ["2A004", "59275", "29019"])
def test_each_distance_once_per_card_with_one_rounding(code: str) -> None:
    fiche = fiche_for(code)
    cards = [b for b in walk(compose(fiche, OPTIONS).sections) if isinstance(b, ExampleCard)]
    for card, selected in zip(cards, fiche.examples, strict=True):
        assert selected.distance_km is not None
        assert card.distance is not None and card.distance in selected.reasons
        assert not any("km" in r for r in card.why_chosen)


def test_duties_show_what_is_certain_and_what_to_check() -> None:
    doc = compose(
        fiche_for("78643"), OPTIONS
    )  # Vernouillet: totale 2022 above 10 000, 2023 municipale below
    section = {s.id: s for s in doc.sections}["obligations"]
    titles = [b.title for b in section.blocks if isinstance(b, Callout)]
    assert "Ce que la loi impose à votre commune" in titles
    assert any("ne permettent pas de trancher" in t for t in titles)
    assert not any("pas encore" in t for t in titles)
    assert "À vérifier" in text_of(doc)


def test_epci_duties_are_headed_as_the_epci_s() -> None:
    fiche = fiche_for("59013", petite_enfance={"competence_transferee_epci": True})
    doc = compose(fiche, OPTIONS)
    section = {s.id: s for s in doc.sections}["obligations"]
    titles = [b.title for b in section.blocks if isinstance(b, Callout)]
    assert all("votre commune" not in t for t in titles)
    assert any("intercommunalité" in t and "Métropole Européenne de Lille" in t for t in titles)


def test_duties_lead_gives_both_population_figures() -> None:
    fiche = fiche_for("69276")  # Feyzin: totale 2022 under 10 000, municipale 2023 above
    doc = compose(fiche, OPTIONS)
    section = {s.id: s for s in doc.sections}["obligations"]
    lead = "".join(r.text for r in section.blocks[0].runs)  # type: ignore[union-attr]
    commune = fiche.commune.commune
    assert integer(commune.population_totale or 0) in lead
    assert integer(commune.population_municipale or 0) in lead and "2023" in lead


def test_annex_lists_each_legal_text_with_its_version() -> None:
    doc = compose(fiche_for("97501"), OPTIONS)
    text = text_of(doc)
    assert any(isinstance(b, Section) and b.id == "annexe-droit" for b in walk(doc.sections))
    assert "CASF, art. L424-1" in text and "2021-611" in text
    assert "CASF, art. L214-2, III" in text
    assert "CASF, art. L531-5" in text


def test_a_shared_check_is_said_once() -> None:
    fiche = fiche_for("78643")  # schéma and relais both to check, with the same figure
    unsure = [o for o in fiche.obligations if not o.certain]
    assert len(unsure) == 2 and unsure[0].verification == unsure[1].verification
    doc = compose(fiche, OPTIONS)
    section = {s.id: s for s in doc.sections}["obligations"]
    text = " ".join(
        r.text for b in walk(section.blocks) if isinstance(b, Paragraph) for r in b.runs
    )
    text += " ".join(
        r.text
        for b in walk(section.blocks)
        if isinstance(b, BulletList)
        for i in b.items
        for r in i
    )
    assert text.count("Vérifiez la population totale") == 1
