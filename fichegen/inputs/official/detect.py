"""Which official dataset a header row belongs to, whatever its column order or label style.

The Cnaf's exports come with field names (``txcouv_com``) or, when the portal is asked for
labels, with French labels; only a few labels are confirmed (« Numéro commune », « Places
offertes - Ensemble », « Date référence »), so labels are matched by their words, accents,
case and punctuation folded. Insee's files are matched by their column names (``PMUN``,
``PTOT``, ``CODGEO``, ``P21_POP0002``…).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from fichegen.errors import InputError
from fichegen.inputs.sheet_read import Cell, column_letter

__all__ = ["CAF_LEVELS", "Detected", "detect", "fold"]

CAF_LEVELS = {"com": "commune", "epci": "epci", "dep": "dep", "reg": "reg", "nat": "national"}
_CAF_FIELD = re.compile(r"^(txcouv|tauxcouv|pl|tot offre)(?: (.*?))? (com|epci|dep|reg|nat)$")
_MODES = {
    "psu col": "psu_col",
    "psu": "psu_col",
    "hors psu col": "hors_psu_col",
    "hors psu": "hors_psu_col",
    "eaje": "eaje",
    "prescol": "prescol",
    "am ind": "am_ind",
    "gad ind": "gad_ind",
    "ind": "ind",
}
_CODE_FIELDS = {
    "numcom": "numcom",
    "nomcom": "nomcom",
    "numepci": "numepci",
    "nomepci": "nomepci",
    "numdep": "numdep",
    "nomdep": "nomdep",
    "numregi": "numregi",
    "nomregi": "nomregi",
    "annee": "annee",
    "national": "national",
}
_POP_YEAR = re.compile(r"^(pmun|pcap|ptot)(?: ?(.+))?$")
_CENSUS = re.compile(r"^p(\w*?) pop0002$")


def fold(text: Cell) -> str:
    """Lower case, accents and punctuation folded to single spaces (« Numéro  commune » →
    ``numero commune``; ``txcouv_com`` → ``txcouv com``)."""
    raw = "" if text is None else str(text)
    plain = unicodedata.normalize("NFKD", raw.replace("’", "'"))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain).split())


@dataclass
class Detected:
    """A recognised header: its family, level and the column of each canonical field."""

    family: str  # "txcouv", "nbpla", "populations", "census"
    level: str = ""  # "commune", "epci", "national" for the Cnaf's files
    columns: dict[str, int] = field(default_factory=dict)
    labels: bool = False  # the header holds the portal's French labels
    year: int | None = None  # read from the header (Insee)


def _mode_of_label(text: str) -> str | None:
    """The mode a French label names, or "" for the whole (global rate, every place)."""
    words = f" {text} "
    if "hors psu" in text:
        return "hors_psu_col"
    if " psu " in words:
        return "psu_col"
    if "eaje" in text or "etablissement" in text:
        return "eaje"
    if "prescol" in text or "ecole" in text or "preelementaire" in text:
        return "prescol"
    if "domicile" in text:
        return "gad_ind"
    if "assistant" in text:
        return "am_ind"
    if "individuel" in text:
        return "ind"
    if any(w in words for w in (" ensemble ", " global ", " globale ", " total ", " totale ")):
        return ""
    return None


def _label_field(text: str) -> str | None:
    """The canonical Cnaf field a French label names (the level is added by the caller)."""
    if text in ("annee", "date reference", "date de reference", "annee de reference"):
        return "annee"
    if text.startswith(("numero ", "code ", "num ")):
        for word, name in (("commune", "numcom"), ("epci", "numepci"), ("departement", "numdep")):
            if word in text:
                return name
        if "region" in text:
            return "numregi"
    if text.startswith(("nom ", "libelle ")):
        for word, name in (("commune", "nomcom"), ("epci", "nomepci"), ("departement", "nomdep")):
            if word in text:
                return name
        if "region" in text:
            return "nomregi"
    if "taux de couverture" in text or text.startswith("taux couverture"):
        mode = _mode_of_label(text.replace("taux de couverture", ""))
        if mode is None:
            mode = ""
        return "txcouv" + (f"_{mode}" if mode else "")
    if text.startswith(("places", "nombre de places", "offre")):
        mode = _mode_of_label(text)
        if mode == "":
            return "tot_offre"
        if mode is not None:
            return f"pl_{mode}"
    if text in ("national", "france", "territoire"):
        return "national"
    return None


def _caf(header: list[Cell]) -> Detected | None:
    found: dict[str, int] = {}
    levels: set[str] = set()
    labels = False
    for index, cell in enumerate(header):
        text = fold(cell)
        name: str | None = None
        match = _CAF_FIELD.match(text)
        if text in _CODE_FIELDS:
            name = _CODE_FIELDS[text]
        elif match:
            stem, mode, level = match.groups()
            stem = (
                {"tauxcouv": "txcouv", "tot offre": "tot_offre"}[stem]
                if stem
                in (
                    "tauxcouv",
                    "tot offre",
                )
                else stem
            )
            levels.add(CAF_LEVELS[level])
            mode_name = _MODES.get(mode or "") if mode else ""
            if mode_name is None:
                continue
            name = stem + (f"_{mode_name}" if mode_name else "")
        else:
            name = _label_field(text)
            labels = labels or name is not None
        if name is not None and name not in found:
            found[name] = index
    rates = any(name.startswith("txcouv") for name in found)
    places = any(name.startswith(("pl_", "tot_offre")) for name in found)
    keys = {"numcom", "numepci", "numdep", "numregi", "national", "annee"}
    if (not rates and not places) or not keys & set(found):
        return None
    if "numcom" in found:
        level = "commune"
    elif "numepci" in found:
        level = "epci"
    elif "numdep" in found or "numregi" in found:
        level = "dep" if "numdep" in found else "reg"
    elif len(levels) == 1:
        level = next(iter(levels))
    else:
        level = "national"
    return Detected("txcouv" if rates else "nbpla", level, found, labels)


def _year_format_error(name: str, cell: Cell, index: int, expected: str) -> InputError:
    """A header whose year suffix fichegen cannot read (« attendu … » names the accepted forms)."""
    shown = str(cell)[:40]
    return InputError(
        f"format d’année inconnu dans l’en-tête « {shown} » : attendu {expected}",
        file=name,
        line=1,
        column=column_letter(index),
        field=shown,
    )


def _insee(header: list[Cell], name: str) -> Detected | None:
    folded = [fold(cell) for cell in header]
    index = {text: i for i, text in reversed(list(enumerate(folded)))}
    pops: dict[str, int] = {}
    year: int | None = None
    for i, text in enumerate(folded):
        match = _POP_YEAR.match(text)
        if not match:
            continue
        stem, rest = match.groups()
        if rest:
            digits = rest.replace(" ", "")
            if not (digits.isdigit() and len(digits) in (2, 4)):
                raise _year_format_error(name, header[i], i, "PTOT, PTOT2023 ou PTOT_23")
            found_year = int(digits) + (2000 if len(digits) == 2 else 0)
            year = year or found_year
        pops[stem] = i
    if "pmun" in pops and "ptot" in pops:
        columns = dict(pops)
        if "codgeo" in index:
            columns["code"] = index["codgeo"]
        elif "coddep" in index and "codcom" in index:
            columns["coddep"], columns["codcom"] = index["coddep"], index["codcom"]
        elif "com" in index:
            columns["com"] = index["com"]
            if "dep" in index and "codcom" in index:
                columns["coddep"], columns["codcom"] = index["dep"], index["codcom"]
        return Detected("populations", columns=columns, year=year)
    for i, text in enumerate(folded):
        match = _CENSUS.match(text)
        if match:
            digits = match.group(1)
            if not (digits.isdigit() and len(digits) == 2):
                raise _year_format_error(name, header[i], i, "P21_POP0002 ou P22_POP0002")
            columns = {"children": i}
            if "codgeo" in index:
                columns["code"] = index["codgeo"]
            return Detected("census", columns=columns, year=2000 + int(digits))
    return None


def detect(header: list[Cell], name: str) -> Detected | None:
    """The official dataset of this header, or None (a user spreadsheet, or unknown)."""
    if any(fold(cell) == "code insee" for cell in header):
        return None  # a spreadsheet of local figures (its columns may name places too)
    return _insee(header, name) or _caf(header)
