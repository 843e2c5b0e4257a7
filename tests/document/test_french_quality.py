"""The French of whole fiches: Grammalecte finds nothing, and no tool vocabulary leaks.

The sample is table-driven and taken from the embedded data: communes just under and
just over both SPPE thresholds, overseas départements, a collectivité d'outre-mer, an EPCI
that exercises the competences, communes that are examples, the bundled full profiles and
a user knowledge folder.
"""

from __future__ import annotations

import io
import re
import zipfile
from functools import cache
from pathlib import Path

import pytest
from conftest import PROFILES, ROOT
from support_french import grammalecte, html_text, unexplained

from fichegen.api import build_from
from fichegen.document.compose import compose
from fichegen.document.model import Document
from fichegen.inputs.profile import Profile, load_profile, profile_for_commune, profile_from_dict
from fichegen.options import RenderOptions
from fichegen.reference.lookup import load_reference
from fichegen.renderers.html import render_html

pytestmark = pytest.mark.slow

KNOWLEDGE = ROOT / "tests" / "resources" / "knowledge"
OPTIONS = RenderOptions(formats=("html",))


def _closest(threshold: int, above: bool) -> str:
    """The metropolitan commune whose population totale is nearest the threshold on one side."""
    reference = load_reference()
    best: tuple[int, str] | None = None
    for dep, _name in reference.departements():
        for commune in reference.communes_of(dep):
            pop = commune.population_totale
            if pop is None or commune.zone != "metro" or (pop > threshold) != above:
                continue
            gap = abs(pop - threshold)
            if best is None or gap < best[0]:
                best = (gap, commune.code_insee)
    assert best is not None
    return best[1]


def _in_cc() -> str:
    """A commune of a communauté de communes (for an EPCI transfer), from the data."""
    reference = load_reference()
    for commune in reference.communes_of("82"):
        if commune.epci_nom and commune.epci_nom.startswith("CC "):
            return commune.code_insee
    raise AssertionError("aucune commune de CC dans le 82")


def _user_folder(tmp: Path) -> Path:
    """The test user folder, as a user who types French typography would write it.

    A user's text is printed exactly as written (tests/document/test_free_text.py): the
    sample is typed the way a careful user would, so that only fichegen's text is judged.
    """
    folder = tmp / "connaissances"
    folder.mkdir(exist_ok=True)
    text = (KNOWLEDGE / "ajout.yaml").read_text(encoding="utf-8")
    text = re.sub(r"(?<=\w)'(?=\w)", "’", text).replace(" : ", "\u202f: ")
    (folder / "ajout.yaml").write_text(text, encoding="utf-8")
    return folder


CASES: dict[str, str] = {
    "sous 3 500": "threshold:3500:below",
    "au-dessus de 3 500": "threshold:3500:above",
    "sous 10 000": "threshold:10000:below",
    "au-dessus de 10 000": "threshold:10000:above",
    "Caylus, exemple de la fiche": "code:82038",
    "Anstaing, exemple de la fiche": "code:59013",
    "La Réunion": "code:97411",
    "Mayotte": "code:97608",
    "Saint-Pierre-et-Miquelon": "code:97502",
    "Polynésie française": "code:98735",
    "Le Havre": "code:76351",
    "transfert à l'EPCI": "transfer",
    "transfert avec population": "transfer-population",
    # The EPCI's members summed from Insee's populations file (a fixture), whole or not.
    "transfert, populations de l'Insee": "transfer-insee:",
    "transfert, populations incomplètes": "transfer-insee:73024",
    "profil Anstaing": "profile:anstaing.yaml",
    "profil Foix": "profile:foix.yaml",
    "profil Lille": "profile:lille.yaml",
    "profil complet": "resource:complet.yaml",
    "dossier de l'utilisateur": "knowledge",
    # Issue 19: each commune's own story, and each territory's own wording.
    "Nancy, exemple de la fiche": "code:54395",
    "Les Pavillons-sous-Bois, exemple et Grand Paris": "code:93057",
    "Mayotte, Mamoudzou": "code:97611",
    "Ouessant, hors intercommunalité": "code:29155",
    "Caylus, 0 place": "caylus-0",
    "Privas, exemple hors fiche proche": "code:07186",
    "Fouesnant, exemple hors fiche proche": "code:29058",
    "Vizille, exemple hors fiche proche": "code:38562",
    "Rosny-sous-Bois, exemple hors fiche proche": "code:93064",
    "Paris": "code:75056",
    "Marseille": "code:13055",
    "Villeurbanne": "code:69266",
    "chiffres extrêmes": "extreme",
}
# Issue 19: 0 children with 500 places and 250 requests, a 0,125 rate, a 250 000 m² local,
# nine associative crèches, and a population of 0 given by the profile.
EXTREME: dict[str, object] = {
    "commune": {"code_insee": "82038", "population_municipale": 0},
    "petite_enfance": {
        "enfants_moins_3_ans": 0,
        "places_eaje": 500,
        "demandes_en_attente": 250,
        "taux_couverture": 0.125,
    },
    "acteurs_ess": [
        {"nom": f"Crèche numéro {i}", "type": "creche_associative"} for i in range(1, 10)
    ],
    "patrimoine": {"locaux_disponibles": [{"description": "usine", "surface_m2": 250000.0}]},
}


