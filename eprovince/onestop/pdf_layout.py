"""What the one-stop PDFs share: the fonts (DejaVu from matplotlib, so no system font and no network), the QR code
(segno), and the head of a Vietnamese administrative document (Decree 30/2020/NĐ-CP: the issuing agency under its
parent on the left with the number, the national title and motto on the right with the place and date)."""

from __future__ import annotations

import datetime as dt
import io
import re
from functools import cache
from pathlib import Path
from typing import Any

import segno
from django.conf import settings
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from eprovince.core.models import Organisation

FONT = "DejaVu"
SERIF = "DejaVuSerif"
NEXT_LINE: dict[str, Any] = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


@cache
def font_dir() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def qr_png(url: str) -> io.BytesIO:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=4, border=2)
    buffer.seek(0)
    return buffer


def date_words(day: dt.date) -> str:
    """ "ngày 15 tháng 01 năm 2026" (days and months below 10 with a leading zero, as Decree 30 writes them)."""
    return _("ngày %(d)s tháng %(m)s năm %(y)s") % {"d": f"{day:%d}", "m": f"{day:%m}", "y": f"{day:%Y}"}


_PLACE_IN_NAME = re.compile(r"\b(?:tỉnh|thành phố)\s+(.+)$", re.IGNORECASE)


def place_of(org: Organisation) -> str:
    """Where an agency signs: the province or city named in its name or its parents' ("An Giang"), else ""."""
    node: Organisation | None = org
    for _depth in range(6):
        if node is None:
            break
        match = _PLACE_IN_NAME.search(node.name)
        if match:
            return match.group(1).strip()
        node = node.parent if node.parent_id else None
    return ""


def place_and_date(org: Organisation, day: dt.date) -> str:
    """ "An Giang, ngày 15 tháng 01 năm 2026"."""
    place = place_of(org)
    words = date_words(day)
    return f"{place}, {words}" if place else words[:1].upper() + words[1:]


def issuer_symbol(org: Organisation) -> str:
    """The agency's abbreviation in a document number, from its short name: "Sở KH&CN" → "SKHCN", "UBND tỉnh" →
    "UBND". Words in capitals keep their capitals; a capitalised word gives its initial; lower-case words none."""
    parts: list[str] = []
    for word in (org.short_name or org.name).split():
        letters = [c for c in word if c.isalpha()]
        if not letters or not letters[0].isupper():
            continue
        capitals = [c for c in letters if c.isupper()]
        parts.extend(capitals if len(capitals) > 1 else letters[:1])
    return "".join(parts) or "CQ"


def document_number(sequence: int, symbol: str, issuer: str) -> str:
    """ "05/GP-SKHCN"; without a type symbol "05/SKHCN" (a numbered letter). Numbers below 10 get a leading zero."""
    return f"{sequence:02d}/{symbol}-{issuer}" if symbol else f"{sequence:02d}/{issuer}"


