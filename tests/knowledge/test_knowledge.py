"""The knowledge base of fiche n°15: content, INSEE codes, user folders and located errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fichegen.errors import KnowledgeError
from fichegen.knowledge.base import LEVER_IDS, load_knowledge
from fichegen.knowledge.templating import TemplateSyntaxError, fill, template_fields
from fichegen.reference.lookup import load_reference
from fichegen.selection.signals import SIGNAL_FIELDS

RESOURCES = Path(__file__).resolve().parents[1] / "resources" / "knowledge"


def test_builtin_counts_and_ids() -> None:
    kb = load_knowledge()
    assert tuple(lever.id for lever in kb.levers) == LEVER_IDS
    assert sum(e.origine == "fiche15" for e in kb.examples) == 7
    assert sum(e.origine == "hors_fiche15" for e in kb.examples) == 4  # beyond the fiche
    assert len(kb.resources) == 5
    assert kb.context.numero == 15
    assert "2025" in kb.context.sppe
    assert all(r.url is None for r in kb.resources)
    assert all(lever.actions and lever.description and lever.accroche for lever in kb.levers)


def test_every_example_code_is_a_current_commune() -> None:
    reference = load_reference()
    for ex in load_knowledge().examples:
        commune = reference.get(ex.commune_code)
        assert commune.departement == ex.departement, ex.id
        for other in ex.communes_associees:
            reference.get(other)
        if ex.epci_code:
            assert commune.epci_code == ex.epci_code, ex.id


def test_examples_are_where_the_source_says() -> None:
    reference = load_reference()
    kb = load_knowledge()
    names = {ex.id: reference.get(ex.commune_code).nom for ex in kb.examples}
    assert names["caylus-histoire-de-bulles"] == "Caylus"
    assert names["anstaing-petites-mains-grandes-aventures"] == "Anstaing"
    assert names["lille-meli-melo"] == "Lille"
    assert names["nancy-reseau-creches"] == "Nancy"
    assert names["villeurbanne-pole-petite-enfance"] == "Villeurbanne"
    assert names["pavillons-sous-bois-local-mam"] == "Les Pavillons-sous-Bois"
    assert reference.get("59275").nom == "Gruson"
    pope = kb.example("pope-seine-saint-denis")
    assert pope.echelle == "departement" and pope.departement == "93"


def test_key_figures_of_the_source_are_present() -> None:
    kb = load_knowledge()

    def values(example_id: str) -> set[float]:
        return {f.valeur for f in kb.example(example_id).chiffres}

    assert {120} <= values("pavillons-sous-bois-local-mam")
    assert {870, 2021} <= values("villeurbanne-pole-petite-enfance")
    assert {10, 2009, 4, 1} <= values("caylus-histoire-de-bulles")
    assert {15000, 25000, 1600, 2025} <= values("anstaing-petites-mains-grandes-aventures")
    assert {15000, 10, 2015, 2021} <= values("lille-meli-melo")


def test_every_signal_template_is_safe_and_known() -> None:
    for lever in load_knowledge().levers:
        assert lever.signaux
        for sig in lever.signaux:
            assert sig.signal in SIGNAL_FIELDS
            template_fields(sig.raison)


@pytest.mark.parametrize(
    "template", ["{a.b}", "{a[0]}", "{a!r}", "{a:>10}", "{0}", "{", "{__class__}x{A}"]
)
def test_unsafe_templates_are_refused(template: str) -> None:
    with pytest.raises(TemplateSyntaxError):
        template_fields(template)


def test_fill_is_plain_substitution() -> None:
    assert fill("{n} place(s) {{x}}", {"n": "3"}) == "3\u00a0place(s) {x}"
    assert fill("{n} places", {"n": None}) is None


@pytest.mark.parametrize(
    ("template", "values", "expected"),
    [
        ("soit {p} habitants", {"p": "67\u202f571"}, "soit 67\u202f571\u00a0habitants"),
        ("{n} places manquent", {"n": "1"}, "1\u00a0place manquent"),
        ("{n} assistants maternels", {"n": "1,5"}, "1,5\u00a0assistant maternel"),
        ("{t} % des enfants", {"t": "12,5"}, "12,5\u202f% des enfants"),
        ("{d} km", {"d": "12"}, "12\u00a0km"),
        # Not a number, or not a counted noun: the template's space stays.
        ("{nom} habitants", {"nom": "Les Trois"}, "Les Trois habitants"),
        ("en {annee} les crèches", {"annee": "2023"}, "en 2023 les crèches"),
        # The value itself is inserted as given.
        ("{nom} : {n} enfants", {"nom": "12 enfants", "n": "3"}, "12 enfants : 3\u00a0enfants"),
    ],
)
def test_fill_joins_a_counted_noun_or_unit_to_an_inserted_number(
    template: str, values: dict[str, str], expected: str
) -> None:
    assert fill(template, values) == expected


def _user_folder(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / "kb"
    folder.mkdir()
    shutil.copy(RESOURCES / name, folder / name)
    return folder


def test_user_folder_adds_an_example_and_overrides_texts(tmp_path: Path) -> None:
    kb = load_knowledge(_user_folder(tmp_path, "ajout.yaml"))
    assert len(kb.examples) == len(load_knowledge().examples) + 1
    added = kb.example("gruson-exemple-local")
    assert added.origine == "utilisateur" and added.commune_code == "59275"
    assert kb.lever("locaux").titre == "Des locaux pour l'ESS"
    assert kb.lever("locaux").actions == load_knowledge().lever("locaux").actions
    assert kb.resources[0].date == "février 2026"
    assert kb.user_files and kb.user_files[0].endswith("ajout.yaml")
    assert "gruson-exemple-local" not in {e.id for e in load_knowledge().examples}


def test_user_example_is_selected_near_its_commune(tmp_path: Path) -> None:
    from support_selection import profile

    from fichegen.selection.builder import build

    kb = load_knowledge(_user_folder(tmp_path, "ajout.yaml"))
    fiche = build(profile("59013"), knowledge=kb)
    assert fiche.examples[0].id == "gruson-exemple-local"


@pytest.mark.parametrize(
    ("name", "line", "column", "words"),
    [
        ("faute_cle.yaml", 4, 5, "vouliez-vous dire « titre »"),
        ("signal_inconnu.yaml", 5, 17, "signal inconnu"),
        ("champ_interdit.yaml", 6, 17, "{nom_du_maire}"),
        ("code_inconnu.yaml", 4, 19, "99999"),
        ("doublon.yaml", 3, 9, "existe déjà"),
        ("levier_inconnu.yaml", 3, 9, "valeurs possibles"),
    ],
)
def test_errors_are_located(tmp_path: Path, name: str, line: int, column: int, words: str) -> None:
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(_user_folder(tmp_path, name))
    issue = caught.value.first
    assert issue.file is not None and issue.file.endswith(name)
    assert (issue.line, issue.column) == (line, column)
    assert words in issue.message
    assert caught.value.exit_code == 2


def test_bad_yaml_and_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "casse.yaml").write_text("leviers: [\n", encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(tmp_path)
    assert caught.value.first.line is not None
    empty = tmp_path / "vide"
    empty.mkdir()
    with pytest.raises(KnowledgeError, match="aucun fichier YAML"):
        load_knowledge(empty)
    with pytest.raises(KnowledgeError, match="introuvable"):
        load_knowledge(tmp_path / "absent")


def test_resource_url_must_be_https_with_a_clear_message(tmp_path: Path) -> None:
    (tmp_path / "ressource.yaml").write_text(
        'ressources:\n  - id: rtes-contractualisation\n    url: "javascript:alert(1)"\n',
        encoding="utf-8",
    )
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(tmp_path)
    line = caught.value.lines()[0]
    assert line.startswith(f"{tmp_path / 'ressource.yaml'}:3:10: « ressources[0].url »")
    assert "https://" in line and "javascript:alert(1)" in line


def test_user_example_departement_must_match_its_commune(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text(
        "exemples:\n"
        "  - id: essai-belfort\n"
        '    titre: "Essai"\n'
        '    commune_code: "90010"\n'
        '    lieu: "Belfort"\n'
        '    departement: "75"\n'
        '    structure: "crèche associative"\n'
        '    faits: ["Exemple de test."]\n'
        "    levier_principal: locaux\n",
        encoding="utf-8",
    )
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(tmp_path)
    line = caught.value.lines()[0]
    assert line.startswith(f"{tmp_path / 'x.yaml'}:6:18: « exemples[0].departement »")
    assert "département 90" in line


def test_every_legal_statement_has_its_article_and_version() -> None:
    from fichegen.knowledge.types import LEGAL_IDS

    kb = load_knowledge()
    assert {rule.id for rule in kb.legal} >= set(LEGAL_IDS)
    for rule in kb.legal:
        assert rule.article.startswith(("CASF", "CGCT", "décret", "ordonnance")) and rule.version
    assert "L214-2, III" in kb.rule("dispense_ctg").article
    assert "organisme débiteur des prestations familiales" in kb.rule("dispense_ctg").texte
    assert "Mayotte" in kb.rule("dispense_ctg").texte
    assert "futurs parents" in kb.rule("informer").texte
    assert kb.rule("saint_pierre_et_miquelon").article == "CASF, art. L531-5"
    assert "L581-1" in kb.rule("saint_barthelemy_saint_martin").article
    mam = kb.rule("mam")
    assert "L424-1" in mam.article and "2021-611" in mam.version and "six" in mam.texte
    assert "2026" in kb.rule("relais_petite_enfance").version


def test_a_missing_legal_statement_is_refused(tmp_path: Path) -> None:
    from fichegen.knowledge.base import _Builder, _load_files, knowledge_files
    from fichegen.resources import knowledge_dir

    folder = tmp_path / "base"
    shutil.copytree(knowledge_dir(), folder)
    (folder / "droit.yaml").unlink()
    builder = _Builder()
    _load_files(builder, knowledge_files(folder), user=False)
    with pytest.raises(KnowledgeError, match=r"droit\.mam"):
        builder.build(())


def test_sentences_say_no_more_than_the_source() -> None:
    kb = load_knowledge()
    texts = " ".join(
        [*kb.context.introduction, *(f for e in kb.examples for f in e.faits)]
        + [a for e in kb.examples for a in e.acteurs]
        + [d for lever in kb.levers for d in lever.description]
    )
    assert "ne cherchent pas le profit" not in texts
    assert "lucrativité est nulle ou encadrée" in texts
    anstaing = " ".join(kb.example("anstaing-petites-mains-grandes-aventures").faits)
    assert (
        "fait appel à une chargée de mission" in anstaing and "recruté une chargée" not in anstaing
    )
    caylus = " ".join(kb.example("caylus-histoire-de-bulles").faits)
    assert "mis à sa disposition" in caylus and "prêté" not in caylus
    villeurbanne = kb.example("villeurbanne-pole-petite-enfance")
    assert not any("promoteur" in a for a in villeurbanne.acteurs)
    assert any("promoteur souhaitait intégrer" in f for f in villeurbanne.faits)
    pope = " ".join(kb.example("pope-seine-saint-denis").faits)
    assert "se fixe pour but" in pope and "Il mutualise" not in pope
    assert "quatre assistants maternels au plus" not in texts
    assert "jusqu’à six assistants maternels" in texts


def test_resource_title_is_the_publication_s() -> None:
    fjj = next(r for r in load_knowledge().resources if r.id == "fjj-creches-cooperatives")
    assert fjj.titre == "Des crèches coopératives pour démarchandiser la petite enfance"
    assert fjj.date == "15 septembre 2025"


def test_user_folder_can_restate_a_legal_statement(tmp_path: Path) -> None:
    (tmp_path / "droit.yaml").write_text(
        "droit:\n"
        "  - id: mam\n"
        '    texte: "Texte local de la règle des MAM."\n'
        '    article: "CASF, art. L424-1"\n'
        '    version: "version consultée le 1er décembre 2026"\n',
        encoding="utf-8",
    )
    kb = load_knowledge(tmp_path)
    assert kb.rule("mam").texte == "Texte local de la règle des MAM."
    assert kb.rule("dispense_ctg") == load_knowledge().rule("dispense_ctg")


def test_legal_statement_without_version_is_located(tmp_path: Path) -> None:
    (tmp_path / "droit.yaml").write_text(
        'droit:\n  - id: mam\n    texte: "x"\n    article: "CASF, art. L424-1"\n',
        encoding="utf-8",
    )
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(tmp_path)
    assert "droit.yaml:2" in str(info.value) and "version" in str(info.value)


def test_method_says_where_user_examples_come_from(tmp_path: Path) -> None:
    from support_selection import profile

    from fichegen.selection.builder import build

    kb = load_knowledge(_user_folder(tmp_path, "ajout.yaml"))
    method = " ".join(build(profile("59275"), knowledge=kb).method)
    assert "fiche n°\u00a015 (7 exemples)" in method
    assert "fourni par l’utilisateur (1 exemple ajouté)" in method
    assert "y compris ceux ajoutés" not in method