def _profile(spec: str) -> tuple[Profile, bool]:
    kind, _, rest = spec.partition(":")
    if kind == "threshold":
        threshold, side = rest.split(":")
        return profile_for_commune(_closest(int(threshold), side == "above")), False
    if kind == "code":
        return profile_for_commune(rest), False
    if kind == "profile":
        return load_profile(PROFILES / rest), False
    if kind == "resource":
        return load_profile(ROOT / "tests" / "resources" / "profiles" / rest), False
    if kind == "knowledge":
        return load_profile(PROFILES / "anstaing.yaml"), True
    if kind == "caylus-0":  # its figures against the source's micro-crèche
        data0 = {"commune": {"code_insee": "82038"}, "petite_enfance": {"places_eaje": 0}}
        return profile_from_dict(data0), False
    if kind == "extreme":
        return profile_from_dict(EXTREME), False
    if kind == "transfer-insee":
        return _with_insee_file(rest), False
    data: dict[str, object] = {
        "commune": {"code_insee": _in_cc()},
        "petite_enfance": {"competence_transferee_epci": True},
    }
    if kind == "transfer-population":
        data["petite_enfance"] = {
            "competence_transferee_epci": True,
            "population_communes_transferees": 12000,
        }
    return profile_from_dict(data), False


def _with_insee_file(leave_out: str) -> Profile:
    """La Léchère, whose EPCI (CC des Vallées d'Aigueblanche) exercises the competences,
    with a populations file shaped like Insee's (fixture values) giving its members."""
    import tempfile

    from support_official import populations_rows, write_ensemble_zip

    from fichegen.inputs.official.apply import apply_official
    from fichegen.inputs.official.read import read_inputs

    reference = load_reference()
    epci = reference.epci("247300015")
    assert epci is not None
    extra = {
        code: (int(reference.get(code).population_municipale or 0), 40)
        for code in epci.membres
        if code != leave_out
    }
    with tempfile.TemporaryDirectory() as folder:
        path = write_ensemble_zip(Path(folder) / "ensemble.zip", populations_rows(extra))
        official = read_inputs([path]).official
    assert official is not None
    data = {
        "commune": {"code_insee": "73187"},
        "petite_enfance": {"competence_transferee_epci": True},
    }
    return apply_official(profile_from_dict(data), official)


@cache
def _document(name: str, tmp: Path) -> Document:
    profile, user = _profile(CASES[name])
    fiche = build_from(profile, _user_folder(tmp) if user else None)
    return compose(fiche, OPTIONS)


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Document]:
    tmp = tmp_path_factory.mktemp("francais")
    return {name: _document(name, tmp) for name in CASES}


def test_the_sample_covers_both_thresholds() -> None:
    reference = load_reference()
    for threshold in (3500, 10000):
        below = reference.get(_closest(threshold, above=False)).population_totale
        above = reference.get(_closest(threshold, above=True)).population_totale
        assert below is not None and above is not None
        assert below <= threshold < above


def test_grammalecte_finds_nothing_in_the_sample(documents: dict[str, Document]) -> None:
    texts = {name: html_text(render_html(doc)) for name, doc in documents.items()}
    findings = grammalecte(texts)
    left = unexplained(findings)
    assert not left, "\n".join(str(f) for f in left[:40]) + f"\n({len(left)} en tout)"


# Dotted paths of profile fields (petite_enfance.places_eaje_ess, fiche.auteur…) and the
# top-level keys that read as words only in English-like code (priorites, acteurs_ess).
_FIELD_PATH = re.compile(
    r"\b(commune|petite_enfance|patrimoine|gouvernance|fiche|acteurs_ess)\.[a-z_]+\b"
    r"|\b[a-z]+_[a-z_]+\b"
)


# The Cnaf's own dataset identifiers on data.caf.fr: what a reader types there to find the
# figure the fiche points to (publisher vocabulary, not the tool's).
_CAF_DATASETS = {
    "txcouv_pe_com",
    "txcouv_pe_epci",
    "txcouv_pe_nat",
    "nbpla_pe_com",
    "nbpla_pe_epci",
}


