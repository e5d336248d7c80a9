"""One login path: the Django admin's login is the platform's own, with its lockout and its audit trail."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from eprovince.core.constants import AuditAction
from eprovince.core.models import AuditEvent, User
from eprovince.core.testing import TEST_PASSWORD, make_user

pytestmark = pytest.mark.django_db

ADMIN_LOGIN = "/quan-tri/login/"
LOGIN = "/dang-nhap/"


def _staff(username: str = "quantri") -> User:
    return make_user(username, "admin", is_staff=True, is_superuser=True)


def _is_logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@override_settings(LOGIN_MAX_FAILURES=5)
def test_an_account_locked_at_the_login_page_cannot_log_in_through_the_admin():
    user = _staff()
    client = Client()
    for _ in range(5):
        client.post(LOGIN, {"username": user.username, "password": "wrong"})
    user.refresh_from_db()
    assert user.locked_until is not None

    response = client.post(ADMIN_LOGIN, {"username": user.username, "password": TEST_PASSWORD, "next": "/quan-tri/"})
    assert not _is_logged_in(client)
    assert "tạm thời bị khóa" in response.content.decode()
    assert client.get("/quan-tri/").status_code == 302  # still sent to the login page


def test_a_failure_at_the_admin_login_counts_and_is_audited():
    user = _staff()
    Client().post(ADMIN_LOGIN, {"username": user.username, "password": "wrong"})
    user.refresh_from_db()
    assert user.failed_login_count == 1
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, object_id=str(user.pk)).count() == 1


def test_the_admin_login_page_is_the_platform_login_page_and_returns_to_the_admin():
    response = Client().get(ADMIN_LOGIN + "?next=/quan-tri/core/auditevent/")
    assert response.status_code == 302
    assert response["Location"] == "/dang-nhap/?next=%2Fquan-tri%2Fcore%2Fauditevent%2F"
    # The admin itself sends visitors without a session to the platform's login.
    response = Client().get("/quan-tri/")
    assert response.status_code == 302 and response["Location"].startswith("/quan-tri/login/")


def test_a_successful_admin_login_is_audited_and_opens_the_admin():
    user = _staff()
    client = Client()
    response = client.post(ADMIN_LOGIN, {"username": user.username, "password": TEST_PASSWORD, "next": "/quan-tri/"})
    assert response.status_code == 302 and response["Location"] == "/quan-tri/"
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, object_id=str(user.pk)).count() == 1
    assert client.get("/quan-tri/").status_code == 200


def test_the_admin_does_not_change_passwords_outside_the_services():
    user = _staff()
    client = Client()
    client.force_login(user)
    response = client.post(
        "/quan-tri/password_change/",
        {"old_password": TEST_PASSWORD, "new_password1": "another-Secret-42", "new_password2": "another-Secret-42"},
    )
    assert response.status_code == 404
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)


def test_logging_out_of_the_admin_is_audited():
    user = _staff()
    client = Client()
    client.force_login(user)
    client.post("/quan-tri/logout/")
    assert not _is_logged_in(client)
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT, object_id=str(user.pk)).count() == 1
