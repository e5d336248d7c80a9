"""A whole annual reporting round in a real browser (issue 4, "DONE WHEN"):

the Department opens the annual rounds; an enterprise reports by Excel (its first upload is rejected with the cell
named, the fixed one goes in) and a People's Committee through the web form; the reviewer returns the committee's
report, which is fixed and approved; the leaders' dashboard shows the new values at once, the index and its ranking
change, and the annual review report downloads as DOCX and PDF whose text states the achieved percentages.

The expected percentages and index scores are worked out here from the values typed in and the targets, not by the
application's code. Screenshots: docs/screenshots/indicators-walkthrough-NN-<step>.png."""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import docx
import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from ..constants import Normalisation, Operator, PeriodConvention, PeriodType, Severity, SubmissionStatus
from ..models import DataValue, ReportingRound, Submission
from ..services import catalogue, indices, rounds
from . import factories as f
from .test_browser_excel import filled, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = timezone.localdate().year - 1  # the last whole year: its review is the one written now
ENTERPRISE_FORM = "Báo cáo năm của doanh nghiệp viễn thông"
COMMITTEE_FORM = "Báo cáo ứng dụng CNTT của UBND cấp huyện"
TANCHAU = "Ủy ban nhân dân thị xã Tân Châu"
CHAUTHANH = "Ủy ban nhân dân huyện Châu Thành"
INDEX = "Chỉ số ứng dụng CNTT của UBND cấp huyện"

REVENUE_TARGET = Decimal(2400)  # tỷ đồng, the province's plan for the year
MEETINGS_TARGET = Decimal(20)  # cuộc
VNPT_VALUES: dict[str, Any] = {"REVENUE": 2610.5, "SUB_INTERNET": 1_350_000, "SUB_BROADBAND": 330_000, "BTS": 1_200}
TANCHAU_EMAIL = Decimal(96)  # % of officials using e-mail
TANCHAU_FIRST = {"Dân số": "160.000", "Tỉ lệ cán bộ dùng thư điện tử": str(TANCHAU_EMAIL), "Hội nghị trực tuyến": "12"}
TANCHAU_MEETINGS_FIXED = 15
CHAUTHANH_EMAIL, CHAUTHANH_MEETINGS = Decimal(90), 10
CHAUTHANH_VALUES: dict[str, Any] = {
    "POPULATION": 150_000,
    "EMAIL_OFFICIALS_PCT": CHAUTHANH_EMAIL,
    "ONLINE_MEETINGS": CHAUTHANH_MEETINGS,
}


def shot(page: Page, screenshot: Any, number: int, step: str) -> None:
    screenshot(page, f"indicators-walkthrough-{number:02d}-{step}")


