"""The applicant's journey in a real browser: a business signs up and verifies its email, applies online for a
licence (task list, save and resume, check your answers), submits, keeps the slip; answers a request to supplement;
downloads the result and rates the service. Officers act through the services. Every page is checked with axe and at
phone width; screenshots go to docs/screenshots/onestop-*.png."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core import mail
from fpdf import FPDF
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from eprovince.core.models import AdminUnit
from eprovince.core.services.units import units_import
from eprovince.core.testing import TEST_PASSWORD
from eprovince.core.tests import units_testdata
from eprovince.onestop.constants import DossierStatus, FormFieldType
from eprovince.onestop.models import Dossier, FormField
from eprovince.onestop.services.catalogue import procedure_part_save
from eprovince.onestop.services.dossiers import Upload

from .factories import World, act, complete_draft, make_world, pdf

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

EMAIL = "hoa@mekong.vn"
REASON = "Bổ sung bản sao giấy chứng nhận đăng ký doanh nghiệp có chứng thực."


@pytest.fixture
def world(settings: Any, tmp_path: Any) -> World:
    settings.ONESTOP_FILES_ROOT = str(tmp_path / "private")
    units_import(province_codes=None, source=units_testdata.source())
    w = make_world()
    for key, label, kind, order in [
        ("ngay_bat_dau", "Ngày dự kiến bắt đầu hoạt động", FormFieldType.DATE, 10),
        ("dia_chi", "Địa chỉ trụ sở", FormFieldType.ADDRESS, 11),
    ]:
        procedure_part_save(procedure=w.procedure, model=FormField, acting_user=None, key=key, label=label, field_type=kind,
                            order=order, group="Hoạt động và trụ sở")  # fmt: skip
    return w


def small_pdf(text: str) -> bytes:
    doc = FPDF()
    doc.add_page()
    doc.set_font("helvetica", size=14)
    doc.cell(text=text)
    return bytes(doc.output())


def check_page(pg: Page, axe: Any) -> None:
    assert axe(pg) == [], pg.url
    width = pg.evaluate("document.documentElement.scrollWidth")
    viewport = pg.viewport_size["width"] if pg.viewport_size else 1280
    assert width <= viewport, f"{pg.url} scrolls sideways ({width}px > {viewport}px)"


def log_in(pg: Page, next_url: str = "/ho-so-cua-toi/") -> None:
    pg.goto(f"/dang-nhap/?next={next_url}")
    pg.get_by_label("Tên đăng nhập").fill(EMAIL)
    pg.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    pg.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(pg.get_by_role("button", name="Đăng xuất")).to_be_visible()


def test_a_business_applies_online_supplements_gets_the_result_and_rates(
    page: Page, phone_page: Page, world: World, screenshot: Any, axe: Any
) -> None:
    mail.outbox.clear()
    # 1. Sign-up, then the link from the email.
    page.goto("/thu-tuc-hanh-chinh/1.000001/")
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    page.get_by_role("link", name="Đăng ký tài khoản").click()
    page.get_by_label("Doanh nghiệp, tổ chức", exact=True).check()
    page.get_by_label("Họ và tên", exact=True).fill("Trần Thị Hoa")
    page.get_by_label("Tên doanh nghiệp, tổ chức", exact=True).fill("Công ty TNHH Truyền thông Mê Kông")
    page.get_by_label("Mã số doanh nghiệp", exact=True).fill("0312345678")
    page.get_by_label("Thư điện tử", exact=True).fill(EMAIL)
    page.get_by_label("Số điện thoại", exact=True).fill("0912 000 111")
    page.get_by_label("Mật khẩu", exact=True).fill(TEST_PASSWORD)
    page.get_by_label("Nhập lại mật khẩu").fill(TEST_PASSWORD)
    check_page(page, axe)
    screenshot(page, "onestop-1-signup")
    page.get_by_role("button", name="Đăng ký").click()
    expect(page.get_by_role("heading", name="Kiểm tra hộp thư của bạn")).to_be_visible()
    check_page(page, axe)
    [message] = mail.outbox
    link = re.search(r"https?://[^/\s]+(/dang-ky/xac-nhan/\S+/)", message.body)
    assert link, message.body
    page.goto(link.group(1))
    expect(page.get_by_role("heading", name="Đã xác nhận địa chỉ thư điện tử")).to_be_visible()
    check_page(page, axe)
    page.get_by_role("link", name="Đăng nhập").last.click()
    page.get_by_label("Tên đăng nhập").fill(EMAIL)
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    # Back in the procedure the sign-up started from (issue 12), not on "Hồ sơ của tôi".
    expect(page).to_have_url(re.compile(r"/thu-tuc-hanh-chinh/1\.000001/nop-truc-tuyen/$"))
    expect(page.get_by_role("heading", name="Cấp giấy phép bưu chính")).to_be_visible()

    # 2. Apply: the task list, one section after another, save and come back later.
    page.goto("/thu-tuc-hanh-chinh/1.000001/")
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    check_page(page, axe)
    page.get_by_role("button", name="Bắt đầu").click()
    expect(page.locator(".tag-not_started")).to_have_count(4)
    page.get_by_role("link", name="Thông tin người nộp hồ sơ").click()
    expect(page.get_by_label("Họ và tên hoặc tên tổ chức")).to_have_value("Công ty TNHH Truyền thông Mê Kông")
    page.get_by_label("Địa chỉ liên hệ").fill("12 Nguyễn Huệ, phường Long Xuyên, tỉnh An Giang")
    check_page(page, axe)
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    page.get_by_role("link", name="Nội dung tờ khai").click()
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    expect(page.get_by_role("alert")).to_contain_text("Vui lòng nhập “Tên doanh nghiệp”.")
    check_page(page, axe)
    page.get_by_label("Tên doanh nghiệp", exact=True).fill("Công ty TNHH Truyền thông Mê Kông")
    page.get_by_label("Số máy in").fill("2")
    page.get_by_label("Loại hình", exact=True).select_option("Trong nước")
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    page.get_by_role("link", name="Hoạt động và trụ sở").click()
    page.get_by_label("Ngày dự kiến bắt đầu hoạt động").fill("15/04/2026")
    page.get_by_role("button", name="Lưu nháp, làm tiếp sau").click()
    expect(page.get_by_text("Đã lưu bản nháp")).to_be_visible()
    check_page(page, axe)
    page.get_by_role("link", name=re.compile("Làm tiếp")).click()
    expect(page.locator(".tag-done")).to_have_count(2)
    expect(page.locator(".tag-in_progress")).to_have_count(1)
    check_page(page, axe)
    screenshot(page, "onestop-2-tasklist")
    page.get_by_role("link", name="Hoạt động và trụ sở").click()
    expect(page.get_by_label("Ngày dự kiến bắt đầu hoạt động")).to_have_value("15/04/2026")
    page.get_by_label("Địa chỉ trụ sở", exact=True).select_option(label="Xã Chợ Mới")
    page.get_by_label("Địa chỉ trụ sở: số nhà, đường, ấp, khu phố").fill("Ấp Long Hòa")
    check_page(page, axe)
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    page.get_by_role("link", name="Thành phần hồ sơ").click()
    document = world.procedure.documents.get(is_required=True)
    page.locator(f"#tep-{document.pk}").set_input_files(
        files=[{"name": "don-de-nghi.pdf", "mimeType": "application/pdf", "buffer": small_pdf("Don de nghi cap giay phep")}]
    )
    page.get_by_role("button", name="Tải lên Đơn đề nghị").click()
    expect(page.get_by_role("link", name="don-de-nghi.pdf")).to_be_visible()
    check_page(page, axe)
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    expect(page.locator(".tag-done")).to_have_count(4)

    # 3. Check your answers, submit, the confirmation page and the slip.
    page.get_by_role("link", name="Kiểm tra thông tin và nộp hồ sơ").click()
    expect(page.get_by_text("15/04/2026")).to_be_visible()
    expect(page.get_by_text("Ấp Long Hòa, Xã Chợ Mới")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^Thay đổi"))).to_have_count(4)
    check_page(page, axe)
    screenshot(page, "onestop-3-check-answers")
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page.get_by_role("heading", name="Đã nộp hồ sơ")).to_be_visible()
    dossier = Dossier.objects.get(applicant__email=EMAIL)
    assert dossier.status == DossierStatus.NEW
    expect(page.locator(".dossier-code")).to_have_text(dossier.code)
    check_page(page, axe)
    screenshot(page, "onestop-4-confirmation")
    page.reload()
    expect(page.locator(".dossier-code")).to_have_text(dossier.code)
    slip = page.request.get(page.get_by_role("link", name="Tải giấy tiếp nhận (PDF)").get_attribute("href") or "")
    assert slip.ok and slip.body().startswith(b"%PDF-")
    assert dossier.code in PdfReader(io.BytesIO(slip.body())).pages[0].extract_text()
    assert any(dossier.code in m.subject for m in mail.outbox)

    # 4. The clerk asks for a supplement; the business sends it.
    act(dossier, "request_supplement", world.clerk, reason=REASON)
    page.get_by_role("link", name="Xem tình trạng và lịch sử xử lý hồ sơ").click()
    expect(page.locator(".notice-card")).to_contain_text(REASON)
    page.get_by_label("Giấy tờ được bổ sung").select_option(label="Tài liệu khác")
    page.get_by_label("Tệp hồ sơ bổ sung").set_input_files(
        files=[{"name": "gcn-dkdn.pdf", "mimeType": "application/pdf", "buffer": small_pdf("Giay chung nhan DKDN")}]
    )
    page.get_by_label("Ghi chú cho cán bộ (không bắt buộc)").fill("Đã bổ sung bản sao có chứng thực.")
    check_page(page, axe)
    screenshot(page, "onestop-5-supplement")
    page.get_by_role("button", name="Gửi hồ sơ bổ sung").click()
    expect(page.get_by_text("Đã gửi hồ sơ bổ sung")).to_be_visible()
    dossier.refresh_from_db()
    assert not dossier.is_paused and dossier.status == DossierStatus.NEW

    # 5. Officers handle it and issue the result; the business downloads it and rates the service.
    dossier = act(dossier, "accept", world.clerk)
    dossier = act(dossier, "forward", world.specialist)
    dossier = act(dossier, "forward", world.head)
    dossier = act(dossier, "issue_result", world.leader, uploads=[Upload(file=pdf("giay-phep-buu-chinh.pdf"))])
    act(dossier, "return_result", world.clerk)
    page.reload()
    result_link = page.get_by_role("link", name=re.compile("Tải kết quả"))
    expect(result_link).to_be_visible()
    result = page.request.get(result_link.get_attribute("href") or "")
    assert result.ok and result.body().startswith(b"%PDF-")
    for criterion, level in [
        ("Thời gian giải quyết", "Rất hài lòng"), ("Thái độ phục vụ của cán bộ", "Rất hài lòng"),
        ("Sự đơn giản của thủ tục, hồ sơ", "Hài lòng"), ("Kết quả giải quyết", "Rất hài lòng"),
    ]:  # fmt: skip
        page.get_by_role("group", name=criterion).get_by_label(level, exact=True).check()
    page.get_by_label("Góp ý thêm (không bắt buộc)").fill("Nhanh, không phải đến cơ quan.")
    check_page(page, axe)
    screenshot(page, "onestop-6-rating")
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.get_by_text("Cảm ơn bạn đã đánh giá")).to_be_visible()
    expect(page.get_by_role("heading", name="Đánh giá của bạn")).to_be_visible()
    check_page(page, axe)

    # 6. At phone width: no sideways scroll, no accessibility violation.
    phone_page.goto("/dang-ky/")
    check_page(phone_page, axe)
    log_in(phone_page)
    commune = AdminUnit.objects.current().get(code="20002")
    draft = complete_draft(world, dossier.applicant, answers={"ngay_bat_dau": "01/06/2026", "dia_chi": {"unit": commune.pk}})
    for url in (
        "/ho-so-cua-toi/", f"/ho-so-cua-toi/nhap/{draft.pk}/", f"/ho-so-cua-toi/nhap/{draft.pk}/giay-to/",
        f"/ho-so-cua-toi/nhap/{draft.pk}/kiem-tra/", f"/ho-so-cua-toi/{dossier.code}/", f"/ho-so-cua-toi/{dossier.code}/da-nop/",
    ):  # fmt: skip
        phone_page.goto(url)
        check_page(phone_page, axe)
        if url.endswith("/kiem-tra/"):
            screenshot(phone_page, "onestop-7-phone-check-answers")
