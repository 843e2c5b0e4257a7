"""Hostile workbooks, built here, each get a located French message within bounds (issue 20).

calamine builds a sheet's whole rectangle of cells before anything can be checked, so
every sheet is measured from its XML first: a 1.4 KB file with cells A1 and XFD1048576
must be refused, not abort the process with a Rust allocation failure.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from fichegen.errors import InputError
from fichegen.inputs.donnees import MAX_HINTS, read_donnees
from fichegen.inputs.sheet_read import MAX_CELLS, read_grid

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _xlsx(path: Path, sheet_data: str, *, prefix: str = "", state: str = "visible") -> Path:
    """A minimal XLSX whose one sheet holds ``sheet_data`` (its <sheetData> content)."""
    p = f"{prefix}:" if prefix else ""
    xmlns = f'xmlns:{prefix}="{_MAIN}"' if prefix else f'xmlns="{_MAIN}"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxml'
            'formats-package.relationships+xml"/><Default Extension="xml" ContentType="'
            'application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application'
            '/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
            'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats'
            '-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            f'package/2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0"?><workbook xmlns="{_MAIN}" xmlns:r="{rel}"><sheets>'
            f'<sheet name="Feuille" sheetId="1" state="{state}" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            f'package/2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            f'<?xml version="1.0"?><{p}worksheet {xmlns}><{p}sheetData>{sheet_data}'
            f"</{p}sheetData></{p}worksheet>",
        )
    return path


def _ods(path: Path, tables: str, styles: str = "") -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis'
            ':names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-'
            'entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.'
            'opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" '
            'manifest:media-type="text/xml"/></manifest:manifest>',
        )
        archive.writestr(
            "content.xml",
            '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
            'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" office:version="1.2">'
            f"<office:automatic-styles>{styles}</office:automatic-styles><office:body>"
            f"<office:spreadsheet>{tables}</office:spreadsheet></office:body>"
            "</office:document-content>",
        )
    return path


def _cell(text: str) -> str:
    return (
        f'<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>'
    )


_HEADER = '<row r="1"><c r="A1" t="inlineStr"><is><t>code_insee</t></is></c></row>'


def _refused(path: Path) -> str:
    started = time.monotonic()
    with pytest.raises(InputError) as caught:
        read_donnees(path)
    assert time.monotonic() - started < 10
    return caught.value.lines()[0]


def test_the_far_corner_cell_gets_a_french_message_not_an_abort(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path / "coin.xlsx", _HEADER + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    )
    assert path.stat().st_size < 2000
    fichegen = Path(sys.executable).with_name("fichegen")
    result = subprocess.run(
        [str(fichegen), "validate", "--donnees", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    assert "coin.xlsx:1048576:XFD: feuille « Feuille » trop grande" in result.stderr
    assert "memory allocation" not in result.stderr


@pytest.mark.parametrize(
    "sheet_data",
    [
        # inside the row and column limits, but 20 million cells to allocate
        _HEADER + '<row r="100000"><c r="GR100000"><v>1</v></c></row>',
        # no r attributes: positions counted
        "<row>" + "<c><v>1</v></c>" * 201 + "</row>",
        # an entity hiding the reference from a naive scan
        _HEADER + '<row r="1048576"><c r="&#88;FD1048576"><v>1</v></c></row>',
        # a ">" in an attribute value before the reference
        _HEADER + '<row r="99999"><c s=">" r="ZZ99999"><v>1</v></c></row>',
    ],
    ids=["rectangle", "sans-reference", "entite", "chevron"],
)
def test_oversized_sheets_are_refused_before_loading(tmp_path: Path, sheet_data: str) -> None:
    message = _refused(_xlsx(tmp_path / "grand.xlsx", sheet_data))
    assert "trop grande" in message and "cellules en tout" in message


def test_a_prefixed_namespace_is_measured_too(tmp_path: Path) -> None:
    data = (
        '<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row>'
        '<x:row r="500000"><x:c r="B500000"><x:v>1</x:v></x:c></x:row>'
    )
    assert "trop grande" in _refused(_xlsx(tmp_path / "x.xlsx", data, prefix="x"))


def test_repeated_ods_rows_and_columns_are_measured(tmp_path: Path) -> None:
    row = (
        '<table:table-row table:number-rows-repeated="1048000"><table:table-cell '
        'table:number-columns-repeated="16384" office:value-type="float" office:value="1">'
        "<text:p>1</text:p></table:table-cell></table:table-row>"
    )
    head = "<table:table-row>" + _cell("code_insee") + "</table:table-row>"
    path = _ods(tmp_path / "repete.ods", f'<table:table table:name="T">{head}{row}</table:table>')
    assert path.stat().st_size < 2000
    assert "trop grande" in _refused(path)


def test_a_tiny_ods_of_100_000_bad_rows_is_checked_fast(tmp_path: Path) -> None:
    head = "<table:table-row>" + _cell("code_insee") + _cell("places_eaje") + "</table:table-row>"
    rows = (
        '<table:table-row table:number-rows-repeated="99900">'
        + _cell("99999")
        + _cell("abc")
        + "</table:table-row>"
    )
    bad = "".join(f"<table:table-row>{_cell(f'00{i:03d}')}</table:table-row>" for i in range(80))
    path = _ods(
        tmp_path / "lent.ods", f'<table:table table:name="T">{head}{rows}{bad}</table:table>'
    )
    assert path.stat().st_size < 3000
    started = time.monotonic()
    donnees = read_donnees(path)
    assert time.monotonic() - started < 10
    assert len(donnees.unmatched) == 99900 + 80
    last = donnees.unmatched[-1].message
    assert "trop de codes inconnus" in last
    assert sum("Codes proches" in issue.message for issue in donnees.unmatched) <= MAX_HINTS


def test_csv_cells_are_capped(tmp_path: Path) -> None:
    path = tmp_path / "large.csv"
    width = 150
    rows = MAX_CELLS // width + 2
    path.write_text("\n".join([";".join(["x"] * width)] * rows), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_grid(path)
    assert "trop de cellules" in caught.value.lines()[0]


# --- which sheet is read ------------------------------------------------------------------


def _workbook(path: Path, states: list[tuple[str, str, int]]) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, state, places in states:
        sheet = workbook.create_sheet(title)
        sheet.append(["code_insee", "places_eaje"])
        sheet.append(["59013", places])
        sheet.sheet_state = state
    workbook.save(path)
    return path


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_a_hidden_first_sheet_is_never_read(tmp_path: Path, state: str) -> None:
    path = _workbook(
        tmp_path / "cache.xlsx", [("Brouillon", state, 999), ("Communes", "visible", 5)]
    )
    donnees = read_donnees(path)
    assert donnees.rows["59013"].values["petite_enfance.places_eaje"] == 5
    assert "feuille « Communes »" in donnees.description
    (note,) = donnees.notes
    assert "feuille « Communes » lue" in note and "« Brouillon »" in note and "masquée" in note


def test_the_communes_sheet_wins_over_the_first_visible_one(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "deux.xlsx", [("Notes", "visible", 7), ("Communes", "visible", 5)])
    assert read_donnees(path).rows["59013"].values["petite_enfance.places_eaje"] == 5
    first = _workbook(tmp_path / "autre.xlsx", [("A", "hidden", 1), ("B", "visible", 2)])
    assert read_donnees(first).rows["59013"].values["petite_enfance.places_eaje"] == 2


def test_a_workbook_with_only_hidden_sheets_is_refused(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "tout.xlsx", _HEADER, state="hidden")
    assert "toutes les feuilles du classeur sont masquées" in _refused(path)


def test_a_hidden_ods_table_is_never_read(tmp_path: Path) -> None:
    styles = (
        '<style:style style:name="ta2" style:family="table">'
        '<style:table-properties table:display="false"/></style:style>'
    )
    head = "<table:table-row>" + _cell("code_insee") + _cell("places_eaje") + "</table:table-row>"

    def table(name: str, style: str, places: int) -> str:
        row = (
            f'<table:table-row>{_cell("59013")}<table:table-cell office:value-type="float" '
            f'office:value="{places}"><text:p>{places}</text:p></table:table-cell></table:table-row>'
        )
        return (
            f'<table:table table:name="{name}" table:style-name="{style}">{head}{row}</table:table>'
        )

    path = _ods(
        tmp_path / "cache.ods", table("Brouillon", "ta2", 999) + table("Feuille", "ta1", 5), styles
    )
    donnees = read_donnees(path)
    assert donnees.rows["59013"].values["petite_enfance.places_eaje"] == 5
    assert "« Brouillon »" in donnees.notes[0]


# --- files that are not files ---------------------------------------------------------------


def test_a_fifo_or_a_proc_file_is_refused_at_once_and_quoted_nowhere(tmp_path: Path) -> None:
    fifo = tmp_path / "profil.yaml"
    os.mkfifo(fifo)
    table = tmp_path / "tableur.csv"
    os.mkfifo(table)
    environ = tmp_path / "environ.yaml"
    environ.symlink_to("/proc/self/environ")
    fichegen = Path(sys.executable).with_name("fichegen")
    secret = "FICHEGEN_SECRET_DE_TEST=ne-pas-citer"
    for path, option in ((fifo, ()), (environ, ()), (table, ("--donnees",))):
        args = [str(fichegen), "validate", *option, str(path)]
        result = subprocess.run(
            args,
            capture_output=True,
            text=True,
            timeout=30,
            env={**os.environ, "FICHEGEN_SECRET_DE_TEST": "ne-pas-citer"},
        )
        assert result.returncode == 2, result.stderr
        assert "pas un fichier ordinaire" in result.stderr
        assert secret not in result.stderr and "ne-pas-citer" not in result.stderr
