"""The receipt and appointment slip (Giấy tiếp nhận hồ sơ và hẹn trả kết quả, form 01 of Circular 01/2018/TT-VPCP)
as a PDF, with a QR code leading to the public tracking page of the dossier.

Pure Python: fpdf2 lays out the page, segno draws the QR code, and the DejaVu Sans fonts bundled with matplotlib
cover Vietnamese, so no system font is needed. The same slip serves the applicant (online) and the clerk (walk-in)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from . import selectors
from .constants import DossierStatus, FileKind
from .models import Dossier, DossierEvent, DossierFile
from .pdf_layout import FONT, MOTTO, NATIONAL_TITLE, NEXT_LINE, date_words, font_dir, qr_png


@dataclass(frozen=True)
class DocumentLine:
    name: str
    copies: int
    files: int


@dataclass(frozen=True)
class SlipData:
    """Everything the slip prints, read from the database once."""

    dossier: Dossier
    parent_name: str
    documents: list[DocumentLine]
    receiver: str
    received: bool
    moment: dt.datetime
    appointment: dt.datetime | None
    tracking_url: str


def slip_data(dossier: Dossier, *, tracking_url: str, expected: dt.datetime | None) -> SlipData:
    agency = dossier.receiving_agency
    parent = agency.parent.name if agency.parent_id and agency.parent else ""
    files = list(DossierFile.objects.filter(dossier=dossier, kind=FileKind.APPLICATION).select_related("document"))
    counts: dict[int | None, int] = {}
    for item in files:
        counts[item.document_id] = counts.get(item.document_id, 0) + 1
    lines = [DocumentLine(d.name, d.copies, counts[d.pk]) for d in dossier.procedure.documents.all() if d.pk in counts]
    if counts.get(None):
        lines.append(DocumentLine(_("Tệp khác của tờ khai"), 1, counts[None]))
    receiving = (
        DossierEvent.objects.filter(dossier=dossier, action__in=("receive", "accept"))
        .exclude(actor_name="")
        .order_by("created_at", "pk")
        .first()
    )
    received = dossier.received_at is not None
    moment = dossier.received_at or dossier.submitted_at or dossier.created_at or timezone.now()
    return SlipData(
        dossier=dossier, parent_name=parent, documents=lines, receiver=receiving.actor_name if receiving else "",
        received=received, moment=moment, appointment=dossier.appointment_at if received else expected,
        tracking_url=tracking_url,
    )  # fmt: skip


def _when(moment: dt.datetime | None) -> str:
    if moment is None:
        return "—"
    local = timezone.localtime(moment)
    return _("%(h)s giờ %(m)s phút, ngày %(date)s") % {"h": f"{local:%H}", "m": f"{local:%M}", "date": f"{local:%d/%m/%Y}"}


class _Slip(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        fonts = font_dir()
        self.add_font(FONT, "", str(fonts / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(fonts / "DejaVuSans-Bold.ttf"))
        self.add_font(FONT, "I", str(fonts / "DejaVuSans-Oblique.ttf"))
        self.set_margins(18, 14, 15)
        self.set_auto_page_break(auto=True, margin=15)

    def line_text(self, text: str, *, style: str = "", size: float = 10.5, height: float = 6, align: str = "L") -> None:
        self.set_font(FONT, style, size)
        self.multi_cell(0, height, text, align=align, **NEXT_LINE)

    def labelled(self, label: str, value: str) -> None:
        """ "Label: value" with the value in bold, wrapped over the page's width."""
        self.set_font(FONT, "", 10.5)
        self.write(6, f"{label}: ")
        self.set_font(FONT, "B", 10.5)
        self.write(6, value)
        self.ln(6)


