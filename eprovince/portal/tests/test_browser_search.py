"""Finding things in a real browser, on a desktop and on a phone: "mot cua" leads to the one-stop shop, "giay phep
vien thong" finds the BTS licence by its field, with axe. Screenshots: docs/screenshots/search-*.png,
catalogue-search-phone.png."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from eprovince.onestop.services.catalogue import field_save, procedure_save
from eprovince.onestop.tests.factories import make_world

from . import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def content() -> None:
    world = make_world()
    field = field_save(acting_user=None, code="vien-thong", name="Viễn thông và Internet")
    procedure_save(acting_user=None, instance=world.bts, field=field, result_name="Giấy phép lắp đặt trạm BTS")
    editor, chief = factories.editor(), factories.chief_editor()
    for title, body in (
        ("Bộ phận một cửa của Sở đón người dân", "<p>Bộ phận một cửa tiếp nhận hồ sơ mỗi ngày làm việc.</p>"),
        ("Kết quả công tác của ngành trong năm", "<p>Một năm làm việc của các đơn vị và của tỉnh.</p>"),
        ("Hướng dẫn xin giấy phép viễn thông", "<p>Doanh nghiệp viễn thông nộp hồ sơ trực tuyến.</p>"),
    ):
        factories.published(author=editor, approver=chief, title=title, body=body)


def _search(pg: Page, words: str) -> None:
    pg.goto("/")
    pg.get_by_label("Tìm kiếm thủ tục, tin bài").fill(words)
    pg.get_by_label("Tìm kiếm thủ tục, tin bài").press("Enter")
    expect(pg.locator("h1")).to_have_text("Tìm kiếm")


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_mot_cua_leads_to_the_one_stop_shop(
    device: str, page: Page, phone_page: Page, content: None, screenshot: Any, axe: Any
) -> None:
    pg = page if device == "desktop" else phone_page
    _search(pg, "mot cua")
    quick = pg.get_by_role("region", name="Có phải bạn đang tìm")
    expect(quick.get_by_role("link", name="Dịch vụ công một cửa")).to_be_visible()
    news = pg.locator(".search-results li")
    expect(news).to_have_count(1)  # the article about the one-stop desk, not every article with "của"
    expect(news.first.locator("mark").first).to_have_text("một cửa")
    assert axe(pg) == [], pg.url
    screenshot(pg, f"search-mot-cua-{device}")
    quick.get_by_role("link", name="Dịch vụ công một cửa").click()
    expect(pg.locator("h1")).to_have_text("Thủ tục hành chính")


def test_giay_phep_vien_thong_finds_the_bts_licence(
    page: Page, phone_page: Page, content: None, screenshot: Any, axe: Any
) -> None:
    _search(page, "giay phep vien thong")
    procedures = page.get_by_role("region", name="Thủ tục hành chính")
    expect(procedures.get_by_role("link", name="Cấp phép lắp đặt trạm BTS")).to_be_visible()
    expect(page.get_by_role("region", name="Tin bài").get_by_role("link")).to_contain_text(["Hướng dẫn xin giấy phép viễn thông"])
    assert axe(page) == [], page.url

    phone_page.goto("/thu-tuc-hanh-chinh/")
    phone_page.get_by_label("Tìm thủ tục").fill("giay phep vien thong")
    phone_page.get_by_role("button", name="Tìm", exact=True).click()
    results = phone_page.locator(".procedure-list > li")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Cấp phép lắp đặt trạm BTS")
    expect(phone_page.get_by_text("Tìm thấy 1 thủ tục cho “giay phep vien thong”")).to_be_visible()
    assert axe(phone_page) == [], phone_page.url
    screenshot(phone_page, "catalogue-search-phone")
