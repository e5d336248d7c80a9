"""The catalogue in a real browser, on the demo data: the administrator browses the data elements, writes an
indicator formula with a mistake and sees where it is, sets targets of a year in the grid (a negative one is
refused, "1.234,5" is accepted); a division head reminds the units late with the 2025 round.
Screenshots: docs/screenshots/indicators-catalogue-*.png."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from eprovince.core import demo_data as core_demo

from .. import demo_data
from ..models import Indicator, ReminderLog, Target
from .test_browser_indicators import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo() -> None:
    core_demo.load(io.StringIO())
    demo_data.load(io.StringIO())


def test_an_administrator_edits_the_catalogue_and_the_targets(page: Page, demo: None, screenshot: Any, axe: Any) -> None:
    login(page, "quantri")
    page.get_by_role("link", name=re.compile("Danh mục chỉ tiêu, biểu mẫu báo cáo")).click()
    expect(page.get_by_role("heading", name="Danh mục chỉ tiêu")).to_be_visible()
    page.get_by_label("Tên hoặc mã").fill("thuê bao")
    page.get_by_role("button", name="Tìm").click()
    expect(page.locator("table")).to_contain_text("SUB_PHONE")
    assert axe(page) == []
    screenshot(page, "indicators-catalogue-elements")

    page.get_by_role("link", name="Chỉ số", exact=True).click()
    page.get_by_role("link", name="Thêm chỉ số").click()
    page.get_by_label("Mã").fill("INTERNET_DENSITY")
    page.locator("#id_name").fill("Mật độ thuê bao Internet")
    page.get_by_role("textbox", name="Công thức").fill("#{SUB_INTERNET} / * 100")
    page.get_by_label("Đơn vị tính").fill("thuê bao/100 dân")
    page.get_by_role("button", name="Lưu").click()
    error = page.locator("#id_formula_error")
    expect(error).to_contain_text("Không hiểu “*” ở vị trí 19.")
    expect(error).to_contain_text("Lỗi ở ký tự thứ 19")
    expect(page.get_by_role("textbox", name="Công thức")).to_have_attribute("aria-invalid", "true")
    assert axe(page) == []
    screenshot(page, "indicators-catalogue-formula-error")
    page.get_by_role("textbox", name="Công thức").fill("#{SUB_INTERNET} / #{POPULATION} * 100")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã lưu chỉ số “Mật độ thuê bao Internet”.")).to_be_visible()
    assert Indicator.objects.filter(code="INTERNET_DENSITY").exists()

    page.get_by_role("link", name="Biểu mẫu báo cáo").click()
    page.get_by_role("link", name=re.compile("Ủy ban nhân dân cấp huyện")).first.click()
    expect(page.get_by_role("heading", name="Quy tắc kiểm tra số liệu")).to_be_visible()
    assert axe(page) == []
    screenshot(page, "indicators-catalogue-form")

    page.get_by_role("link", name="Chỉ tiêu kế hoạch").first.click()
    expect(page.get_by_role("heading", name=re.compile("Chỉ tiêu kế hoạch năm"))).to_be_visible()
    page.goto("/can-bo/chi-tieu/ke-hoach/2026/")
    cell = page.get_by_label("Mật độ thuê bao Internet – Toàn tỉnh")
    cell.fill("-3")
    page.get_by_role("button", name="Lưu chỉ tiêu kế hoạch").click()
    expect(page.locator(".error-summary")).to_contain_text("Chỉ tiêu kế hoạch không được âm.")
    assert axe(page) == []
    screenshot(page, "indicators-catalogue-targets-error")
    page.get_by_label("Mật độ thuê bao Internet – Toàn tỉnh").fill("1.234,5")
    page.get_by_label("Căn cứ giao chỉ tiêu").fill("Quyết định số 15/QĐ-UBND ngày 05/01/2026")
    page.get_by_role("button", name="Lưu chỉ tiêu kế hoạch").click()
    expect(page.get_by_text(re.compile("Đã lưu chỉ tiêu kế hoạch năm 2026: 1 thêm mới"))).to_be_visible()
    expect(page.get_by_label("Mật độ thuê bao Internet – Toàn tỉnh")).to_have_value("1.234,5")
    assert Target.objects.get(indicator__code="INTERNET_DENSITY", year=2026, organisation=None).value == Decimal("1234.5")
    assert axe(page) == []
    screenshot(page, "indicators-catalogue-targets")


def test_a_division_head_reminds_the_late_units(page: Page, demo: None, screenshot: Any, axe: Any) -> None:
    login(page, "truongphong")
    page.goto("/can-bo/chi-tieu/")
    page.get_by_role("link", name=re.compile("Ủy ban nhân dân cấp huyện")).first.click()
    expect(page.get_by_role("heading", name="Đơn vị chưa nộp sau hạn hoặc nộp muộn")).to_be_visible()
    button = page.get_by_role("button", name="Gửi nhắc nhở")
    if button.count() == 0:
        pytest.fail("The demo's latest district round has no late unit to remind")
    button.click()
    expect(page.get_by_text(re.compile("Đã gửi nhắc nhở tới"))).to_be_visible()
    expect(page.get_by_role("heading", name="Đã nhắc nhở")).to_be_visible()
    assert ReminderLog.objects.exists() and mail.outbox
    page.get_by_role("button", name="Gửi nhắc nhở").click()
    expect(page.get_by_text(re.compile("đã được nhắc lúc")).first).to_be_visible()
    assert axe(page) == []
    screenshot(page, "indicators-catalogue-reminders")
