"""Each territory gets its own wording: COM, Mayotte, no EPCI, Paris/Lyon/Marseille, Grand Paris.

Checked on the composed document's text (what the reader sees), on real communes.
"""

from __future__ import annotations

import pytest
from support_selection import fiche_for

from fichegen.document.compose import compose
from fichegen.document.model import Document, Paragraph, Section, Table
from fichegen.document.territory_words import NO_EPCI, ORGANISME
from fichegen.inputs.labels import field_label
from fichegen.inputs.profile import profile_for_commune
from fichegen.knowledge.base import load_knowledge
from fichegen.options import RenderOptions
from fichegen.selection.builder import build
from fichegen.selection.fiche import Fiche

OPTIONS = RenderOptions(formats=("html",))


def _text(doc: Document) -> str:
    parts: list[str] = []

    def walk(block: object) -> None:
        if isinstance(block, Section):
            parts.append(block.title)
            for child in block.blocks:
                walk(child)
        elif isinstance(block, Paragraph):
            parts.append("".join(r.text for r in block.runs))
        elif isinstance(block, Table):
            for row in block.rows:
                parts.append(" ".join("".join(r.text for r in cell) for cell in row))
        elif hasattr(block, "__dataclass_fields__"):
            for name in block.__dataclass_fields__:
                value = getattr(block, name)
                items = value if isinstance(value, tuple) else (value,)
                for item in items:
                    if isinstance(item, str):
                        parts.append(item)
                    elif isinstance(item, tuple):
                        parts.append("".join(getattr(r, "text", str(r)) for r in item))
                    else:
                        walk(item)

    for section in doc.sections:
        walk(section)
    return "\n".join(parts)


def _doc(fiche: Fiche) -> str:
    return _text(compose(fiche, OPTIONS))


# commune, words the fiche must hold, words it must never hold
TERRITORIES = [
    (
        "97502",
        ["Caisse de prévoyance sociale", "ordonnance n° 77-1102"],
        ["avec la Caf", "Convention territoriale globale avec la Caf", "Vérifiez la population"],
    ),
    (
        "97611",
        ["Caisse de sécurité sociale de Mayotte", "CTG avec la CSSM"],
        ["données ouvertes de la Caf", "CTG avec la Caf"],
    ),
    (
        "29155",
        ["n’appartient à aucune intercommunalité"],
        ["avec l’intercommunalité", "leurs intercommunalités", "Compétences exercées par"],
    ),
    ("75056", ["conseil d’arrondissement", "L2511-16"], ["membre de l’intercommunalité Métropole"]),
    ("13055", ["conseil d’arrondissement", "L2511-16", "même millésime"], []),
    (
        "93057",
        ["établissement public territorial", "L5219-5", "même millésime"],
        ["membre de l’intercommunalité Métropole du Grand Paris"],
    ),
]


@pytest.mark.parametrize(("code", "present", "absent"), TERRITORIES)
def test_each_territory_reads_its_own_wording(
    code: str, present: list[str], absent: list[str]
) -> None:
    text = _doc(fiche_for(code)).replace("\u202f", " ").replace("\u00a0", " ")
    for words in present:
        assert words in text, words
    for words in absent:
        assert words not in text, words


def test_saint_pierre_is_never_told_to_check_the_10000_threshold() -> None:
    fiche = fiche_for("97502")  # 5 194 inhabitants
    for duty in fiche.obligations:
        if duty.id in {"schema_pluriannuel", "relais_petite_enfance"}:
            assert duty.certain and not duty.obligatoire
            assert duty.verification is None


def test_an_arrondissement_code_names_its_arrondissement() -> None:
    from fichegen.api import _load_all

    (profile,) = _load_all([], ["75112"])
    assert profile.commune.code_insee == "75056"
    fiche = build(profile)
    assert fiche.territoire is not None
    assert fiche.territoire.arrondissement_demande == "12ᵉ\u00a0arrondissement de Paris"
    assert "demandée pour le 12ᵉ\u00a0arrondissement de Paris" in _doc(fiche)
    assert build(profile_for_commune("75056")).territoire.arrondissement_demande is None  # type: ignore[union-attr]


@pytest.mark.parametrize("code", ["13201", "69381"])
def test_marseille_and_lyon_arrondissements_are_named(code: str) -> None:
    from fichegen.api import _load_all

    (profile,) = _load_all([], [code])
    fiche = build(profile)
    assert fiche.territoire is not None and fiche.territoire.arrondissement_demande
    assert fiche.territoire.arrondissement_demande.startswith("1ᵉʳ\u00a0arrondissement de ")


