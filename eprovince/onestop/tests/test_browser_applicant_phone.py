"""The applicant on a phone (issue 12, H6), in a real browser with axe: the main menu behind one button, "my
dossiers" as cards that show the submitted and due dates, the VietQR card with "save the QR image" and copy buttons,
no staff workspace for a business; and uploads refused in the browser before they are sent (too large, renamed .exe).
Screenshots: docs/screenshots/applicant-phone-*.png and applicant-upload-refused.png."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from eprovince.core.testing import TEST_PASSWORD
from eprovince.onestop.models import DossierFile
from eprovince.onestop.services.online import dossier_draft_start, dossier_online_submit
from eprovince.onestop.services.payments import payment_account_save

from .factories import SITE, World, complete_draft, make_world, sign_up

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
EMAIL = "hoa@mekong.vn"


@pytest.fixture
def world(settings: Any, tmp_path: Any) -> World:
    settings.ONESTOP_FILES_ROOT = str(tmp_path / "private")
    settings.ONESTOP_MAX_UPLOAD_BYTES = 1024 * 1024
    w = make_world()
    payment_account_save(
        acting_user=w.admin, organisation=w.dept, bank_bin="970415", bank_name="VietinBank",
        account_number="113000246810", account_name="SO KHCN TINH THU NGHIEM",
    )  # fmt: skip
    return w


def check_page(pg: Page, axe: Any) -> None:
    assert axe(pg) == [], pg.url
    width = pg.evaluate("document.documentElement.scrollWidth")
    assert width <= (pg.viewport_size or {"width": 1280})["width"], f"{pg.url} scrolls sideways"


def log_in(pg: Page, email: str) -> None:
    pg.goto("/dang-nhap/?next=/ho-so-cua-toi/")
    pg.get_by_label("Thư điện tử hoặc tên đăng nhập").fill(email.upper())
    pg.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    pg.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(pg.get_by_role("heading", name="Hồ sơ của tôi")).to_be_visible()


def test_a_business_on_a_phone(phone_page: Page, world: World, screenshot: Any, axe: Any) -> None:
    user = sign_up(email=EMAIL)
    dossier = dossier_online_submit(dossier=complete_draft(world, user), acting_user=user, site_url=SITE)
    pg = phone_page
    log_in(pg, EMAIL)

    # The menu: one button, keyboard operable, no staff workspace for a business.
    menu = pg.get_by_role("button", name="Danh mục")
    expect(menu).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(pg.locator("#main-nav-list")).to_be_hidden()
    menu.focus()
    pg.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(pg.get_by_role("link", name="Hồ sơ của tôi", exact=True)).to_be_visible()
    expect(pg.get_by_role("link", name="Không gian làm việc")).to_have_count(0)
    check_page(pg, axe)
    screenshot(pg, "applicant-phone-menu")
    pg.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")

    # My dossiers: the submitted and due dates are on screen, not scrolled away.
    card = pg.locator(".dossier-table tbody tr").first
    for label in ("Ngày nộp", "Hẹn trả"):
        cell = card.locator(f'td[data-label="{label}"]')
        expect(cell).to_be_visible()
        box = cell.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, label
    check_page(pg, axe)
    screenshot(pg, "applicant-phone-my-dossiers")

    # The VietQR card: save the image, copy the account and the memo.
    pg.get_by_role("link", name=dossier.code).click()
    save = pg.get_by_role("link", name="Lưu ảnh mã QR")
    expect(save).to_be_visible()
    qr = pg.request.get(save.get_attribute("href") or "")
    assert qr.status == 200 and qr.headers["content-type"] == "image/png" and qr.body()[:8] == b"\x89PNG\r\n\x1a\n"
    pg.get_by_role("button", name="Sao chép số tài khoản").click()
    expect(pg.locator(".copy-status")).to_contain_text("113000246810")
    pg.get_by_role("button", name="Sao chép nội dung chuyển khoản").click()
    expect(pg.locator(".copy-status")).to_contain_text(dossier.payment.reference)
    check_page(pg, axe)
    screenshot(pg, "applicant-phone-vietqr")


def test_uploads_are_refused_in_the_browser_before_sending(page: Page, world: World, screenshot: Any, axe: Any) -> None:
    user = sign_up(email=EMAIL)
    draft = dossier_draft_start(acting_user=user, procedure=world.procedure)
    document = world.procedure.documents.get(is_required=True)
    log_in(page, EMAIL)
    page.goto(f"/ho-so-cua-toi/nhap/{draft.pk}/giay-to/")
    chooser = page.locator(f"#tep-{document.pk}")
    chooser.set_input_files(
        files=[{"name": "ban-quet.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024)}]
    )
    expect(page.get_by_text("Tệp “ban-quet.pdf” quá lớn: tối đa 1 MB, tệp đã chọn 2 MB.", exact=False)).to_be_visible()
    assert chooser.evaluate("input => input.files.length") == 0
    chooser.set_input_files(
        files=[{"name": "don-de-nghi.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00" + b"\x00" * 64}]
    )
    refused = page.locator(".upload-refused")
    expect(refused).to_contain_text("Nội dung tệp “don-de-nghi.pdf” không đúng với đuôi .pdf.")
    expect(chooser).to_have_attribute("aria-invalid", "true")
    chooser.set_input_files(files=[{"name": "cai-dat.exe", "mimeType": "application/octet-stream", "buffer": b"MZ\x90\x00"}])
    expect(refused).to_contain_text("Tệp “cai-dat.exe” không được chấp nhận.")
    check_page(page, axe)
    screenshot(page, "applicant-upload-refused")
    assert not DossierFile.objects.exists()
    chooser.set_input_files(files=[{"name": "don.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}])
    expect(refused).to_be_hidden()
    expect(chooser).not_to_have_attribute("aria-invalid", "true")
