"""High-level operations behind each CLI command, usable from Python as well.

Each function takes plain arguments, calls the library (profile → selection →
document → renderers) and returns data; printing and exit codes are the CLI's job.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fichegen.errors import FichegenError, InputError, Issue, ProfileError, RenderError

if TYPE_CHECKING:
    from fichegen.inputs.donnees import Donnees
    from fichegen.inputs.official.types import OfficialData
    from fichegen.inputs.profile import Profile
    from fichegen.options import RenderOptions
    from fichegen.selection.fiche import Fiche

__all__ = [
    "build_from",
    "explain_fiche",
    "find_communes",
    "read_spreadsheet",
    "render_many",
    "validate_profiles",
    "write_starter",
    "write_template",
]


Notify = Callable[[str], None]


def _ignore(_message: str) -> None:
    return None


DonneesFiles = Path | Sequence[Path] | None
"""``--donnees``: one file or several (a user spreadsheet and official open-data files)."""


def _load_all(
    paths: Sequence[Path],
    codes: Sequence[str],
    notify: Notify = _ignore,
    donnees: DonneesFiles = None,
    *,
    strict: bool = False,
    sheet: Donnees | None = None,
    official: OfficialData | None = None,
) -> list[Profile]:
    """Load every profile, reporting the errors of all files at once.

    A commune code may be an arrondissement, a commune déléguée or an old code: it is
    resolved to the current commune, and ``notify`` is told so. With ``donnees`` (a
    spreadsheet of local figures), each commune's row completes its profile (the profile's
    values win); without profiles nor codes, every commune of the spreadsheet is taken.
    A bad cell in the row of a commune asked for is an input error; one in another row is
    only a warning, unless ``strict`` (``validate``) or every commune is taken. Official
    open-data files among ``donnees`` (or ``official``, already read) complete every
    profile under its own and the spreadsheet's figures.
    """
    from fichegen.inputs.profile import load_profile, profile_for_commune
    from fichegen.reference.lookup import load_reference

    if sheet is None and official is None and donnees:  # their readers load only then
        from fichegen.inputs.official.read import read_sheet_and_official

        sheet, official = read_sheet_and_official(donnees)
    if sheet is not None:
        if strict or (not paths and not codes):
            sheet.check()
        if not paths and not codes:
            if not sheet.rows:
                raise InputError("aucune commune dans le tableur", file=sheet.file)
            codes = list(sheet.rows)
    elif official and not paths and not codes:
        raise InputError(
            "indiquez la commune (--commune CODE_INSEE) ou un profil : les fichiers de données "
            "ouvertes couvrent toute la France"
        )
    profiles: list[Profile] = []
    issues: list[Issue] = []
    for path in paths:
        try:
            profiles.append(load_profile(path))
        except FichegenError as exc:
            issues.extend(exc.issues)
    for code in codes:
        try:
            resolution = load_reference().resolve(code.strip())
            if resolution.note and (sheet is None or code not in sheet.rows):
                notify(resolution.note)
            profiles.append(
                profile_for_commune(resolution.commune.code_insee, code.strip().upper())
            )
        except FichegenError as exc:
            issues.extend(exc.issues)
    if issues:
        raise ProfileError(issues=issues)
    seen: dict[str, str] = {}
    for loaded in profiles:
        code = loaded.commune.code_insee  # before ``source``, which names this very code
        source = loaded.source_name or f"--commune {code}"
        if code in seen:  # both fiches would be written to the same file names
            issues.append(
                Issue(
                    f"la commune {code} est demandée deux fois ({seen[code]} et {source}) ; "
                    "une seule fiche par commune et par appel",
                    file=loaded.source_name,
                )
            )
        seen.setdefault(code, source)
    if issues:
        raise InputError(issues=issues)
    if sheet is not None:
        profiles = _with_sheet(profiles, sheet, notify)
    if official:
        from fichegen.inputs.official.apply import apply_official

        profiles = [apply_official(profile, official) for profile in profiles]
    return profiles


def _with_sheet(profiles: list[Profile], sheet: Donnees, notify: Notify) -> list[Profile]:
    wanted = [profile.commune.code_insee for profile in profiles]
    for code in wanted:
        row = sheet.rows.get(code)
        if row is not None and row.note:
            notify(row.note)
    for warning in sheet.check_rows(wanted):
        notify(warning)
    empty = sheet.no_figure(wanted)
    if empty:
        notify(empty)
    from fichegen.inputs.overlay import apply_sheet

    return apply_sheet(profiles, sheet, notify)


def build_from(profile: Profile, knowledge_dir: Path | None = None) -> Fiche:
    """Select levers, examples and duties for one profile."""
    from fichegen.knowledge.base import load_knowledge
    from fichegen.selection.builder import build

    return build(profile, knowledge=load_knowledge(knowledge_dir))


def render_many(
    profile_paths: Sequence[Path],
    commune_codes: Sequence[str],
    options: RenderOptions,
    output_dir: Path,
    notify: Notify = _ignore,
    donnees: DonneesFiles = None,
) -> Iterator[Path]:
    """Render the fiche of each profile and commune code; yield each file written.

    Every input is validated before anything is written (invalid input: nothing is
    produced). A fiche that fails to render does not stop the others; the failures
    are raised together at the end as a :class:`RenderError`. ``donnees``: a spreadsheet
    of local figures (see :func:`_load_all`).
    """
    from fichegen.french.formatting import generation_date
    from fichegen.knowledge.base import load_knowledge
    from fichegen.renderers.output import produce_files
    from fichegen.selection.builder import build

    generation_date(options.date)  # a bad SOURCE_DATE_EPOCH is refused before anything
    profiles = _load_all(profile_paths, commune_codes, notify, donnees)
    knowledge = load_knowledge(options.knowledge_dir)
    _output_folder(output_dir)
    failures: list[Issue] = []
    for profile in profiles:
        try:
            fiche = build(profile, knowledge=knowledge)
            yield from produce_files(fiche, options, output_dir)
        except RenderError as exc:
            failures.extend(exc.issues)
    if failures:
        raise RenderError(issues=failures)


def _output_folder(output_dir: Path) -> None:
    """Create the output folder (not its parents: a mistyped path is not built)."""
    from fichegen.errors import OutputError, os_error_text

    if output_dir.exists() and not output_dir.is_dir():
        raise OutputError(
            "impossible d'écrire les fiches : un fichier porte déjà ce nom (il faut un dossier)",
            file=str(output_dir),
        )
    try:
        output_dir.mkdir(exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"impossible de créer le dossier de sortie : {os_error_text(exc)}"
            + (" (son dossier parent n'existe pas)" if not output_dir.parent.is_dir() else ""),
            file=str(output_dir),
        ) from exc


def validate_profiles(
    paths: Sequence[Path],
    donnees: DonneesFiles = None,
    notify: Notify = _ignore,
    summarize: Notify = _ignore,
    warn: Callable[[Issue], None] | None = None,
) -> list[tuple[str, str]]:
    """Check profiles (and a spreadsheet); return (source, « commune (code) ») for each
    commune, or raise every error. ``summarize`` is given one line on the spreadsheet
    (rows read, with figures, empty, errors, warnings); when there are errors, that line
    ends the error instead. ``warn`` receives each plausibility warning (located
    :class:`Issue` of severity « avertissement »): a warning does not make a profile invalid."""
    from fichegen.inputs.official.read import donnees_paths, read_sheet_and_official
    from fichegen.inputs.plausibility import plausibility_warnings
    from fichegen.reference.lookup import load_reference

    warnings = 0

    def counted(message: str) -> None:
        nonlocal warnings
        warnings += 1
        notify(message)

    sheet, official = read_sheet_and_official(donnees)
    if not paths and sheet is None:  # official files alone: say what each one is
        return [(file, what) for file, what in official.files]
    try:
        profiles = _load_all(paths, (), counted, strict=True, sheet=sheet, official=official)
    except ProfileError as exc:
        if sheet is None:
            raise
        summary = Issue(sheet.summary(warnings, len(exc.issues)))
        raise ProfileError(issues=[*exc.issues, summary]) from None
    reference = load_reference()
    result = []
    for profile in profiles:
        for warning in plausibility_warnings(profile):
            warnings += 1
            if warn is not None:
                warn(warning)
        commune = reference.get(profile.commune.code_insee)
        row = sheet.rows.get(commune.code_insee) if sheet is not None else None
        sources = sorted(
            {
                f"{o.file}, ligne {o.row}" if o.kind == "tableur" else str(o.file)
                for o in (profile.origin_of(p) for p in profile.provided_fields())
                if o.file
            }
            | ({f"{row.file}, ligne {row.row}"} if row is not None else set())
        )
        shown = " + ".join(sources) or " + ".join(map(str, donnees_paths(donnees)))
        result.append((shown, f"{commune.nom} ({commune.code_insee})"))
    if sheet is not None:
        summarize(sheet.summary(warnings))
    return result


def explain_fiche(
    profile_path: Path | None,
    commune_code: str | None,
    *,
    as_json: bool = False,
    knowledge_dir: Path | None = None,
    notify: Notify = _ignore,
    donnees: DonneesFiles = None,
) -> str:
    """What the selection retains for one commune and why, as French text or JSON.

    With ``donnees`` alone, the spreadsheet must hold exactly one commune."""
    from fichegen.selection.explain import explain_json, explain_text

    profiles = _load_all(
        [profile_path] if profile_path else [],
        [commune_code] if commune_code else [],
        notify,
        donnees,
    )
    if len(profiles) != 1:
        from fichegen.inputs.official.read import donnees_paths

        raise InputError(
            f"le tableur concerne {len(profiles)} communes : choisissez-en une avec "
            "--commune CODE_INSEE",
            file=" + ".join(map(str, donnees_paths(donnees))) or None,
        )
    fiche = build_from(profiles[0], knowledge_dir)
    return explain_json(fiche) if as_json else explain_text(fiche)


def find_communes(
    query: str | None, departement: str | None, limit: int | None = None
) -> list[dict[str, Any]]:
    """Communes matching a name or code (optionally in one département), as plain dicts;
    ``correspondance`` says why one not found by its own name is there.

    ``limit=None`` returns every match (best first), so that a caller can say how many it
    leaves out.
    """
    from fichegen.reference.lookup import load_reference

    reference = load_reference()
    note = None
    if query and reference.kind_of(query.strip().upper()) not in (None, "commune"):
        note = reference.resolve(query.strip().upper()).note  # old or attached code: say so
    if query:  # each with why it matched: « commune déléguée … », « nom proche »
        found = reference.search_explained(query, departement, limit or len(reference), close=True)
    elif departement:
        found = [(c, None) for c in reference.communes_of(departement)[:limit]]
    else:
        from fichegen.errors import InputError

        raise InputError("indiquez un nom, un code INSEE ou --departement")
    return [
        {
            "code_insee": c.code_insee,
            "nom": c.nom,
            "departement": c.departement,
            "departement_nom": c.departement_nom,
            "population_municipale": c.population_municipale,
            "population_totale": c.population_totale,
            "epci": c.epci_nom,
            **({"note": note} if note else {}),
            **({"correspondance": why} if why else {}),
        }
        for c, why in found
    ]


def _refuse_existing(path: Path, force: bool) -> None:
    if path.exists() and not force:
        raise InputError(
            "le fichier existe déjà ; ajoutez --force pour le remplacer", file=str(path)
        )


def write_starter(code: str, output: Path | None = None, *, force: bool = False) -> Path:
    """``fichegen init``: write the commented starter profile of a commune; return its path.

    An unknown code is refused with the usual suggestion; an existing file is kept unless
    ``force``."""
    from fichegen.inputs.starter import starter_profile
    from fichegen.options import slugify
    from fichegen.reference.lookup import load_reference
    from fichegen.renderers.output import write_atomic

    commune = load_reference().get(code.strip().upper())
    path = output or Path(f"profil_{commune.code_insee}_{slugify(commune.nom)}.yaml")
    _refuse_existing(path, force)
    write_atomic(path, starter_profile(commune.code_insee).encode("utf-8"))
    return path


def write_template(
    departement: str | None,
    output: Path | None = None,
    *,
    force: bool = False,
    communes: Sequence[str] = (),
    epci: str | None = None,
) -> Path:
    """``fichegen modele``: write the spreadsheet template of a département, of some
    communes or of the communes of an EPCI (.xlsx or .csv, by the output's extension);
    return its path."""
    from fichegen.inputs.modele import template_csv, template_rows, template_xlsx
    from fichegen.options import slugify
    from fichegen.renderers.output import write_atomic

    rows, covered = template_rows(departement, communes, epci)
    name = covered if departement else (epci or "communes")
    scope = f"département {covered}" if departement else covered
    path = output or Path(f"donnees_{slugify(name)}.xlsx")
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise InputError("extension .xlsx ou .csv attendue pour le modèle", file=str(path))
    _refuse_existing(path, force)
    batch = covered if departement else None
    data = template_csv(rows) if suffix == ".csv" else template_xlsx(rows, scope, batch)
    write_atomic(path, data)
    return path


def read_spreadsheet(path: Path, *, profiles: Sequence[Profile] = ()) -> list[Profile]:
    """Read a spreadsheet of local figures into one validated profile per commune
    (see :func:`fichegen.inputs.overlay.profiles_from_spreadsheet`)."""
    from fichegen.inputs.overlay import profiles_from_spreadsheet

    return profiles_from_spreadsheet(path, profiles=profiles)
