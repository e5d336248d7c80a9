"""The review report as a PDF, the same layout as the DOCX (Decree 30/2020/NĐ-CP: A4, margins top and bottom
20 mm, left 30 mm, right 15 mm, body 13 pt, page numbers centred at the top from page 2).

Font: Decree 30 names Times New Roman, which is not free to redistribute and is not on a bare server, so the PDF
embeds DejaVu Serif (with its bold and italic faces), a serif face covering every Vietnamese letter that matplotlib
ships with; the DOCX keeps Times New Roman, which the reader's word processor provides. fpdf2 embeds the subset of
the font with a ToUnicode map, so the text can be searched and extracted with its diacritics."""

from __future__ import annotations

import io
import logging
from functools import cache
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import Align, TableCellFillMode, XPos, YPos
from fpdf.fonts import FontFace

from eprovince.core.charts import render_png

from .content import ReviewReport, Section, Table

FONT = "DejaVuSerif"
BODY_PT = 13
TABLE_PT = 9
LINE = 6.4  # mm between lines of body text
MARGINS = {"top": 20.0, "bottom": 20.0, "left": 30.0, "right": 15.0}
ROMAN = ("I", "II", "III", "IV", "V", "VI")

# fontTools logs every glyph of every font subset at INFO: keep the worker's log readable.
logging.getLogger("fontTools").setLevel(logging.WARNING)


@cache
def font_dir() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


