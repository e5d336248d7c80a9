"""Errors in a real browser: the staff user-create form lists every error at once at the top, focused, each a link to
its field; the missing page is the platform's, in Vietnamese, on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from eprovince.core.constants import OrganisationKind, Role
from eprovince.core.testing import TEST_PASSWORD, make_org, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, username: str) -> None:
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()


def summary_lines(page) -> list[str]:
    return [line.strip() for line in page.locator("[data-error-summary] li").all_inner_texts()]


def test_the_user_form_lists_every_error_focused_and_linked(page, phone_page, axe, screenshot):
    province = make_org("Ủy ban nhân dân tỉnh An Giang", kind=OrganisationKind.PEOPLES_COMMITTEE)
    make_user("quantri", Role.ADMIN, full_name="Nguyễn Văn Quản")
    login(page, "quantri")

    page.goto("/can-bo/nguoi-dung/them/")
    page.get_by_role("button", name="Tạo tài khoản").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("Có lỗi cần sửa")
    lines = summary_lines(page)
    assert [line.split(":", 1)[0] for line in lines] == ["Tên đăng nhập", "Họ và tên", "Mật khẩu ban đầu"], lines

    summary.get_by_role("link", name="Họ và tên").click()
    expect(page.locator("#id_full_name")).to_be_focused()
    expect(page.locator("#id_full_name")).to_have_attribute("aria-invalid", "true")

    # Bad data: a text where an email goes, a password the rules refuse, an organisation without a role.
    page.get_by_label("Tên đăng nhập").fill("lan")
    page.get_by_label("Họ và tên").fill("Trần Thị Lan")
    page.get_by_label("Thư điện tử").fill("khong-phai-thu")
    page.get_by_label("Mật khẩu ban đầu").fill("1234567890")
    page.get_by_label("Cơ quan, đơn vị").select_option(str(province.pk))
    page.get_by_role("button", name="Tạo tài khoản").click()
    expect(summary).to_be_focused()
    lines = summary_lines(page)
    assert [line.split(":", 1)[0] for line in lines] == [
        "Thư điện tử",
        "Mật khẩu ban đầu",
        "Mật khẩu ban đầu",
        "Vai trò tại cơ quan",
    ], lines
    assert axe(page) == []
    screenshot(page, "errors-summary-desktop")
    summary.get_by_role("link", name="Vai trò tại cơ quan").click()
    expect(page.locator("#id_role")).to_be_focused()

    login(phone_page, "quantri")
    phone_page.goto("/can-bo/nguoi-dung/them/")
    phone_page.get_by_role("button", name="Tạo tài khoản").click()
    expect(phone_page.locator("[data-error-summary]")).to_be_focused()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page scrolls sideways on a phone ({width}px)"
    assert axe(phone_page) == []
    screenshot(phone_page, "errors-summary-phone")

    phone_page.goto("/khong-co-trang-nay/")
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Không tìm thấy trang")
    assert axe(phone_page) == []
    screenshot(phone_page, "error-404-phone")