def test_every_territorial_replacement_still_matches_the_knowledge_base() -> None:
    kb = load_knowledge()
    texts = [*kb.context.introduction]
    for lever in kb.levers:
        texts += [*lever.description, *lever.actions, *(s.raison for s in lever.signaux)]
    texts.append(field_label("gouvernance.convention_territoriale_globale"))
    corpus = "\n".join(texts)
    from fichegen.french.typography import typeset

    for old, _new in (*NO_EPCI, *ORGANISME):
        assert typeset(old) in corpus, old


@pytest.mark.parametrize("code", ["13055", "69266", "93057"])
def test_a_totale_below_the_municipale_says_why(code: str) -> None:
    fiche = fiche_for(code)
    commune = fiche.commune.commune
    assert commune.population_totale is not None and commune.population_municipale is not None
    assert commune.population_totale < commune.population_municipale
    text = _doc(fiche).replace("\u202f", " ").replace("\u00a0", " ")
    assert "Population totale 2022" in text and "Population municipale 2023" in text
    assert "pas du même millésime" in text


@pytest.mark.parametrize("code", ["82038", "97502", "29155"])
def test_no_estimated_population_where_the_municipale_settles_every_threshold(code: str) -> None:
    fiche = fiche_for(code)
    text = _doc(fiche)
    assert "estimée" not in text
    assert all(o.certain or fiche.sppe.verification_com for o in fiche.obligations)


def test_grand_paris_transfer_is_not_the_metropole() -> None:
    fiche = fiche_for("93057", petite_enfance={"competence_transferee_epci": True})
    assert fiche.sppe.titulaire is None  # the MGP is never said to exercise the competence
    assert fiche.sppe.notice and "établissement public territorial" in fiche.sppe.notice
    reasons = [r for lever in fiche.levers for r in lever.reasons]
    assert not any("Métropole du Grand Paris)" in r for r in reasons)
    given = fiche_for(
        "93057",
        petite_enfance={
            "competence_transferee_epci": True,
            "population_communes_transferees": 9000,
        },
    )
    assert given.sppe.titulaire == "établissement public territorial"
    assert given.sppe.population_reference == 9000


@pytest.mark.parametrize(
    ("code", "lyon"),
    [("69123", True), ("69266", True), ("69264", False), ("59350", False)],
)
def test_the_metropole_de_lyon_is_not_called_an_intercommunality(code: str, lyon: bool) -> None:
    """Lyon read « Commune membre de l'intercommunalité Métropole de Lyon »: the Métropole
    is a collectivité à statut particulier that stands for the département (CGCT L3611-1)."""
    fiche = fiche_for(code)
    reasons = " ".join(r for lever in fiche.levers for r in lever.reasons)
    assert ("tient lieu de département (CGCT, art. L3611-1)" in reasons) is lyon
    assert "membre de l’intercommunalité Métropole de Lyon" not in reasons


@pytest.mark.parametrize(("code", "lyon"), [("69123", True), ("69266", True), ("59350", False)])
def test_the_metropole_de_lyon_is_named_as_such_in_the_tables(code: str, lyon: bool) -> None:
    fiche = fiche_for(code)
    text = _text(compose(fiche, OPTIONS))
    assert ("Collectivité à statut particulier" in text) is lyon
    assert ("compétences départementales exercées par la Métropole de Lyon" in text) is lyon
    # Lyon shows its métropole's rate; Villeurbanne (over 10 000) has a rate of its own
    assert ("Taux de couverture de la Métropole de Lyon" in text) is (code == "69123")
    if lyon:
        assert "Taux de couverture de l’intercommunalité" not in text


@pytest.mark.parametrize(
    ("code", "whose"),
    [
        ("75056", "Métropole du Grand Paris, Caf"),
        ("13055", "Métropole d’Aix-Marseille-Provence, Caf"),
        ("59034", "Intercommunalité, Caf"),
    ],
)
def test_the_coverage_tile_names_a_metropole_whose_rate_it_shows(code: str, whose: str) -> None:
    """Paris's tile showed the Grand Paris's rate under « Intercommunalité » alone."""
    text = _text(compose(fiche_for(code), OPTIONS))
    assert f"{whose}\u00a02023 · France" in text
