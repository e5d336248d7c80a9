"""The officer's action panel in a real browser (issue 12, "Processing"), at desktop and phone width, checked with axe:
the usual next action is chosen already; a destructive one asks for the confirmation; an empty reason brings the
error summary to the top with the focus on it, its link moves to the reason box. Screenshots:
docs/screenshots/onestop-officer-panel-{desktop,phone,error}.png."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from eprovince.core.testing import TEST_PASSWORD
from eprovince.onestop.models import Dossier
from eprovince.onestop.services.dossiers import Upload
from eprovince.onestop.services.online import dossier_supplement_submit

from .factories import PDF_BYTES, World, act, make_world, submit_online, upload
from .test_browser_journey import check

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(settings: Any, tmp_path: Any) -> World:
    settings.ONESTOP_FILES_ROOT = str(tmp_path / "private")
    return make_world()


def sign_in(pg: Page, username: str) -> None:
    pg.goto("/dang-nhap/?next=/can-bo/")
    pg.get_by_label("Tên đăng nhập").fill(username)
    pg.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    pg.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(pg.get_by_role("button", name="Đăng xuất")).to_be_visible()


def test_the_clerk_uses_the_one_action_panel(page: Page, phone_page: Page, world: World, screenshot: Any, axe: Any) -> None:
    d = submit_online(world)
    act(d, "request_supplement", world.clerk, reason="Bổ sung bản sao giấy chứng nhận đăng ký doanh nghiệp.")
    d = dossier_supplement_submit(
        dossier=Dossier.objects.get(pk=d.pk), acting_user=world.citizen, uploads=[Upload(file=upload("bo-sung.pdf", PDF_BYTES))]
    )
    url = f"/can-bo/mot-cua/ho-so/{d.pk}/"

    sign_in(page, "motcua")
    page.goto(url)
    panel = page.locator("form.action-panel")
    expect(panel.get_by_role("radio").first).to_be_checked()
    expect(panel.get_by_role("radio", name="Tiếp nhận, chuyển thẩm định", exact=True)).to_be_checked()
    expect(panel.locator(".confirm-destructive")).to_be_hidden()  # nothing destructive chosen: no confirmation asked
    files = page.locator("#files-title").locator("xpath=..")
    expect(files).to_contain_text("Bổ sung ngày")
    expect(files.get_by_role("link", name="bo-sung.pdf")).to_have_count(1)
    check(page, axe)
    screenshot(page, "onestop-officer-panel-desktop")

    # Choosing a destructive action shows the confirmation; leaving the reason empty is refused with the summary.
    panel.get_by_role("radio", name="Từ chối tiếp nhận", exact=True).check()
    expect(panel.get_by_label("Tôi xác nhận", exact=False)).to_be_visible()
    panel.get_by_role("button", name="Thực hiện thao tác đã chọn").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Vui lòng nêu lý do")
    expect(summary).to_contain_text("Vui lòng đánh dấu ô xác nhận")
    expect(page.locator("form.action-panel").get_by_role("radio", name="Từ chối tiếp nhận", exact=True)).to_be_checked()
    check(page, axe)
    screenshot(page, "onestop-officer-panel-error")
    summary.get_by_role("link", name="Lý do, ý kiến", exact=False).click()
    expect(page.get_by_label("Lý do, ý kiến")).to_be_focused()
    assert Dossier.objects.get(pk=d.pk).status == "new"

    # On a phone the panel fits the screen; the usual action goes through.
    phone_page.context.add_cookies(page.context.cookies())  # type: ignore[arg-type]
    phone_page.goto(url)
    expect(phone_page.locator("form.action-panel")).to_be_visible()
    check(phone_page, axe)
    screenshot(phone_page, "onestop-officer-panel-phone")
    phone_page.locator("form.action-panel").get_by_role("button", name="Thực hiện thao tác đã chọn").click()
    expect(phone_page.get_by_text("Trạng thái hồ sơ: Đang xử lý")).to_be_visible()
