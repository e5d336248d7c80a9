"""Reporting and leading in a real browser (issue 12), with axe: a reviewer opens a round by choosing the period in
words (only the chosen form's periods offered); an officer on a phone sees one validation state (errors counted in
red, the summary focused, the rule in words, the outlier warning with last period's value); a leader reads a year
not over yet, marked as partial and compared with the same months of the year before.
Screenshots: docs/screenshots/indicators-round-open-desktop.png, indicators-entry-state-phone.png,
indicators-dashboard-partial-year.png."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page, expect

from ..models import ReportingRound
from . import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> dt.datetime:
    moment = dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment


def sign_in(page: Page, user: Any, live_server: Any) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


def history(world: f.World) -> None:
    for org, base in ((world.vnpt, 4), (world.viettel, 10)):
        for period, factor in (("2025S1", 1), ("2025S2", 1)):
            f.approved(
                world,
                world.enterprise_form,
                period,
                org,
                {"REVENUE": 100 * factor, "BTS": base, "SUB_INTERNET": 14, "SUB_BROADBAND": 10},
            )
    f.approved(world, world.enterprise_form, "2026S1", world.viettel, {"REVENUE": 130, "BTS": 11, "SUB_INTERNET": 15})


def test_round_picker_entry_state_and_partial_year(
    page: Page, phone_page: Page, world: f.World, frozen: dt.datetime, live_server: Any, screenshot: Any, axe: Any
) -> None:
    history(world)

    # A reviewer opens a round: the period in words, only the periods of the chosen form's type
    sign_in(page, world.reviewer, live_server)
    page.goto("/can-bo/chi-tieu/")
    page.get_by_label("Biểu mẫu").select_option(label="Báo cáo ứng dụng CNTT của UBND cấp huyện")
    period = page.get_by_label("Kỳ báo cáo")
    expect(period.locator("option", has_text="6 tháng đầu năm 2026")).to_be_hidden()
    assert period.locator("option:not([hidden])").all_inner_texts()[:3] == ["— Chọn kỳ báo cáo —", "Năm 2026", "Năm 2025"]
    period.select_option(label="Năm 2026")
    assert axe(page) == []
    screenshot(page, "indicators-round-open-desktop")
    page.get_by_role("button", name="Mở đợt báo cáo").click()
    expect(page.get_by_text("Đã mở đợt báo cáo")).to_be_visible()
    assert ReportingRound.objects.filter(form=world.committee_form, period="2026").exists()

    # An officer on a phone: one validation state, the summary focused, rules in words, the outlier warning
    sub = f.submission(ReportingRound.objects.get(form=world.enterprise_form, period="2026S1"), world.vnpt)
    f.save(world, sub, None, {"REVENUE": 120, "BTS": 4020, "SUB_INTERNET": 14, "SUB_BROADBAND": 20})
    sign_in(phone_page, world.officer_vnpt, live_server)
    phone_page.goto(f"/can-bo/chi-tieu/bao-cao/{sub.pk}/")
    expect(phone_page.locator(".ind-checks.ind-state-error")).to_contain_text("Có 3 lỗi cần sửa và 1 cảnh báo.")
    expect(phone_page.get_by_text("gấp 1.005 lần kỳ trước")).to_be_visible()
    phone_page.get_by_label("Doanh thu bưu chính, viễn thông, CNTT", exact=True).fill("12o")
    phone_page.get_by_role("button", name="Lưu số liệu").click()
    summary = phone_page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(phone_page.locator(".ind-checks")).to_contain_text("Có 4 lỗi cần sửa và 1 cảnh báo.")
    expect(phone_page.locator(".ind-checks")).to_contain_text(
        "Thuê bao Internet băng rộng cố định (20) không được lớn hơn Thuê bao Internet (14)."
    )
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe(phone_page) == []
    screenshot(phone_page, "indicators-entry-state-phone")

    # A leader reads the year not over yet: marked, compared with the same months of last year
    sign_in(page, world.leader, live_server)
    page.goto("/can-bo/chi-tieu/dieu-hanh/?year=2026")
    expect(page.locator(".ind-dash-partial")).to_contain_text("số liệu đến hết tháng 6, chưa đủ năm")
    expect(page.get_by_text("so với cùng kỳ 6 tháng năm 2025").first).to_be_visible()
    assert axe(page) == []
    screenshot(page, "indicators-dashboard-partial-year")
