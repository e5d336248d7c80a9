"""Writes of the annual review report: the request (and its retry) queue a background task after commit; the task
claims the job, reports its progress step by step, and stores both files and the final status in one transaction,
or records why it failed, leaving no file behind. Every request, retry, completion, failure and download is audited."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from eprovince.core.constants import AuditAction
from eprovince.core.models import Organisation, User
from eprovince.core.services.audit import audit_record, snapshot

from ..models import ReviewReportJob, ReviewStatus
from ..models.review import STALE_AFTER
from .content import agency_symbol, build_report
from .docx_writer import render_docx
from .pdf_writer import render_pdf
from .permissions import can_request_for

logger = logging.getLogger(__name__)

FIRST_YEAR = 2000
DOWNLOAD_ACTION = AuditAction.DOWNLOAD
AUDITED = ["year", "organisation_id", "symbol", "status", "progress", "error", "attempts"]


def _state(job: ReviewReportJob) -> dict[str, object]:
    return {**snapshot(job, AUDITED), "docx": job.docx.name or "", "pdf": job.pdf.name or ""}


def _enqueue(job: ReviewReportJob) -> None:
    from .tasks import generate_review_report

    transaction.on_commit(partial(generate_review_report.enqueue, job.pk), robust=True)


def _check_year(year: int) -> None:
    latest = timezone.localdate().year
    if not FIRST_YEAR <= year <= latest:
        raise ValidationError(
            {"year": _("Năm tổng kết phải từ %(first)s đến %(last)s.") % {"first": FIRST_YEAR, "last": latest}},
            code="year",
        )


def review_report_request(
    *, acting_user: User, year: int, organisation: Organisation, symbol: str = "", reason: str = ""
) -> ReviewReportJob:
    """Queue the review of `year` issued by `organisation`. An identical request (same year, agency and symbol)
    already waiting or running is returned instead of a second one; a request with other parameters is a new job."""
    if not can_request_for(acting_user, organisation):
        raise PermissionDenied(_("Bạn không có quyền lập báo cáo tổng kết của cơ quan này."))
    _check_year(year)
    symbol = (symbol or agency_symbol(organisation)).strip().upper()
    if not symbol.replace("&", "").replace("Đ", "D").isalnum():
        raise ValidationError({"symbol": _("Ký hiệu cơ quan chỉ gồm chữ in hoa và chữ số, ví dụ SKHCN.")}, code="symbol")
    with transaction.atomic():
        pending = (
            ReviewReportJob.objects.select_for_update()
            .filter(
                year=year,
                organisation=organisation,
                symbol=symbol[:20],
                status__in=(ReviewStatus.QUEUED, ReviewStatus.RUNNING),
            )
            .first()
        )
        if pending is not None and not pending.is_stale:
            return pending
        if pending is not None:
            _mark_stale(pending)
        job = ReviewReportJob(year=year, organisation=organisation, symbol=symbol[:20], requested_by=acting_user)
        job.step = _("Đang chờ xử lý")
        job.full_clean()
        job.save()
        audit_record(
            actor=acting_user,
            action=AuditAction.CREATE,
            obj=job,
            after=_state(job),
            reason=reason or _("Yêu cầu tạo báo cáo tổng kết năm %(y)s") % {"y": year},
        )
        _enqueue(job)
    return job


def _mark_stale(job: ReviewReportJob) -> None:
    before = _state(job)
    job.status, job.finished_at = ReviewStatus.FAILED, timezone.now()
    job.error = _("Việc tạo báo cáo bị gián đoạn (quá %(n)d phút chưa xong). Hãy bấm “Chạy lại”.") % {
        "n": STALE_AFTER.seconds // 60
    }
    job.save(update_fields=["status", "finished_at", "error"])
    audit_record(actor=None, action=AuditAction.TRANSITION, obj=job, before=before, after=_state(job), reason=job.error)


def review_report_retry(*, acting_user: User, job: ReviewReportJob) -> ReviewReportJob:
    """Queue a failed review again, from the start."""
    if not can_request_for(acting_user, job.organisation):
        raise PermissionDenied(_("Bạn không có quyền lập báo cáo tổng kết của cơ quan này."))
    with transaction.atomic():
        job = ReviewReportJob.objects.select_for_update().get(pk=job.pk)
        if job.is_stale:
            _mark_stale(job)
        if job.status != ReviewStatus.FAILED:
            raise ValidationError(_("Chỉ chạy lại được báo cáo đã bị lỗi."), code="not_failed")
        before = _state(job)
        job.status, job.progress, job.error = ReviewStatus.QUEUED, 0, ""
        job.step = _("Đang chờ xử lý")
        job.started_at = job.finished_at = None
        job.save()
        audit_record(
            actor=acting_user,
            action=AuditAction.TRANSITION,
            obj=job,
            before=before,
            after=_state(job),
            reason=_("Chạy lại báo cáo bị lỗi"),
        )
        _enqueue(job)
    return job


def review_report_download(*, acting_user: User, job: ReviewReportJob, kind: str) -> None:
    """Record who downloaded which file (the view has checked the permission)."""
    audit_record(
        actor=acting_user,
        action=DOWNLOAD_ACTION,
        obj=job,
        after={"file": kind},
        reason=_("Tải báo cáo tổng kết năm %(y)s (%(kind)s)") % {"y": job.year, "kind": kind.upper()},
    )


# The generation (run by the task) ------------------------------------------------------------------------


def _progress(job_id: int) -> Callable[[int, str], None]:
    """Progress is written at once (outside any transaction) so the page polling the job sees it move."""

    def report(percent: int, label: str) -> None:
        ReviewReportJob.objects.filter(pk=job_id, status=ReviewStatus.RUNNING).update(progress=min(percent, 99), step=label[:200])

    return report


def _claim(job_id: int) -> ReviewReportJob | None:
    with transaction.atomic():
        job = ReviewReportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != ReviewStatus.QUEUED:
            return None  # already taken by another worker, finished, or gone
        job.status, job.progress, job.attempts = ReviewStatus.RUNNING, 2, job.attempts + 1
        job.started_at = timezone.now()
        job.step = _("Bắt đầu tạo báo cáo")
        job.save(update_fields=["status", "progress", "attempts", "started_at", "step"])
    return job


def _fail(job: ReviewReportJob, step: str, exc: BaseException) -> None:
    detail = exc.messages[0] if isinstance(exc, ValidationError) and exc.messages else type(exc).__name__
    message = _(
        "Không tạo được báo cáo ở bước “%(step)s” (%(detail)s). Chưa có tệp nào được lưu. Hãy bấm “Chạy lại”; nếu vẫn "
        "lỗi, báo cho quản trị hệ thống."
    ) % {"step": step, "detail": detail}
    with transaction.atomic():
        current = ReviewReportJob.objects.select_for_update().get(pk=job.pk)
        before = _state(current)
        current.status, current.error, current.finished_at = ReviewStatus.FAILED, message, timezone.now()
        current.docx, current.pdf = "", ""  # type: ignore[assignment]
        current.save(update_fields=["status", "error", "finished_at", "docx", "pdf"])
        audit_record(
            actor=None,
            action=AuditAction.TRANSITION,
            obj=current,
            before=before,
            after=_state(current),
            reason=message,
        )


def review_report_generate(job_id: int) -> ReviewReportJob | None:
    """Build, render and store the report of job `job_id`; returns the job, or None if it was not waiting."""
    job = _claim(job_id)
    if job is None:
        return None
    progress = _progress(job.pk)
    step = _("Tổng hợp số liệu")
    stored: list[str] = []
    try:
        with translation.override("vi"):
            report = build_report(year=job.year, organisation=job.organisation, symbol=job.symbol, progress=progress)
            step = _("Đang tạo tệp DOCX")
            progress(70, step)
            docx = render_docx(report)
            step = _("Đang tạo tệp PDF")
            progress(85, step)
            pdf = render_pdf(report)
            step = _("Đang lưu tệp")
            progress(97, step)
        with transaction.atomic():
            current = ReviewReportJob.objects.select_for_update().get(pk=job.pk)
            before = _state(current)
            current.docx.save(f"{job.base_filename}.docx", ContentFile(docx), save=False)
            stored.append(current.docx.name or "")
            current.pdf.save(f"{job.base_filename}.pdf", ContentFile(pdf), save=False)
            stored.append(current.pdf.name or "")
            current.status, current.progress, current.finished_at = ReviewStatus.DONE, 100, timezone.now()
            current.step = _("Đã hoàn thành")
            current.error = ""
            current.save()
            audit_record(
                actor=None,
                action=AuditAction.TRANSITION,
                obj=current,
                before=before,
                after=_state(current),
                reason=_("Đã tạo xong báo cáo tổng kết năm %(y)s") % {"y": job.year},
            )
        return current
    except Exception as exc:
        logger.exception("The annual review report %s failed at %s", job.pk, step)
        storage = ReviewReportJob._meta.get_field("docx").storage  # type: ignore[attr-defined]
        for name in filter(None, stored):
            storage.delete(name)
        _fail(job, step, exc)
        return ReviewReportJob.objects.get(pk=job.pk)
