"""Forms 02, 03 and 04 of Circular 01/2018/TT-VPCP as PDFs: generated from the dossier's event, in Vietnamese with
diacritics, with the dossier's code, the reason, the officer and the date, a QR code to the tracking page; for the
officers of the organisation and for the applicant of the dossier only."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from pypdf import PdfReader

from eprovince.core.services.accounts import position_assign
from eprovince.onestop import documents
from eprovince.onestop.models import Dossier, DossierEvent
from eprovince.onestop.pdf_layout import issuer_symbol, place_and_date
from eprovince.onestop.services.dossiers import dossier_issue_apology
from eprovince.onestop.services.online import dossier_online_submit

from .factories import SITE, World, act, at, complete_draft, receive, sign_up
from .test_applicant_receipt import qr_pixels

pytestmark = pytest.mark.django_db

MON = at(2026, 3, 9, 9)
MISSING = "Bản sao có chứng thực giấy chứng nhận đăng ký doanh nghiệp"
WHY = "Lý do: bản đã nộp là bản chụp, không có chứng thực."


def pdf_text(response: Any) -> tuple[str, PdfReader]:
    assert response.status_code == 200, response.status_code
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert response["Content-Type"] == "application/pdf" and content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(text.split()), reader


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def event_of(dossier: Dossier, action: str) -> DossierEvent:
    return DossierEvent.objects.filter(dossier=dossier, action=action).order_by("-pk").first()  # type: ignore[return-value]


def online_dossier(world: World) -> tuple[Any, Dossier]:
    business = sign_up()
    draft = complete_draft(world, business)
    return business, dossier_online_submit(dossier=draft, acting_user=business, site_url=SITE, now=MON)


def officer_url(d: Dossier, e: DossierEvent) -> str:
    return f"/can-bo/mot-cua/ho-so/{d.pk}/phieu/{e.pk}.pdf"


def applicant_url(d: Dossier, e: DossierEvent) -> str:
    return f"/ho-so-cua-toi/{d.code}/phieu/{e.pk}.pdf"


# --- Form 02: request to supplement ----------------------------------------------------------------------------------


def test_form_02_names_what_is_missing_why_who_and_when(world: World) -> None:
    d = receive(world, now=MON, applicant_address="15 Trần Hưng Đạo, phường Long Xuyên")
    d = act(d, "request_supplement", world.specialist, reason=f"- {MISSING}\n{WHY}", now=at(2026, 3, 10, 14))
    e = event_of(d, "request_supplement")
    text, reader = pdf_text(client_for(world.specialist).get(officer_url(d, e)))
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM",
        "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Số: 01/PYCBS-SKHCN", "Thử Nghiệm, ngày 10 tháng 03 năm 2026",
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", d.code, "Nguyễn Văn Đông", "Cấp giấy phép bưu chính",
        "15 Trần Hưng Đạo, phường Long Xuyên", f"1. {MISSING}", "Lý do: bản đã nộp là bản chụp, không có chứng thực.",
        "Phòng Bưu chính, Viễn thông", "NGƯỜI HƯỚNG DẪN", "Phạm Quốc Bảo", "tạm dừng từ ngày 10/03/2026",
    ]:  # fmt: skip
        assert expected in text, expected
    assert reader.metadata.title == f"Mẫu số 02 – Hồ sơ {d.code}"
    [image] = reader.pages[0].images
    assert image.image.convert("1").tobytes() == qr_pixels(f"http://testserver/tra-cuu-ho-so/?ma={d.code}")


def test_form_numbers_follow_the_agency_and_the_year(world: World) -> None:
    first = act(receive(world, now=MON), "request_supplement", world.specialist, reason="Thiếu bản vẽ.", now=at(2026, 3, 9, 10))
    second = act(
        receive(world, now=MON), "request_supplement", world.specialist, reason="Thiếu hợp đồng.", now=at(2026, 3, 9, 11)
    )
    specialist = client_for(world.specialist)
    assert "Số: 01/PYCBS-SKHCN" in pdf_text(specialist.get(officer_url(first, event_of(first, "request_supplement"))))[0]
    text, _reader = pdf_text(specialist.get(officer_url(second, event_of(second, "request_supplement"))))
    assert "Số: 02/PYCBS-SKHCN" in text and "1. Thiếu hợp đồng." in text
    # The first one keeps its number when printed again after the second.
    assert "Số: 01/PYCBS-SKHCN" in pdf_text(specialist.get(officer_url(first, event_of(first, "request_supplement"))))[0]


# --- Form 03: refusal ------------------------------------------------------------------------------------------------


def test_form_03_at_reception_is_signed_by_the_receiving_clerk(world: World) -> None:
    business, d = online_dossier(world)
    d = act(d, "refuse", world.clerk, reason="Thủ tục không thuộc thẩm quyền giải quyết của Sở.", now=at(2026, 3, 9, 15))
    e = event_of(d, "refuse")
    text, _reader = pdf_text(client_for(business).get(applicant_url(d, e)))
    for expected in [
        "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ", "Số: 01/PTC-SKHCN", d.code, "Công ty TNHH Truyền thông Mê Kông",
        "thông báo không tiếp nhận, giải quyết hồ sơ này", "1. Thủ tục không thuộc thẩm quyền giải quyết của Sở.",
        "NGƯỜI TIẾP NHẬN", "Võ Thị Ngọc", "ngày 09 tháng 03 năm 2026",
    ]:  # fmt: skip
        assert expected in text, expected


def test_form_03_by_a_deputy_leader_is_signed_on_behalf_of_the_director(world: World) -> None:
    position_assign(user=world.leader, organisation=world.dept, title="Phó Giám đốc", acting_user=None)
    d = receive(world, now=MON)
    d = act(act(d, "forward", world.specialist), "forward", world.head)
    d = act(d, "refuse", world.leader, reason="Doanh nghiệp không đủ điều kiện về vốn pháp định.", now=at(2026, 3, 12, 9))
    text, _reader = pdf_text(client_for(world.clerk).get(officer_url(d, event_of(d, "refuse"))))
    assert "KT. GIÁM ĐỐC" in text and "PHÓ GIÁM ĐỐC" in text and "lanhdao" in text
    assert "Doanh nghiệp không đủ điều kiện về vốn pháp định." in text


# --- Form 04: apology and new appointment ----------------------------------------------------------------------------


def test_form_04_apologises_with_the_reason_and_the_new_date(world: World) -> None:
    business, d = online_dossier(world)
    d = act(d, "accept", world.clerk, now=at(2026, 3, 9, 10))
    d = dossier_issue_apology(
        dossier=d, acting_user=world.leader, reason="Cần kiểm tra thực tế tại cơ sở.", new_due_date=at(2026, 3, 25, 0).date(),
        now=at(2026, 3, 17, 9),
    )  # fmt: skip
    e = event_of(d, "apology")
    for client, url in ((client_for(business), applicant_url(d, e)), (client_for(world.clerk), officer_url(d, e))):
        text, _reader = pdf_text(client.get(url))
        for expected in [
            "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", "Số: 01/PXL-SKHCN", "Kính gửi: Công ty TNHH Truyền thông Mê Kông",
            d.code, "Ngày 09/03/2026", "18/03/2026", "lý do: Cần kiểm tra thực tế tại cơ sở.",
            "xin lỗi Ông/Bà và sẽ trả kết quả giải quyết hồ sơ cho Ông/Bà vào ngày 25 tháng 03 năm 2026",
            "Thử Nghiệm, ngày 17 tháng 03 năm 2026", "THỦ TRƯỞNG CƠ QUAN", "(Ký tên, đóng dấu)",
        ]:  # fmt: skip
            assert expected in text, expected


# --- Links and permissions -------------------------------------------------------------------------------------------


def test_links_on_the_officer_page_the_applicant_page_and_in_the_timeline(world: World) -> None:
    business, d = online_dossier(world)
    d = act(d, "request_supplement", world.clerk, reason=MISSING, now=at(2026, 3, 9, 11))
    e = event_of(d, "request_supplement")
    officer_page = client_for(world.clerk).get(f"/can-bo/mot-cua/ho-so/{d.pk}/").content.decode()
    assert officer_page.count(officer_url(d, e)) == 2  # the documents card and the timeline
    assert "Mẫu số 02" in officer_page
    applicant_page = client_for(business).get(f"/ho-so-cua-toi/{d.code}/").content.decode()
    assert applicant_page.count(applicant_url(d, e)) == 2
    assert "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ" in applicant_page


def test_nobody_else_gets_the_forms(world: World) -> None:
    business, d = online_dossier(world)
    d = act(d, "request_supplement", world.clerk, reason=MISSING, now=at(2026, 3, 9, 11))
    e = event_of(d, "request_supplement")
    other = receive(world, now=MON)
    accept = event_of(d, "submit")
    # Another organisation's officer, another applicant, the public.
    assert client_for(world.outsider).get(officer_url(d, e)).status_code == 404
    stranger = sign_up(email="khac@example.vn", business_name="Công ty Khác", tax_code="0399999999")
    assert client_for(stranger).get(applicant_url(d, e)).status_code == 404
    anonymous = Client().get(applicant_url(d, e))
    assert anonymous.status_code == 302 and anonymous["Content-Type"] != "application/pdf"
    assert Client().get(officer_url(d, e)).status_code == 302
    # An applicant through the officers' address, forged and foreign event ids, events without a form.
    assert client_for(business).get(officer_url(d, e)).status_code == 404
    clerk = client_for(world.clerk)
    assert clerk.get(f"/can-bo/mot-cua/ho-so/{other.pk}/phieu/{e.pk}.pdf").status_code == 404
    assert clerk.get(f"/can-bo/mot-cua/ho-so/{d.pk}/phieu/999999.pdf").status_code == 404
    assert clerk.get(officer_url(d, accept)).status_code == 404
    assert client_for(business).get(f"/ho-so-cua-toi/{d.code}/phieu/{accept.pk}.pdf").status_code == 404
    assert client_for(business).get(f"/ho-so-cua-toi/{other.code}/phieu/{e.pk}.pdf").status_code == 404


# --- Layout helpers --------------------------------------------------------------------------------------------------


def test_issuer_symbols_and_place(world: World) -> None:
    assert issuer_symbol(world.dept) == "SKHCN"
    assert issuer_symbol(world.construction) == "SXD"
    assert place_and_date(world.division, at(2026, 1, 5, 9).date()) == "Thử Nghiệm, ngày 05 tháng 01 năm 2026"
    assert documents.signer_lines("Giám đốc", fallback="X") == ["GIÁM ĐỐC"]
    assert documents.signer_lines("Phó Giám đốc", fallback="X") == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
    assert documents.signer_lines("", fallback="THỦ TRƯỞNG CƠ QUAN") == ["THỦ TRƯỞNG CƠ QUAN"]
