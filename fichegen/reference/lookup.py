"""The embedded commune reference: lookups by code, old code, name and département; EPCI.

Reads the compact files that ``scripts/build_reference.py`` writes under ``data/``
(described in ``data/README.md``). Rows stay as text until asked for (found in the text by
:mod:`~fichegen.reference.rows`), and :class:`~fichegen.reference_types.Commune` objects
are built on demand, so that loading is fast and light; the département outlines are read
only when a map asks for them.
"""

from __future__ import annotations

import difflib
import json
import re
from functools import cache
from pathlib import Path
from typing import cast

from fichegen.errors import UnknownCommuneError, shorten
from fichegen.reference.caf_rates import CafCopySource, CafRatesTable, EmbeddedCafRate
from fichegen.reference.figures import FiguresTable, PublicFigures
from fichegen.reference.rows import (
    epci_members,
    find_line,
    normalize_name,
    opt_float,
    opt_int,
    read_text,
    read_tsv,
)
from fichegen.reference.types import Commune, Epci, Resolution, Zone
from fichegen.resources import data_dir

__all__ = ["Reference", "load_reference", "normalize_name"]

_CODE_RE = re.compile(r"^(?:\d{5}|2[AB]\d{3})$")
_KIND_NOTES = {
    "arrondissement": "{code} est le code d'un arrondissement municipal ({nom}) : "
    "la fiche porte sur la commune de {commune} ({commune_code}).",
    "deleguee": "{code} est le code de la commune déléguée {nom}, rattachée à la commune "
    "nouvelle {commune} ({commune_code}).",
    "associee": "{code} est le code de la commune associée {nom}, rattachée à la commune "
    "de {commune} ({commune_code}).",
    "ancien_code": "{code} est un ancien code INSEE : la commune actuelle est "
    "{commune} ({commune_code}).",
}
_KIND_NAMES = {
    "arrondissement": "arrondissement",
    "deleguee": "commune déléguée",
    "associee": "commune associée",
}


