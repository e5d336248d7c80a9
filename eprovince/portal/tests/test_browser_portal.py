"""The portal in a real browser: reading and rating, searching without diacritics, the editorial workflow,
the language switch. Screenshots go to docs/screenshots/portal-*.png."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from eprovince.core.constants import Role

from .. import demo_data
from ..models import Article
from . import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KIEN_GIANG = "Sở TT&TT Kiên Giang triển khai nhiệm vụ công tác năm 2009"


@pytest.fixture
def news() -> None:
    """The demo news (the seed articles). Without the seed folder, one article like the first seed stands in."""
    demo_data.load(io.StringIO())
    if not Article.objects.exists():
        factories.published(
            author=factories.editor("bientap-mau"),
            approver=factories.chief_editor("truongbbt-mau"),
            title=KIEN_GIANG,
            source="Mic.gov.vn",
            author_line="Huỳnh Diễm – Sở TT&TT Kiên Giang",
        )


def _login(page: Page, username: str) -> None:
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(factories.PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def _rate(page: Page, stars: int) -> None:
    """A browser's first vote: it gets its reader cookie and confirms once (scripts keeping no cookie never count)."""
    page.locator(f"label[for=stars-{stars}]").click()
    expect(page.locator(f"#stars-{stars}")).to_be_checked()
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.get_by_text("Trên trình duyệt này bạn chỉ cần xác nhận một lần.")).to_be_visible()
    expect(page.locator(f"#stars-{stars}")).to_be_checked()
    page.get_by_role("button", name="Xác nhận đánh giá").click()


def _csp_violations(page: Page) -> list[str]:
    """Every Content-Security-Policy violation the page reports from now on (the policy is on in tests too)."""
    found: list[str] = []
    page.on("console", lambda msg: found.append(msg.text) if "Content Security Policy" in msg.text else None)
    return found


def test_a_reader_opens_an_article_and_rates_it(page: Page, browser: Any, live_server: Any, news: None, screenshot: Any) -> None:
    violations = _csp_violations(page)
    page.goto("/")
    expect(page.locator("h2.featured-title")).to_be_visible()
    screenshot(page, "portal-home")
    page.get_by_role("link", name=KIEN_GIANG).first.click()
    expect(page.locator("h1")).to_have_text(KIEN_GIANG)
    expect(page.locator(".article-meta")).to_contain_text(re.compile(r"\d{2}/\d{2}/\d{4}"))
    expect(page.locator(".author-line")).to_have_text("Huỳnh Diễm – Sở TT&TT Kiên Giang")
    expect(page.locator(".rating-summary")).to_contain_text("Chưa có lượt đánh giá")
    page.locator("label[for=stars-4]").click()
    screenshot(page, "portal-article")

    _rate(page, 4)
    expect(page.locator(".rating-summary")).to_contain_text("4,0")
    expect(page.locator(".rating-summary")).to_contain_text("(1 lượt)")
    expect(page.get_by_text("Cảm ơn bạn đã đánh giá bài viết.")).to_be_visible()
    expect(page.locator("input[name=stars]")).to_have_count(0)

    other = browser.new_context(base_url=live_server.url, locale="vi-VN")
    second = other.new_page()
    second.goto(page.url)
    _rate(second, 5)
    expect(second.locator(".rating-summary")).to_contain_text("4,5")
    expect(second.locator(".rating-summary")).to_contain_text("(2 lượt)")
    other.close()

    page.reload()
    expect(page.locator(".rating-summary")).to_contain_text("4,5")
    expect(page.get_by_text("Bạn đã đánh giá bài viết này.")).to_be_visible()
    assert violations == []


def test_searching_without_diacritics_finds_kien_giang(page: Page, news: None, screenshot: Any) -> None:
    page.goto("/")
    page.get_by_label("Tìm kiếm thủ tục, tin bài").fill("kien giang")
    page.get_by_role("button", name="Tìm", exact=True).click()
    expect(page).to_have_url(re.compile(r"/tim-kiem/\?q=kien\+giang"))
    result = page.locator(".search-results li").first
    expect(result).to_contain_text(KIEN_GIANG)
    expect(result.locator("mark").first).to_have_text("Kiên Giang")
    screenshot(page, "portal-search")
    result.get_by_role("link").click()
    expect(page.locator("h1")).to_have_text(KIEN_GIANG)


def test_an_editor_writes_a_chief_editor_publishes(page: Page, news: None, screenshot: Any) -> None:
    factories.person("bientap-thu", Role.EDITOR, full_name="Huỳnh Diễm")
    factories.person("truongbbt-thu", Role.CHIEF_EDITOR, full_name="Hoàng Vũ")
    title = "Sở TT&TT tập huấn chuyển đổi số cho cán bộ cấp xã"

    _login(page, "bientap-thu")
    page.get_by_role("link", name="Tin bài cổng thông tin").click()
    page.get_by_role("link", name="Viết bài mới").click()
    page.get_by_label("Tiêu đề").fill(title)
    page.get_by_label("Chuyên mục").select_option(label="Công nghệ thông tin")
    page.get_by_label("Tóm tắt").fill("Sáng nay, Sở tổ chức lớp tập huấn chuyển đổi số cho 120 cán bộ cấp xã.")
    page.get_by_label("Nội dung").fill("Lớp học gồm ba chuyên đề.\n\nHọc viên thực hành trên dịch vụ công trực tuyến.")
    page.get_by_role("button", name="Lưu bản nháp").click()
    expect(page.get_by_text("Đã lưu bản nháp")).to_be_visible()
    page.get_by_role("button", name="Gửi duyệt").click()
    expect(page.locator(".badge.status-review").first).to_be_visible()
    expect(page.get_by_role("button", name="Xuất bản")).to_have_count(0)
    page.get_by_role("button", name="Đăng xuất").click()

    _login(page, "truongbbt-thu")
    page.goto("/can-bo/tin-bai/")
    expect(page.get_by_text("Có 1 bài đang chờ bạn duyệt.")).to_be_visible()
    page.get_by_role("link", name="Xem danh sách chờ duyệt").click()
    page.get_by_role("link", name=title).click()
    screenshot(page, "portal-editor")
    page.get_by_role("button", name="Xuất bản").click()
    expect(page.locator(".badge.status-published").first).to_be_visible()

    page.goto("/tin-tuc/")
    expect(page.get_by_role("link", name=title)).to_be_visible()


def test_the_language_switch_changes_the_page_language(page: Page, news: None) -> None:
    page.goto("/tin-tuc/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    page.locator(".lang-switch [hreflang=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/tin-tuc/$"))
    nav = page.get_by_role("navigation", name="Main navigation")
    expect(nav.get_by_role("link", name="News")).to_be_visible()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    page.locator(".lang-switch [hreflang=vi]").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Tin tức")).to_be_visible()


def test_pages_fit_a_phone_screen(phone_page: Page, news: None, screenshot: Any) -> None:
    phone_page.goto("/")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the home page scrolls sideways on a phone ({width}px)"
    screenshot(phone_page, "portal-home-phone")
    phone_page.locator("h2.featured-title a").click()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone_page, "portal-article-phone")
