"""The whole one-stop journey in a real browser, every step through the pages (issue 3, "done when"): a business
applies online for a licence with a fee, the clerk requests a supplement, the business supplements, the clerk
receives it, the specialist asks another agency's opinion (liên thông) and gets it back, the division head submits
it, the leader cannot approve while the fee is unpaid, the clerk confirms the VietQR transfer, the leader approves
and issues the result (generated from the procedure's template, with a verification QR code), the clerk returns it,
the business downloads it, checks it on the public verification page and rates the service, and the leader sees the
dossier on time in the statistics. Screenshots: docs/screenshots/onestop-journey-NN-*.png."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone
from fpdf import FPDF
from playwright.sync_api import Browser, FilePayload, Page, expect
from pypdf import PdfReader

from eprovince.core.testing import TEST_PASSWORD
from eprovince.onestop.constants import DossierStatus
from eprovince.onestop.models import Dossier, Payment, PaymentStatus, Procedure, ProcessAction, ResultDocument
from eprovince.onestop.payments import decode_payload
from eprovince.onestop.services.catalogue import procedure_part_save
from eprovince.onestop.services.payments import payment_account_save
from eprovince.onestop.services.results import result_template_save

from .factories import World, make_procedure, make_world, sign_up

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

EMAIL = "hoa@mekong.vn"
CODE = "1.000003"
SUPPLEMENT = "Bổ sung bản vẽ vị trí lắp đặt trạm có chữ ký của đơn vị tư vấn."
FEE = 150_000


@pytest.fixture
def world(settings: Any, tmp_path: Any) -> World:
    settings.ONESTOP_FILES_ROOT = str(tmp_path / "private")
    w = make_world()
    sign_up(kind="business", email=EMAIL)
    return w


@pytest.fixture
def licence(world: World) -> Procedure:
    """A licence with a fee whose process asks the Department of Construction (the demo BTS procedure's shape);
    the leader's approval waits for the fee, collected on the Department's account."""
    procedure = make_procedure(
        code=CODE, name="Cấp giấy phép lắp đặt trạm thu phát sóng (BTS)", field=world.field, agency=world.dept,
        division=world.division, days=12, consulted=world.construction, fee=FEE,
    )  # fmt: skip
    procedure.fee_description = "Lệ phí cấp giấy phép"
    procedure.save(update_fields=["fee_description"])
    issue = ProcessAction.objects.get(procedure=procedure, code="issue_result")
    procedure_part_save(procedure=procedure, model=ProcessAction, acting_user=None, instance=issue, requires_payment=True)
    payment_account_save(acting_user=None, organisation=world.dept, bank_bin="970415", bank_name="VietinBank",
                         account_number="113000246810", account_name="SO KHOA HOC VA CONG NGHE")  # fmt: skip
    result_template_save(
        procedure=procedure, acting_user=None, title="GIẤY PHÉP LẮP ĐẶT TRẠM THU PHÁT SÓNG",
        body="Cấp cho: {applicant_name}.\nCăn cứ hồ sơ {dossier_code}, tiếp nhận ngày {received_on}.\n"
        "Giấy phép có giá trị kể từ ngày {issued_on}.",
    )  # fmt: skip
    return procedure


def small_pdf(text: str) -> bytes:
    doc = FPDF()
    doc.add_page()
    doc.set_font("helvetica", size=14)
    doc.cell(text=text)
    return bytes(doc.output())


def pdf_file(name: str, text: str) -> FilePayload:
    return {"name": name, "mimeType": "application/pdf", "buffer": small_pdf(text)}


def check(pg: Page, axe: Any) -> None:
    assert axe(pg) == [], pg.url
    width = pg.evaluate("document.documentElement.scrollWidth")
    viewport = pg.viewport_size["width"] if pg.viewport_size else 1280
    assert width <= viewport, f"{pg.url} scrolls sideways ({width}px > {viewport}px)"


class Desk:
    """One signed-in person's browser tab (each in its own context, so sessions do not mix)."""

    def __init__(self, browser: Browser, base_url: str, username: str) -> None:
        self.context = browser.new_context(base_url=base_url, locale="vi-VN", viewport={"width": 1280, "height": 900})
        self.context.set_default_timeout(15000)
        self.page = self.context.new_page()
        self.page.goto("/dang-nhap/?next=/can-bo/")
        self.page.get_by_label("Tên đăng nhập").fill(username)
        self.page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
        self.page.get_by_role("button", name="Đăng nhập", exact=True).click()
        expect(self.page.get_by_role("button", name="Đăng xuất")).to_be_visible()

    def act(self, dossier: Dossier, label: str, *, reason: str = "", file: FilePayload | None = None) -> None:
        """Choose the action `label` in the dossier page's one action panel, fill it in and carry it out."""
        self.page.goto(f"/can-bo/mot-cua/ho-so/{dossier.pk}/")
        panel = self.page.locator("form.action-panel")
        panel.get_by_role("radio", name=label, exact=True).check()
        if reason:
            panel.get_by_label("Lý do, ý kiến").fill(reason)
        if file:
            panel.get_by_label("Tệp đính kèm").set_input_files(files=[file])
        panel.get_by_role("button", name="Thực hiện thao tác đã chọn").click()


@pytest.fixture
def desks(browser: Browser, live_server: Any) -> Iterator[Any]:
    opened: list[Desk] = []

    def open_desk(username: str) -> Desk:
        desk = Desk(browser, live_server.url, username)
        opened.append(desk)
        return desk

    yield open_desk
    for desk in opened:
        desk.context.close()


def test_the_whole_journey_from_application_to_statistics(
    page: Page, phone_page: Page, world: World, licence: Procedure, desks: Any, screenshot: Any, axe: Any
) -> None:
    shot = iter(range(1, 100))

    def snap(pg: Page, name: str) -> None:
        check(pg, axe)
        screenshot(pg, f"onestop-journey-{next(shot):02d}-{name}")

    # 1. The business reads the procedure (fee shown), applies online and checks its answers (fee shown again).
    page.goto(f"/dang-nhap/?next=/thu-tuc-hanh-chinh/{CODE}/")
    page.get_by_label("Tên đăng nhập").fill(EMAIL)
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(page.locator("main")).to_contain_text("150.000 đồng")
    expect(page.locator("main")).to_contain_text("Lệ phí cấp giấy phép")
    snap(page, "procedure-with-fee")
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    page.get_by_role("button", name="Bắt đầu").click()
    page.get_by_role("link", name="Thông tin người nộp hồ sơ").click()
    page.get_by_label("Địa chỉ liên hệ").fill("12 Nguyễn Huệ, phường Long Xuyên, tỉnh An Giang")
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    page.get_by_role("link", name="Nội dung tờ khai").click()
    page.get_by_label("Tên doanh nghiệp", exact=True).fill("Công ty TNHH Truyền thông Mê Kông")
    page.get_by_label("Loại hình", exact=True).select_option("Trong nước")
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    page.get_by_role("link", name="Thành phần hồ sơ").click()
    document = licence.documents.get(is_required=True)
    page.locator(f"#tep-{document.pk}").set_input_files(files=[pdf_file("don-de-nghi.pdf", "Don de nghi cap giay phep BTS")])
    page.get_by_role("button", name=f"Tải lên {document.name}").click()
    expect(page.get_by_role("link", name="don-de-nghi.pdf")).to_be_visible()
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    page.get_by_role("link", name="Kiểm tra thông tin và nộp hồ sơ").click()
    expect(page.locator("main")).to_contain_text("150.000 đồng – Lệ phí cấp giấy phép")
    snap(page, "check-answers-with-fee")

    # 2. Submitted: the confirmation page gives the code and the VietQR code with the account and the exact memo.
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page.get_by_role("heading", name="Đã nộp hồ sơ")).to_be_visible()
    dossier = Dossier.objects.get(applicant__email=EMAIL)
    memo = f"{dossier.code} NOP PHI"
    card = page.locator(".payment-card")
    expect(card).to_contain_text("113000246810")
    expect(card.locator(".payment-memo")).to_have_text(memo)
    qr = card.locator("figure.payment-qr svg")
    expect(qr).to_be_visible()
    assert decode_payload(_payload_of(dossier)).memo == memo
    snap(page, "submitted-vietqr")
    phone_page.context.add_cookies(page.context.cookies())  # type: ignore[arg-type]
    phone_page.goto(page.url)
    expect(phone_page.locator("figure.payment-qr svg")).to_be_visible()
    snap(phone_page, "submitted-vietqr-phone")

    # 3. The clerk asks for a supplement.
    clerk = desks("motcua")
    clerk.page.goto("/can-bo/mot-cua/")
    clerk.page.get_by_role("link", name=dossier.code).click()
    expect(clerk.page.locator(".payment-card")).to_contain_text("Chưa nộp phí")
    clerk.act(dossier, "Yêu cầu bổ sung hồ sơ", reason=SUPPLEMENT)
    expect(clerk.page.get_by_text("Trạng thái hồ sơ: Chờ bổ sung hồ sơ")).to_be_visible()
    snap(clerk.page, "clerk-requests-supplement")

    # 4. The business sends the supplement from its dossier page.
    page.goto(f"/ho-so-cua-toi/{dossier.code}/")
    expect(page.locator(".notice-card").first).to_contain_text(SUPPLEMENT)
    page.get_by_label("Giấy tờ được bổ sung").select_option(label="Đơn đề nghị")
    page.get_by_label("Tệp hồ sơ bổ sung").set_input_files(files=[pdf_file("ban-ve-vi-tri.pdf", "Ban ve vi tri tram")])
    page.get_by_role("button", name="Gửi hồ sơ bổ sung").click()
    expect(page.get_by_text("Đã gửi hồ sơ bổ sung")).to_be_visible()
    snap(page, "business-supplements")

    # 5. The clerk receives the dossier; the specialist sends it to the Department of Construction (liên thông).
    clerk.act(dossier, "Tiếp nhận, chuyển thẩm định")
    expect(clerk.page.get_by_text("Trạng thái hồ sơ: Đang xử lý")).to_be_visible()
    specialist = desks("chuyenvien")
    specialist.act(dossier, "Gửi lấy ý kiến liên thông", reason="Đề nghị Sở Xây dựng cho ý kiến về vị trí và chiều cao cột.")
    expect(specialist.page.get_by_text("Trạng thái hồ sơ: Đang lấy ý kiến liên thông")).to_be_visible()
    snap(specialist.page, "specialist-forwards-to-construction")

    # 6. The other agency gives its opinion and returns the dossier; the specialist and the head submit it.
    builder = desks("sxd")
    builder.page.goto("/can-bo/mot-cua/")
    builder.page.get_by_role("link", name=dossier.code).click()
    builder.act(dossier, "Gửi ý kiến, trả hồ sơ", reason="Thống nhất vị trí lắp đặt.",
                file=pdf_file("y-kien-so-xay-dung.pdf", "Y kien So Xay dung"))  # fmt: skip
    expect(builder.page.get_by_text("Trạng thái hồ sơ: Đang xử lý")).to_be_visible()
    snap(builder.page, "construction-returns-opinion")
    specialist.act(dossier, "Trình trưởng phòng")
    desks("truongphong").act(dossier, "Trình lãnh đạo Sở")

    # 7. The leader cannot approve while the fee is unpaid; the clerk confirms the transfer; the leader approves.
    leader = desks("lanhdao")
    leader.act(dossier, "Phê duyệt, ban hành kết quả")
    expect(leader.page.locator(".messages .alert-error")).to_contain_text("chưa nộp phí, lệ phí")
    snap(leader.page, "leader-blocked-unpaid")
    clerk.page.goto(f"/can-bo/mot-cua/ho-so/{dossier.pk}/")
    payment_form = clerk.page.locator(".payment-card form")
    payment_form.get_by_label("Hình thức nộp").select_option("transfer")
    payment_form.get_by_label("Mã giao dịch ngân hàng hoặc số biên lai").fill("FT26082123456")
    snap(clerk.page, "clerk-payment-form")
    payment_form.get_by_role("button", name="Xác nhận đã thu phí").click()
    expect(clerk.page.get_by_text("Đã xác nhận thu phí, lệ phí")).to_be_visible()
    expect(clerk.page.locator(".payment-card")).to_contain_text("FT26082123456")
    snap(clerk.page, "clerk-confirms-payment")
    leader.act(dossier, "Phê duyệt, ban hành kết quả")  # no file: the result is generated from the template
    expect(leader.page.get_by_text("Trạng thái hồ sơ: Có kết quả, chờ trả")).to_be_visible()
    snap(leader.page, "leader-approves")
    clerk.act(dossier, "Trả kết quả cho người nộp")
    expect(clerk.page.get_by_text("Trạng thái hồ sơ: Đã trả kết quả")).to_be_visible()

    # 8. The business downloads the result and rates the service.
    page.goto(f"/ho-so-cua-toi/{dossier.code}/")
    expect(page.locator(".payment-card")).to_contain_text("Đã nộp phí")
    result_link = page.get_by_role("link", name=re.compile("Tải kết quả"))
    expect(result_link).to_be_visible()
    result = page.request.get(result_link.first.get_attribute("href") or "")
    assert result.ok and result.body().startswith(b"%PDF-")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(result.body())).pages)
    assert dossier.code in text and "GIẤY PHÉP LẮP ĐẶT TRẠM THU PHÁT SÓNG" in text and "Công ty" in text
    document = ResultDocument.objects.get(dossier=dossier)
    assert document.number in text
    # The QR code on the licence leads anyone to the public verification page.
    phone_page.goto(f"/tra-cuu/xac-thuc/{document.token}/")
    expect(phone_page.get_by_role("main")).to_contain_text(document.number)
    expect(phone_page.get_by_role("main")).to_contain_text("Còn hiệu lực")
    snap(phone_page, "anyone-verifies-the-licence")
    for criterion in (
        "Thời gian giải quyết",
        "Thái độ phục vụ của cán bộ",
        "Sự đơn giản của thủ tục, hồ sơ",
        "Kết quả giải quyết",
    ):
        page.get_by_role("group", name=criterion).get_by_label("Rất hài lòng", exact=True).check()
    snap(page, "business-downloads-and-rates")
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.get_by_text("Cảm ơn bạn đã đánh giá")).to_be_visible()

    # 9. The dossier is finished on time in the leader's statistics.
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.DONE and dossier.due_at and dossier.finished_at
    assert dossier.finished_at <= dossier.due_at
    assert Payment.objects.get(dossier=dossier).status == PaymentStatus.CONFIRMED
    today = timezone.localdate()
    leader.page.goto("/can-bo/mot-cua/thong-ke/")
    leader.page.get_by_label("Từ ngày").fill(today.replace(day=1).strftime("%d/%m/%Y"))
    leader.page.get_by_label("Đến ngày").fill(today.strftime("%d/%m/%Y"))
    leader.page.get_by_role("button", name="Xem thống kê").click()
    expect(leader.page.locator(".kpi-rate")).to_contain_text("100,0%")
    expect(leader.page.locator(".kpi-rate")).to_contain_text("1 trên 1 hồ sơ đã giải quyết")
    expect(leader.page.get_by_role("table", name="Số liệu theo thủ tục hành chính")).to_contain_text(licence.name)
    snap(leader.page, "statistics-on-time")


def _payload_of(dossier: Dossier) -> str:
    from eprovince.onestop.services.payments import payment_info

    info = payment_info(Dossier.objects.get(pk=dossier.pk))
    assert info is not None
    return info.payload
