"""The leaders' dashboard and the pivot view in a real browser, on the demo data, on a desktop and on a phone, with
axe; the unit picker's search with and without JavaScript. Screenshots: docs/screenshots/indicators-dashboard.png,
indicators-pivot.png (and -phone variants), indicators-dashboard-unit-picker.png (and -phone: 360 px wide)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from eprovince.core import demo_data as core_demo
from eprovince.core.demo import DEMO_PASSWORD
from eprovince.core.models import Organisation

from .. import demo_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"


@pytest.fixture
def demo() -> None:
    core_demo.load(io.StringIO())
    demo_data.load(io.StringIO())


def login(page: Page, username: str) -> None:
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def test_a_leader_reads_the_dashboard_and_the_pivot(page: Page, phone_page: Page, demo: None, screenshot: Any, axe: Any) -> None:
    login(page, "lanhdao")
    page.get_by_role("link", name="Bảng điều hành chỉ tiêu ngành").first.click()
    expect(page.get_by_role("heading", name="Bảng điều hành chỉ tiêu ngành", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Chỉ tiêu chủ yếu so với kế hoạch")).to_be_visible()
    expect(page.locator("svg[role=img]").first).to_be_visible()
    expect(page.get_by_text("kế hoạch").first).to_be_visible()
    # the chart's numbers as a table, for whoever prefers one
    page.get_by_text("Xem bảng số liệu").first.click()
    expect(page.locator("details.chart-data[open] table").first).to_be_visible()
    assert axe(page) == []
    screenshot(page, "indicators-dashboard")

    # another year and unit
    page.get_by_label("Năm", exact=True).select_option("2024")
    page.get_by_role("button", name="Xem", exact=True).click()
    expect(page.get_by_text("Năm 2024 ·")).to_be_visible()

    page.get_by_role("link", name="Bảng tổng hợp đa chiều").click()
    expect(page.get_by_role("heading", name="Bảng tổng hợp đa chiều", level=1)).to_be_visible()
    page.get_by_label("Hàng", exact=True).select_option("unit")
    page.get_by_label("Cột", exact=True).select_option("period")
    page.get_by_label("Loại kỳ").select_option("year")
    page.get_by_label("Toàn tỉnh").check()
    page.get_by_label("VNPT An Giang").check()
    page.get_by_label("Doanh thu bưu chính, viễn thông và công nghệ thông tin").check()
    page.get_by_label("Thuê bao điện thoại").check()
    page.get_by_role("button", name="Xem bảng").click()
    expect(page.locator("table.ind-pivot-table")).to_be_visible()
    expect(page.locator("table.ind-pivot-table th[scope=row]", has_text="Toàn tỉnh").first).to_be_visible()
    assert axe(page) == []
    screenshot(page, "indicators-pivot")
    with page.expect_download() as download:
        page.get_by_role("button", name="Tải Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")

    login(phone_page, "lanhdao")
    phone_page.goto("/can-bo/chi-tieu/dieu-hanh/")
    expect(phone_page.get_by_role("heading", name="Bảng điều hành chỉ tiêu ngành", level=1)).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page itself must not scroll sideways on a phone"
    assert axe(phone_page) == []  # the charts scroll sideways inside their frame: reachable by keyboard
    screenshot(phone_page, "indicators-dashboard-phone")
    phone_page.goto("/can-bo/chi-tieu/tong-hop/")
    expect(phone_page.get_by_role("heading", name="Bảng tổng hợp đa chiều", level=1)).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone_page, "indicators-pivot-phone")


def picker_shot(page: Page, name: str) -> None:
    """The unit picker alone (docs/screenshots/<name>.png), to look at beside the whole page."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(".ind-dash-pickers").screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def test_a_leader_finds_any_unit_by_name(
    page: Page, browser: Any, live_server: Any, demo: None, screenshot: Any, axe: Any
) -> None:
    login(page, "lanhdao")
    page.goto("/can-bo/chi-tieu/dieu-hanh/?year=2024")
    unit = page.get_by_label("Đơn vị", exact=True)
    assert unit.locator("option").count() <= 41, "a short select; any other unit through the search"
    expect(unit.locator("optgroup[label='Doanh nghiệp'] option", has_text="VNPT An Giang")).to_have_count(1)

    # the search, in place (htmx): one letter is not enough, a name without diacritics finds the former district
    search = page.get_by_label("Tìm đơn vị khác theo tên")
    status = page.get_by_role("status").filter(has_text="đơn vị")
    search.fill("t")
    expect(status).to_have_text("Gõ ít nhất 2 chữ cái của tên đơn vị.")
    search.fill("tan chau")
    expect(status).to_have_text("Tìm thấy 1 đơn vị có tên chứa “tan chau”.")
    former = page.get_by_role("link", name="Ủy ban nhân dân thị xã Tân Châu (trước sắp xếp, đến 30/06/2025)")
    expect(former).to_be_visible()
    assert page.url.endswith("/can-bo/chi-tieu/dieu-hanh/?year=2024"), "the list came without leaving the page"
    assert axe(page) == []
    picker_shot(page, "indicators-dashboard-unit-picker")

    # by keyboard: from the box, past the button, to the first unit found
    search.focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Tìm", exact=True)).to_be_focused()
    page.keyboard.press("Tab")
    expect(former).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Năm 2024 · Ủy ban nhân dân thị xã Tân Châu.")).to_be_visible()
    expect(unit).to_have_value(str(Organisation.objects.get(name="Ủy ban nhân dân thị xã Tân Châu").pk))
    expect(page.get_by_label("Năm", exact=True)).to_have_value("2024")

    # without JavaScript the same form opens the results as a page
    plain = browser.new_context(base_url=live_server.url, locale="vi-VN", java_script_enabled=False)
    nojs = plain.new_page()
    login(nojs, "lanhdao")
    nojs.goto("/can-bo/chi-tieu/dieu-hanh/?year=2024")
    nojs.get_by_label("Tìm đơn vị khác theo tên").fill("vnpt")
    nojs.get_by_role("button", name="Tìm", exact=True).click()
    expect(nojs.get_by_role("heading", name="Tìm đơn vị để xem trên bảng điều hành", level=1)).to_be_visible()
    expect(nojs.get_by_role("status")).to_have_text("Tìm thấy 1 đơn vị có tên chứa “vnpt”.")
    nojs.get_by_role("link", name="VNPT An Giang").click()
    expect(nojs.get_by_text("Năm 2024 · VNPT An Giang.")).to_be_visible()
    plain.close()

    # on a 360 px phone: nothing scrolls sideways, the list fits
    small = browser.new_context(
        base_url=live_server.url, locale="vi-VN", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    phone = small.new_page()
    login(phone, "lanhdao")
    phone.goto("/can-bo/chi-tieu/dieu-hanh/?year=2024")
    phone.get_by_label("Tìm đơn vị khác theo tên").fill("uy ban")
    expect(phone.get_by_role("status").filter(has_text="đơn vị")).to_contain_text("Tìm thấy")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    picker_shot(phone, "indicators-dashboard-unit-picker-phone")
    phone.goto("/can-bo/chi-tieu/dieu-hanh/tim-don-vi/?year=2024&q=uy+ban")  # the results page (the charts aside)
    expect(phone.get_by_role("link", name="Ủy ban nhân dân tỉnh An Giang")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe(phone) == []
    screenshot(phone, "indicators-dashboard-unit-search-phone")
    small.close()
