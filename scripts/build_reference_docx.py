"""Build ``templates/reference.docx``: the styled reference document of the DOCX renderer.

Run from the checkout: ``PYTHONPATH=. python scripts/build_reference_docx.py``. The output
is reproducible (same bytes on every run), so a change of style shows up as a reviewable
diff of this script and a new binary. Starts from python-docx's blank template, replaces
its styles with the fiche's own (A4, Inter with a sans-serif fallback, French language),
defines the list numberings, the table styles, the header and the "page X / Y" footer.
"""

from __future__ import annotations

import io
import sys
from datetime import UTC, datetime
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.section import Section
from docx.shared import Mm

from fichegen.renderers.docx_package import normalize_zip
from fichegen.resources import templates_dir

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NSDECL = f'xmlns:w="{W_NS}"'
FONT = "Inter"
FALLBACK_FONT = "Arial"
LANG = "fr-FR"
REFERENCE_DATE = "2025-01-01"

# Palette (hex RGB), shared with fichegen.renderers.docx_xml.
PRIMARY = "1D4E6B"
ACCENT = "C8671E"
INK = "1F2A33"
MUTED = "5C6770"
RULE = "C9D6DF"
TINT = "EDF3F7"
GREEN = "2F7D57"

TEXT_WIDTH_TWIPS = 9638  # 170 mm between 20 mm margins on A4


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def _fonts() -> str:
    return f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}" w:eastAsia="{FONT}"/>'


