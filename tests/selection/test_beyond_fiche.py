"""Real examples beyond fiche n° 15: loaded with their sources, offered near their place
after the fiche's own examples (which keep their place), never to their own commune."""

from __future__ import annotations

from pathlib import Path

import pytest
from support_selection import fiche_for, profile

from fichegen.knowledge.base import load_knowledge, with_examples
from fichegen.reference.lookup import load_reference
from fichegen.selection.builder import build
from fichegen.selection.examples import BEYOND_MAX, NEAR_KM

BEYOND = {
    "ardeche-petits-deboulonnes": "07277",  # Saint-Michel-de-Boulogne
    "matheysine-scic-petite-enfance": "38269",  # La Mure
    "soli-momes-e2s": "93048",  # Montreuil
    "saint-evarzec-tot-ou-tard": "29247",  # Saint-Évarzec
}


def _beyond_ids(code: str) -> list[str]:
    return [e.id for e in fiche_for(code).examples if e.id in BEYOND]


def test_the_new_examples_load_with_their_sources() -> None:
    kb = load_knowledge()
    reference = load_reference()
    for example_id, code in BEYOND.items():
        example = kb.example(example_id)
        assert example.origine == "hors_fiche15"
        assert example.commune_code == code
        assert reference.get(code).departement == example.departement
        assert example.sources and all(
            s.url.startswith(("http://", "https://")) for s in example.sources
        )
        assert all(s.titre and s.editeur for s in example.sources)
        for other in example.communes_associees:
            assert reference.get(other).departement == example.departement
    assert kb.example("soli-momes-e2s").communes_associees == ("93010",)  # Bondy
    assert all(not e.sources for e in kb.examples if e.origine == "fiche15")


def test_a_beyond_fiche_example_without_source_is_refused(tmp_path: Path) -> None:
    from fichegen.errors import KnowledgeError

    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "ajout.yaml").write_text(
        "exemples:\n"
        "  - id: sans-source\n"
        '    titre: "Un exemple"\n'
        '    commune_code: "59275"\n'
        '    lieu: "Gruson"\n'
        '    departement: "59"\n'
        '    structure: "crèche"\n'
        '    faits: ["Un fait."]\n'
        "    levier_principal: creation\n"
        "    hors_fiche: true\n",
        encoding="utf-8",
    )
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(folder)
    assert "doit citer au moins une source" in str(caught.value)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("07186", "ardeche-petits-deboulonnes"),  # Privas
        ("29232", "saint-evarzec-tot-ou-tard"),  # Quimper
        ("29058", "saint-evarzec-tot-ou-tard"),  # Fouesnant
        ("38562", "matheysine-scic-petite-enfance"),  # Vizille
        ("93064", "soli-momes-e2s"),  # Rosny-sous-Bois
    ],
)
def test_offered_near_their_place_after_the_fiche_own_examples(code: str, expected: str) -> None:
    fiche = fiche_for(code)
    ids = [e.id for e in fiche.examples]
    assert expected in ids
    chosen = next(e for e in fiche.examples if e.id == expected)
    assert chosen.distance_km is not None and chosen.distance_km <= NEAR_KM
    assert "proche" in chosen.criteria
    # The fiche's own examples are exactly those chosen without the new ones, first.
    kb = load_knowledge()
    own_only = with_examples(kb, tuple(e for e in kb.examples if e.origine != "hors_fiche15"))
    before = [e.id for e in build(profile(code), knowledge=own_only).examples]
    assert ids[: len(before)] == before
    assert all(i in BEYOND for i in ids[len(before) :])
    assert len(ids) - len(before) <= BEYOND_MAX


@pytest.mark.parametrize(
    ("code", "example_id"),
    [
        ("07277", "ardeche-petits-deboulonnes"),  # its own commune
        ("29247", "saint-evarzec-tot-ou-tard"),
        ("93048", "soli-momes-e2s"),
        ("93010", "soli-momes-e2s"),  # Bondy, its second commune
        ("38269", "matheysine-scic-petite-enfance"),
        ("38128", "matheysine-scic-petite-enfance"),  # Corps, one of its crèches
    ],
)
def test_never_offered_to_its_own_commune(code: str, example_id: str) -> None:
    fiche = fiche_for(code)
    assert example_id not in [e.id for e in fiche.examples]
    assert example_id not in fiche.self_examples


def test_far_communes_get_the_fiche_examples_only() -> None:
    for code in ("59350", "67482", "13055"):  # Lille, Strasbourg, Marseille
        assert _beyond_ids(code) == []


def test_not_listed_under_the_levers() -> None:
    fiche = fiche_for("07186")
    for lever in fiche.levers:
        assert not set(lever.example_ids) & set(BEYOND)


def test_method_annex_says_how_they_are_chosen() -> None:
    method = " ".join(fiche_for("07186").method)
    assert "ne cite pas" in method and "sans en remplacer aucun" in method


@pytest.mark.slow
def test_the_fiche_marks_them_with_their_source_in_every_format(tmp_path: Path) -> None:
    import docx
    from pypdf import PdfReader

    from fichegen.api import render_many
    from fichegen.options import RenderOptions

    options = RenderOptions(formats=("html", "docx", "pdf"))
    written = {p.suffix: p for p in render_many([], ["07186"], options, tmp_path)}
    note = "Exemple pris hors de la fiche n°\u00a015"
    url = "http://rtes.fr/Les-petits-deboulonnes-l-exemple-d"
    html = written[".html"].read_text(encoding="utf-8")
    assert note in html and url in html
    assert "sauf les exemples signalés comme pris hors de la fiche" in html  # the colophon
    document = docx.Document(str(written[".docx"]))
    texts = [
        p.text for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs
    ]
    assert any(note in t and url in t for t in texts)
    pdf = " ".join(page.extract_text() for page in PdfReader(str(written[".pdf"])).pages)
    flat = " ".join(pdf.split())
    assert "Exemple pris hors de la fiche" in flat and "rtes.fr/Les-petits-deboulonnes" in flat
    # The fiche's own examples come first: the new one is the last card.
    assert html.rindex("Les petits déboulonnés") > html.index(
        "Caylus : la micro-crèche".replace(" :", "\u202f:")
    )


def test_a_far_fiche_colophon_keeps_its_sentence() -> None:
    from fichegen.document.compose import compose
    from fichegen.options import RenderOptions

    document = compose(fiche_for("59350"), RenderOptions(formats=("html",)))
    text = repr(document)
    assert "dont viennent les exemples." in text
    assert "Les chiffres de la commune viennent des sources listées" in text
    assert "hors de la fiche" not in text
