"""An administrator keeps the calendar in a real browser; a citizen reads it and computes a due date (axe: WCAG 2.2 AA)."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import expect

from eprovince.core.constants import Role
from eprovince.core.testing import TEST_PASSWORD, make_user
from eprovince.workcalendar.services import calendar_prefill_year

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Set WORKCALENDAR_SCREENSHOTS=/some/dir to keep full-page screenshots for a person to look at.
SHOTS = os.environ.get("WORKCALENDAR_SCREENSHOTS")


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_administrator_prefills_and_adds_a_day(page, axe) -> None:  # type: ignore[no-untyped-def]
    make_user("quantri", Role.ADMIN, full_name="Nguyễn Văn Quản")
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("quantri")
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("link", name=re.compile("Lịch làm việc")).first.click()
    page.goto("/can-bo/lich-lam-viec/2025/")
    page.get_by_role("button", name="Điền sẵn từ danh sách ngày lễ").click()
    expect(page.get_by_text("Đã điền sẵn 13 ngày cho năm 2025.")).to_be_visible()
    expect(page.locator("table").nth(1)).to_contain_text("26/04/2025")

    page.locator("#add_date").fill("02/06/2025")
    page.locator("#add_kind").select_option("day_off")
    page.locator("#add_name").fill("Nghỉ đột xuất")
    page.locator("#add_reason").fill("Quyết định của Chủ tịch UBND tỉnh")
    page.get_by_role("button", name="Thêm ngày").click()
    expect(page.get_by_text("Đã thêm ngày 02/06/2025.")).to_be_visible()
    assert axe(page) == []
    _shot(page, "calendar-admin-year")

    page.get_by_role("link", name="Gỡ bỏ 02/06/2025").click()
    page.get_by_label("Lý do").fill("Đã hủy quyết định")
    page.get_by_role("button", name="Gỡ bỏ").click()
    expect(page.get_by_text("Đã gỡ ngày 02/06/2025 khỏi lịch.")).to_be_visible()

    page.get_by_role("link", name="Giờ làm việc và quy tắc tính thời hạn").click()
    expect(page.get_by_label("Thứ Hai")).to_have_value("07:30-11:30, 13:30-17:00")
    assert axe(page) == []
    _shot(page, "calendar-rules")


def test_citizen_reads_the_calendar_and_computes_a_due_date(page, axe) -> None:  # type: ignore[no-untyped-def]
    calendar_prefill_year(year=2025, acting_user=None)
    page.goto("/lich-lam-viec/2025/")
    expect(page.get_by_role("heading", name="Lịch làm việc năm 2025")).to_be_visible()
    page.get_by_label("Thời điểm tiếp nhận hồ sơ").fill("24/01/2025 09:00")
    page.get_by_label("Thời hạn giải quyết (ngày làm việc)").fill("3")
    page.get_by_role("button", name="Tính").click()
    expect(page.locator("dl")).to_contain_text("17:00, Thứ Tư 05/02/2025")
    assert axe(page) == []
    _shot(page, "calendar-public")


def test_public_calendar_fits_a_phone(phone_page, axe) -> None:  # type: ignore[no-untyped-def]
    calendar_prefill_year(year=2025, acting_user=None)
    phone_page.goto("/lich-lam-viec/2025/")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page scrolls sideways on a phone ({width}px)"
    assert axe(phone_page) == []
