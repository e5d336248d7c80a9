"""The pivot's Excel export carries what a person needs to forward it: a title, the indicators with their units, the
filters used, the source and the date of export above the table; numbers kept as numbers in the formats a
Vietnamese Excel shows as 4.020 and 252,1; the header row frozen below the title block; columns wide enough."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from . import factories as f
from .test_pivot import committee_history, query

pytestmark = pytest.mark.django_db
EXPORT = reverse("indicators:pivot_export")


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> dt.datetime:
    moment = dt.datetime(2026, 12, 7, 2, 30, tzinfo=dt.UTC)  # 09:30 in Ho Chi Minh City
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment


def sheet_of(world: f.World, **extra: Any) -> Any:
    client = Client()
    client.force_login(world.leader)
    response = client.get(EXPORT, query(world, **extra))
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


def column_a(sheet: Any) -> list[str]:
    return [str(row[0]) for row in sheet.iter_rows(max_col=1, values_only=True) if row[0] is not None]


def test_the_export_opens_with_a_title_the_filters_the_source_and_the_date(world: f.World, frozen: dt.datetime) -> None:
    committee_history(world)
    sheet = sheet_of(world)
    lines = column_a(sheet)
    assert lines[0] == "Tổng hợp chỉ tiêu ngành theo đơn vị và kỳ, kỳ năm, 2023–2024"
    assert sheet.cell(1, 1).font.bold
    assert "Chỉ tiêu (đơn vị tính): Hội nghị trực tuyến (cuộc)" in lines
    assert "Đơn vị: Toàn tỉnh; Ủy ban nhân dân thị xã Tân Châu; Ủy ban nhân dân huyện Châu Thành" in lines
    assert "Kỳ: Năm, năm 2023–2024" in lines
    assert any(line.startswith("Nguồn: số liệu đã phê duyệt") for line in lines)
    assert any(line.startswith("Ngày xuất: 07/12/2026 lúc 09:30, người xuất: Trần Minh Thuận") for line in lines)


def test_the_table_below_keeps_its_numbers_formats_frozen_header_and_widths(world: f.World, frozen: dt.datetime) -> None:
    committee_history(world)
    sheet = sheet_of(world)
    header = next(r for r in range(1, 20) if sheet.cell(r, 1).value == "Đơn vị")
    assert header > 6
    assert sheet.freeze_panes == f"B{header + 1}"
    rows = {r[0]: r[1:] for r in sheet.iter_rows(min_row=header + 1, values_only=True)}
    assert rows["Toàn tỉnh"] == (16, 21)
    assert sheet.cell(header + 1, 2).number_format == "#,##0"
    assert sheet.column_dimensions["A"].width >= 28 and sheet.column_dimensions["B"].width >= 14


def test_all_indicators_are_named_with_their_units_when_none_is_chosen(world: f.World, frozen: dt.datetime) -> None:
    f.approved(world, world.enterprise_form, "2024S1", world.vnpt, {"REVENUE": "252.1"})
    sheet = sheet_of(world, rows="indicator", period_type="six_months", indicators=[], units=[])
    lines = column_a(sheet)
    indicators = next(line for line in lines if line.startswith("Chỉ tiêu (đơn vị tính):"))
    assert "tất cả chỉ tiêu" in indicators and "Doanh thu bưu chính, viễn thông, CNTT (tỷ đồng)" in indicators
    assert "Đơn vị: Toàn tỉnh" in lines
    header = next(r for r in range(1, 20) if sheet.cell(r, 2).value == "Đơn vị tính")
    revenue = next(r for r in range(header, header + 20) if sheet.cell(r, 1).value == "Doanh thu bưu chính, viễn thông, CNTT")
    assert sheet.cell(revenue, 3).value == 252.1 and sheet.cell(revenue, 3).number_format == "#,##0.0"
