"""A leader in a real browser: opens the statistics from the workspace, filters a period, reads the on-time rate,
downloads the Excel file. Checked with axe, at desktop and phone width; screenshots docs/screenshots/onestop-stats*.png."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from eprovince.core.testing import TEST_PASSWORD

from .factories import World, at, make_world, receive
from .test_statistics import finish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(settings: Any, tmp_path: Any) -> World:
    settings.ONESTOP_FILES_ROOT = str(tmp_path / "private")
    w = make_world()
    received = at(2026, 3, 9, 9)
    for _ in range(3):
        finish(w, receive(w, now=received), at(2026, 3, 10, 9))
    late = receive(w, procedure=w.bts, now=received)
    assert late.due_at is not None
    finish(w, late, late.due_at + dt.timedelta(days=1))
    receive(w, now=at(2026, 2, 20, 9))
    receive(w, procedure=w.bts, now=at(2026, 3, 20, 9), channel="post")
    return w


def check(pg: Page, axe: Any) -> None:
    assert axe(pg) == [], pg.url
    width = pg.evaluate("document.documentElement.scrollWidth")
    viewport = pg.viewport_size["width"] if pg.viewport_size else 1280
    assert width <= viewport, f"{pg.url} scrolls sideways ({width}px > {viewport}px)"


def test_a_leader_filters_the_statistics_and_downloads_the_excel_file(
    page: Page, phone_page: Page, world: World, screenshot: Any, axe: Any
) -> None:
    page.goto("/dang-nhap/?next=/can-bo/")
    page.get_by_label("Tên đăng nhập").fill("lanhdao")
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    page.get_by_role("link", name="Thống kê hồ sơ một cửa").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thống kê kết quả giải quyết hồ sơ")

    # A bad period is explained, in Vietnamese, next to the field.
    page.get_by_label("Từ ngày").fill("31/03/2026")
    page.get_by_label("Đến ngày").fill("01/03/2026")
    page.get_by_role("button", name="Xem thống kê").click()
    expect(page.get_by_role("alert")).to_contain_text("“Đến ngày” phải sau hoặc bằng “Từ ngày”.")
    check(page, axe)

    page.get_by_label("Từ ngày").fill("01/03/2026")
    page.get_by_label("Đến ngày").fill("31/03/2026")
    page.get_by_role("button", name="Xem thống kê").click()
    rate = page.locator(".kpi-rate")
    expect(rate).to_contain_text("75,0%")  # 3 of 4 returned on time
    expect(rate).to_contain_text("3 trên 4 hồ sơ đã giải quyết")
    expect(page.get_by_role("img", name="Kết quả giải quyết theo thủ tục")).to_be_visible()
    expect(page.get_by_role("table", name="Số liệu theo thủ tục hành chính")).to_contain_text("Cấp phép lắp đặt trạm BTS")
    check(page, axe)
    screenshot(page, "onestop-stats")

    page.get_by_label("Thủ tục", exact=True).select_option(label="Cấp phép lắp đặt trạm BTS")
    page.get_by_role("button", name="Xem thống kê").click()
    expect(page.locator(".kpi-rate")).to_contain_text("0,0%")
    page.get_by_label("Thủ tục", exact=True).select_option(label="Tất cả thủ tục")
    page.get_by_role("button", name="Xem thống kê").click()

    with page.expect_download() as info:
        page.get_by_role("link", name="Tải sổ theo dõi hồ sơ (Excel)").click()
    download = info.value
    assert download.suggested_filename == "Sổ theo dõi hồ sơ 01-03-2026 đến 31-03-2026.xlsx"
    path = download.path()
    rows = list(load_workbook(io.BytesIO(open(path, "rb").read())).worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "SỔ THEO DÕI HỒ SƠ" and len(rows) == 4 + 5  # five dossiers received in March

    with page.expect_download() as info:
        page.get_by_role("link", name="Tải bảng thống kê (Excel)").click()
    assert info.value.suggested_filename == "Thống kê hồ sơ 01-03-2026 đến 31-03-2026.xlsx"

    # On a phone: nothing scrolls sideways but the tables inside their own frame.
    phone_page.context.add_cookies(page.context.cookies())
    phone_page.goto(page.url)
    expect(phone_page.locator(".kpi-rate")).to_contain_text("75,0%")
    check(phone_page, axe)
    screenshot(phone_page, "onestop-stats-phone")
