"""The annual review report: one click queues it, a background task writes it with its progress, and the DOCX and
PDF read as a Decree 30/2020 report whose sentences state the computed percentages; failures leave no file and can
be retried; only the Department's staff see and download it."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterator
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from docx import Document
from pypdf import PdfReader

from eprovince.core import demo_data as core_demo
from eprovince.core.constants import Role
from eprovince.core.models import AuditEvent, Organisation, User
from eprovince.core.testing import make_org, make_user

from .. import demo_data
from ..analytics import series
from ..models import DataElement, ReviewReportJob, ReviewStatus, Target
from ..periods import Period
from ..review import services
from ..review.content import agency_symbol, count_text, vietnamese_date
from .factories import World, approved

pytestmark = pytest.mark.django_db


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(autouse=True)
def private_files(settings: Any, tmp_path: Path) -> Path:
    settings.PRIVATE_FILES_ROOT = str(tmp_path / "private")
    return tmp_path / "private"


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def demo() -> dict[str, Any]:
    core_demo.load(io.StringIO())
    demo_data.load(io.StringIO())
    return {
        "department": Organisation.objects.get(name="Sở Khoa học và Công nghệ tỉnh An Giang"),
        "leader": User.objects.get(username="lanhdao"),
        "specialist": User.objects.get(username="chuyenvien"),
        "officer": User.objects.get(username="baocao_tanchau"),
    }


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def request_report(client: Client, django_capture_on_commit_callbacks: Callable[..., Any], **data: Any) -> Any:
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("indicators:review"), data)


# The documents, from the demo data --------------------------------------------------------------------------


def test_one_click_gives_a_decree_30_docx_and_pdf_stating_the_computed_percentages(
    demo: dict[str, Any], django_capture_on_commit_callbacks: Callable[..., Any], private_files: Path
) -> None:
    client = client_for(demo["leader"])
    response = request_report(
        client, django_capture_on_commit_callbacks, year=2025, organisation=demo["department"].pk, symbol=""
    )
    job = ReviewReportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("indicators:review_job", args=[job.pk])
    assert job.status == ReviewStatus.DONE and job.progress == 100 and job.error == ""
    assert len(stored_files(private_files)) == 2

    # The percentage the text must state, computed here from the approved values and the target.
    revenue = DataElement.objects.get(code="REVENUE")
    ((_period, actual),) = series(revenue, [Period.parse("2025")])
    target = Target.objects.get(element=revenue, year=2025, organisation__isnull=True).value
    assert actual is not None
    pct = (actual / target * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    actual_text = f"{actual.quantize(Decimal('0.1')):,}".replace(",", "X").replace(".", ",").replace("X", ".")
    change = (actual - series(revenue, [Period.parse("2024")])[0][1]) / series(revenue, [Period.parse("2024")])[0][1] * 100  # type: ignore[operator]
    sentence = (
        f"Doanh thu bưu chính, viễn thông và công nghệ thông tin năm 2025 đạt {actual_text} tỷ đồng, "
        f"đạt {pct}% kế hoạch, tăng {str(change.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)).replace('.', ',')}% "
        "so cùng kỳ năm trước."
    )

    docx_response = client.get(reverse("indicators:review_download", args=[job.pk, "docx"]))
    assert docx_response.status_code == 200
    assert "bao-cao-tong-ket-nam-2025.docx" in docx_response["Content-Disposition"]
    document = Document(io.BytesIO(b"".join(docx_response.streaming_content)))  # type: ignore[attr-defined]
    paragraphs = [p.text for p in document.paragraphs]
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    header = "\n".join(cells[:2])
    for line in (
        "UBND TỈNH AN GIANG",
        "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        "/BC-SKHCN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "An Giang, ngày ",
    ):
        assert line in header
    assert "BÁO CÁO" in paragraphs
    assert "Tổng kết công tác năm 2025 và phương hướng, nhiệm vụ năm 2026" in paragraphs
    assert f"- {sentence}" in paragraphs
    assert actual_text in cells and f"{pct}" in "".join(cells)  # the table, in Vietnamese number format
    assert any(c.startswith("Nơi nhận:") for c in cells) and any("Trần Minh Thuận" in c for c in cells)
    assert len(document.inline_shapes) >= 1  # the charts
    section = document.sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = {k: round(getattr(section, f"{k}_margin").mm, 1) for k in ("top", "bottom", "left", "right")}
    assert 20 <= margins["top"] <= 25 and 20 <= margins["bottom"] <= 25, margins
    assert 30 <= margins["left"] <= 35 and 15 <= margins["right"] <= 20, margins
    assert section.different_first_page_header_footer  # page numbers from page 2, at the top
    assert "PAGE" in section.header._element.xml
    normal = document.styles["Normal"].font
    assert normal.name == "Times New Roman" and 13 <= normal.size.pt <= 14

    pdf_response = client.get(reverse("indicators:review_download", args=[job.pk, "pdf"]))
    assert pdf_response.status_code == 200 and pdf_response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(b"".join(pdf_response.streaming_content)))  # type: ignore[attr-defined]
    text = flat(" ".join(page.extract_text() for page in reader.pages))
    assert sentence in text
    for line in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "BÁO CÁO", "Nơi nhận:"):
        assert line in text
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)

    actions = list(
        AuditEvent.objects.filter(object_id=str(job.pk), content_type__model="reviewreportjob").values_list("action", "actor_id")
    )
    assert ("create", demo["leader"].pk) in actions and ("transition", None) in actions
    assert actions.count(("download", demo["leader"].pk)) == 2


def test_a_division_specialist_downloads_the_departments_report_and_others_get_404(
    demo: dict[str, Any], django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    request_report(client_for(demo["leader"]), django_capture_on_commit_callbacks, year=2025, organisation=demo["department"].pk)
    job = ReviewReportJob.objects.get()
    specialist = client_for(demo["specialist"])
    assert specialist.get(reverse("indicators:review_job", args=[job.pk])).status_code == 200
    assert specialist.get(reverse("indicators:review_download", args=[job.pk, "pdf"])).status_code == 200

    officer = client_for(demo["officer"])  # a reporting officer of a People's Committee
    assert officer.get(reverse("indicators:review")).status_code == 403
    assert officer.get(reverse("indicators:review_download", args=[job.pk, "pdf"])).status_code == 403

    finance = make_org("Sở Tài chính tỉnh An Giang", parent=demo["department"].parent)
    outsider = client_for(make_user("cv_taichinh", (Role.SPECIALIST, finance)))
    assert outsider.get(reverse("indicators:review_job", args=[job.pk])).status_code == 404
    assert outsider.get(reverse("indicators:review_download", args=[job.pk, "docx"])).status_code == 404
    response = outsider.post(reverse("indicators:review"), {"year": 2025, "organisation": demo["department"].pk})
    assert response.status_code == 400 and ReviewReportJob.objects.count() == 1  # not an agency they may choose
    assert outsider.get(reverse("indicators:review")).content.decode().count("Tổng kết năm 2025") == 0


# Progress, failure, retry (a small world) ------------------------------------------------------------------


@pytest.fixture
def small(world: World) -> World:
    approved(world, world.enterprise_form, "2025S1", world.vnpt, {"REVENUE": "120.5", "SUB_PHONE": 1000})  # type: ignore[arg-type]
    approved(world, world.enterprise_form, "2025S2", world.vnpt, {"REVENUE": "130.0", "SUB_PHONE": 1100})  # type: ignore[arg-type]
    return world


def test_progress_moves_up_to_100_and_the_job_is_done(small: World, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[int, str]] = []
    original = services._progress

    def spy(job_id: int) -> Callable[[int, str], None]:
        report = original(job_id)

        def record(percent: int, label: str) -> None:
            report(percent, label)
            job = ReviewReportJob.objects.get(pk=job_id)
            seen.append((job.progress, job.step))

        return record

    monkeypatch.setattr(services, "_progress", spy)
    job = services.review_report_request(acting_user=small.leader, year=2025, organisation=small.department)
    assert job.status == ReviewStatus.QUEUED and job.progress == 0
    job = services.review_report_generate(job.pk)  # type: ignore[assignment]
    assert job.status == ReviewStatus.DONE and job.progress == 100 and job.finished_at is not None
    percents = [p for p, _step in seen]
    assert len(percents) >= 5 and percents == sorted(percents) and all(p < 100 for p in percents)
    assert any("PDF" in step for _p, step in seen) and any("DOCX" in step for _p, step in seen)
    assert services.review_report_generate(job.pk) is None  # a second delivery of the task does nothing


def test_a_failing_generation_is_recorded_keeps_no_file_and_can_be_retried(
    small: World,
    monkeypatch: pytest.MonkeyPatch,
    private_files: Path,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    def broken(report: Any) -> bytes:
        raise RuntimeError("font missing")

    monkeypatch.setattr(services, "render_pdf", broken)
    client = client_for(small.leader)
    request_report(client, django_capture_on_commit_callbacks, year=2025, organisation=small.department.pk)
    job = ReviewReportJob.objects.get()
    assert job.status == ReviewStatus.FAILED and not job.docx and not job.pdf
    assert "Đang tạo tệp PDF" in job.error and "Chạy lại" in job.error
    assert stored_files(private_files) == []
    page = client.get(reverse("indicators:review_job", args=[job.pk])).content.decode()
    assert "Đang tạo tệp PDF" in page and reverse("indicators:review_retry", args=[job.pk]) in page
    assert client.get(reverse("indicators:review_download", args=[job.pk, "pdf"])).status_code == 404

    monkeypatch.undo()
    monkeypatch.setattr(services, "_progress", lambda job_id: lambda percent, label: None)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("indicators:review_retry", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ReviewStatus.DONE and job.error == "" and job.attempts == 2
    assert len(stored_files(private_files)) == 2
    assert client.post(reverse("indicators:review_retry", args=[job.pk])).status_code == 302
    job.refresh_from_db()
    assert job.status == ReviewStatus.DONE  # a finished report is not re-run


def test_a_failure_while_storing_the_second_file_removes_the_first(
    small: World, monkeypatch: pytest.MonkeyPatch, private_files: Path
) -> None:
    from ..models.review import ReportStorage

    calls: list[str] = []
    original = ReportStorage._save  # type: ignore[attr-defined]

    def flaky(self: ReportStorage, name: str, content: Any) -> str:
        calls.append(name)
        if len(calls) == 2:
            raise OSError("disk full")
        return original(self, name, content)

    monkeypatch.setattr(ReportStorage, "_save", flaky)  # type: ignore[attr-defined]
    job = services.review_report_request(acting_user=small.leader, year=2025, organisation=small.department)
    job = services.review_report_generate(job.pk)  # type: ignore[assignment]
    assert job.status == ReviewStatus.FAILED and "Đang lưu tệp" in job.error
    assert not job.docx and not job.pdf and stored_files(private_files) == []


def test_the_job_page_polls_with_htmx_and_refreshes_without_javascript(small: World) -> None:
    job = services.review_report_request(acting_user=small.leader, year=2025, organisation=small.department)
    client = client_for(small.specialist)
    page = client.get(reverse("indicators:review_job", args=[job.pk])).content.decode()
    assert '<noscript><meta http-equiv="refresh"' in page and 'hx-trigger="every 2s"' in page
    assert '<progress id="review-bar' in page
    assert "Báo cáo tổng kết công tác năm 2025 và phương hướng, nhiệm vụ năm 2026" in page and "2.025" not in page
    fragment = client.get(reverse("indicators:review_job", args=[job.pk]), headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<section id="review-progress"') and "<html" not in fragment
    services.review_report_generate(job.pk)
    done = client.get(reverse("indicators:review_job", args=[job.pk]), headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in done and reverse("indicators:review_download", args=[job.pk, "docx"]) in done


def test_requests_are_checked_and_not_duplicated(small: World, django_capture_on_commit_callbacks: Callable[..., Any]) -> None:
    client = client_for(small.reviewer)
    home = client.get(reverse("indicators:review"))
    assert home.status_code == 200 and "Tạo báo cáo" in home.content.decode()
    response = client.post(reverse("indicators:review"), {"year": 1990, "organisation": small.department.pk})
    assert response.status_code == 400 and ReviewReportJob.objects.count() == 0
    first = services.review_report_request(acting_user=small.reviewer, year=2025, organisation=small.department)
    again = services.review_report_request(acting_user=small.leader, year=2025, organisation=small.department)
    assert again.pk == first.pk and ReviewReportJob.objects.count() == 1
    assert client_for(small.officer_tanchau).post(reverse("indicators:review"), {"year": 2025}).status_code == 403
    assert Client().get(reverse("indicators:review")).status_code == 302


def test_a_job_whose_worker_died_can_be_run_again(small: World, django_capture_on_commit_callbacks: Callable[..., Any]) -> None:
    job = services.review_report_request(acting_user=small.leader, year=2025, organisation=small.department)
    ReviewReportJob.objects.filter(pk=job.pk).update(
        status=ReviewStatus.RUNNING, started_at=timezone.now() - dt.timedelta(hours=2), progress=40
    )
    client = client_for(small.leader)
    page = client.get(reverse("indicators:review_job", args=[job.pk])).content.decode()
    assert reverse("indicators:review_retry", args=[job.pk]) in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("indicators:review_retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ReviewStatus.DONE
    fresh = services.review_report_request(acting_user=small.leader, year=2025, organisation=small.department)
    ReviewReportJob.objects.filter(pk=fresh.pk).update(
        status=ReviewStatus.RUNNING, started_at=timezone.now() - dt.timedelta(hours=2)
    )
    newer = services.review_report_request(acting_user=small.leader, year=2025, organisation=small.department)
    assert newer.pk != fresh.pk and ReviewReportJob.objects.get(pk=fresh.pk).status == ReviewStatus.FAILED


# Phrasing and the header ------------------------------------------------------------------------------------


def test_decree_30_dates_symbols_and_counts() -> None:
    with translation.override("vi"):
        assert vietnamese_date(dt.date(2026, 2, 5)) == "ngày 05 tháng 02 năm 2026"
        assert vietnamese_date(dt.date(2026, 11, 23)) == "ngày 23 tháng 11 năm 2026"
        assert count_text(Decimal(9), 0, "cuộc") == "09" and count_text(Decimal(4020), 0, "tỷ đồng") == "4.020"
        assert count_text(Decimal(7), 0, "%") == "7"


def test_agency_symbol_from_the_name(world: World) -> None:
    assert agency_symbol(world.department) == "SKHCN"
    old = make_org("Sở Thông tin và Truyền thông tỉnh An Giang", parent=world.province)
    assert agency_symbol(old) == "STTTT"


@pytest.fixture
def _noop() -> Iterator[None]:
    yield