class Reference:
    """Every current commune of the COG, with its figures, and the codes that lead to it."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        meta = json.loads((folder / "reference_meta.json").read_text(encoding="utf-8"))
        self.cog_year: int = int(meta["cog_year"])
        self.population_vintage: str = str(meta["population_vintage"])
        self.population_totale_vintage: str = str(meta["population_totale_vintage"])
        self.sources: tuple[str, ...] = tuple(meta["sources"])
        self._figures = FiguresTable(folder, meta)
        self._caf = CafRatesTable(folder, meta)
        # Lines are looked up in the text until all are wanted (a fiche needs a dozen).
        self._text = "\n" + read_text(folder / "communes.tsv.gz")
        self._line_index: dict[str, str] | None = None
        self._communes: dict[str, Commune] = {}
        self._departements: dict[str, tuple[str, str, str]] = {}
        for line in read_tsv(folder / "departements.tsv"):
            code, nom, region, zone = line.split("\t")
            self._departements[code] = (nom, region, zone)
        self._regions: dict[str, str] = {}
        for line in read_tsv(folder / "regions.tsv"):
            code, nom, _zone = line.split("\t")
            self._regions[code] = nom
        self._codes: dict[str, tuple[str, str, str]] | None = None
        self._epci_rows: dict[str, str] | None = None
        self._epcis: dict[str, Epci] = {}
        self._by_departement: dict[str, list[str]] | None = None
        self._names: list[tuple[str, str]] | None = None
        self._attached: list[str | None] = []  # per name: why it leads to its commune
        self._outlines: dict[str, tuple[tuple[tuple[float, float], ...], ...]] | None = None

    # --- communes --------------------------------------------------------------------------

    @property
    def _lines(self) -> dict[str, str]:  # every commune's line by code
        if self._line_index is None:
            self._line_index = {line[:5]: line for line in self._text.splitlines()[2:]}
        return self._line_index

    def _line(self, key: str) -> str | None:
        """The line of a current commune's code, or None."""
        if self._line_index is not None:
            return self._line_index.get(key)
        return find_line(self._text, key) if _CODE_RE.match(key) else None

    def __len__(self) -> int:
        return len(self._lines)

    def get(self, code: str) -> Commune:
        """The current commune of this INSEE code, else :class:`UnknownCommuneError`."""
        key = code.strip().upper()
        commune = self._communes.get(key)
        if commune is not None:
            return commune
        line = self._line(key)
        if line is None:
            kind = self.kind_of(key)
            if kind is not None:
                target = self.resolve(key)
                raise UnknownCommuneError(
                    f"« {shorten(code)} » n'est pas le code d'une commune actuelle. {target.note}"
                )
            raise self._unknown(code)
        commune = self._build(line)
        self._communes[key] = commune
        return commune

    def _build(self, line: str) -> Commune:
        f = line.split("\t")
        departement, region, epci_code = f[2], f[3], f[5] or None
        return Commune(
            code_insee=f[0],
            nom=f[1],
            departement=departement,
            departement_nom=self.departement_name(departement),
            region=region,
            region_nom=self.region_name(region),
            zone=cast(Zone, f[4]),
            epci_code=epci_code,
            epci_nom=self._epci_fields(epci_code)[1] if epci_code else None,
            population_municipale=opt_int(f[6]),
            population_totale=opt_int(f[7]),
            latitude=opt_float(f[9]),
            longitude=opt_float(f[10]),
            superficie_km2=opt_float(f[11]),
        )

    def population_municipale_dgcl(self, code: str) -> int | None:
        """Population municipale of the same vintage as ``population_totale`` (DGCL file)."""
        return opt_int(str(self._line(self.get(code).code_insee)).split("\t")[8])

    def figures(self, code: str) -> PublicFigures | None:
        """Insee's public figures of a current commune (see :mod:`.figures`), or None."""
        return self._figures.get(self.resolve(code).commune.code_insee)

    def caf_rate(self, code: str) -> EmbeddedCafRate | None:
        """The Cnaf's embedded coverage rate of a current commune, else of its EPCI (see
        :mod:`.caf_rates`), or None."""
        commune = self.resolve(code).commune
        return self._caf.get(commune.code_insee, commune.epci_code)

    def caf_source(self) -> CafCopySource | None:
        """Where the embedded rates come from, with France's rate of the same year."""
        return self._caf.source

    def kind_of(self, code: str) -> str | None:
        """``commune``, ``arrondissement``, ``deleguee``, ``associee``, ``ancien_code`` or None."""
        key = code.strip().upper()
        if self._line(key) is not None:
            return "commune"
        found = self._code_rows().get(key)
        return found[0] if found else None

    def arrondissement_name(self, code: str) -> str | None:
        """The reference name of a municipal arrondissement's code (« Paris 12e
        Arrondissement »), or None when the code is not an arrondissement's."""
        found = self._code_rows().get(code.strip().upper())
        return found[2] if found and found[0] == "arrondissement" else None

    def resolve(self, code: str) -> Resolution:
        """The current commune a code leads to, with a French note when it is another code."""
        key = code.strip().upper()
        if self._line(key) is not None:
            return Resolution(self.get(key), code)
        found = self._code_rows().get(key)
        if found is None:
            raise self._unknown(code)
        kind, target, nom = found
        commune = self.get(target)
        note = _KIND_NOTES[kind].format(
            code=key, nom=nom, commune=commune.nom, commune_code=commune.code_insee
        )
        return Resolution(commune, code, note)

    def _code_rows(self) -> dict[str, tuple[str, str, str]]:
        if self._codes is None:
            self._codes = {}
            for line in read_tsv(self._folder / "codes_rattaches.tsv.gz"):
                code, kind, target, nom = line.split("\t")
                self._codes[code] = (kind, target, nom)
        return self._codes

    def _unknown(self, code: str) -> UnknownCommuneError:
        text = code.strip()
        if not _CODE_RE.match(text.upper()):
            matches = self.search(text, limit=5) if text else []
            if not matches and normalize_name(text):
                matches = self._close_names(normalize_name(text))
            hint = ""
            if matches:
                hint = (
                    " Communes au nom proche : "
                    + ", ".join(f"{c.nom} ({c.code_insee}, {c.departement_nom})" for c in matches)
                    + "."
                )
            return UnknownCommuneError(
                f"« {shorten(code)} » n'est pas un code INSEE (5 caractères, par exemple 59013 ou "
                f"2A004).{hint}"
            )
        key = text.upper()
        pool = [c for c in self._lines if c[:2] == key[:2]] or list(self._lines)
        near = difflib.get_close_matches(key, pool, n=3, cutoff=0.6)
        hint = ""
        if near:
            hint = " Codes proches : " + ", ".join(f"{c} ({self.get(c).nom})" for c in near) + "."
        return UnknownCommuneError(
            f"Le code INSEE « {shorten(code)} » ne correspond à aucune commune du COG "
            f"{self.cog_year}, ni à un ancien code connu.{hint}"
        )

    # --- search ----------------------------------------------------------------------------

    def search(self, query: str, departement: str | None = None, limit: int = 50) -> list[Commune]:
        """Communes whose name matches: exact first, then prefix, then substring.

        Case, accents, hyphens and apostrophes are ignored; ``st``/``ste`` match
        ``saint``/``sainte``. A code query returns the commune it leads to.
        """
        return [commune for commune, _ in self.search_explained(query, departement, limit)]

    def search_explained(
        self, query: str, departement: str | None = None, limit: int = 50, *, close: bool = False
    ) -> list[tuple[Commune, str | None]]:
        """:meth:`search`, each commune with why it matched when it is not by its own name
        (« commune déléguée Saint-Denis-Maisoncelles », « orthographe proche »). A commune found by
        its own name comes before one found by an attached name of the same rank. With
        ``close``, a query that matches no name gives the communes of a close spelling."""
        text = query.strip()
        if _CODE_RE.match(text.upper()):
            try:
                found = [self.resolve(text).commune]
            except UnknownCommuneError:
                found = []
            return [(c, None) for c in found if departement is None or c.departement == departement]
        wanted = normalize_name(text)
        if not wanted:
            return []
        if departement is not None:
            self._check_departement(departement)
        best: dict[str, tuple[int, int, str | None]] = {}  # a commune counts once
        for index, (code, name) in enumerate(self._name_index()):
            if wanted not in name:
                continue
            if departement is not None and self._lines[code].split("\t", 3)[2] != departement:
                continue
            why = self._attached[index]
            rank = (0 if name == wanted else 1 if name.startswith(wanted) else 2, why is not None)
            if code not in best or rank < best[code][:2]:
                best[code] = (*rank, why)
        communes = [(rank, self.get(code)) for code, rank in best.items()]
        communes.sort(
            key=lambda rc: (rc[0][:2], -(rc[1].population_municipale or 0), rc[1].code_insee)
        )
        found_by = [(commune, rank[2]) for rank, commune in communes[:limit]]
        if close and not found_by:
            near = self._close_names(wanted)
            found_by = [
                (c, "orthographe proche") for c in near if departement in (None, c.departement)
            ]
        return found_by[:limit]

    def _close_names(self, wanted: str) -> list[Commune]:
        names = {
            name: code for code, name in self._name_index() if abs(len(name) - len(wanted)) < 3
        }
        close = difflib.get_close_matches(wanted, list(names), n=5, cutoff=0.75)
        return [self.get(names[name]) for name in close]

    def _name_index(self) -> list[tuple[str, str]]:
        """(current code, normalised name): own names, then names of communes déléguées,
        associées and municipal arrondissements, which lead to their commune (why, in
        ``_attached``: « commune déléguée Saint-Denis-Maisoncelles »)."""
        if self._names is None:
            self._names = [
                (code, normalize_name(line.split("\t", 2)[1])) for code, line in self._lines.items()
            ]
            self._attached = [None] * len(self._names)
            for kind, target, nom in self._code_rows().values():
                if nom and kind != "ancien_code" and target in self._lines:
                    self._names.append((target, normalize_name(nom)))
                    self._attached.append(f"{_KIND_NAMES[kind]} {nom}")
        return self._names

    # --- départements, régions -------------------------------------------------------------

    def _check_departement(self, code: str) -> None:
        if code not in self._departements:
            known = ", ".join(sorted(self._departements))
            raise UnknownCommuneError(
                f"Département inconnu : « {shorten(code)} ». Codes possibles : {known}."
            )

    def communes_of(self, departement: str) -> list[Commune]:
        """Every current commune of a département (or COM), sorted by code."""
        self._check_departement(departement)
        if self._by_departement is None:
            index: dict[str, list[str]] = {}
            for code, line in self._lines.items():
                index.setdefault(line.split("\t", 3)[2], []).append(code)
            self._by_departement = index
        return [self.get(code) for code in sorted(self._by_departement.get(departement, []))]

    def departement_name(self, code: str) -> str:
        """Name of a département or COM; :class:`UnknownCommuneError` if unknown."""
        self._check_departement(code)
        return self._departements[code][0]

    def region_name(self, code: str) -> str:
        """Name of a région (or COM); :class:`UnknownCommuneError` if unknown."""
        if code not in self._regions:
            raise UnknownCommuneError(f"Région inconnue : « {shorten(code)} ».")
        return self._regions[code]

    def departements(self) -> list[tuple[str, str]]:
        """(code, name) of every département and COM, sorted by code."""
        return [(code, self._departements[code][0]) for code in sorted(self._departements)]

    def region_departements(self, region: str) -> list[str]:
        """Codes of the départements of a région, sorted."""
        self.region_name(region)
        return sorted(code for code, (_, reg, _) in self._departements.items() if reg == region)

    # --- EPCI ------------------------------------------------------------------------------

    def _epci_fields(self, code: str) -> list[str | None]:
        """SIREN, name, kind and populations of an EPCI (all None if unknown): no members."""
        if self._epci_rows is None:
            rows = read_tsv(self._folder / "epci.tsv")
            self._epci_rows = {line.split("\t", 1)[0]: line for line in rows}
        line = self._epci_rows.get(code)
        return list(line.split("\t")) if line is not None else [None] * 5

    def epci(self, code: str) -> Epci | None:
        """The EPCI à fiscalité propre of this SIREN code, or None (built on first use)."""
        if code not in self._epcis:
            siren, nom, kind, mun, tot = self._epci_fields(code)
            if siren is None or nom is None or kind is None or mun is None or tot is None:
                return None
            members = epci_members(self._text, siren)
            self._epcis[code] = Epci(siren, nom, kind, int(mun), int(tot), members)
        return self._epcis[code]

    def epci_of(self, commune_code: str) -> Epci | None:
        """The EPCI of a current commune, or None (a few islands and the COM have none)."""
        commune = self.get(commune_code)
        return self.epci(commune.epci_code) if commune.epci_code else None

    # --- outlines --------------------------------------------------------------------------

    def outlines(self, departement: str) -> tuple[tuple[tuple[float, float], ...], ...]:
        """Rings (lon, lat) of the simplified outline of a département; empty for the COM."""
        self._check_departement(departement)
        if self._outlines is None:
            from fichegen.reference.outlines import load_outlines

            self._outlines = load_outlines(self._folder / "outlines.json.gz")
        return self._outlines.get(departement, ())


@cache
def load_reference() -> Reference:
    """The embedded reference, loaded once per process."""
    return Reference(data_dir())
