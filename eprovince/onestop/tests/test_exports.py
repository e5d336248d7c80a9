"""The Excel downloads: they open with openpyxl, have the title, bold headers, column widths, the right rows, real
dates shown dd/mm/yyyy, and a Vietnamese file name (RFC 5987); scoped like the dashboard."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import unquote

import pytest
from django.http import FileResponse
from django.test import Client
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from eprovince.onestop.exports import content_disposition, register_headers, stats_headers

from .factories import World, act, at, receive
from .test_statistics import finish

pytestmark = pytest.mark.django_db
URL = "/can-bo/mot-cua/thong-ke/"
MARCH_QUERY = "?tu_ngay=01/03/2026&den_ngay=31/03/2026"


def download(user: object, path: str) -> tuple[FileResponse, bytes]:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    response = client.get(URL + path + MARCH_QUERY)
    assert response.status_code == 200, response.content[:500]
    assert isinstance(response, FileResponse)
    return response, b"".join(response.streaming_content)  # type: ignore[arg-type]


def sheet(content: bytes, index: int = 0) -> Worksheet:
    return load_workbook(io.BytesIO(content)).worksheets[index]


def values(ws: Worksheet) -> list[list[object]]:
    return [list(row) for row in ws.iter_rows(values_only=True)]


def test_the_statistics_workbook(world: World) -> None:
    finish(world, receive(world, now=at(2026, 3, 9, 9)), at(2026, 3, 10, 9))
    late = receive(world, procedure=world.bts, now=at(2026, 3, 9, 9))
    assert late.due_at is not None
    finish(world, late, late.due_at + dt.timedelta(days=1))
    receive(world, now=at(2026, 2, 20, 9))  # carried over
    response, content = download(world.leader, "thong-ke.xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename=\"thong-ke-ho-so-01-03-2026-den-31-03-2026.xlsx\"; filename*=UTF-8''")
    assert unquote(disposition.split("''", 1)[1]) == "Thống kê hồ sơ 01-03-2026 đến 31-03-2026.xlsx"

    ws = sheet(content)
    rows = values(ws)
    assert rows[0][0] == "THỐNG KÊ KẾT QUẢ GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH" and ws["A1"].font.bold
    assert rows[1][0] == "Kỳ thống kê: từ ngày 01/03/2026 đến ngày 31/03/2026"
    assert rows[3] == stats_headers("Thủ tục hành chính")
    assert all(cell.font.bold for cell in ws[4])
    assert ws.column_dimensions["B"].width == 48
    by_name = {r[1]: r for r in rows[4:]}
    postal, bts, total = by_name["Cấp giấy phép bưu chính"], by_name["Cấp phép lắp đặt trạm BTS"], by_name["Tổng cộng"]
    # online, counter, post, carried over, total, early, on time, late, refused, withdrawn, in progress, overdue, rate
    assert postal[2:15] == [0, 1, 0, 1, 2, 1, 0, 0, 0, 0, 1, 1, 1.0]
    assert bts[2:15] == [0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0.0]
    assert total[2:15] == [0, 2, 0, 1, 3, 1, 0, 1, 0, 0, 1, 1, 0.5]
    assert ws.cell(row=len(rows), column=15).number_format == "0.0%"
    agencies = values(sheet(content, 1))
    assert agencies[3][1] == "Cơ quan giải quyết" and agencies[4][1] == "Sở Khoa học và Công nghệ" and agencies[4][6] == 3


def test_the_tracking_register_form_06(world: World) -> None:
    first = receive(world, now=at(2026, 3, 9, 9), applicant_address="12 Lê Lợi, phường Bến Thành")
    first = finish(world, first, at(2026, 3, 10, 15))
    second = receive(world, procedure=world.bts, now=at(2026, 3, 12, 14))
    withdrawn = receive(world, now=at(2026, 3, 13, 9))
    act(withdrawn, "withdraw", world.clerk, now=at(2026, 3, 16, 9), reason="Người nộp xin rút.")
    receive(world, now=at(2026, 4, 1, 9))  # after the period
    response, content = download(world.leader, "so-theo-doi.xlsx")
    assert "filename*=UTF-8''S%E1%BB%95%20theo%20d%C3%B5i%20h%E1%BB%93%20s%C6%A1" in response["Content-Disposition"]
    ws = sheet(content)
    rows = values(ws)
    assert rows[0][0] == "SỔ THEO DÕI HỒ SƠ" and ws["A1"].font.bold
    assert rows[3] == register_headers()
    assert rows[3][:5] == ["STT", "Mã hồ sơ", "Tên thủ tục hành chính", "Tên tổ chức, cá nhân", "Địa chỉ, số điện thoại"]
    assert all(cell.font.bold for cell in ws[4])
    body = rows[4:]
    assert [r[1] for r in body] == [first.code, second.code, withdrawn.code]
    assert body[0][0] == 1 and body[0][2] == "Cấp giấy phép bưu chính" and body[0][3] == "Nguyễn Văn Đông"
    assert body[0][4] == "12 Lê Lợi, phường Bến Thành – 0912 345 678"
    assert body[0][5] == dt.datetime(2026, 3, 9) and body[0][7] == dt.datetime(2026, 3, 9)  # received, handed over
    assert body[0][8] == dt.datetime(2026, 3, 10) and body[0][9] == "Trả trước hạn"
    assert isinstance(body[0][6], dt.datetime)  # the appointment
    assert ws.cell(row=5, column=6).number_format == "dd/mm/yyyy"
    assert body[1][8] is None and body[1][9] == "Đang xử lý"
    assert body[2][8] is None and body[2][9] == "Đã rút hồ sơ"


def test_an_officer_of_another_agency_downloads_empty_files(world: World) -> None:
    receive(world, now=at(2026, 3, 9, 9))
    _, content = download(world.outsider, "so-theo-doi.xlsx")
    assert len(values(sheet(content))) == 4  # title, period, blank, headers
    _, content = download(world.outsider, "thong-ke.xlsx")
    assert values(sheet(content))[4][1] == "Tổng cộng"


def test_the_content_disposition_keeps_an_ascii_fallback() -> None:
    header = content_disposition("Sổ theo dõi hồ sơ.xlsx", "so-theo-doi-ho-so.xlsx")
    assert (
        header
        == "attachment; filename=\"so-theo-doi-ho-so.xlsx\"; filename*=UTF-8''S%E1%BB%95%20theo%20d%C3%B5i%20h%E1%BB%93%20s%C6%A1.xlsx"
    )
