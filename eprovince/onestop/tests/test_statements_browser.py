"""In a real browser on a phone: a clerk follows the link from a dossier's fee, uploads a wrong file (the error is
explained), then the bank statement, reads the preview and confirms the proposed fees. Checked with axe (WCAG 2.2
AA) and for sideways scrolling; screenshots docs/screenshots/onestop-statement-*.png."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from eprovince.onestop.models import Payment, PaymentStatus

from .factories import World, make_world, receive
from .test_browser_documents import sign_in
from .test_browser_stats import check
from .test_statements import HEADER, csv_bytes
from .test_statements_import import account

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(settings: Any, tmp_path: Any) -> World:
    settings.ONESTOP_FILES_ROOT = str(tmp_path / "private")
    return make_world()


def test_a_clerk_reconciles_the_statement_on_a_phone(phone_page: Page, world: World, screenshot: Any, axe: Any) -> None:
    account(world)
    a, b, c = receive(world), receive(world), receive(world)
    rows = [
        ["NGÂN HÀNG TMCP CÔNG THƯƠNG VIỆT NAM – SAO KÊ TÀI KHOẢN 113000246810"],
        HEADER,
        ["10/03/2026", "1.500.000", f"MBVCB.3341229876.{a.code.replace('-', ' ')} NOP PHI.CT tu 0011004455667 NGUYEN VAN DONG", "FT26069001"],
        ["10/03/2026", "1.000.000", f"{b.code} NOP PHI", "FT26069002"],
        ["11/03/2026", "1.500.000", f"IBFT {c.code.lower()} nop phi", "FT26070001"],
        ["11/03/2026", "250.000", "CHUYEN TIEN KHONG RO NOI DUNG", "FT26070002"],
    ]  # fmt: skip
    page = phone_page
    sign_in(page, "motcua", f"/can-bo/mot-cua/ho-so/{a.pk}/")
    page.get_by_role("link", name="Đối chiếu nhiều khoản phí cùng lúc từ sao kê ngân hàng").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đối chiếu sao kê tài khoản thu phí")
    check(page, axe)

    page.get_by_label("Tệp sao kê").set_input_files(
        {"name": "sao-ke.csv", "mimeType": "text/csv", "buffer": csv_bytes([["Ngày", "Nội dung"], ["10/03/2026", "x"]])}
    )
    page.get_by_role("button", name="Đọc sao kê và xem trước").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Thiếu cột “Số tiền ghi có”")
    expect(summary).to_contain_text("Thiếu cột “Số tham chiếu”")
    check(page, axe)
    screenshot(page, "onestop-statement-1-error-phone")

    page.get_by_label("Tệp sao kê").set_input_files(
        {"name": "saoke-10-03-2026.csv", "mimeType": "text/csv", "buffer": csv_bytes(rows, delimiter=";", bom=True)}
    )
    page.get_by_role("button", name="Đọc sao kê và xem trước").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kết quả đối chiếu sao kê")
    expect(page.get_by_text("Đề xuất xác nhận 2 khoản phí, tổng 3.000.000 đồng.")).to_be_visible()
    expect(page.get_by_role("checkbox", name=f"dòng 3, hồ sơ {a.code}")).to_be_checked()
    expect(page.get_by_role("checkbox", name=f"dòng 5, hồ sơ {c.code}")).to_be_checked()
    expect(page.get_by_text("Chuyển 1.000.000 đồng, phí phải nộp 1.500.000 đồng")).to_be_visible()
    check(page, axe)
    screenshot(page, "onestop-statement-2-preview-phone")
    assert Payment.objects.filter(status=PaymentStatus.CONFIRMED).count() == 0

    page.get_by_role("button", name="Xác nhận các khoản phí đã chọn").click()
    expect(page.get_by_text("Đã xác nhận 2 khoản phí (3.000.000 đồng) từ sao kê “saoke-10-03-2026.csv”.")).to_be_visible()
    expect(page.get_by_role("region", name="Các lần đối chiếu gần đây")).to_contain_text("saoke-10-03-2026.csv")
    check(page, axe)
    screenshot(page, "onestop-statement-3-done-phone")
    assert set(Payment.objects.filter(status=PaymentStatus.CONFIRMED).values_list("dossier_id", flat=True)) == {a.pk, c.pk}
