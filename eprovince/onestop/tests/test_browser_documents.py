"""In a real browser: an administrator writes a procedure's result template (a wrong placeholder is explained), a
leader issues the result without a file, the documents card lists it, and anyone opening the QR code's address on a
phone sees the verification page. Checked with axe; screenshots docs/screenshots/onestop-result-*.png."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from eprovince.core.testing import TEST_PASSWORD
from eprovince.onestop.models import ResultDocument

from .factories import World, act, at, make_world, receive
from .test_browser_stats import check

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(settings: Any, tmp_path: Any) -> World:
    settings.ONESTOP_FILES_ROOT = str(tmp_path / "private")
    return make_world()


def sign_in(page: Page, username: str, next_url: str) -> None:
    page.context.clear_cookies()
    page.goto(f"/dang-nhap/?next={next_url}")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()


def test_template_result_and_verification(page: Page, phone_page: Page, world: World, screenshot: Any, axe: Any) -> None:
    url = f"/can-bo/mot-cua/thu-tuc/{world.procedure.pk}/mau-ket-qua/"
    sign_in(page, "quantri", url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mẫu kết quả giải quyết")
    page.get_by_label("Tên văn bản kết quả").fill("GIẤY PHÉP BƯU CHÍNH")
    page.get_by_label("Nội dung").fill("Cấp cho {ten_nguoi_nop}, hồ sơ {dossier_code}.")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".field-error, .error-text, [role=alert]").first).to_contain_text(
        "Không có trường thay thế “{ten_nguoi_nop}”"
    )
    check(page, axe)
    screenshot(page, "onestop-result-template")
    page.get_by_label("Nội dung").fill(
        "Cấp cho {applicant_name}, hồ sơ {dossier_code}.\nTên doanh nghiệp: {field:ten_doanh_nghiep}.\nCó hiệu lực từ ngày {issued_on}."
    )
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã lưu mẫu kết quả giải quyết.")).to_be_visible()

    d = receive(world, now=at(2026, 3, 9, 9))
    d = act(act(d, "forward", world.specialist), "forward", world.head)
    sign_in(page, "lanhdao", f"/can-bo/mot-cua/ho-so/{d.pk}/")
    expect(page.get_by_text("hệ thống tạo văn bản kết quả từ mẫu")).to_be_visible()
    panel = page.locator("form.action-panel")
    panel.get_by_role("radio", name="Phê duyệt, ban hành kết quả", exact=True).check()
    panel.get_by_role("button", name="Thực hiện thao tác đã chọn").click()
    card = page.locator("section", has=page.get_by_role("heading", name="Phiếu và văn bản"))
    expect(card).to_contain_text("GIẤY PHÉP BƯU CHÍNH – số 01/GP-SKHCN")
    check(page, axe)
    screenshot(page, "onestop-result-dossier")

    token = ResultDocument.objects.get(dossier=d).token
    phone_page.goto(f"/tra-cuu/xac-thuc/{token}/")
    expect(phone_page.get_by_role("heading", level=1)).to_contain_text("Xác thực văn bản kết quả")
    expect(phone_page.get_by_text("Văn bản đã được đăng ký trên hệ thống")).to_be_visible()
    expect(phone_page.get_by_text("văn bản không mang chữ ký số")).to_be_visible()
    expect(phone_page.locator("dl")).to_contain_text("Nguyễn Văn Đông")
    check(phone_page, axe)
    screenshot(phone_page, "onestop-result-verify-phone")
