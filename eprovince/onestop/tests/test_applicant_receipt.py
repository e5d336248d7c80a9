"""The receipt and appointment slip (form 01) as a PDF: Vietnamese text, the dossier's code and dates, and a QR code
that is exactly the one for the dossier's tracking page; printable by the applicant and by the clerk."""

from __future__ import annotations

import io
from typing import Any

import pytest
import segno
from django.test import Client
from PIL import Image
from pypdf import PdfReader

from eprovince.onestop.services.online import dossier_online_submit

from .factories import SITE, World, act, at, complete_draft, receive, sign_up

pytestmark = pytest.mark.django_db


def pdf_of(response: Any) -> tuple[str, PdfReader]:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages), reader


def qr_pixels(url: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=4, border=2)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("1").tobytes()


def test_the_applicant_downloads_the_slip_of_an_online_dossier(world: World) -> None:
    business = sign_up()
    d = dossier_online_submit(dossier=complete_draft(world, business), acting_user=business, site_url=SITE, now=at(2026, 3, 9, 9))
    client = Client()
    client.force_login(business)
    text, reader = pdf_of(client.get(f"/ho-so-cua-toi/{d.code}/giay-tiep-nhan.pdf"))
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", d.code, "Công ty TNHH Truyền thông Mê Kông", "Cấp giấy phép bưu chính",
        "Đơn đề nghị", "09 giờ 00 phút, ngày 09/03/2026", "Thời gian trả kết quả dự kiến", "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ", "Tiếp nhận trực tuyến",
    ]:  # fmt: skip
        assert expected in text, expected
    [image] = reader.pages[0].images
    tracking = f"http://testserver/tra-cuu-ho-so/?ma={d.code}"
    assert image.image.convert("1").tobytes() == qr_pixels(tracking)
    assert reader.metadata.title == f"Giấy tiếp nhận hồ sơ {d.code}"


def test_once_received_the_slip_shows_the_appointment_and_the_clerk(world: World) -> None:
    business = sign_up()
    d = dossier_online_submit(dossier=complete_draft(world, business), acting_user=business, site_url=SITE, now=at(2026, 3, 9, 9))
    act(d, "accept", world.clerk, now=at(2026, 3, 9, 10))
    client = Client()
    client.force_login(business)
    text, _reader = pdf_of(client.get(f"/ho-so-cua-toi/{d.code}/giay-tiep-nhan.pdf"))
    assert "10 giờ 00 phút, ngày 09/03/2026" in text and "17 giờ 00 phút, ngày 18/03/2026" in text
    assert "Võ Thị Ngọc" in text and "dự kiến" not in text


def test_the_clerk_prints_the_slip_of_a_walk_in_dossier(world: World) -> None:
    d = receive(world, now=at(2026, 3, 9, 9), applicant_address="15 Trần Hưng Đạo, phường Long Xuyên")
    clerk = Client()
    clerk.force_login(world.clerk)
    assert f"/can-bo/mot-cua/ho-so/{d.pk}/giay-tiep-nhan.pdf" in clerk.get(f"/can-bo/mot-cua/ho-so/{d.pk}/").content.decode()
    text, reader = pdf_of(clerk.get(f"/can-bo/mot-cua/ho-so/{d.pk}/giay-tiep-nhan.pdf"))
    assert d.code in text and "Nguyễn Văn Đông" in text and "15 Trần Hưng Đạo" in text and "Võ Thị Ngọc" in text
    assert "Thời gian nhận hồ sơ: 09 giờ 00 phút, ngày 09/03/2026" in text
    assert "Trực tiếp tại bộ phận một cửa" in text
    assert reader.pages[0].images[0].image.convert("1").tobytes() == qr_pixels(f"http://testserver/tra-cuu-ho-so/?ma={d.code}")
    outsider = Client()
    outsider.force_login(world.outsider)
    assert outsider.get(f"/can-bo/mot-cua/ho-so/{d.pk}/giay-tiep-nhan.pdf").status_code == 404


def test_the_tracking_page_opened_from_the_qr_code_has_the_code_filled_in(world: World) -> None:
    d = receive(world)
    page = Client().get("/tra-cuu-ho-so/", {"ma": d.code}).content.decode()
    assert f'value="{d.code}"' in page
