"""The leaders' dashboard and the pivot view in a real browser, on the demo data, on a desktop and on a phone, with
axe. Screenshots: docs/screenshots/indicators-dashboard.png, indicators-pivot.png (and -phone variants)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from eprovince.core import demo_data as core_demo
from eprovince.core.demo import DEMO_PASSWORD

from .. import demo_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
    screenshot(phone_page, "indicators-dashboard-phone")
    phone_page.goto("/can-bo/chi-tieu/tong-hop/")
    expect(phone_page.get_by_role("heading", name="Bảng tổng hợp đa chiều", level=1)).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone_page, "indicators-pivot-phone")