def _rpr(
    *, size: int | None = None, color: str | None = None, extra: str = "", tracking: int = 0
) -> str:
    """Run properties in schema order: fonts, flags (``extra``), colour, spacing, size."""
    parts = [_fonts(), extra]
    if color:
        parts.append(f'<w:color w:val="{color}"/>')
    if tracking:
        parts.append(f'<w:spacing w:val="{tracking}"/>')
    if size:
        parts.append(f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>')
    return f"<w:rPr {NSDECL}>{''.join(parts)}</w:rPr>"


def _ppr(body: str) -> str:
    return f"<w:pPr {NSDECL}>{body}</w:pPr>"


def _spacing(before: int = 0, after: int = 120, line: int = 288) -> str:
    return f'<w:spacing w:before="{before}" w:after="{after}" w:line="{line}" w:lineRule="auto"/>'


def _replace_child(style: object, tag: str, xml: str | None) -> None:
    element = style  # an lxml element
    old = element.find(_w(tag))  # type: ignore[attr-defined]
    if old is not None:
        element.remove(old)  # type: ignore[attr-defined]
    if xml is None:
        return
    new = parse_xml(xml)
    # pPr precedes rPr, both follow the style's header elements.
    if tag == "pPr":
        rpr = element.find(_w("rPr"))  # type: ignore[attr-defined]
        if rpr is not None:
            rpr.addprevious(new)
            return
    tbl = element.find(_w("tblPr"))  # type: ignore[attr-defined]
    if tbl is not None:
        tbl.addprevious(new)
        return
    element.append(new)  # type: ignore[attr-defined]


def _style_element(document: docx.document.Document, style_id: str) -> object:
    found = document.styles.element.xpath(f'w:style[@w:styleId="{style_id}"]')
    if not found:
        raise KeyError(style_id)
    return found[0]


def _restyle(
    document: docx.document.Document, style_id: str, ppr: str | None, rpr: str | None
) -> None:
    element = _style_element(document, style_id)
    _replace_child(element, "rPr", rpr)
    _replace_child(element, "pPr", ppr)
    links = element.xpath("w:link/@w:val")  # type: ignore[attr-defined]
    if links and rpr is not None:
        try:
            linked = _style_element(document, links[0])
        except KeyError:
            return
        _replace_child(linked, "rPr", rpr)


def _add_style(
    document: docx.document.Document,
    style_id: str,
    name: str,
    kind: WD_STYLE_TYPE,
    *,
    based_on: str | None = "Normal",
    next_style: str | None = None,
    ppr: str | None = None,
    rpr: str | None = None,
    tbl: str = "",
) -> None:
    kind_name = {
        WD_STYLE_TYPE.PARAGRAPH: "paragraph",
        WD_STYLE_TYPE.CHARACTER: "character",
        WD_STYLE_TYPE.TABLE: "table",
    }[kind]
    header = f'<w:name w:val="{name}"/>'
    if based_on:
        header += f'<w:basedOn w:val="{based_on}"/>'
    if next_style:
        header += f'<w:next w:val="{next_style}"/>'
    header += '<w:uiPriority w:val="20"/><w:qFormat/>'
    inner = header
    if ppr:
        inner += ppr.replace(f" {NSDECL}", "")
    if rpr:
        inner += rpr.replace(f" {NSDECL}", "")
    inner += tbl
    custom = ' w:customStyle="1"'
    xml = f'<w:style {NSDECL} w:type="{kind_name}"{custom} w:styleId="{style_id}">{inner}</w:style>'
    document.styles.element.append(parse_xml(xml))


def _defaults(document: docx.document.Document) -> None:
    defaults = document.styles.element.find(_w("docDefaults"))
    rpr = defaults.find(_w("rPrDefault"))
    for child in list(rpr):
        rpr.remove(child)
    rpr.append(
        parse_xml(
            f"<w:rPr {NSDECL}>{_fonts()}"
            f'<w:color w:val="{INK}"/><w:sz w:val="20"/><w:szCs w:val="20"/>'
            f'<w:lang w:val="{LANG}" w:eastAsia="{LANG}" w:bidi="ar-SA"/></w:rPr>'
        )
    )
    ppr = defaults.find(_w("pPrDefault"))
    for child in list(ppr):
        ppr.remove(child)
    ppr.append(parse_xml(_ppr(_spacing())))
    # The blank template's hundred table styles: keep only the plain ones (and ours, later).
    for style in document.styles.element.xpath('w:style[@w:type="table"]'):
        if style.get(_w("styleId")) not in ("TableNormal", "TableGrid"):
            style.getparent().remove(style)
    # Styles of the blank template that carry list numbering we replace below.
    for num in document.styles.element.xpath("w:style/w:pPr/w:numPr"):
        num.getparent().remove(num)


def _builtin_styles(document: docx.document.Document) -> None:
    bold = "<w:b/><w:bCs/>"
    _restyle(document, "Normal", None, None)
    _restyle(
        document,
        "Title",
        _ppr('<w:keepNext/><w:spacing w:before="0" w:after="80" w:line="240" w:lineRule="auto"/>'),
        _rpr(size=52, color=PRIMARY, extra=bold),
    )
    _restyle(
        document,
        "Subtitle",
        _ppr('<w:keepNext/><w:spacing w:before="0" w:after="120" w:line="264" w:lineRule="auto"/>'),
        _rpr(size=28, color=ACCENT),
    )
    headings = [
        (
            1,
            32,
            PRIMARY,
            400,
            140,
            f'<w:pBdr><w:bottom w:val="single" w:sz="8" w:space="3" w:color="{RULE}"/></w:pBdr>',
        ),
        (2, 25, PRIMARY, 280, 80, ""),
        (3, 21, INK, 200, 60, ""),
    ]
    for level, size, color, before, after, border in headings:
        _restyle(
            document,
            f"Heading{level}",
            _ppr(
                "<w:keepNext/><w:keepLines/>"
                + border
                + _spacing(before, after, 252)
                + f'<w:outlineLvl w:val="{level - 1}"/>'
            ),
            _rpr(size=size, color=color, extra=bold),
        )
    _restyle(
        document,
        "ListBullet",
        _ppr(
            '<w:numPr><w:numId w:val="1"/></w:numPr>'
            + _spacing(0, 60)
            + '<w:ind w:left="360" w:hanging="240"/>'
        ),
        None,
    )
    _restyle(
        document,
        "ListNumber",
        _ppr(
            '<w:numPr><w:numId w:val="2"/></w:numPr>'
            + _spacing(0, 60)
            + '<w:ind w:left="400" w:hanging="300"/>'
        ),
        None,
    )
    _restyle(
        document,
        "Caption",
        _ppr(_spacing(60, 240, 252)),
        _rpr(size=17, color=MUTED, extra="<w:i/><w:iCs/>"),
    )
    tabs = f'<w:tabs><w:tab w:val="right" w:pos="{TEXT_WIDTH_TWIPS}"/></w:tabs>'
    for style_id in ("Header", "Footer"):
        _restyle(document, style_id, _ppr(tabs + _spacing(0, 0, 240)), _rpr(size=16, color=MUTED))


def _custom_styles(document: docx.document.Document) -> None:
    bold = "<w:b/><w:bCs/>"
    para = WD_STYLE_TYPE.PARAGRAPH
    specs: list[tuple[str, str, str | None, str | None, str | None]] = [
        # id, name, basedOn, pPr, rPr
        (
            "Surtitre",
            "Surtitre",
            "Normal",
            _ppr("<w:keepNext/>" + _spacing(0, 60, 240)),
            _rpr(size=18, color=ACCENT, extra=bold + "<w:caps/>", tracking=20),
        ),
        (
            "BlocTitreInfos",
            "Bloc titre infos",
            "Normal",
            _ppr(
                f'<w:pBdr><w:bottom w:val="single" w:sz="18" w:space="8" w:color="{PRIMARY}"/>'
                "</w:pBdr>" + _spacing(0, 360, 264)
            ),
            _rpr(size=20, color=MUTED),
        ),
        ("Chapeau", "Chapeau", "Normal", _ppr(_spacing(0, 200, 300)), _rpr(size=23, color=INK)),
        (
            "Note",
            "Note",
            "Normal",
            _ppr(_spacing(0, 120, 264)),
            _rpr(size=18, color=MUTED, extra="<w:i/><w:iCs/>"),
        ),
        ("Source", "Source", "Normal", _ppr(_spacing(0, 60, 252)), _rpr(size=16, color=MUTED)),
        (
            "Raisons",
            "Raisons",
            "Normal",
            _ppr(
                '<w:numPr><w:numId w:val="3"/></w:numPr>'
                + _spacing(0, 60)
                + '<w:ind w:left="360" w:hanging="260"/>'
            ),
            None,
        ),
        (
            "Actions",
            "Actions",
            "Normal",
            _ppr(
                '<w:numPr><w:numId w:val="4"/></w:numPr>'
                + _spacing(0, 60)
                + '<w:ind w:left="360" w:hanging="260"/>'
            ),
            None,
        ),
        (
            "EncadreTitre",
            "Encadré titre",
            "Normal",
            _ppr("<w:keepNext/>" + _spacing(0, 80, 252)),
            _rpr(size=21, color=PRIMARY, extra=bold),
        ),
        ("Encadre", "Encadré", "Normal", _ppr(_spacing(0, 80, 276)), None),
        (
            "ChiffreValeur",
            "Chiffre clé valeur",
            "Normal",
            _ppr(_spacing(0, 20, 240)),
            _rpr(size=34, color=PRIMARY, extra=bold),
        ),
        (
            "ChiffreLibelle",
            "Chiffre clé libellé",
            "Normal",
            _ppr(_spacing(0, 20, 240)),
            _rpr(size=17, color=INK, extra=bold),
        ),
        (
            "ChiffreDetail",
            "Chiffre clé détail",
            "Normal",
            _ppr(_spacing(0, 0, 240)),
            _rpr(size=15, color=MUTED),
        ),
        (
            "ExempleTitre",
            "Exemple titre",
            "Normal",
            _ppr("<w:keepNext/>" + _spacing(0, 20, 252)),
            _rpr(size=21, color=PRIMARY, extra=bold),
        ),
        (
            "ExempleLieu",
            "Exemple lieu",
            "Normal",
            _ppr("<w:keepNext/>" + _spacing(0, 60, 252)),
            _rpr(size=18, color=MUTED),
        ),
        (
            "ExempleRaison",
            "Exemple raison",
            "Normal",
            _ppr(_spacing(0, 60, 252)),
            _rpr(size=18, color=GREEN, extra=bold),
        ),
        (
            "ExempleFait",
            "Exemple fait",
            "Normal",
            _ppr(
                '<w:numPr><w:numId w:val="5"/></w:numPr>'
                + _spacing(0, 40, 264)
                + '<w:ind w:left="300" w:hanging="200"/>'
            ),
            _rpr(size=19),
        ),
        (
            "ExempleLeviers",
            "Exemple leviers",
            "Normal",
            _ppr(_spacing(40, 0, 240)),
            _rpr(size=16, color=MUTED),
        ),
        ("TableauTexte", "Tableau texte", "Normal", _ppr(_spacing(0, 0, 252)), _rpr(size=18)),
        (
            "Espace",
            "Espace",
            "Normal",
            _ppr('<w:spacing w:before="0" w:after="0" w:line="200" w:lineRule="exact"/>'),
            _rpr(size=8),
        ),
    ]
    for style_id, name, based_on, ppr, rpr in specs:
        _add_style(document, style_id, name, para, based_on=based_on, ppr=ppr, rpr=rpr)
    _add_style(
        document,
        "ACompleter",
        "À compléter",
        WD_STYLE_TYPE.CHARACTER,
        based_on=None,
        rpr=f'<w:rPr {NSDECL}><w:b/><w:bCs/><w:color w:val="7A3E00"/>'
        '<w:highlight w:val="yellow"/>'
        # LibreOffice ignores highlight in a character style; it shows this shading.
        '<w:shd w:val="clear" w:color="auto" w:fill="FFF176"/></w:rPr>',
    )
    _table_styles(document)


def _borders(tag: str, spec: dict[str, str]) -> str:
    inner = "".join(f"<w:{side} {attrs}/>" for side, attrs in spec.items())
    return f"<w:{tag}>{inner}</w:{tag}>"


def _table_styles(document: docx.document.Document) -> None:
    margins = (
        '<w:tblCellMar><w:top w:w="70" w:type="dxa"/><w:left w:w="110" w:type="dxa"/>'
        '<w:bottom w:w="70" w:type="dxa"/><w:right w:w="110" w:type="dxa"/></w:tblCellMar>'
    )
    line = 'w:val="single" w:sz="{sz}" w:space="0" w:color="{color}"'
    grid = _borders(
        "tblBorders",
        {
            "top": line.format(sz=12, color=PRIMARY),
            "bottom": line.format(sz=12, color=PRIMARY),
            "insideH": line.format(sz=4, color=RULE),
        },
    )
    table = (
        '<w:tblPr><w:tblStyleRowBandSize w:val="1"/>' + grid + margins + "</w:tblPr>"
        '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/><w:color w:val="FFFFFF"/></w:rPr>'
        "<w:tblPr/><w:trPr><w:tblHeader/></w:trPr>"
        f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{PRIMARY}"/></w:tcPr>'
        "</w:tblStylePr>"
        '<w:tblStylePr w:type="band2Horz"><w:tblPr/>'
        f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{TINT}"/></w:tcPr>'
        "</w:tblStylePr>"
    )
    _add_style(
        document,
        "FicheTableau",
        "Fiche Tableau",
        WD_STYLE_TYPE.TABLE,
        based_on="TableNormal",
        rpr=_rpr(size=18),
        tbl=table,
    )
    white = 'w:val="single" w:sz="48" w:space="0" w:color="FFFFFF"'
    tiles = (
        "<w:tblPr>"
        + _borders(
            "tblBorders",
            {
                "top": white,
                "left": 'w:val="nil"',
                "bottom": white,
                "right": 'w:val="nil"',
                "insideH": white,
                "insideV": white,
            },
        )
        + '<w:tblCellMar><w:top w:w="120" w:type="dxa"/><w:left w:w="160" w:type="dxa"/>'
        '<w:bottom w:w="120" w:type="dxa"/><w:right w:w="140" w:type="dxa"/></w:tblCellMar>'
        "</w:tblPr>"
        f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{TINT}"/></w:tcPr>'
    )
    _add_style(
        document,
        "FicheTuiles",
        "Fiche Tuiles",
        WD_STYLE_TYPE.TABLE,
        based_on="TableNormal",
        tbl=tiles,
    )
    box = (
        "<w:tblPr>"
        '<w:tblCellMar><w:top w:w="140" w:type="dxa"/><w:left w:w="200" w:type="dxa"/>'
        '<w:bottom w:w="100" w:type="dxa"/><w:right w:w="200" w:type="dxa"/></w:tblCellMar>'
        "</w:tblPr>"
        f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{TINT}"/></w:tcPr>'
    )
    _add_style(
        document,
        "FicheEncadre",
        "Fiche Encadré",
        WD_STYLE_TYPE.TABLE,
        based_on="TableNormal",
        tbl=box,
    )


def _numbering(document: docx.document.Document) -> None:
    numbering = document.part.numbering_part.element
    for child in list(numbering):
        numbering.remove(child)
    lists = [
        # abstract id, nsid, format, text, style id, indent, hanging, colour
        (0, "1F1C0001", "bullet", "•", "ListBullet", 360, 240, PRIMARY),
        (1, "1F1C0002", "decimal", "%1.", "ListNumber", 400, 300, PRIMARY),
        (2, "1F1C0003", "bullet", "✓", "Raisons", 360, 260, GREEN),
        (3, "1F1C0004", "bullet", "→", "Actions", 360, 260, ACCENT),
        (4, "1F1C0005", "bullet", "–", "ExempleFait", 300, 200, MUTED),
    ]
    for abstract_id, nsid, fmt, text, style_id, left, hanging, color in lists:
        numbering.append(
            parse_xml(
                f'<w:abstractNum {NSDECL} w:abstractNumId="{abstract_id}">'
                f'<w:nsid w:val="{nsid}"/><w:multiLevelType w:val="singleLevel"/>'
                f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
                f'<w:pStyle w:val="{style_id}"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
                f'<w:pPr><w:ind w:left="{left}" w:hanging="{hanging}"/></w:pPr>'
                f'<w:rPr>{_fonts()}<w:b/><w:color w:val="{color}"/></w:rPr></w:lvl></w:abstractNum>'
            )
        )
    for abstract_id in range(len(lists)):
        numbering.append(
            parse_xml(
                f'<w:num {NSDECL} w:numId="{abstract_id + 1}">'
                f'<w:abstractNumId w:val="{abstract_id}"/></w:num>'
            )
        )


def _font_table(document: docx.document.Document) -> None:
    part = document.part.part_related_by(RT.FONT_TABLE)
    xml = part.blob.decode("utf-8")
    entry = (
        f'<w:font w:name="{FONT}"><w:altName w:val="{FALLBACK_FONT}"/>'
        '<w:charset w:val="00"/><w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>'
    )
    part._blob = xml.replace("</w:fonts>", entry + "</w:fonts>").encode("utf-8")


def _settings(document: docx.document.Document) -> None:
    settings = document.settings.element
    for tag, value in (("decimalSymbol", ","), ("listSeparator", ";")):
        node = settings.find(_w(tag))
        if node is not None:
            node.set(_w("val"), value)
    lang = settings.find(_w("themeFontLang"))
    if lang is not None:
        lang.set(_w("val"), LANG)
    # Word 2013+ layout: table borders line up with the text margin.
    for setting in settings.xpath('w:compat/w:compatSetting[@w:name="compatibilityMode"]'):
        setting.set(_w("val"), "15")
    tab = settings.find(_w("defaultTabStop"))
    tab.addnext(parse_xml(f"<w:autoHyphenation {NSDECL}/>"))


def _field(paragraph: object, instruction: str) -> None:
    p = paragraph._p  # type: ignore[attr-defined]
    rpr = ""
    for kind in ("begin", None, "separate", "placeholder", "end"):
        if kind is None:
            xml = (
                f"<w:r {NSDECL}>{rpr}"
                f'<w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
            )
        elif kind == "placeholder":
            xml = f"<w:r {NSDECL}>{rpr}<w:t>1</w:t></w:r>"
        else:
            xml = f'<w:r {NSDECL}>{rpr}<w:fldChar w:fldCharType="{kind}"/></w:r>'
        p.append(parse_xml(xml))


def _page_footer(paragraph: object) -> None:
    paragraph.add_run("\tpage ")  # type: ignore[attr-defined]
    _field(paragraph, "PAGE")
    paragraph.add_run(" / ")  # type: ignore[attr-defined]
    _field(paragraph, "NUMPAGES")


def _page_setup(section: Section) -> None:
    section.page_width = Mm(210)
    section.page_height = Mm(297)
    section.top_margin = Mm(22)
    section.bottom_margin = Mm(20)
    section.left_margin = Mm(20)
    section.right_margin = Mm(20)
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)
    section.different_first_page_header_footer = True
    section.header.is_linked_to_previous = False
    header = section.header.paragraphs[0]
    header.style = "Header"
    header.add_run("")
    section.first_page_header.is_linked_to_previous = False
    section.first_page_header.paragraphs[0].style = "Header"
    for footer in (section.footer, section.first_page_footer):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.style = "Footer"
        _page_footer(paragraph)