class _Report(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        fonts = font_dir()
        self.add_font(FONT, "", str(fonts / "DejaVuSerif.ttf"))
        self.add_font(FONT, "B", str(fonts / "DejaVuSerif-Bold.ttf"))
        self.add_font(FONT, "I", str(fonts / "DejaVuSerif-Italic.ttf"))
        self.add_font(FONT, "BI", str(fonts / "DejaVuSerif-BoldItalic.ttf"))
        self.set_margins(MARGINS["left"], MARGINS["top"], MARGINS["right"])
        self.set_auto_page_break(auto=True, margin=MARGINS["bottom"])
        self.set_text_shaping(False)

    def header(self) -> None:
        if self.page_no() > 1:
            self.set_y(10)
            self.set_font(FONT, "", 11)
            self.cell(0, 5, str(self.page_no()), align="C")
            self.set_y(MARGINS["top"])

    # Text --------------------------------------------------------------------------------------------------

    def centred(
        self, text: str, *, style: str = "", size: float = BODY_PT, x: float | None = None, w: float = 0, fit: bool = False
    ) -> None:
        """Centred text; with `fit`, the size shrinks (down to 9 pt) until the text holds on one line of `w`."""
        self.set_font(FONT, style, size)
        while fit and w and size > 9 and self.get_string_width(text) > w - 2:
            size -= 0.25
            self.set_font(FONT, style, size)
        if x is not None:
            self.set_x(x)
        self.multi_cell(w, size * 0.45, text, align="C", new_x=XPos.LEFT if x is not None else XPos.LMARGIN, new_y=YPos.NEXT)

    def rule(self, centre: float, width: float, gap: float = 1.2) -> None:
        y = self.get_y() + gap
        self.set_line_width(0.3)
        self.line(centre - width / 2, y, centre + width / 2, y)
        self.set_y(y + gap)

    def paragraph(self, text: str, *, style: str = "", size: float = BODY_PT, indent: bool = True, after: float = 2.2) -> None:
        self.set_font(FONT, style, size)
        with self.text_columns(text_align=Align.J, line_height=1.2) as columns:
            with columns.paragraph(first_line_indent=12.7 if indent else 0, bottom_margin=after) as par:
                par.write(text)


def _header(pdf: _Report, report: ReviewReport) -> None:
    h = report.header
    left_x, left_w = MARGINS["left"] - 10, 72.0
    right_x = left_x + left_w
    right_w = pdf.w - MARGINS["right"] - right_x + 4
    top = pdf.get_y()
    pdf.set_xy(left_x, top)
    if h.governing_body:
        pdf.centred(h.governing_body, size=12, x=left_x, w=left_w, fit=True)
    pdf.centred(h.agency, style="B", size=12, x=left_x, w=left_w, fit=True)
    pdf.rule(left_x + left_w / 2, 22)
    pdf.set_x(left_x)
    pdf.centred(h.number, size=12, x=left_x, w=left_w)
    left_bottom = pdf.get_y()
    pdf.set_xy(right_x, top)
    pdf.centred(h.national_name, style="B", size=12, x=right_x, w=right_w, fit=True)
    pdf.centred(h.motto, style="B", size=12.5, x=right_x, w=right_w)
    pdf.rule(right_x + right_w / 2, 58)
    pdf.ln(1.5)
    pdf.centred(h.place_date, style="I", size=12.5, x=right_x, w=right_w)
    pdf.set_xy(MARGINS["left"], max(left_bottom, pdf.get_y()) + 8)
    pdf.centred(report.doc_type, style="B", size=14)
    pdf.centred(report.subject, style="B", size=13.5)
    pdf.rule(MARGINS["left"] + pdf.epw / 2, 35)
    pdf.ln(5)


def _room(pdf: _Report, needed: float) -> None:
    """Start a new page unless `needed` mm are left (a caption stays with its table or chart)."""
    if pdf.get_y() + needed > pdf.h - MARGINS["bottom"]:
        pdf.add_page()


def _table(pdf: _Report, table: Table) -> None:
    _room(pdf, 60)
    pdf.set_font(FONT, "B", 11.5)
    pdf.ln(1)
    pdf.multi_cell(0, 5.5, table.caption, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)
    pdf.set_font(FONT, "", TABLE_PT)
    aligns = ["R" if numeric else "L" for numeric in table.numeric]
    with pdf.table(
        col_widths=table.widths,
        text_align=aligns,  # type: ignore[arg-type]
        headings_style=FontFace(emphasis="BOLD", fill_color=(235, 235, 235)),
        cell_fill_mode=TableCellFillMode.NONE,
        line_height=4.6,
        padding=1.0,
        first_row_as_headings=True,
        repeat_headings=1,
    ) as grid:
        head = grid.row()
        for title in table.columns:
            head.cell(title, align="C")
        strong = FontFace(emphasis="BOLD")
        for index, values in enumerate(table.rows):
            row = grid.row()
            for value in values:
                row.cell(value, style=strong if index in table.bold_rows else None)
    if table.note:
        pdf.ln(1)
        pdf.set_font(FONT, "I", 9.5)
        pdf.multi_cell(0, 4.5, table.note, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)


def _section(pdf: _Report, number: int, section: Section) -> None:
    if pdf.get_y() > pdf.h - MARGINS["bottom"] - 30:
        pdf.add_page()
    pdf.paragraph(f"{number}. {section.title}", style="B", after=1.5)
    for text in section.paragraphs:
        pdf.paragraph(text)
    for table in section.tables:
        _table(pdf, table)
    if section.figure is not None:
        png = render_png(section.figure.chart, dpi=150)
        width = 150.0
        pixels_w, pixels_h = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
        _room(pdf, width * pixels_h / pixels_w + 14)
        pdf.image(io.BytesIO(png), x=MARGINS["left"] + (pdf.epw - width) / 2, w=width)
        pdf.set_font(FONT, "I", 11.5)
        pdf.multi_cell(0, 5.5, section.figure.caption, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(3)


def _closing(pdf: _Report, report: ReviewReport) -> None:
    _room(pdf, 95)  # the closing sentence, the notes and the signature stay on one page
    pdf.paragraph(report.closing)
    for note in report.notes:
        pdf.paragraph(note, style="I", size=10.5)
    pdf.ln(3)
    top = pdf.get_y()
    left_w = 80.0
    pdf.set_font(FONT, "BI", 11)
    pdf.cell(left_w, 5.5, "Nơi nhận:", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 10)
    for line in report.recipients:
        pdf.cell(left_w, 4.8, f"- {line}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    bottom = pdf.get_y()
    right_x = MARGINS["left"] + left_w
    right_w = pdf.w - MARGINS["right"] - right_x
    pdf.set_xy(right_x, top)
    signer = report.signer
    for text in (signer.authority, signer.title):
        if text:
            pdf.centred(text, style="B", size=13, x=right_x, w=right_w)
    pdf.set_y(pdf.get_y() + 24)
    if signer.name:
        pdf.centred(signer.name, style="B", size=13, x=right_x, w=right_w)
    pdf.set_y(max(bottom, pdf.get_y()))


def render_pdf(report: ReviewReport) -> bytes:
    pdf = _Report()
    pdf.set_title(report.title)
    pdf.set_author(report.header.agency)
    pdf.set_lang("vi-VN")
    pdf.set_creator("e-Province")
    pdf.add_page()
    _header(pdf, report)
    for text in report.intro:
        pdf.paragraph(text)
    for index, part in enumerate(report.parts):
        pdf.paragraph(f"{ROMAN[index]}. {part.title}", style="B", after=1.5)
        for number, section in enumerate(part.sections, start=1):
            _section(pdf, number, section)
    _closing(pdf, report)
    return bytes(pdf.output())
