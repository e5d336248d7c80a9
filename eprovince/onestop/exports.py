"""Excel workbooks (openpyxl, write-only so a long register stays small in memory): the statistics table and the
tracking register (sổ theo dõi hồ sơ, form 06 of Circular 01/2018/TT-VPCP), sent as downloads with a Vietnamese
file name (RFC 6266 / RFC 5987 `filename*`, with a plain ASCII `filename` for old clients). Every cell is written
by core.spreadsheets: an applicant's "=HYPERLINK(…)" is text in the register, never a formula."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from eprovince.core.http import content_disposition
from eprovince.core.spreadsheets import new_cell
from eprovince.core.text import fold

from .constants import DossierStatus
from .models import Dossier
from .statistics import Row, Statistics, StatsFilters, finish_class

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE = "dd/mm/yyyy"
TITLE = Font(bold=True, size=14)
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E3E8EB")
THIN = Side(style="thin", color="9AA5AB")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTRE = Alignment(wrap_text=True, horizontal="center", vertical="center")


def _cell(ws: WriteOnlyWorksheet, value: Any, *, font: Font | None = None, fmt: str = "", header: bool = False,
          boxed: bool = True) -> Cell:  # fmt: skip
    cell = new_cell(ws, value)  # user text as text, never a formula
    if font is not None:
        cell.font = font
    if fmt:
        cell.number_format = fmt
    if header:
        cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, CENTRE
    elif boxed:
        cell.alignment = WRAP
    if boxed:
        cell.border = BOX
    return cell


def _sheet(wb: Workbook, title: str, widths: Sequence[float]) -> WriteOnlyWorksheet:
    ws = wb.create_sheet(title[:31])
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    return ws


def _title(ws: WriteOnlyWorksheet, title: str, subtitle: str) -> None:
    ws.append([_cell(ws, title, font=TITLE, boxed=False)])
    ws.append([_cell(ws, subtitle, boxed=False)])
    ws.append([])


def _local_date(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(moment).date() if moment else None


def period_text(filters: StatsFilters) -> str:
    text = _("Kỳ thống kê: từ ngày %(start)s đến ngày %(end)s") % {
        "start": f"{filters.start:%d/%m/%Y}", "end": f"{filters.end:%d/%m/%Y}"
    }  # fmt: skip
    if filters.agency is not None:
        text += "; " + _("cơ quan: %(name)s") % {"name": filters.agency.name}
    if filters.procedure is not None:
        text += "; " + _("thủ tục: %(name)s") % {"name": filters.procedure.name}
    return text


# --- Statistics ------------------------------------------------------------------------------------------------------


def stats_headers(first: str) -> list[str]:
    return [
        _("STT"), first, _("Tiếp nhận trực tuyến"), _("Tiếp nhận trực tiếp"), _("Tiếp nhận qua bưu chính"),
        _("Kỳ trước chuyển qua"), _("Tổng số"), _("Giải quyết trước hạn"), _("Giải quyết đúng hạn"),
        _("Giải quyết quá hạn"), _("Từ chối"), pgettext("thống kê: số hồ sơ rút", "Rút hồ sơ"), _("Đang giải quyết"), _("Đang giải quyết quá hạn"),
        _("Tỷ lệ đúng hạn"), _("Mức độ hài lòng (1-5)"),
    ]  # fmt: skip


def _stats_values(row: Row) -> list[Any]:
    rate = float(row.on_time_rate) / 100 if row.on_time_rate is not None else None
    satisfaction = float(row.satisfaction) if row.satisfaction is not None else None
    return [
        row.received_online, row.received_counter, row.received_post, row.carried_over, row.total, row.early,
        row.on_time, row.late, row.refused, row.withdrawn, row.in_progress, row.overdue_in_progress, rate, satisfaction,
    ]  # fmt: skip


def _stats_sheet(wb: Workbook, title: str, first: str, rows: list[Row], total: Row, filters: StatsFilters) -> None:
    ws = _sheet(wb, title, [6, 48, *([12] * 12), 11, 12])
    _title(ws, _("THỐNG KÊ KẾT QUẢ GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH"), period_text(filters))
    ws.append([_cell(ws, h, header=True) for h in stats_headers(first)])
    formats = [""] * 12 + ["0.0%", "0.0"]
    for n, row in enumerate(rows, start=1):
        ws.append(
            [_cell(ws, n), _cell(ws, row.label), *(_cell(ws, v, fmt=f) for v, f in zip(_stats_values(row), formats, strict=True))]
        )
    total_cells = [_cell(ws, v, fmt=f, font=BOLD) for v, f in zip(_stats_values(total), formats, strict=True)]
    ws.append([_cell(ws, ""), _cell(ws, _("Tổng cộng"), font=BOLD), *total_cells])


def statistics_workbook(stats: Statistics) -> io.BytesIO:
    wb = Workbook(write_only=True)
    _stats_sheet(wb, _("Theo thủ tục"), _("Thủ tục hành chính"), stats.by_procedure, stats.total, stats.filters)
    _stats_sheet(wb, _("Theo cơ quan"), _("Cơ quan giải quyết"), stats.by_agency, stats.total, stats.filters)
    return _save(wb)


# --- Tracking register (form 06) -------------------------------------------------------------------------------------


def register_headers() -> list[str]:
    return [
        _("STT"), _("Mã hồ sơ"), _("Tên thủ tục hành chính"), _("Tên tổ chức, cá nhân"), _("Địa chỉ, số điện thoại"),
        _("Ngày nhận hồ sơ"), _("Ngày hẹn trả kết quả"), _("Ngày chuyển hồ sơ"), _("Ngày trả kết quả"), _("Ghi chú"),
    ]  # fmt: skip


def register_note(d: Dossier) -> str:
    if d.status == DossierStatus.DONE and d.finished_at is not None:
        note = {"early": _("Trả trước hạn"), "on_time": _("Trả đúng hạn"), "late": _("Trả quá hạn")}[
            finish_class(d.finished_at, d.due_at)
        ]
    else:
        note = str(d.get_status_display())
    if d.apology_due_at is not None:
        note += "; " + _("đã xin lỗi, hẹn lại ngày %(date)s") % {"date": f"{timezone.localtime(d.apology_due_at):%d/%m/%Y}"}
    return note


def register_workbook(dossiers: Iterable[Dossier], filters: StatsFilters) -> io.BytesIO:
    wb = Workbook(write_only=True)
    ws = _sheet(wb, _("Sổ theo dõi hồ sơ"), [6, 26, 44, 30, 34, 13, 13, 13, 13, 26])
    _title(ws, _("SỔ THEO DÕI HỒ SƠ"), period_text(filters))
    ws.append([_cell(ws, h, header=True) for h in register_headers()])
    for n, d in enumerate(dossiers.iterator(chunk_size=2000) if hasattr(dossiers, "iterator") else dossiers, start=1):
        contact = " – ".join(part for part in (d.applicant_address, d.applicant_phone) if part)
        returned = d.finished_at if d.status == DossierStatus.DONE else None
        ws.append([
            _cell(ws, n), _cell(ws, d.code), _cell(ws, d.procedure.name), _cell(ws, d.applicant_name), _cell(ws, contact),
            _cell(ws, _local_date(d.received_at), fmt=DATE), _cell(ws, _local_date(d.due_at), fmt=DATE),
            _cell(ws, _local_date(getattr(d, "handed_over_at", None)), fmt=DATE), _cell(ws, _local_date(returned), fmt=DATE),
            _cell(ws, register_note(d)),
        ])  # fmt: skip
    return _save(wb)


# --- Files -----------------------------------------------------------------------------------------------------------


def _save(wb: Workbook) -> io.BytesIO:
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer


def file_names(stem: str, filters: StatsFilters) -> tuple[str, str]:
    """("Thống kê hồ sơ 01-03-2026 đến 31-03-2026.xlsx", "thong-ke-ho-so-01-03-2026-den-31-03-2026.xlsx")."""
    name = f"{stem} {filters.start:%d-%m-%Y} {_('đến')} {filters.end:%d-%m-%Y}"
    return f"{name}.xlsx", "-".join(fold(name).split()) + ".xlsx"


def xlsx_response(buffer: io.BytesIO, filename: str, ascii_name: str) -> FileResponse:
    """The workbook as a download, sent in chunks."""
    buffer.seek(0)
    response = FileResponse(buffer, as_attachment=True, filename=ascii_name, content_type=XLSX)
    response["Content-Disposition"] = content_disposition(filename, ascii_name)
    response["Cache-Control"] = "private, no-store"
    return response