def _drop_extras(document: docx.document.Document) -> None:
    """Drop the blank template's thumbnail, Word 2010 style copy and bibliography part."""
    package_rels = document.part.package.rels
    for rid, rel in list(package_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package_rels[rid]
    for rid, rel in list(document.part.rels.items()):
        if rel.reltype == RT.CUSTOM_XML or rel.reltype.endswith("/stylesWithEffects"):
            del document.part.rels[rid]


APP_XML = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Application>fichegen</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
    "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
    "<HyperlinksChanged>false</HyperlinksChanged></Properties>"
)


def _properties(document: docx.document.Document) -> None:
    for rel in document.part.package.rels.values():
        if rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = APP_XML.encode("utf-8")
    props = document.core_properties
    stamp = datetime.fromisoformat(REFERENCE_DATE).replace(tzinfo=UTC)
    props.title = "fichegen : document de référence"
    props.subject = "Styles de la fiche n°\u00a015"
    props.author = "fichegen"
    props.last_modified_by = "fichegen"
    props.language = LANG
    props.keywords = ""
    props.comments = ""
    props.created = stamp
    props.modified = stamp
    props.last_printed = stamp
    props.revision = 1


def build() -> bytes:
    """The reference document's bytes."""
    document = docx.Document()
    _drop_extras(document)
    _defaults(document)
    _builtin_styles(document)
    _custom_styles(document)
    _numbering(document)
    _font_table(document)
    _settings(document)
    _page_setup(document.sections[0])
    _properties(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return normalize_zip(buffer.getvalue(), REFERENCE_DATE)


def main(argv: list[str]) -> int:
    target = Path(argv[1]) if len(argv) > 1 else templates_dir() / "reference.docx"
    data = build()
    target.write_bytes(data)
    print(f"{target}: {len(data)} octets")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
