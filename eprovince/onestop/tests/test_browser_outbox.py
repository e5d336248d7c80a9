"""An administrator in a real browser: opens the national-portal outbox from the workspace, filters the failing
events, sends one again once the receiver is back. Checked with axe, at desktop and phone width; screenshots
docs/screenshots/onestop-outbox*.png."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from eprovince.core.testing import TEST_PASSWORD
from eprovince.onestop import outbox
from eprovince.onestop.models import OutboxEvent

from .factories import World, at, make_world, receive
from .test_outbox import Receiver, receiver  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(settings: Any, tmp_path: Any) -> World:
    settings.ONESTOP_FILES_ROOT = str(tmp_path / "private")
    return make_world()


def check(pg: Page, axe: Any) -> None:
    assert axe(pg) == [], pg.url
    width = pg.evaluate("document.documentElement.scrollWidth")
    viewport = pg.viewport_size["width"] if pg.viewport_size else 1280
    assert width <= viewport, f"{pg.url} scrolls sideways ({width}px > {viewport}px)"


def login(pg: Page) -> None:
    pg.goto("/dang-nhap/?next=/can-bo/")
    pg.get_by_label("Tên đăng nhập").fill("quantri")
    pg.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    pg.get_by_role("button", name="Đăng nhập", exact=True).click()


def test_an_administrator_sees_a_failing_event_and_sends_it_again(
    page: Page,
    phone_page: Page,
    world: World,
    receiver: Receiver,  # noqa: F811 (the fixture imported above)
    screenshot: Any,
    axe: Any,
) -> None:
    receiver.status = 503
    failing = receive(world, now=at(2026, 3, 9, 9))
    outbox.deliver_due()
    receiver.status = 200
    receive(world, now=at(2026, 3, 9, 10))
    outbox.deliver_due()

    login(page)
    page.get_by_role("link", name="Đồng bộ Cổng dịch vụ công quốc gia").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đồng bộ Cổng dịch vụ công quốc gia")
    expect(page.get_by_role("table")).to_contain_text("HTTP 503")
    check(page, axe)
    screenshot(page, "onestop-outbox")

    page.get_by_label("Tình trạng", exact=True).select_option("failing")
    page.get_by_role("button", name="Lọc").click()
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(1)  # the first event of the failing dossier; its second waits behind it
    expect(rows.first).to_contain_text(failing.code)

    rows.first.get_by_role("button", name="Gửi lại").click()
    expect(page.get_by_text(f"Đã đưa sự kiện của hồ sơ {failing.code} vào hàng gửi lại.")).to_be_visible()
    expect(page.locator("tbody")).to_contain_text("Không có sự kiện nào.")
    assert not OutboxEvent.objects.filter(delivered_at__isnull=True).exists()
    assert [p["MaHoSo"] for p in receiver.payloads()][-2:] == [failing.code, failing.code]

    login(phone_page)
    phone_page.goto("/can-bo/mot-cua/dong-bo-dvcqg/")
    check(phone_page, axe)
    screenshot(phone_page, "onestop-outbox-phone")