# The same identifiers hyphenated at a line end in a PDF (« tx‐couv_pe_com »).
_CAF_DATASETS |= {name[2:] for name in _CAF_DATASETS}


def _leaks(text: str) -> list[str]:
    found = [m.group(0) for m in _FIELD_PATH.finditer(text) if m.group(0) not in _CAF_DATASETS]
    found += [m.group(0) for m in re.finditer(r"\w*\((s|x|es|aux)\)", text)]
    found += [m.group(0) for m in re.finditer(r"votre profil|fichegen \d", text)]
    return found


def _docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = "".join(
            archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", name)
        )
    return re.sub(r"<[^>]+>", "", xml.replace("</w:p>", "\n"))


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def _without_annex_tool_line(text: str) -> str:
    # The tool and its version are named once, in the annex (« Fiche produite le … par
    # fichegen X.Y.Z »): that is where they belong.
    return re.sub(r"par\s+fichegen\s+\d[\d.]*", "", text)


@pytest.mark.parametrize("name", ["profil Lille", "transfert à l'EPCI", "dossier de l'utilisateur"])
def test_no_field_path_or_plural_marker_reaches_any_format(
    documents: dict[str, Document], name: str
) -> None:
    from support_render import PDF_ENGINES, engine_pdf

    from fichegen.renderers.docx import render_docx

    doc = documents[name]
    formats = {
        "html": "\n".join(html_text(render_html(doc))),
        "docx": _docx_text(render_docx(doc)),
        **{f"pdf {engine}": _pdf_text(engine_pdf(doc, engine)) for engine in PDF_ENGINES},
    }
    for fmt, text in formats.items():
        assert _leaks(_without_annex_tool_line(text)) == [], fmt


def test_every_sample_is_free_of_tool_vocabulary(documents: dict[str, Document]) -> None:
    for name, doc in documents.items():
        text = _without_annex_tool_line("\n".join(html_text(render_html(doc))))
        assert _leaks(text) == [], name


# Each class of fault the reviewer of issue 19 found, searched in every sample.
_FAULTS = {
    "n° sans espace insécable": re.compile(r"n°(?!\u00a0)\s*\d"),
    "« de un »": re.compile(r"\bde un\b"),
    "pluriel après 0 ou 1": re.compile(
        r"(?<![\d,\u202f])[01] (places|habitants|enfants|demandes|crèches)\b"
    ),
    "deux citations de suite": re.compile(r"\) \((CASF|CGCT)"),
    "pronom sans antécédent": re.compile(r"Il n.est pas repris"),
    "singulier devant une liste": re.compile(r"Une crèche de l.ESS existe déjà \([^)]*,"),
    "apostrophe droite dans un nom officiel": re.compile(r"Côte d'Azur|Val-d'Oise|Côtes-d'Armor"),
    "vocabulaire d’outil": re.compile(r"\bprofil\b|référentiel|\bpaquet\b|\bnpm\b|PyPI|indiquez"),
}


def test_the_french_faults_of_issue_19_are_gone(documents: dict[str, Document]) -> None:
    found = []
    for name, doc in documents.items():
        text = _without_annex_tool_line("\n".join(html_text(render_html(doc))))
        found += [(name, fault) for fault, pattern in _FAULTS.items() if pattern.search(text)]
    assert found == []


def test_the_extreme_figures_read_as_french(documents: dict[str, Document]) -> None:
    text = "\n".join(html_text(render_html(documents["chiffres extrêmes"])))
    assert "9\u00a0crèches de l’ESS existent déjà (Crèche numéro 1, Crèche numéro 2" in text
    assert "municipale 2023, 0\u00a0habitant." in text  # « Commune de 0 habitants » was printed
    assert "À vérifier" in text and "0,125" in text


def test_inline_parts_are_separated_when_copied_or_read_aloud(
    documents: dict[str, Document],
) -> None:
    for name in ("profil Lille", "Paris", "Saint-Pierre-et-Miquelon"):
        page = render_html(documents[name])
        # « Villeurbanneà 299 km »: the place and the distance are two words.
        assert not re.search(r'[^\s>]<span class="example-distance">', page), name
        (desc,) = re.findall(r"<desc>(.*?)</desc>", page)
        assert " ;" not in desc, name  # a narrow no-break space before « ; »
        commune = documents[name].commune_name
        assert desc.count(commune) == 1, (name, desc)


def test_a_commune_named_like_its_departement_is_not_repeated(
    documents: dict[str, Document],
) -> None:
    page = render_html(documents["Paris"])
    assert "Paris · Paris" not in "".join(html_text(page)).replace("\n", "")
    assert documents["Paris"].departement_label == "département 75"
