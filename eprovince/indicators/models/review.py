"""The annual review report (báo cáo tổng kết năm) generated in the background: one row per request, with its
progress, the two files (DOCX and PDF) once done, or the reason it failed."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eprovince.core.models import Organisation


class ReviewStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ xử lý")
    RUNNING = "running", _("Đang tạo báo cáo")
    DONE = "done", _("Đã hoàn thành")
    FAILED = "failed", _("Không tạo được")


# A job still "running" this long after it started has lost its worker (restart, crash): it may be run again.
STALE_AFTER = dt.timedelta(minutes=30)


class ReportStorage(FileSystemStorage):
    """Generated reports are internal documents: kept outside MEDIA_ROOT (which may be served publicly) and read
    only through the download view, which checks who asks. The folder is settings.PRIVATE_FILES_ROOT, else the
    one-stop shop's private folder, else "<media>-private"; it is read at each use."""

    @property  # type: ignore[override]
    def base_location(self) -> str:
        media = Path(settings.MEDIA_ROOT)
        default = getattr(settings, "ONESTOP_FILES_ROOT", media.with_name(media.name + "-private"))
        return str(getattr(settings, "PRIVATE_FILES_ROOT", None) or default)

    @property  # type: ignore[override]
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    @property
    def base_url(self) -> None:  # type: ignore[override]
        return None


def report_storage() -> Storage:
    return ReportStorage()


def _upload_to(instance: Any, filename: str) -> str:
    return f"indicators/review/{instance.year}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class ReviewReportJob(models.Model):
    year = models.PositiveSmallIntegerField(_("năm tổng kết"))
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("cơ quan ban hành"), on_delete=models.PROTECT, related_name="review_reports"
    )
    symbol = models.CharField(
        _("ký hiệu cơ quan"), max_length=20, help_text=_("Dùng trong số, ký hiệu văn bản, ví dụ …/BC-SKHCN.")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người yêu cầu"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("trạng thái"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    step = models.CharField(_("bước đang thực hiện"), max_length=200, blank=True)
    docx = models.FileField(_("tệp DOCX"), upload_to=_upload_to, storage=report_storage, max_length=200, blank=True)
    pdf = models.FileField(_("tệp PDF"), upload_to=_upload_to, storage=report_storage, max_length=200, blank=True)
    error = models.TextField(_("lý do không tạo được"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần chạy"), default=0)
    created_at = models.DateTimeField(_("thời điểm yêu cầu"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("báo cáo tổng kết năm")
        verbose_name_plural = _("báo cáo tổng kết năm")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="indicators_review_progress_le_100"),
            models.CheckConstraint(
                condition=~Q(status=ReviewStatus.DONE) | (~Q(docx="") & ~Q(pdf="")),
                name="indicators_review_done_has_files",
                violation_error_message=_("Báo cáo đã hoàn thành phải có đủ tệp DOCX và PDF."),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Báo cáo tổng kết năm %(year)s – %(org)s") % {"year": self.year, "org": self.organisation})

    @property
    def is_finished(self) -> bool:
        return self.status in (ReviewStatus.DONE, ReviewStatus.FAILED)

    @property
    def is_stale(self) -> bool:
        return (
            self.status == ReviewStatus.RUNNING and self.started_at is not None and timezone.now() - self.started_at > STALE_AFTER
        )

    @property
    def base_filename(self) -> str:
        return f"bao-cao-tong-ket-nam-{self.year}"
