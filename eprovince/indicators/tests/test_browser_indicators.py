"""A reporting round in a real browser, on the demo data: a district's officer enters values, sees a validation
error at once, fixes it and submits; a reviewer approves; the results page shows the approved values at once.
Screenshots: docs/screenshots/indicators-entry.png, indicators-review.png, indicators-results.png."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from eprovince.core import demo_data as core_demo
from eprovince.core.demo import DEMO_PASSWORD

from .. import demo_data
from ..constants import SubmissionStatus
from ..models import Submission

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FORM = "Báo cáo ứng dụng CNTT, chuyển đổi số của Ủy ban nhân dân cấp huyện, cấp xã"
CRITERION8 = "Số xã đạt tiêu chí số 8 (thông tin và truyền thông) về nông thôn mới"
RULE = "Số xã đạt tiêu chí số 8 không được lớn hơn tổng số xã."


@pytest.fixture
def demo() -> None:
    core_demo.load(io.StringIO())
    demo_data.load(io.StringIO())


def login(page: Page, username: str) -> None:
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def fill(page: Page, values: dict[str, str]) -> None:
    for label, value in values.items():
        page.get_by_label(label, exact=True).fill(value)


def test_an_officer_enters_and_submits_a_reviewer_approves(page: Page, demo: None, screenshot: Any, axe: Any) -> None:
    login(page, "baocao_tanchau")
    page.get_by_role("link", name=re.compile("Báo cáo số liệu, chỉ tiêu")).click()
    expect(page.get_by_role("heading", name="Báo cáo đơn vị cần nộp")).to_be_visible()
    page.get_by_role("link", name=FORM).click()
    expect(page.get_by_role("heading", name=FORM)).to_be_visible()
    fill(page, {
        "Tỉ lệ cán bộ, công chức sử dụng hộp thư điện tử": "97,5",
        "Hội nghị, giao ban trực tuyến": "15",
        "Điểm cầu truyền hình hội nghị trực tuyến": "14",
        "Tổng số xã": "14",
        CRITERION8: "15",
        "Trạm BTS được cấp phép xây dựng – Viettel": "4",
        "Trạm BTS được cấp phép xây dựng – VNPT": "2",
    })  # fmt: skip
    page.get_by_label("Ứng dụng CNTT tại bộ phận một cửa", exact=True).select_option(label="Có")
    page.get_by_role("button", name="Lưu số liệu").click()
    checks = page.locator(".ind-checks")
    expect(checks).to_contain_text(RULE)
    expect(checks).to_contain_text(f"{CRITERION8} (15) không được lớn hơn Tổng số xã (14).")  # in words (H4)
    expect(page.locator("tr.ind-flagged").first).to_be_visible()
    assert axe(page) == []
    screenshot(page, "indicators-entry")

    page.get_by_role("button", name="Lưu và nộp báo cáo").click()
    expect(page.get_by_text("Chưa nộp được: hãy sửa các lỗi kiểm tra số liệu bên dưới.")).to_be_visible()
    fill(page, {CRITERION8: "14"})
    page.get_by_role("button", name="Lưu và nộp báo cáo").click()
    expect(page.get_by_text("Đã nộp báo cáo. Sở sẽ xem xét và phê duyệt.")).to_be_visible()
    expect(page.locator(".ind-checks")).to_contain_text("Không có lỗi hay cảnh báo nào.")
    expect(page.locator(".badge.ind-status-submitted").first).to_be_visible()
    page.get_by_role("button", name="Đăng xuất").click()

    login(page, "truongphong")
    page.goto("/can-bo/chi-tieu/")
    page.get_by_role("link", name=FORM).first.click()
    expect(page.get_by_role("heading", name=re.compile("Năm 2025"))).to_be_visible()
    page.get_by_role("link", name="Ủy ban nhân dân thị xã Tân Châu").click()
    expect(page.locator(".ind-value").first).to_be_visible()
    page.get_by_role("button", name="Phê duyệt").click()
    expect(page.get_by_text("Đã phê duyệt báo cáo; số liệu đã được khóa.")).to_be_visible()
    expect(page.get_by_text("Số liệu đã khóa.")).to_be_visible()
    page.get_by_role("link", name="Năm 2025").click()
    expect(page.locator(".ind-stat").nth(2)).to_contain_text("2/3")
    assert axe(page) == []
    screenshot(page, "indicators-review")
    assert (
        Submission.objects.get(organisation__name="Ủy ban nhân dân thị xã Tân Châu", round__period="2025").status
        == SubmissionStatus.APPROVED
    )

    page.goto("/can-bo/chi-tieu/ket-qua/?period=2025")
    table = page.locator("table.ind-results")
    expect(table).to_contain_text("Hội nghị, giao ban trực tuyến")
    expect(table).to_contain_text("đạt")
    expect(page.locator("table.ind-ranking")).to_be_visible()
    assert axe(page) == []
    screenshot(page, "indicators-results")
