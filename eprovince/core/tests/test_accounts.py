import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from eprovince.core.constants import AuditAction
from eprovince.core.models import AuditEvent, User
from eprovince.core.services.accounts import api_token_create, login_attempt, user_unlock
from eprovince.core.testing import TEST_PASSWORD, make_user

pytestmark = pytest.mark.django_db


def test_correct_password_logs_in_and_is_audited():
    user = make_user("an")
    result = login_attempt(request=None, username="an", password=TEST_PASSWORD)
    assert result.user == user and result.error == ""
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, object_id=str(user.pk)).exists()


def test_wrong_password_gives_generic_message():
    make_user("an")
    result = login_attempt(request=None, username="an", password="wrong")
    assert result.user is None
    assert result.error == "Tên đăng nhập hoặc mật khẩu không đúng."


def test_unknown_user_gives_same_message_as_wrong_password():
    assert login_attempt(request=None, username="nobody", password="x").error == "Tên đăng nhập hoặc mật khẩu không đúng."


@override_settings(LOGIN_MAX_FAILURES=3, LOGIN_LOCKOUT_MINUTES=15)
def test_repeated_failures_lock_the_account_even_for_the_right_password():
    make_user("an")
    for _ in range(2):
        assert "không đúng" in login_attempt(request=None, username="an", password="bad").error
    third = login_attempt(request=None, username="an", password="bad")
    assert "tạm thời bị khóa" in third.error
    locked = login_attempt(request=None, username="an", password=TEST_PASSWORD)
    assert locked.user is None and "tạm thời bị khóa" in locked.error
    assert AuditEvent.objects.filter(action=AuditAction.LOCKED).count() == 1


@override_settings(LOGIN_MAX_FAILURES=3, LOGIN_LOCKOUT_MINUTES=15)
def test_lock_expires_after_the_lockout_period():
    user = make_user("an")
    for _ in range(3):
        login_attempt(request=None, username="an", password="bad")
    User.objects.filter(pk=user.pk).update(locked_until=timezone.now() - dt.timedelta(seconds=1))
    assert login_attempt(request=None, username="an", password=TEST_PASSWORD).user == user


@override_settings(LOGIN_MAX_FAILURES=3, LOGIN_FAILURE_WINDOW_MINUTES=15)
def test_failures_outside_the_window_do_not_add_up():
    user = make_user("an")
    login_attempt(request=None, username="an", password="bad")
    login_attempt(request=None, username="an", password="bad")
    User.objects.filter(pk=user.pk).update(first_failed_login_at=timezone.now() - dt.timedelta(minutes=16))
    result = login_attempt(request=None, username="an", password="bad")
    assert "khóa" not in result.error
    user.refresh_from_db()
    assert user.failed_login_count == 1


@override_settings(LOGIN_MAX_FAILURES=2)
def test_successful_login_resets_the_failure_count():
    user = make_user("an")
    login_attempt(request=None, username="an", password="bad")
    login_attempt(request=None, username="an", password=TEST_PASSWORD)
    login_attempt(request=None, username="an", password="bad")
    user.refresh_from_db()
    assert user.failed_login_count == 1 and user.locked_until is None


@override_settings(LOGIN_MAX_FAILURES=1)
def test_admin_unlock_is_audited_and_lets_the_user_in():
    admin = make_user("root", "admin")
    user = make_user("an")
    login_attempt(request=None, username="an", password="bad")
    user.refresh_from_db()
    user_unlock(user=user, acting_user=admin, reason="Người dùng gọi điện xác nhận")
    assert login_attempt(request=None, username="an", password=TEST_PASSWORD).user == user
    assert AuditEvent.objects.filter(actor=admin, reason="Người dùng gọi điện xác nhận").exists()


def test_passwords_are_hashed_with_argon2_in_production_settings():
    from django.conf import settings

    from eprovince.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert "Argon2PasswordHasher" in " ".join(settings.PASSWORD_HASHERS)


def test_api_token_is_stored_only_as_digest():
    user = make_user("an")
    token, raw = api_token_create(user=user, name="CI", acting_user=user)
    assert raw.startswith("ep_") and raw not in token.digest
    assert token.digest == token.digest_of(raw)
