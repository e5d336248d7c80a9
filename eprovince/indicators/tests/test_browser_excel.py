"""Reporting by Excel in a real browser: an enterprise's officer downloads the template of its report, fills it
(with one bad cell), uploads it and sees the cell named with nothing saved, fixes it, uploads again and sees the
values and the validation results at once.
Screenshots: docs/screenshots/indicators-excel-error.png, indicators-excel.png."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from eprovince.core.testing import TEST_PASSWORD

from .. import excel
from ..models import DataValue
from . import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VALUES = {"REVENUE": 252.1, "SUB_PHONE": 410000, "SUB_INTERNET": 4521, "SUB_BROADBAND": 4020, "SUB_MOBILE.VNPT": 300000}


def login(page: Page, username: str) -> None:
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def filled(template: Path, target: Path, values: dict[str, Any]) -> Path:
    wb = load_workbook(template)
    meta = wb[excel.META_SHEET]
    where = {key: number for number, key in meta.iter_rows(min_row=len(excel._META_KEYS) + 3, max_col=2, values_only=True)}
    for key, value in values.items():
        wb[excel.SHEET][f"F{where[key]}"] = value
    wb.save(target)
    return target


def test_an_officer_uploads_the_excel_template_fixes_the_named_cell_and_sees_the_values(
    page: Page, world: f.World, tmp_path: Path, screenshot: Any, axe: Any
) -> None:
    round_ = f.open_round(world, world.enterprise_form, "2024S1")
    sub = f.submission(round_, world.vnpt)
    login(page, "baocao_vnpt")
    page.goto(f"/can-bo/chi-tieu/bao-cao/{sub.pk}/")
    expect(page.get_by_role("heading", name="Nhập bằng tệp Excel")).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải mẫu Excel (.xlsx)").click()
    download = download_info.value
    assert download.suggested_filename == "Mẫu nhập DN_VT - VNPT An Giang - 6 tháng đầu năm 2024.xlsx"
    template = tmp_path / "mau.xlsx"
    download.save_as(template)

    wrong = filled(template, tmp_path / "bao-cao-vnpt.xlsx", {**VALUES, "BTS": "abc"})
    page.get_by_label("Tệp Excel đã điền").set_input_files(wrong)
    page.get_by_role("button", name="Nhập từ tệp Excel").click()
    messages = page.locator(".messages")
    expect(messages).to_contain_text("Chưa nhập được tệp “bao-cao-vnpt.xlsx”: 1 lỗi, không có số liệu nào của tệp được lưu.")
    expect(messages).to_contain_text("Trang 'Số liệu', dòng 17, cột F: giá trị “abc” không phải là số.")
    assert not DataValue.objects.exists()
    assert axe(page) == []
    screenshot(page, "indicators-excel-error")

    fixed = filled(template, tmp_path / "bao-cao-vnpt.xlsx", {**VALUES, "BTS": 120})
    page.get_by_label("Tệp Excel đã điền").set_input_files(fixed)
    page.get_by_role("button", name="Nhập từ tệp Excel").click()
    expect(messages).to_contain_text("Đã nhập tệp “bao-cao-vnpt.xlsx”: 6 giá trị mới, 0 giá trị sửa, 0 giá trị không đổi.")
    expect(page.get_by_label("Doanh thu bưu chính, viễn thông, CNTT", exact=True)).to_have_value("252,1")
    expect(page.get_by_label("Thuê bao điện thoại", exact=True)).to_have_value("410.000")
    expect(page.get_by_label("Trạm BTS", exact=True)).to_have_value("120")
    expect(page.locator(".ind-checks")).to_contain_text("Không có lỗi hay cảnh báo nào.")
    expect(page.locator("#value-history-title + .table-wrap")).to_contain_text("Trạm BTS")
    assert DataValue.objects.filter(submission=sub).count() == 6
    assert axe(page) == []
    screenshot(page, "indicators-excel")
