"""Error pages are the platform's, in Vietnamese, in every mode (DEBUG on under `make run`, off in production); the API
keeps its JSON errors."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client
from django.urls import path

from eprovince.core.constants import Role
from eprovince.core.testing import make_user
from eprovince.urls import urlpatterns as real_urlpatterns

pytestmark = pytest.mark.django_db


def _missing(request):
    raise Http404("Hồ sơ không tồn tại")


def _forbidden(request):
    raise PermissionDenied


def _broken(request):
    raise RuntimeError("lỗi thử")


urlpatterns = [
    path("thu-loi/khong-co/", _missing),
    path("thu-loi/cam/", _forbidden),
    path("thu-loi/hong/", _broken),
    path("api/v1/thu-loi/khong-co/", _missing),
    *real_urlpatterns,
]
handler404 = "eprovince.core.views.page_not_found"
handler500 = "eprovince.core.views.server_error"
handler403 = "eprovince.core.views.permission_denied"


@pytest.fixture(params=[True, False], ids=["debug", "production"])
def debug(request, settings):
    settings.DEBUG = request.param
    settings.ROOT_URLCONF = __name__
    return request.param


@pytest.mark.parametrize(
    "url", ["/khong-ton-tai/", "/thu-loi/khong-co/", "/tra-cuu/xac-thuc/khong-co-that-12345678901234567890/"]
)
def test_a_missing_page_is_the_platform_s_vietnamese_404(client, debug, url):
    response = client.get(url)

    html = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" not in html and "Traceback" not in html and "URLconf" not in html
    assert 'lang="vi"' in html
    assert "Không tìm thấy trang" in html or "Không xác thực được văn bản" in html


def test_a_refused_page_is_the_platform_s_vietnamese_403(client, debug):
    client.force_login(make_user("an", Role.SPECIALIST))

    response = client.get("/thu-loi/cam/")

    assert response.status_code == 403 and "Không có quyền truy cập" in response.content.decode()


def test_a_server_error_is_the_platform_s_vietnamese_500_in_production(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__

    response = Client(raise_request_exception=False).get("/thu-loi/hong/")

    assert response.status_code == 500 and "Hệ thống đang gặp sự cố" in response.content.decode()


def test_the_api_keeps_its_json_404_in_every_mode(client, debug):
    for url in ("/api/v1/khong-ton-tai", "/api/v1/thu-loi/khong-co/"):
        response = client.get(url)
        assert response.status_code == 404 and response.json()["code"] == "not_found", url


def test_a_forged_verification_code_says_plainly_that_the_document_is_not_verified(client, debug):
    response = client.get("/tra-cuu/xac-thuc/gia-mao-gia-mao-gia-mao-gia-mao/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Không xác thực được văn bản</h1>" in html
    assert "liên hệ cơ quan" in html  # what to do next
    assert 'name="robots" content="noindex' in html