class OfficialPage(FPDF):
    """An A4 page with DejaVu Serif (regular, bold, italic: each font parsed costs about 0.1 s, so no more than
    these three) and Decree 30 margins (left 30 mm, right 15 mm)."""

    def __init__(self, *, title: str, author: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        fonts = font_dir()
        self.add_font(SERIF, "", str(fonts / "DejaVuSerif.ttf"))
        self.add_font(SERIF, "B", str(fonts / "DejaVuSerif-Bold.ttf"))
        self.add_font(SERIF, "I", str(fonts / "DejaVuSerif-Italic.ttf"))
        self.set_margins(30, 20, 15)
        self.set_auto_page_break(auto=True, margin=20)
        self.set_title(title)
        self.set_author(author)
        self.set_creator(settings.PLATFORM_NAME)
        self.set_lang("vi")
        self.add_page()

    def text_line(self, text: str, *, style: str = "", size: float = 11.5, height: float = 6.2, align: str = "J") -> None:
        self.set_font(SERIF, style, size)
        self.multi_cell(0, height, text, align=align, **NEXT_LINE)

    def labelled(self, label: str, value: str, *, size: float = 11.5) -> None:
        """ "Label: value", the value in bold, wrapped over the page's width."""
        self.set_font(SERIF, "", size)
        self.write(6.2, f"{label}: ")
        self.set_font(SERIF, "B", size)
        self.write(6.2, value or "—")
        self.ln(6.2)

    def head(self, *, parent: str, agency: str, number: str, place_date: str) -> None:
        """The two-column head of an administrative document."""
        width = self.epw
        left_w, right_w = width * 0.4, width * 0.6
        top = self.get_y()
        self.set_font(SERIF, "", 10)
        if parent:
            self.multi_cell(left_w, 4.8, parent.upper(), align="C", **NEXT_LINE)
        self.set_font(SERIF, "B", 10)
        self.multi_cell(left_w, 4.8, agency.upper(), align="C", **NEXT_LINE)
        y = self.get_y()
        self.line(self.l_margin + left_w * 0.3, y + 1.6, self.l_margin + left_w * 0.7, y + 1.6)
        self.set_xy(self.l_margin, y + 3.5)
        self.set_font(SERIF, "", 10.5)
        self.cell(left_w, 5.5, number, align="C")
        left_bottom = y + 9
        self.set_xy(self.l_margin + left_w, top)
        self.set_font(SERIF, "B", 10)
        self.cell(right_w, 4.8, NATIONAL_TITLE, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        self.set_font(SERIF, "B", 11)
        self.cell(right_w, 5.5, MOTTO, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        motto_y = self.get_y()
        self.line(self.l_margin + left_w + right_w * 0.22, motto_y + 0.5, self.l_margin + left_w + right_w * 0.78, motto_y + 0.5)
        self.set_xy(self.l_margin + left_w, max(motto_y + 2.5, left_bottom - 5.5))
        self.set_font(SERIF, "I", 10.5)
        self.multi_cell(right_w, 5.5, place_date, align="C", **NEXT_LINE)
        self.set_y(max(self.get_y(), left_bottom) + 6)

    def title_block(self, title: str, subtitle: str = "") -> None:
        self.text_line(title, style="B", size=13.5, height=7, align="C")
        if subtitle:
            self.text_line(subtitle, style="B", size=11.5, align="C")
        self.ln(3)

    def signature(self, lines: list[str], note: str, name: str, *, left: list[str] | None = None) -> None:
        """The signature block on the right half (position lines, the note in brackets, room to sign, the name);
        `left` lines (e.g. "Nơi nhận") on the left half."""
        self.ln(4)
        if self.will_page_break(45):
            self.add_page()
        y = self.get_y()
        half = self.epw / 2
        if left:
            self.set_xy(self.l_margin, y)
            for i, text in enumerate(left):
                self.set_font(SERIF, "B" if i == 0 else "", 10 if i == 0 else 9.5)
                self.multi_cell(half - 5, 4.8, text, align="L", new_x=XPos.LEFT, new_y=YPos.NEXT)
        x = self.l_margin + half
        self.set_xy(x, y)
        self.set_font(SERIF, "B", 11)
        for text in lines:
            self.multi_cell(half, 5.5, text, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        if note:
            self.set_font(SERIF, "I", 10)
            self.multi_cell(half, 5, note, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        self.set_xy(x, self.get_y() + 20)
        self.set_font(SERIF, "B", 11.5)
        self.multi_cell(half, 5.5, name or " ", align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        self.set_x(self.l_margin)

    def qr_block(self, url: str, caption: str, *, size: float = 24) -> None:
        """A QR code at the left margin with a caption beside it, below what is already on the page."""
        self.ln(4)
        if self.will_page_break(size + 4):
            self.add_page()
        y = self.get_y()
        self.image(qr_png(url), x=self.l_margin, y=y, w=size, h=size)
        self.set_xy(self.l_margin + size + 3, y + 3)
        self.set_font(SERIF, "I", 8.5)
        self.multi_cell(self.epw - size - 3, 4.2, caption, align="L", **NEXT_LINE)
        self.set_y(max(self.get_y(), y + size) + 2)

    def output_bytes(self) -> bytes:
        return bytes(self.output())
