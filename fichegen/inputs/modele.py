"""``fichegen modele``: the spreadsheet a federation fills in, one row per current commune.

The first columns come from the reference and are read-only (code, name, populations, EPCI:
grey, locked in XLSX and ignored on reading); then one column per figure of
:func:`fichegen.inputs.columns.columns`, headed by its French label. The XLSX (openpyxl)
adds cell validation (whole numbers within the schema's bounds, oui/non lists), a frozen
header, column widths, the field path as a header comment and a « Lisez-moi » sheet that
explains each column. The CSV is UTF-8 with BOM and semicolons, as French Excel opens it.
Both are returned as bytes; writing the file is the caller's job.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from fichegen.errors import InputError, shorten
from fichegen.inputs.columns import REFERENCE_COLUMNS, Column, columns
from fichegen.reference.types import Commune

__all__ = ["template_csv", "template_rows", "template_xlsx"]

_GREY = "E7E6E6"
_HEADER = "1F4E79"


def _reference_cells(commune: Commune) -> list[str | int | None]:
    return [
        commune.code_insee,
        commune.nom,
        commune.population_municipale,
        commune.population_totale,
        commune.epci_nom,
    ]


def template_rows(
    departement: str | None, communes: Sequence[str], epci: str | None
) -> tuple[list[Commune], str]:
    """The rows of a template (a département, some communes or an EPCI's communes) and
    what they cover (« 90 », « CA Grand Belfort », « Belfort, Andelnans »)."""
    from fichegen.reference.lookup import load_reference

    reference = load_reference()
    if sum(bool(x) for x in (departement, communes, epci)) != 1:
        raise InputError(
            "indiquez soit un département, soit --commune CODE_INSEE, soit --epci SIREN"
        )
    if departement:
        dep = departement.strip().upper()
        dep = dep.zfill(2) if dep.isdigit() and len(dep) == 1 else dep
        return reference.communes_of(dep), dep
    if epci:
        found = reference.epci(epci.strip())
        if found is None:
            raise InputError(
                f"EPCI inconnu : « {shorten(epci.strip())} » (numéro SIREN à 9 chiffres attendu)",
                field="--epci",
            )
        members = sorted(found.membres)
        return [reference.get(code) for code in members], found.nom
    chosen: dict[str, Commune] = {}
    for code in communes:
        commune = reference.resolve(code.strip().upper()).commune
        chosen[commune.code_insee] = commune
    return list(chosen.values()), ", ".join(c.nom for c in chosen.values())


def template_csv(communes: Sequence[Commune]) -> bytes:
    """The template as CSV: UTF-8 with BOM, semicolons (French Excel), CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    figures = columns()
    writer.writerow(["code_insee", *REFERENCE_COLUMNS, *(c.label for c in figures)])
    for commune in communes:
        cells = _reference_cells(commune)
        writer.writerow(["" if c is None else c for c in cells] + [""] * len(figures))
    return buffer.getvalue().encode("utf-8-sig")


def _validation(column: Column, cells: str) -> object:
    from openpyxl.worksheet.datavalidation import DataValidation

    if column.kind == "booleen":
        rule = DataValidation(type="list", formula1='"oui,non"', allow_blank=True)
    elif column.kind == "texte":
        rule = DataValidation(type="textLength", operator="lessThanOrEqual", formula1="200")
    else:
        kind = "whole" if column.kind == "entier" else "decimal"
        low = column.minimum if column.minimum is not None else 0
        if column.maximum is not None:
            rule = DataValidation(
                type=kind, operator="between", formula1=str(low), formula2=str(column.maximum)
            )
        else:
            rule = DataValidation(type=kind, operator="greaterThanOrEqual", formula1=str(low))
    rule.allow_blank = True
    rule.showErrorMessage = True
    rule.errorTitle = "Valeur refusée"
    rule.error = f"{column.label} : {column.expected} (laissez vide si inconnu)."
    rule.showInputMessage = True
    rule.promptTitle = column.label[:32]
    rule.prompt = f"{column.expected.capitalize()}. Vide = inconnu."[:255]
    rule.add(cells)
    return rule


def template_xlsx(communes: Sequence[Commune], scope: str, departement: str | None = None) -> bytes:
    """The template as an XLSX workbook: « Communes » to fill in, « Lisez-moi » to read.

    ``scope`` says what the rows cover (« département 90 », « CA Grand Belfort »);
    ``departement``, when the rows are a whole département, is named in the batch command.
    """
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Communes"
    figures = columns()
    headers = ["code_insee", *REFERENCE_COLUMNS, *(c.label for c in figures)]
    sheet.append(headers)
    for commune in communes:
        sheet.append([*_reference_cells(commune), *([None] * len(figures))])
    last = len(communes) + 1
    fixed = 1 + len(REFERENCE_COLUMNS)
    grey = PatternFill("solid", fgColor=_GREY)
    for index, header in enumerate(headers, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=_HEADER)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[letter].width = max(12, min(34, len(header) * 0.9 + 2))
        if index > fixed:
            column = figures[index - fixed - 1]
            cell.comment = Comment(f"{column.path}\n{column.description}", "fichegen")
            sheet.add_data_validation(_validation(column, f"{letter}2:{letter}{max(last, 2)}"))
            for row in range(2, last + 1):
                sheet.cell(row=row, column=index).protection = Protection(locked=False)
        else:
            cell.comment = Comment("Colonne du référentiel : ne pas modifier.", "fichegen")
            for row in range(2, last + 1):
                sheet.cell(row=row, column=index).fill = grey
    sheet.column_dimensions["B"].width = 28
    sheet.row_dimensions[1].height = 48
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(last, 1)}"
    sheet.protection.sheet = True
    sheet.protection.autoFilter = False
    sheet.protection.sort = False
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    _readme(workbook.create_sheet("Lisez-moi"), scope, departement, fixed)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _readme(sheet: object, scope: str, departement: str | None, fixed: int) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    assert isinstance(sheet, Worksheet)
    command = (
        f"fichegen batch {departement} --donnees CE_FICHIER.xlsx -o fiches/"
        if departement
        else "fichegen render --donnees CE_FICHIER.xlsx -o fiches/"
    )
    intro = [
        f"Chiffres locaux pour la fiche n°\u00a015 (fichegen) : {scope}",
        "Remplissez la feuille « Communes » : une ligne par commune, une cellule par chiffre. "
        "Une cellule vide veut dire « inconnu » : la fiche l’indiquera « à compléter ».",
        "Les colonnes grises viennent du référentiel embarqué et ne sont pas lues. Ne changez "
        "ni les en-têtes ni les codes INSEE.",
        "Le taux de couverture s’écrit en pour cent sans le signe (12,5) : tapé « 12,5 % », "
        "il serait enregistré 0,125.",
        f"Produire les fiches : {command} (voir docs/donnees.md).",
        "Si un profil YAML donne aussi une valeur, c’est elle qui est retenue ; l’annexe de la "
        "fiche dit d’où vient chaque chiffre (fichier et ligne du tableur).",
    ]
    for line in intro:
        sheet.append([line])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    table_head = ["Colonne", "En-tête", "Champ", "Valeur attendue", "Signification", "Où trouver"]
    sheet.append(table_head)
    head_row = sheet.max_row
    for cell in sheet[head_row]:
        cell.font = Font(bold=True)
    sheet.append(
        [
            "A",
            "code_insee",
            "commune.code_insee",
            "code INSEE (5 caractères)",
            "La commune de la ligne.",
            "Rempli par fichegen.",
        ]
    )
    for index, name in enumerate(REFERENCE_COLUMNS, start=2):
        sheet.append(
            [
                get_column_letter(index),
                name,
                "—",
                "—",
                "Donnée du référentiel, pour se repérer (non lue).",
                "Référentiel.",
            ]
        )
    for offset, column in enumerate(columns()):
        sheet.append(
            [
                get_column_letter(fixed + 1 + offset),
                column.label,
                column.path,
                column.expected,
                column.description,
                column.where,
            ]
        )
    for letter, width in zip("ABCDEF", (9, 34, 38, 24, 60, 60), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=head_row + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