def render_receipt(data: SlipData) -> bytes:
    d = data.dossier
    pdf = _Slip()
    pdf.set_title(_("Giấy tiếp nhận hồ sơ %(code)s") % {"code": d.code})
    pdf.set_author(d.receiving_agency.name)
    pdf.set_creator(settings.PLATFORM_NAME)
    pdf.set_lang("vi")
    pdf.add_page()
    width = pdf.epw
    left_w, right_w = width * 0.42, width * 0.58
    top = pdf.get_y()
    # Header: the agency on the left, the national motto on the right.
    pdf.set_font(FONT, "", 9)
    if data.parent_name:
        pdf.multi_cell(left_w, 4.5, data.parent_name.upper(), align="C", **NEXT_LINE)
    pdf.set_font(FONT, "B", 9)
    pdf.multi_cell(left_w, 4.5, d.receiving_agency.name.upper(), align="C", **NEXT_LINE)
    left_bottom = pdf.get_y()
    pdf.line(pdf.l_margin + left_w * 0.3, left_bottom + 1, pdf.l_margin + left_w * 0.7, left_bottom + 1)
    pdf.set_xy(pdf.l_margin + left_w, top)
    pdf.set_font(FONT, "B", 9.5)
    pdf.cell(right_w, 4.5, NATIONAL_TITLE, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font(FONT, "B", 10)
    pdf.cell(right_w, 5, MOTTO, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    motto_y = pdf.get_y()
    pdf.line(pdf.l_margin + left_w + right_w * 0.25, motto_y + 0.5, pdf.l_margin + left_w + right_w * 0.75, motto_y + 0.5)
    local = timezone.localtime(data.moment)
    pdf.set_xy(pdf.l_margin + left_w, motto_y + 3)
    pdf.set_font(FONT, "I", 9.5)
    date_line = date_words(local.date())
    pdf.cell(right_w, 5, date_line, align="C", **NEXT_LINE)
    # The QR code under the agency's name, then the title.
    qr_size = 24
    qr_y = left_bottom + 4
    pdf.image(qr_png(data.tracking_url), x=pdf.l_margin + (left_w - qr_size) / 2, y=qr_y, w=qr_size, h=qr_size)
    pdf.set_font(FONT, "", 7)
    pdf.set_xy(pdf.l_margin, qr_y + qr_size)
    pdf.cell(left_w, 3.5, _("Quét mã để tra cứu hồ sơ"), align="C")
    pdf.set_y(max(qr_y + qr_size + 6, pdf.get_y()))
    pdf.line_text("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", style="B", size=13, height=7, align="C")
    pdf.line_text(_("Mã hồ sơ: %(code)s") % {"code": d.code}, style="B", size=10.5, align="C")
    pdf.ln(3)
    # Body.
    pdf.line_text(_("Bộ phận tiếp nhận và trả kết quả – %(agency)s tiếp nhận hồ sơ của:") % {"agency": d.receiving_agency.name})
    pdf.labelled(_("Tổ chức, cá nhân"), d.applicant_name)
    if d.applicant_id_number:
        pdf.labelled(_("Số định danh cá nhân hoặc mã số doanh nghiệp"), d.applicant_id_number)
    if d.applicant_address:
        pdf.labelled(_("Địa chỉ"), d.applicant_address)
    contact = " – ".join(x for x in (d.applicant_phone, d.applicant_email) if x)
    if contact:
        pdf.labelled(_("Điện thoại, thư điện tử"), contact)
    pdf.labelled(_("Nội dung yêu cầu giải quyết"), f"{d.procedure.name} ({d.procedure.national_code})")
    pdf.ln(1)
    pdf.line_text(_("1. Thành phần hồ sơ nộp gồm:"))
    pdf.set_font(FONT, "", 9.5)
    with pdf.table(
        col_widths=(10, 104, 22, 22), text_align=("CENTER", "LEFT", "CENTER", "CENTER"), line_height=5.5, padding=1.2,
        headings_style=FontFace(emphasis="BOLD", fill_color=(238, 241, 243)),
    ) as table:  # fmt: skip
        heading = table.row()
        for text in (_("TT"), _("Tên giấy tờ"), _("Số bản"), _("Số tệp")):
            heading.cell(text)
        for number, line in enumerate(data.documents, start=1):
            row = table.row()
            for text in (str(number), line.name, f"{line.copies:02d}", str(line.files)):
                row.cell(text)
        if not data.documents:
            table.row().cell(_("Không có giấy tờ đính kèm."), colspan=4)
    pdf.ln(2)
    pdf.line_text(_("2. Số lượng hồ sơ: 01 (bộ)."))
    days = d.procedure.processing_days
    pdf.line_text(_("3. Thời gian giải quyết hồ sơ theo quy định: %(n)s ngày làm việc.") % {"n": days})
    if data.received:
        pdf.line_text(_("4. Thời gian nhận hồ sơ: %(when)s.") % {"when": _when(data.moment)})
    else:
        pdf.line_text(
            _("4. Thời gian nộp hồ sơ trực tuyến: %(when)s (chờ cán bộ một cửa tiếp nhận).") % {"when": _when(data.moment)}
        )
    label = _("5. Thời gian trả kết quả giải quyết hồ sơ") if data.received else _("5. Thời gian trả kết quả dự kiến")
    pdf.line_text(f"{label}: {_when(data.appointment)}.")
    pdf.line_text(_("6. Hình thức nộp hồ sơ: %(channel)s.") % {"channel": d.get_channel_display()})
    if not data.received and d.status != DossierStatus.DRAFT:
        pdf.line_text(
            _("Hồ sơ nộp trực tuyến: ngày hẹn trả được tính lại từ khi cán bộ một cửa tiếp nhận hồ sơ hợp lệ."),
            style="I", size=9,
        )  # fmt: skip
    pdf.line_text(
        _("Tra cứu tình trạng hồ sơ tại %(url)s bằng mã hồ sơ và số điện thoại hoặc thư điện tử đã khai.") % {"url": data.tracking_url},
        style="I", size=9,
    )  # fmt: skip
    # Signatures.
    pdf.ln(4)
    if pdf.will_page_break(36):
        pdf.add_page()
    y = pdf.get_y()
    half = width / 2
    receiver = data.receiver or (_("Tiếp nhận trực tuyến") if d.channel == "online" else "")
    for column, (title, name) in enumerate(((_("NGƯỜI NỘP HỒ SƠ"), d.applicant_name), (_("NGƯỜI TIẾP NHẬN HỒ SƠ"), receiver))):
        x = pdf.l_margin + column * half
        pdf.set_xy(x, y)
        pdf.set_font(FONT, "B", 10)
        pdf.multi_cell(half, 5, title, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        pdf.set_font(FONT, "I", 9)
        pdf.multi_cell(half, 4.5, _("(Ký và ghi rõ họ tên)"), align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        pdf.set_xy(x, y + 28)
        pdf.set_font(FONT, "B", 10)
        pdf.multi_cell(half, 5, name, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    return bytes(pdf.output())


def pdf_response(dossier: Dossier, *, site_url: str) -> HttpResponse:
    """The slip of `dossier` as an inline PDF (the browser shows it, ready to print or save)."""
    data = slip_data(
        dossier, tracking_url=selectors.tracking_url(site_url, dossier.code), expected=selectors.expected_return(dossier)
    )
    response = HttpResponse(render_receipt(data), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="giay-tiep-nhan-{dossier.code}.pdf"'
    return response
