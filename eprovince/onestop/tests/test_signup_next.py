"""Signing up without losing the way (issue 12, H6): every error of the sign-up form at once; the procedure the person
came from carried (safely) through sign-up, the emailed link and the login; the login accepts the email address."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from eprovince.core.constants import AuditAction
from eprovince.core.models import AuditEvent, User
from eprovince.core.testing import TEST_PASSWORD
from eprovince.onestop.services.applicants import safe_next

from .factories import World, sign_up

pytestmark = pytest.mark.django_db
SIGNUP = "/dang-ky/"
START = "/thu-tuc-hanh-chinh/1.000001/nop-truc-tuyen/"
CITIZEN = {
    "kind": "citizen", "full_name": "Lê Văn An", "email": "an@example.vn", "phone": "0912 000 222",
    "password": TEST_PASSWORD, "password_again": TEST_PASSWORD, "business_name": "", "tax_code": "",
}  # fmt: skip


def link_in(message: Any) -> str:
    found = re.search(r"http://testserver(/dang-ky/xac-nhan/[^/\s]+/)", message.body)
    assert found, message.body
    return found.group(1)


def test_every_error_of_the_sign_up_form_shows_at_once() -> None:
    response = Client().post(SIGNUP, {**CITIZEN, "phone": "12345", "password": "1234567890123", "password_again": "khac",
                                      "email": "khong-phai-email"})  # fmt: skip
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"email", "phone", "password", "password_again"} <= set(errors)
    page = response.content.decode()
    for message in ("Số điện thoại không hợp lệ", "hoàn toàn là số", "Hai mật khẩu đã nhập không giống nhau"):
        assert message in page


def test_the_person_returns_to_the_procedure_after_verifying(
    world: World, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    gate = client.get(START).content.decode()
    assert f'href="/dang-ky/?next={START}"' in gate
    form = client.get(f"{SIGNUP}?next={START}").content.decode()
    assert f'name="next" value="{START}"' in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGNUP, {**CITIZEN, "next": START})
    assert response.status_code == 302
    [message] = mailoutbox
    verified = client.get(link_in(message))
    assert verified.status_code == 200
    login_url = verified.context["login_url"]
    assert parse_qs(urlsplit(login_url).query)["next"] == [START]
    login = client.post("/dang-nhap/", {"username": "AN@example.vn", "password": TEST_PASSWORD, "next": START})
    assert login.status_code == 302 and login["Location"] == START


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", "ho-so"]
)
def test_a_next_pointing_elsewhere_is_dropped(
    world: World, target: str, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    assert safe_next(target) == ""
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SIGNUP, {**CITIZEN, "next": target})
    [message] = mailoutbox
    login_url = Client().get(link_in(message)).context["login_url"]
    assert parse_qs(urlsplit(login_url).query)["next"] == ["/ho-so-cua-toi/"]


def test_the_login_label_and_login_by_email_keep_lockout_and_audit(world: World, settings: Any) -> None:
    page = Client().get("/dang-nhap/").content.decode()
    assert "Thư điện tử hoặc tên đăng nhập" in page
    user = sign_up(kind="citizen", email="binh@example.vn", business_name="", tax_code="")
    client = Client()
    ok = client.post("/dang-nhap/", {"username": "Binh@Example.VN", "password": TEST_PASSWORD})
    assert ok.status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, actor=user).exists()
    for _ in range(settings.LOGIN_MAX_FAILURES):
        Client().post("/dang-nhap/", {"username": "binh@example.vn", "password": "sai-mat-khau"})
    user = User.objects.get(pk=user.pk)
    assert user.locked_until is not None
    locked = Client().post("/dang-nhap/", {"username": "binh@example.vn", "password": TEST_PASSWORD})
    assert locked.status_code == 401 and "tạm thời bị khóa" in locked.content.decode()
