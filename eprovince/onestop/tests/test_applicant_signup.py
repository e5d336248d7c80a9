"""Signing up on the portal: a citizen or business account, the emailed verification link (signed, expiring), the
re-send, clear Vietnamese errors, and no online application before the email is verified."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from eprovince.core.constants import Role
from eprovince.core.models import User
from eprovince.core.permissions import user_roles
from eprovince.core.testing import TEST_PASSWORD
from eprovince.onestop.models import ApplicantProfile, Dossier
from eprovince.onestop.permissions import may_apply_online
from eprovince.onestop.services.applicants import applicant_verify_email, verification_token
from eprovince.onestop.services.online import dossier_draft_start

from .factories import World, sign_up

pytestmark = pytest.mark.django_db
SIGNUP = "/dang-ky/"

BUSINESS = {
    "kind": "business", "full_name": "Trần Thị Hoa", "business_name": "Công ty TNHH Truyền thông Mê Kông",
    "tax_code": "0312345678", "email": "Hoa@MeKong.vn", "phone": "0912 000 111", "password": TEST_PASSWORD,
    "password_again": TEST_PASSWORD,
}  # fmt: skip


def link_in(message: Any) -> str:
    found = re.search(r"http://testserver(/dang-ky/xac-nhan/[^/\s]+/)", message.body)
    assert found, message.body
    return found.group(1)


def test_a_business_signs_up_follows_the_link_and_logs_in(mailoutbox: list[Any], django_capture_on_commit_callbacks: Any) -> None:
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGNUP, BUSINESS)
    assert response.status_code == 302 and response["Location"] == "/dang-ky/da-gui/"
    assert "hoa@mekong.vn" in client.get("/dang-ky/da-gui/").content.decode()
    user = User.objects.get(username="hoa@mekong.vn")
    profile = ApplicantProfile.objects.get(user=user)
    assert (user.email, user.phone, user.full_name) == ("hoa@mekong.vn", "0912000111", "Trần Thị Hoa")
    assert (profile.kind, profile.business_name, profile.tax_code, profile.is_verified) == (
        "business", "Công ty TNHH Truyền thông Mê Kông", "0312345678", False,
    )  # fmt: skip
    assert user_roles(user) == {Role.BUSINESS}
    assert not may_apply_online(user)
    [message] = mailoutbox
    assert message.to == ["hoa@mekong.vn"] and "Xác nhận địa chỉ thư điện tử" in message.subject
    page = client.get(link_in(message)).content.decode()
    assert "Đã xác nhận địa chỉ thư điện tử" in page
    profile.refresh_from_db()
    assert profile.is_verified and may_apply_online(user)
    assert client.get(link_in(message)).status_code == 200  # following it again is harmless
    login = client.post("/dang-nhap/", {"username": "hoa@mekong.vn", "password": TEST_PASSWORD, "next": "/ho-so-cua-toi/"})
    assert login.status_code == 302 and login["Location"] == "/ho-so-cua-toi/"


def test_a_citizen_needs_no_business_details() -> None:
    user = sign_up(kind="citizen", email="lan@example.vn", verify=False)
    assert user_roles(user) == {Role.CITIZEN}
    assert ApplicantProfile.objects.get(user=user).business_name == ""


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email": "hoa@mekong.vn"}, "email", "đã được dùng để đăng ký"),
        ({"email": "HOA@mekong.VN"}, "email", "đã được dùng để đăng ký"),
        ({"business_name": ""}, "business_name", "Vui lòng nhập tên doanh nghiệp"),
        ({"tax_code": "12345"}, "tax_code", "Mã số doanh nghiệp gồm 10 chữ số"),
        ({"phone": "12345"}, "phone", "Số điện thoại không hợp lệ"),
        ({"password": "1234567890123", "password_again": "1234567890123"}, "password", "hoàn toàn là số"),
        ({"password_again": "khac-mat-khau-99"}, "password_again", "không giống nhau"),
        ({"full_name": ""}, "full_name", "Trường này là bắt buộc"),
    ],
)
def test_sign_up_problems_are_told_clearly_and_nothing_is_created(changes: dict[str, str], field: str, message: str) -> None:
    sign_up(email="hoa@mekong.vn")
    before = (User.objects.count(), ApplicantProfile.objects.count())
    response = Client().post(SIGNUP, {**BUSINESS, "email": "moi@mekong.vn", **changes})
    assert response.status_code == 400
    form = response.context["form"]
    assert any(message in e for e in form.errors[field]), form.errors
    assert "Có lỗi cần sửa" in response.content.decode()
    assert (User.objects.count(), ApplicantProfile.objects.count()) == before


def test_an_expired_link_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    user = sign_up(verify=False)
    token = verification_token(user)
    later = time.time() + 4 * 24 * 3600  # the link lives 3 days
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    response = Client().get(f"/dang-ky/xac-nhan/{token}/")
    assert response.status_code == 400 and "đã hết hạn" in response.content.decode()
    assert not ApplicantProfile.objects.get(user=user).is_verified


@pytest.mark.parametrize("mangle", [lambda t: t[:-2] + "xx", lambda t: "abc", lambda t: t.replace(":", ".", 1)])
def test_a_forged_link_is_refused(mangle: Any) -> None:
    user = sign_up(verify=False)
    response = Client().get(f"/dang-ky/xac-nhan/{mangle(verification_token(user))}/")
    assert response.status_code == 400 and "không hợp lệ" in response.content.decode()
    assert not ApplicantProfile.objects.get(user=user).is_verified


def test_a_link_for_an_old_email_address_is_refused() -> None:
    user = sign_up(verify=False)
    token = verification_token(user)
    User.objects.filter(pk=user.pk).update(email="khac@mekong.vn")
    with pytest.raises(ValidationError) as exc:
        applicant_verify_email(token=token)
    assert exc.value.code == "invalid"


def test_resending_answers_the_same_for_unknown_and_known_addresses(
    mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    sign_up(verify=False)
    sign_up(kind="citizen", email="lan@example.vn")  # verified: nothing to re-send
    pages = []
    with django_capture_on_commit_callbacks(execute=True):
        for email in ("hoa@mekong.vn", "ai-do@example.vn", "lan@example.vn"):
            pages.append(Client().post("/dang-ky/gui-lai/", {"email": email}))
    assert all(p.status_code == 200 and "chúng tôi vừa gửi lại" in p.content.decode() for p in pages)
    assert [m.to for m in mailoutbox] == [["hoa@mekong.vn"]]
    assert "/dang-ky/xac-nhan/" in mailoutbox[0].body


def test_sign_ups_are_limited_per_address(settings: Any) -> None:
    settings.ONESTOP_SIGNUP_ATTEMPTS = 2
    client = Client()
    for _ in range(2):
        client.post(SIGNUP, {**BUSINESS, "email": "x"})
    assert client.post(SIGNUP, BUSINESS).status_code == 429
    assert not User.objects.filter(username="hoa@mekong.vn").exists()


def test_no_online_application_before_the_email_is_verified(world: World) -> None:
    user = sign_up(verify=False)
    with pytest.raises(PermissionDenied, match="xác nhận địa chỉ thư điện tử"):
        dossier_draft_start(acting_user=user, procedure=world.procedure)
    client = Client()
    client.force_login(user)
    start = client.get("/thu-tuc-hanh-chinh/1.000001/nop-truc-tuyen/").content.decode()
    assert "Bạn cần xác nhận địa chỉ thư điện tử" in start and "Bắt đầu</button>" not in start
    response = client.post("/thu-tuc-hanh-chinh/1.000001/nop-truc-tuyen/")
    assert response.status_code == 302 and not Dossier.objects.exists()
    applicant_verify_email(token=verification_token(user))
    assert client.post("/thu-tuc-hanh-chinh/1.000001/nop-truc-tuyen/").status_code == 302
    assert Dossier.objects.get().applicant == user


def test_signed_in_users_are_sent_to_their_dossiers() -> None:
    client = Client()
    client.force_login(sign_up())
    assert client.get(SIGNUP)["Location"] == "/ho-so-cua-toi/"
