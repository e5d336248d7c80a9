"""What an officer and an administrator see in a real browser (Playwright driving Debian's Chromium)."""

import re

import pytest
from playwright.sync_api import expect

from eprovince.core.constants import OrganisationKind, Role
from eprovince.core.services.organisations import organisation_update
from eprovince.core.testing import TEST_PASSWORD, make_org, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def province():
    root = make_org("Ủy ban nhân dân tỉnh An Giang", kind=OrganisationKind.PEOPLES_COMMITTEE, electronic_code="000.00.00.H01")
    so = make_org("Sở Khoa học và Công nghệ tỉnh An Giang", parent=root, electronic_code="000.20.00.H01")
    tanchau = make_org("Ủy ban nhân dân thị xã Tân Châu", parent=root, kind=OrganisationKind.PEOPLES_COMMITTEE)
    chauthanh = make_org("Ủy ban nhân dân huyện Châu Thành", parent=root, kind=OrganisationKind.PEOPLES_COMMITTEE)
    return {"root": root, "so": so, "tanchau": tanchau, "chauthanh": chauthanh}


def login(page, username: str, password: str = TEST_PASSWORD) -> None:
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()


def test_officer_is_denied_another_districts_record(page, province):
    make_user("tam", (Role.REPORTING_OFFICER, province["tanchau"]), full_name="Ngô Văn Tâm")
    login(page, "tam")
    page.get_by_role("link", name="Cơ quan, đơn vị").first.click()
    table = page.locator("table")
    expect(table).to_contain_text("Tân Châu")
    assert "Tân Châu" in table.inner_text() and "Châu Thành" not in table.inner_text()
    page.goto(f"/can-bo/co-quan/{province['chauthanh'].pk}/")
    expect(page.get_by_role("heading", name="Không tìm thấy trang")).to_be_visible()


def test_admin_sees_staff_home_and_audit_trail(page, province, screenshot, axe):
    make_user("quantri", Role.ADMIN, full_name="Nguyễn Văn Quản")
    organisation_update(
        organisation=province["so"], acting_user=None, reason="Sáp nhập theo Nghị quyết 2025", short_name="Sở KH&CN"
    )
    login(page, "quantri")
    expect(page.get_by_role("heading", name=re.compile("Xin chào"))).to_be_visible()
    for module in ("Cơ quan, đơn vị", "Người dùng và phân quyền", "Nhật ký hệ thống"):
        assert page.get_by_role("link", name=re.compile(module)).count() >= 1
    assert axe(page) == []
    screenshot(page, "staff-home")

    page.get_by_role("link", name=re.compile("Nhật ký hệ thống")).first.click()
    page.get_by_label("Hành động").select_option("update")
    page.get_by_role("button", name="Lọc").click()
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(1)
    assert rows.count() == 1 and "Sáp nhập theo Nghị quyết 2025" in rows.first.inner_text()
    assert axe(page) == []
    screenshot(page, "audit-list")
    rows.first.get_by_role("link").click()
    expect(page.get_by_role("cell", name="Sở KH&CN")).to_be_visible()


def test_wrong_password_then_lockout_message(page, settings, province):
    settings.LOGIN_MAX_FAILURES = 2
    make_user("tam")
    login(page, "tam", "sai-mat-khau")
    expect(page.get_by_role("alert")).to_have_text("Tên đăng nhập hoặc mật khẩu không đúng.")
    login(page, "tam", "sai-mat-khau")
    expect(page.get_by_role("alert")).to_contain_text("tạm thời bị khóa")


def test_login_page_on_a_phone_is_usable_and_accessible(phone_page, axe, screenshot):
    phone_page.goto("/dang-nhap/")
    assert phone_page.get_by_label("Tên đăng nhập").is_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page scrolls sideways on a phone ({width}px)"
    assert axe(phone_page) == []
    screenshot(phone_page, "login-phone")
