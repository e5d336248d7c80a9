"""The error format and session/CSRF rules of every API router, exercised on a small API built the same way as /api/v1/.

This module is also the URLconf of its tests, so the endpoints below exist only while they run."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest
from django.test import Client
from django.urls import path
from ninja import Schema

from eprovince.core.api import ApiError, ConflictError, ProvinceAPI, api_user, install_error_handlers, optional_auth, require_auth
from eprovince.core.models import Organisation, User
from eprovince.core.services.accounts import api_token_create, user_create

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

BASE = "/api/test"


class LineIn(Schema):
    code: str
    quantity: int


class ReportIn(Schema):
    title: str
    period_end: dt.date
    lines: list[LineIn] = []


errors_api = ProvinceAPI(urls_namespace="api-test-errors", docs_url=None, auth=optional_auth())
install_error_handlers(errors_api)


@errors_api.post("/reports", auth=require_auth)
def submit_report(request: HttpRequest, payload: ReportIn) -> dict[str, Any]:
    return {"title": payload.title, "by": api_user(request).username}


@errors_api.post("/open")
def open_post(request: HttpRequest) -> dict[str, Any]:
    return {"anonymous": not api_user(request).is_authenticated}


@errors_api.get("/raise/{kind}")
def raise_error(request: HttpRequest, kind: str) -> dict[str, Any]:
    if kind == "django-validation-dict":
        raise ValidationError({"valid_to": ["Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực."]})
    if kind == "django-validation-plain":
        raise ValidationError("Hồ sơ đã quá hạn xử lý.")
    if kind == "conflict":
        raise ConflictError("Hồ sơ đã được tiếp nhận.")
    if kind == "api-error":
        raise ApiError(422, "dossier_closed", "Hồ sơ đã đóng.", fields={"status": ["Đã đóng."]})
    if kind == "permission-denied":
        raise PermissionDenied
    if kind == "http404":
        raise Http404("hidden detail")
    if kind == "does-not-exist":
        Organisation.objects.get(pk=-1)
    if kind == "integrity":
        raise IntegrityError("UNIQUE constraint failed: core_organisation.electronic_code")
    raise RuntimeError("boom: secret internal detail")


urlpatterns = [path("api/test/", errors_api.urls)]


@pytest.fixture
def hoa() -> User:
    return user_create(acting_user=None, username="hoa", password="mat-khau-rat-dai-2025", full_name="Trần Văn Hòa")


def error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == code
    return body


VALID = {"title": "Báo cáo quý I", "period_end": "2025-03-31", "lines": [{"code": "CT01", "quantity": 3}]}


# --- Validation --------------------------------------------------------------------------------------------------------


def test_body_errors_name_the_fields_the_client_sent(client: Client, hoa: User) -> None:
    client.force_login(hoa)

    response = client.post(
        f"{BASE}/reports",
        {"period_end": "31/03/2025", "lines": [{"code": "CT01", "quantity": "ba"}]},
        content_type="application/json",
    )

    body = error(response, 400, "validation_error")
    assert body["message"] == "Dữ liệu không hợp lệ."
    assert body["fields"] == {
        "title": ["Trường này là bắt buộc."],
        "period_end": ["Ngày không hợp lệ, hãy dùng định dạng YYYY-MM-DD."],
        "lines.0.quantity": ["Phải là một số nguyên."],
    }


def test_unreadable_json_is_400(client: Client, hoa: User) -> None:
    client.force_login(hoa)

    body = error(client.post(f"{BASE}/reports", "{not json", content_type="application/json"), 400, "bad_request")

    assert "JSON" in body["message"]


def test_missing_body_is_400(client: Client, hoa: User) -> None:
    client.force_login(hoa)

    body = error(client.post(f"{BASE}/reports", content_type="application/json"), 400, "validation_error")

    assert body["fields"] == {"title": ["Trường này là bắt buộc."], "period_end": ["Trường này là bắt buộc."]}


# --- Exceptions raised by endpoints ------------------------------------------------------------------------------------


def test_django_validation_error_keeps_its_message_dict(client: Client) -> None:
    body = error(client.get(f"{BASE}/raise/django-validation-dict"), 400, "validation_error")

    assert body["fields"] == {"valid_to": ["Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực."]}


def test_django_validation_error_without_field_is_under_all(client: Client) -> None:
    body = error(client.get(f"{BASE}/raise/django-validation-plain"), 400, "validation_error")

    assert body["fields"] == {"__all__": ["Hồ sơ đã quá hạn xử lý."]}


def test_conflict(client: Client) -> None:
    body = error(client.get(f"{BASE}/raise/conflict"), 409, "conflict")

    assert body["message"] == "Hồ sơ đã được tiếp nhận."


def test_integrity_error_is_a_conflict_without_database_details(client: Client) -> None:
    body = error(client.get(f"{BASE}/raise/integrity"), 409, "conflict")

    assert "UNIQUE" not in body["message"]


def test_api_error_carries_its_own_code(client: Client) -> None:
    body = error(client.get(f"{BASE}/raise/api-error"), 422, "dossier_closed")

    assert body == {"code": "dossier_closed", "message": "Hồ sơ đã đóng.", "fields": {"status": ["Đã đóng."]}}


def test_permission_denied_is_403(client: Client) -> None:
    body = error(client.get(f"{BASE}/raise/permission-denied"), 403, "permission_denied")

    assert body["message"] == "Bạn không có quyền thực hiện thao tác này."


@pytest.mark.parametrize("kind", ["http404", "does-not-exist"])
def test_not_found_is_404_without_details(client: Client, kind: str) -> None:
    body = error(client.get(f"{BASE}/raise/{kind}"), 404, "not_found")

    assert "hidden" not in body["message"]


def test_unexpected_error_is_500_json_without_details() -> None:
    client = Client(raise_request_exception=False)

    body = error(client.get(f"{BASE}/raise/anything-else"), 500, "server_error")

    assert "secret" not in body["message"]


def test_unexpected_error_reaches_django_exception_signal(client: Client) -> None:
    # The test client re-raises what got_request_exception reports: error trackers see API failures too.
    with pytest.raises(RuntimeError, match="boom"):
        client.get(f"{BASE}/raise/anything-else")


# --- Sessions, CSRF and tokens on writes -------------------------------------------------------------------------------

CSRF_SECRET = "a" * 32


def test_session_write_needs_csrf_token(hoa: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(hoa)
    client.cookies["csrftoken"] = CSRF_SECRET

    refused = client.post(f"{BASE}/reports", VALID, content_type="application/json")
    accepted = client.post(f"{BASE}/reports", VALID, content_type="application/json", HTTP_X_CSRFTOKEN=CSRF_SECRET)

    body = error(refused, 403, "permission_denied")
    assert "CSRF" in body["message"]
    assert accepted.status_code == 200
    assert accepted.json() == {"title": "Báo cáo quý I", "by": "hoa"}


def test_session_read_needs_no_csrf_token(hoa: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(hoa)

    assert client.get("/api/test/raise/conflict").status_code == 409


def test_token_write_needs_no_csrf_token(hoa: User) -> None:
    _token, raw = api_token_create(user=hoa, name="Máy chủ báo cáo", acting_user=hoa)
    client = Client(enforce_csrf_checks=True)

    response = client.post(f"{BASE}/reports", VALID, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}")

    assert response.status_code == 200
    assert response.json()["by"] == "hoa"


def test_write_without_credentials_is_401(client: Client) -> None:
    response = client.post(f"{BASE}/reports", VALID, content_type="application/json")

    error(response, 401, "unauthenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_anonymous_write_to_open_endpoint_needs_no_csrf() -> None:
    client = Client(enforce_csrf_checks=True)

    response = client.post(f"{BASE}/open")

    assert response.status_code == 200
    assert response.json() == {"anonymous": True}