def pct(actual: Decimal, target: Decimal) -> str:
    """ "109" for 2.610,5 of 2.400: the share of the plan, rounded half up to a whole per cent."""
    return str((actual / target * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def vn(value: Decimal, places: int) -> str:
    """2610.5 → "2.610,5", 0.9875 → "0,9875" (Vietnamese grouping and decimal comma)."""
    whole, _dot, frac = f"{value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):,.{places}f}".partition(".")
    return whole.replace(",", ".") + ("," + frac if frac else "")


def flat(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


@pytest.fixture
def setup(world: f.World, settings: Any, tmp_path: Path) -> f.World:
    """The test world (units, people, catalogue; the committees' annual form) plus what an administrator set up
    beforehand: the enterprises' annual form, the year's targets and the districts' index backed by approved values."""
    settings.PRIVATE_FILES_ROOT = str(tmp_path / "private")
    e = world.elements
    form = catalogue.report_form_save(
        acting_user=None,
        code="DN_NAM",
        name=ENTERPRISE_FORM,
        owner=world.division,
        period_type=PeriodType.YEAR,
        convention=PeriodConvention.DECREE_09,
        deadline_days=10,
        elements=[e["REVENUE"], e["SUB_INTERNET"], e["SUB_BROADBAND"], e["BTS"]],
        organisations=[world.vnpt, world.viettel],
    )
    catalogue.validation_rule_save(
        acting_user=None,
        form=form,
        name="Băng rộng không vượt tổng thuê bao Internet",
        left="#{SUB_BROADBAND}",
        operator=Operator.LE,
        right="#{SUB_INTERNET}",
        severity=Severity.ERROR,
        message="Thuê bao băng rộng cố định không được lớn hơn tổng số thuê bao Internet.",
    )
    decision = f"Kế hoạch phát triển ngành năm {YEAR}"
    catalogue.target_set(acting_user=None, year=YEAR, element=e["REVENUE"], value=REVENUE_TARGET, source_decision=decision)
    catalogue.target_set(
        acting_user=None, year=YEAR, element=e["ONLINE_MEETINGS"], value=MEETINGS_TARGET, source_decision=decision
    )
    framework = indices.framework_install(
        acting_user=None,
        year=YEAR,
        definition={
            "code": "CNTT_HUYEN",
            "name": INDEX,
            "aggregation": "weighted_mean",
            "components": [
                {
                    "code": "UNG_DUNG",
                    "name": "Ứng dụng",
                    "items": [
                        {"code": "EMAIL", "name": "Cán bộ dùng thư điện tử", "normalisation": Normalisation.REFERENCE,
                         "reference": Decimal(100), "element": e["EMAIL_OFFICIALS_PCT"]},
                        {"code": "HOP", "name": "Hội nghị trực tuyến", "normalisation": Normalisation.MIN_MAX,
                         "element": e["ONLINE_MEETINGS"]},
                    ],
                }
            ],
        },
    )  # fmt: skip
    for org in (world.tanchau, world.chauthanh):
        indices.index_subject_save(
            acting_user=None, code=f"ORG-{org.pk}", name=org.name, organisation=org, frameworks=[framework]
        )
    return world


def open_round(page: Page, form_name: str) -> None:
    page.goto("/can-bo/chi-tieu/")
    page.get_by_label("Biểu mẫu").select_option(label=form_name)
    page.get_by_label("Kỳ báo cáo").select_option(str(YEAR))  # a period in words (H4: issue 12)
    page.get_by_role("button", name="Mở đợt báo cáo").click()
    expect(page.get_by_text(f"Đã mở đợt báo cáo “{form_name} – Năm {YEAR}”.")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile(f"Năm {YEAR}"))).to_be_visible()


def logout(page: Page) -> None:
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_have_count(0)


def open_own_report(page: Page, form_name: str) -> None:
    page.get_by_role("link", name=re.compile("Báo cáo số liệu, chỉ tiêu")).first.click()
    expect(page.get_by_role("heading", name="Báo cáo đơn vị cần nộp")).to_be_visible()
    page.get_by_role("link", name=form_name).click()
    expect(page.get_by_role("heading", name=form_name, level=1)).to_be_visible()


def open_unit_report(page: Page, form_name: str, unit: str) -> None:
    page.goto("/can-bo/chi-tieu/")
    page.get_by_role("link", name=form_name).first.click()
    expect(page.get_by_role("heading", name=re.compile(f"Năm {YEAR}"))).to_be_visible()
    page.get_by_role("link", name=unit).click()
    expect(page.get_by_role("heading", name=form_name, level=1)).to_be_visible()


def test_an_annual_round_from_opening_to_the_review_report(
    page: Page, setup: f.World, tmp_path: Path, screenshot: Any, axe: Any
) -> None:
    w = setup
    revenue = Decimal(str(VNPT_VALUES["REVENUE"]))
    meetings_total = Decimal(TANCHAU_MEETINGS_FIXED + CHAUTHANH_MEETINGS)
    revenue_pct, meetings_pct = pct(revenue, REVENUE_TARGET), pct(meetings_total, MEETINGS_TARGET)
    # The index: e-mail use against 100%, online meetings min–max between the two districts, equal weights.
    tanchau_score = (TANCHAU_EMAIL / 100 + 1) / 2
    chauthanh_score = (CHAUTHANH_EMAIL / 100 + 0) / 2
    alone_score = (CHAUTHANH_EMAIL / 100 + 1) / 2  # the only unit compared: tops min–max

    # 1. The Department's division head opens the year's rounds of both annual forms.
    login(page, "truongphong")
    open_round(page, ENTERPRISE_FORM)
    expect(page.get_by_role("link", name="VNPT An Giang")).to_be_visible()
    open_round(page, COMMITTEE_FORM)
    expect(page.get_by_role("link", name=TANCHAU)).to_be_visible()
    assert axe(page) == []
    shot(page, screenshot, 1, "round-opened")
    assert ReportingRound.objects.filter(period=str(YEAR)).count() == 2
    # Meanwhile Châu Thành reports on time and is approved (through the services: not the subject here).
    committee_round = ReportingRound.objects.get(form=w.committee_form, period=str(YEAR))
    chauthanh = f.submission(committee_round, w.chauthanh)
    f.save(w, chauthanh, w.officer_chauthanh, CHAUTHANH_VALUES, localized=False)
    rounds.submission_submit(acting_user=w.officer_chauthanh, submission=chauthanh)
    rounds.submission_approve(acting_user=w.reviewer, submission=chauthanh)

    # Before any other report is approved: no revenue yet, Tân Châu not ranked.
    page.goto(f"/can-bo/chi-tieu/dieu-hanh/?year={YEAR}")
    kpis = page.locator(".ind-dash-kpis")
    expect(kpis.locator(".kpi", has_text="Doanh thu")).to_contain_text("—")
    expect(page.locator(".ind-dash-ranking")).to_contain_text(f"1. {CHAUTHANH}")
    expect(page.locator(".ind-dash-ranking")).not_to_contain_text(TANCHAU)
    shot(page, screenshot, 2, "dashboard-before")
    page.goto(f"/can-bo/chi-tieu/ket-qua/?period={YEAR}")
    ranked = page.locator("table.ind-ranking tbody tr")
    expect(ranked.nth(0)).to_contain_text(CHAUTHANH)
    expect(ranked.nth(0)).to_contain_text(vn(alone_score, 4))
    expect(ranked.nth(1)).to_contain_text(TANCHAU)
    expect(ranked.nth(1).locator("td").first).to_have_text("—")
    logout(page)

    # 2. The enterprise downloads its Excel template; the first upload has a bad cell, named, and nothing is saved.
    login(page, "baocao_vnpt")
    open_own_report(page, ENTERPRISE_FORM)
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải mẫu Excel (.xlsx)").click()
    template = tmp_path / "mau.xlsx"
    info.value.save_as(template)
    bad = filled(template, tmp_path / "vnpt-nam.xlsx", {**VNPT_VALUES, "BTS": "1.2OO"})
    page.get_by_label("Tệp Excel đã điền").set_input_files(bad)
    page.get_by_role("button", name="Nhập từ tệp Excel").click()
    messages = page.locator(".messages")
    expect(messages).to_contain_text("Chưa nhập được tệp “vnpt-nam.xlsx”: 1 lỗi, không có số liệu nào của tệp được lưu.")
    expect(messages).to_contain_text(re.compile(r"Trang 'Số liệu', dòng \d+, cột F: giá trị “1\.2OO” không phải là số\."))
    assert not DataValue.objects.filter(submission__organisation=w.vnpt).exists()
    assert axe(page) == []
    shot(page, screenshot, 3, "excel-rejected")

    good = filled(template, tmp_path / "vnpt-nam.xlsx", VNPT_VALUES)
    page.get_by_label("Tệp Excel đã điền").set_input_files(good)
    page.get_by_role("button", name="Nhập từ tệp Excel").click()
    expect(messages).to_contain_text("Đã nhập tệp “vnpt-nam.xlsx”: 4 giá trị mới, 0 giá trị sửa, 0 giá trị không đổi.")
    expect(page.get_by_label("Doanh thu bưu chính, viễn thông, CNTT", exact=True)).to_have_value(vn(revenue, 1))
    expect(page.locator(".ind-checks")).to_contain_text("Không có lỗi hay cảnh báo nào.")
    page.get_by_role("button", name="Lưu và nộp báo cáo").click()
    expect(page.get_by_text("Đã nộp báo cáo. Sở sẽ xem xét và phê duyệt.")).to_be_visible()
    shot(page, screenshot, 4, "excel-submitted")
    logout(page)

    # 3. The People's Committee of Tân Châu enters its report in the web form and submits it.
    login(page, "baocao_tanchau")
    open_own_report(page, COMMITTEE_FORM)
    for label, value in TANCHAU_FIRST.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="Lưu và nộp báo cáo").click()
    expect(page.get_by_text("Đã nộp báo cáo. Sở sẽ xem xét và phê duyệt.")).to_be_visible()
    assert axe(page) == []
    shot(page, screenshot, 5, "web-form-submitted")
    logout(page)

    # 4. The reviewer returns Tân Châu's report with a reason.
    reason = "Số hội nghị trực tuyến chưa gồm các cuộc giao ban với xã, phường; đề nghị bổ sung."
    login(page, "truongphong")
    open_unit_report(page, COMMITTEE_FORM, TANCHAU)
    page.get_by_label("Lý do trả lại").fill(reason)
    page.get_by_role("button", name="Trả lại đơn vị").click()
    expect(page.get_by_text("Đã trả lại báo cáo cho đơn vị.")).to_be_visible()
    expect(page.locator(".ind-status-large")).to_have_text("Bị trả lại")
    shot(page, screenshot, 6, "returned")
    logout(page)

    # 5. Tân Châu sees why, fixes the figure and submits again.
    login(page, "baocao_tanchau")
    open_own_report(page, COMMITTEE_FORM)
    expect(page.get_by_role("note")).to_contain_text(reason)
    page.get_by_label("Hội nghị trực tuyến", exact=True).fill(str(TANCHAU_MEETINGS_FIXED))
    page.get_by_role("button", name="Lưu và nộp báo cáo").click()
    expect(page.get_by_text("Đã nộp báo cáo. Sở sẽ xem xét và phê duyệt.")).to_be_visible()
    entered = page.locator("form.ind-entry tr", has_text="Hội nghị trực tuyến").locator(".ind-value")
    expect(entered).to_have_text(str(TANCHAU_MEETINGS_FIXED))
    shot(page, screenshot, 7, "fixed-and-resubmitted")
    logout(page)

    # 6. The reviewer approves both reports.
    login(page, "truongphong")
    open_unit_report(page, COMMITTEE_FORM, TANCHAU)
    page.get_by_role("button", name="Phê duyệt").click()
    expect(page.get_by_text("Đã phê duyệt báo cáo; số liệu đã được khóa.")).to_be_visible()
    open_unit_report(page, ENTERPRISE_FORM, "VNPT An Giang")
    page.get_by_role("button", name="Phê duyệt").click()
    expect(page.get_by_text("Đã phê duyệt báo cáo; số liệu đã được khóa.")).to_be_visible()
    assert axe(page) == []
    shot(page, screenshot, 8, "approved")
    assert set(Submission.objects.filter(round__period=str(YEAR)).values_list("organisation__name", "status")) == {
        ("VNPT An Giang", SubmissionStatus.APPROVED),
        ("Viettel An Giang", SubmissionStatus.DRAFT),
        (TANCHAU, SubmissionStatus.APPROVED),
        (CHAUTHANH, SubmissionStatus.APPROVED),
    }
    logout(page)

    # 7. The leader's dashboard shows the approved values at once, against the plan, and the new ranking.
    login(page, "lanhdao")
    page.get_by_role("link", name="Bảng điều hành chỉ tiêu ngành").first.click()
    page.get_by_label("Năm", exact=True).select_option(str(YEAR))
    page.get_by_role("button", name="Xem", exact=True).click()
    revenue_card = kpis.locator(".kpi", has_text="Doanh thu")
    expect(revenue_card).to_contain_text(vn(revenue, 1))
    expect(revenue_card).to_contain_text(f"Đạt {revenue_pct}% kế hoạch")
    meetings_card = kpis.locator(".kpi", has_text="Hội nghị trực tuyến")
    expect(meetings_card).to_contain_text(str(meetings_total))
    expect(meetings_card).to_contain_text(f"Đạt {meetings_pct}% kế hoạch")
    ranking = page.locator(".ind-dash-ranking")
    expect(ranking).to_contain_text(f"1. {TANCHAU}")
    expect(ranking).to_contain_text(f"2. {CHAUTHANH}")
    assert axe(page) == []
    shot(page, screenshot, 9, "dashboard-after")

    page.get_by_label("Đơn vị", exact=True).select_option(label=TANCHAU)
    page.get_by_role("button", name="Xem", exact=True).click()
    expect(page.locator(".ind-dash-own")).to_contain_text(f"{TANCHAU}: hạng 1/2, điểm {vn(tanchau_score, 4)}")

    # 8. The results page ranks the districts by the index computed from the approved values.
    page.goto(f"/can-bo/chi-tieu/ket-qua/?period={YEAR}")
    expect(page.get_by_role("heading", name=f"{INDEX} {YEAR}")).to_be_visible()
    expect(ranked.nth(0)).to_contain_text(TANCHAU)
    expect(ranked.nth(0).locator("td").first).to_have_text("1")
    expect(ranked.nth(0)).to_contain_text(vn(tanchau_score, 4))
    expect(ranked.nth(1)).to_contain_text(CHAUTHANH)
    expect(ranked.nth(1).locator("td").first).to_have_text("2")
    expect(ranked.nth(1)).to_contain_text(vn(chauthanh_score, 4))  # down from alone_score: min–max among two now
    expect(page.locator("table.ind-results")).to_contain_text(f"đạt {revenue_pct}% kế hoạch")
    assert axe(page) == []
    shot(page, screenshot, 10, "results-ranking")

    # 9. The annual review report: generated in the background, downloaded as DOCX and PDF.
    page.goto("/can-bo/chi-tieu/")
    page.get_by_role("link", name="Báo cáo tổng kết năm").click()
    expect(page.get_by_role("heading", name="Báo cáo tổng kết năm", exact=True)).to_be_visible()
    page.get_by_label("Năm tổng kết").select_option(str(YEAR))
    page.get_by_role("button", name="Tạo báo cáo").click()
    expect(page.get_by_role("heading", name=re.compile(f"Báo cáo tổng kết công tác năm {YEAR}"))).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Tải tệp DOCX"))).to_be_visible(timeout=60_000)
    assert axe(page) == []
    shot(page, screenshot, 11, "review-report")

    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("Tải tệp DOCX")).click()
    assert info.value.suggested_filename == f"bao-cao-tong-ket-nam-{YEAR}.docx"
    document = docx.Document(str(info.value.path()))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    docx_text = flat(" ".join([p.text for p in document.paragraphs] + cells))
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("Tải tệp PDF")).click()
    assert info.value.suggested_filename == f"bao-cao-tong-ket-nam-{YEAR}.pdf"
    pdf_text = flat(" ".join(p.extract_text() or "" for p in PdfReader(info.value.path()).pages))

    for name, text in (("DOCX", docx_text), ("PDF", pdf_text)):
        assert f"{vn(revenue, 1)} tỷ đồng, đạt {revenue_pct}% kế hoạch" in text, name
        assert re.search(rf"{meetings_total} cuộc [^.;]*\(đạt {meetings_pct}% kế hoạch\)", text), name
        assert f"dẫn đầu là {TANCHAU} với {vn(tanchau_score, 4)} điểm" in text, name
