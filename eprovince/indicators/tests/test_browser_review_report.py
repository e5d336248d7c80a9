"""The annual review report in a real browser, on the demo data: a leader clicks "Tạo báo cáo", follows the
progress and downloads the DOCX and the PDF. Screenshot: docs/screenshots/indicators-review-report.png."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from eprovince.core import demo_data as core_demo
from eprovince.core.demo import DEMO_PASSWORD

from .. import demo_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings: Any, tmp_path: Any) -> None:
    settings.PRIVATE_FILES_ROOT = str(tmp_path)
    core_demo.load(io.StringIO())
    demo_data.load(io.StringIO())


def test_a_leader_generates_and_downloads_the_annual_review(page: Page, demo: None, screenshot: Any, axe: Any) -> None:
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("lanhdao")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    page.get_by_role("link", name=re.compile("Báo cáo số liệu, chỉ tiêu")).click()
    page.get_by_role("link", name="Báo cáo tổng kết năm").click()
    expect(page.get_by_role("heading", name="Báo cáo tổng kết năm", exact=True)).to_be_visible()
    page.get_by_label("Năm tổng kết").select_option("2025")
    assert axe(page) == []
    page.get_by_role("button", name="Tạo báo cáo").click()
    expect(page.get_by_role("heading", name=re.compile("Báo cáo tổng kết công tác năm 2025"))).to_be_visible()
    docx_link = page.get_by_role("link", name=re.compile("Tải tệp DOCX"))
    expect(docx_link).to_be_visible(timeout=60_000)
    assert axe(page) == []
    screenshot(page, "indicators-review-report")
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("Tải tệp PDF")).click()
    download = info.value
    assert download.suggested_filename == "bao-cao-tong-ket-nam-2025.pdf"
    assert open(download.path(), "rb").read(5) == b"%PDF-"
