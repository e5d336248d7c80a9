"""The review report as a DOCX file laid out per Decree 30/2020/NĐ-CP (appendix I): A4 portrait, margins top and
bottom 20 mm, left 30 mm, right 15 mm; Times New Roman (a Unicode font, TCVN 6909:2001), body 14 pt, justified,
first-line indent 1,27 cm, at least 6 pt between paragraphs; page numbers centred at the top from page 2.

The header is a borderless two-column table: governing body and agency name (capitals, the agency in bold, a short
rule below) with "Số: …/BC-…" on the left; the national name, the motto (bold, ruled below) and the place and date
(italic) on the right. Tables repeat their header row on each page; charts are PNG images from core.charts."""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph

from eprovince.core.charts import render_png

from .content import ReviewReport, Section, Table

FONT = "Times New Roman"
BODY_PT = 14
TABLE_PT = 11
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
TEXT_WIDTH_CM = (PAGE_WIDTH_MM - MARGINS_MM["left"] - MARGINS_MM["right"]) / 10
ROMAN = ("I", "II", "III", "IV", "V", "VI")


def _font(run_or_style: object, size: float | None = None, *, bold: bool | None = None, italic: bool | None = None) -> None:
    font = run_or_style.font  # type: ignore[attr-defined]
    font.name = FONT
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic
    element = run_or_style.element  # type: ignore[attr-defined]
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def _para(
    container: object,
    text: str = "",
    *,
    size: float = BODY_PT,
    bold: bool = False,
    italic: bool = False,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY,
    indent: bool = False,
    before: float = 0,
    after: float = 6,
) -> Paragraph:
    paragraph: Paragraph = container.add_paragraph()  # type: ignore[attr-defined]
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.line_spacing = 1.15
    if indent:
        fmt.first_line_indent = Cm(1.27)
    if text:
        _font(paragraph.add_run(text), size, bold=bold, italic=italic)
    return paragraph


def _rule(cell: object, width_cm: float, cell_width_cm: float) -> None:
    """A short centred horizontal rule: the bottom border of an empty paragraph indented to `width_cm`."""
    paragraph = _para(cell, size=2, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    side = max(0.0, (cell_width_cm - width_cm) / 2)
    paragraph.paragraph_format.left_indent = Cm(side)
    paragraph.paragraph_format.right_indent = Cm(side)
    paragraph.paragraph_format.line_spacing = Pt(2)
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.append(borders)


def _no_borders(table: DocxTable) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def _cell_text(cell: object, lines: Sequence[tuple[str, bool, bool, float]], width_cm: float) -> None:
    """Centred lines (text, bold, italic, size); an empty text draws a rule of that many cm."""
    cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)  # type: ignore[attr-defined]
    for text, bold, italic, size in lines:
        if text.startswith("__rule__"):
            _rule(cell, float(text.removeprefix("__rule__")), width_cm)
        else:
            _para(cell, text, size=size, bold=bold, italic=italic, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)


def _page_setup(document: DocxDocument) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance = Mm(10)
    section.different_first_page_header_footer = True  # no number on page 1
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    _font(run, 13)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
    normal = document.styles["Normal"]
    _font(normal, BODY_PT)


def _header(document: DocxDocument, report: ReviewReport) -> None:
    h = report.header
    left_cm, right_cm = 6.2, TEXT_WIDTH_CM - 6.2
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    table.autofit = False
    left, right = table.rows[0].cells
    left.width, right.width = Cm(left_cm), Cm(right_cm)
    left_lines = [(h.governing_body, False, False, 13)] if h.governing_body else []
    left_lines += [(h.agency, True, False, 13), ("__rule__2.2", False, False, 0), (h.number, False, False, 13)]
    _cell_text(left, left_lines, left_cm)
    _cell_text(
        right,
        [
            (h.national_name, True, False, 12.5),
            (h.motto, True, False, 13.5),
            ("__rule__5.6", False, False, 0),
            (h.place_date, False, True, 13.5),
        ],
        right_cm,
    )
    _para(document, after=6)
    _para(document, report.doc_type, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0, before=6)
    _para(document, report.subject, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    rule_table = document.add_table(rows=1, cols=1)
    _no_borders(rule_table)
    rule_table.alignment = WD_TABLE_ALIGNMENT.CENTER
    cell = rule_table.rows[0].cells[0]
    cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
    _rule(cell, 3.5, TEXT_WIDTH_CM)
    _para(document, after=6)


def _table(document: DocxDocument, table: Table) -> None:
    _para(document, table.caption, size=13, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=6, after=4)
    grid = document.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    total = sum(table.widths)
    widths = [Cm(TEXT_WIDTH_CM * w / total) for w in table.widths]
    header = grid.rows[0]
    header_pr = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_pr.append(repeat)
    for cell, title, width in zip(header.cells, table.columns, widths, strict=True):
        cell.width = width
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(cell.paragraphs[0].add_run(title), TABLE_PT, bold=True)
    for index, values in enumerate(table.rows):
        cells = grid.add_row().cells
        for cell, value, numeric, width in zip(cells, values, table.numeric, widths, strict=True):
            cell.width = width
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if numeric else WD_ALIGN_PARAGRAPH.LEFT
            _font(paragraph.add_run(value), TABLE_PT, bold=index in table.bold_rows)
    if table.note:
        _para(document, table.note, size=11, italic=True, after=6, before=2)
    else:
        _para(document, after=2)


def _section(document: DocxDocument, number: int, section: Section) -> None:
    _para(document, f"{number}. {section.title}", bold=True, indent=True, before=6)
    for text in section.paragraphs:
        _para(document, text, indent=True)
    for table in section.tables:
        _table(document, table)
    if section.figure is not None:
        paragraph = _para(document, align=WD_ALIGN_PARAGRAPH.CENTER, before=6, after=2)
        paragraph.add_run().add_picture(io.BytesIO(render_png(section.figure.chart, dpi=150)), width=Cm(15))
        _para(document, section.figure.caption, size=13, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=8)


def _closing(document: DocxDocument, report: ReviewReport) -> None:
    _para(document, report.closing, indent=True, before=6)
    for note in report.notes:
        _para(document, note, size=12, italic=True, indent=True)
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    table.autofit = False
    left, right = table.rows[0].cells
    left.width, right.width = Cm(8.0), Cm(TEXT_WIDTH_CM - 8.0)
    left.paragraphs[0]._p.getparent().remove(left.paragraphs[0]._p)
    _para(left, "Nơi nhận:", size=12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT, after=0, before=6)
    for line in report.recipients:
        _para(left, f"- {line}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT, after=0)
    signer = report.signer
    lines = [(t, True, False, 14.0) for t in (signer.authority, signer.title) if t]
    lines += [("", False, False, 14.0)] * 4 + [(signer.name, True, False, 14.0)]
    right.paragraphs[0]._p.getparent().remove(right.paragraphs[0]._p)
    _para(right, after=0, before=6, size=14)
    for text, bold, italic, size in lines:
        _para(right, text, size=size, bold=bold, italic=italic, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)


def render_docx(report: ReviewReport) -> bytes:
    document = Document()
    _page_setup(document)
    core = document.core_properties
    core.title = report.title
    core.author = report.header.agency
    core.language = "vi-VN"
    _header(document, report)
    for text in report.intro:
        _para(document, text, indent=True)
    for index, part in enumerate(report.parts):
        _para(document, f"{ROMAN[index]}. {part.title}", bold=True, indent=True, before=6)
        for number, section in enumerate(part.sections, start=1):
            _section(document, number, section)
    _closing(document, report)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
