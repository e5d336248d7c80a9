"""The Content-Security-Policy (on in every mode) breaks nothing a browser shows: the API's interactive docs and the
Django admin run with no violation reported."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from eprovince.core.testing import TEST_PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _csp_violations(page: Page) -> list[str]:
    found: list[str] = []
    page.on("console", lambda msg: found.append(msg.text) if "Content Security Policy" in msg.text else None)
    return found


def test_the_api_docs_and_the_admin_run_under_the_policy(page: Page, live_server: Any) -> None:
    make_user("quantri", "admin", is_staff=True, is_superuser=True)
    violations = _csp_violations(page)
    page.goto("/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title").first).to_be_visible()
    page.goto("/quan-tri/")
    expect(page).to_have_url(f"{live_server.url}/dang-nhap/?next=%2Fquan-tri%2F")
    page.get_by_label("Tên đăng nhập").fill("quantri")
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(page.locator("#site-name")).to_be_visible()
    page.goto("/quan-tri/core/auditevent/")
    expect(page.locator("#changelist")).to_be_visible()
    assert violations == []
