"""Dossiers (hồ sơ), their append-only history and their files."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from pathlib import Path
from typing import Any, NoReturn

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from eprovince.core.models import Organisation

from ..constants import ACTIVE_STATUSES, FINAL_STATUSES, Channel, DossierStatus, FileKind
from .catalogue import Procedure
from .process import ProcessStep


class DossierQuerySet(models.QuerySet):
    def active(self) -> DossierQuerySet:
        return self.filter(status__in=ACTIVE_STATUSES)


class Dossier(models.Model):
    code = models.CharField(_("mã hồ sơ"), max_length=60, blank=True, default="")
    procedure = models.ForeignKey(Procedure, verbose_name=_("thủ tục"), on_delete=models.PROTECT, related_name="dossiers")
    # Copied from the procedure when the dossier is created, so later changes to the catalogue do not move it.
    receiving_agency = models.ForeignKey(
        Organisation, verbose_name=_("cơ quan tiếp nhận"), on_delete=models.PROTECT, related_name="+"
    )
    handling_agency = models.ForeignKey(
        Organisation, verbose_name=_("cơ quan giải quyết"), on_delete=models.PROTECT, related_name="+"
    )

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("tài khoản người nộp"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="onestop_dossiers",
    )  # fmt: skip
    applicant_name = models.CharField(_("tên tổ chức, cá nhân"), max_length=255)
    applicant_phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_id_number = models.CharField(_("số định danh, mã số doanh nghiệp"), max_length=20, blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    channel = models.CharField(_("hình thức nộp"), max_length=10, choices=Channel.choices)
    form_data = models.JSONField(_("nội dung tờ khai"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    # The sections of an online draft the applicant has saved at least once (see drafts.py): ["nguoi-nop", …].
    draft_sections = models.JSONField(_("các phần đã lưu"), default=list, blank=True)

    status = models.CharField(_("trạng thái"), max_length=20, choices=DossierStatus.choices, default=DossierStatus.DRAFT)
    current_step = models.ForeignKey(
        ProcessStep, verbose_name=_("bước hiện tại"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Copied from the current step: who must act now, where. The officers' queues filter on these two.
    current_role = models.CharField(max_length=30, blank=True, default="")
    current_organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    step_entered_at = models.DateTimeField(_("vào bước lúc"), null=True, blank=True)
    step_due_at = models.DateTimeField(_("hạn của bước"), null=True, blank=True)

    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    received_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)
    due_at = models.DateTimeField(_("hạn giải quyết"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    # Supplement pauses, oldest first: [{"start": ISO, "end": ISO or null}]. The last may still be open.
    pauses = models.JSONField(_("các lần tạm dừng"), default=list, blank=True)

    apology_at = models.DateTimeField(_("xin lỗi lúc"), null=True, blank=True)
    apology_reason = models.TextField(_("lý do chậm"), blank=True)
    apology_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    apology_due_at = models.DateTimeField(_("ngày hẹn trả mới"), null=True, blank=True)

    version = models.PositiveIntegerField(default=1)
    search_text = models.CharField(max_length=400, editable=False, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="onestop_dossier_code_uniq",
                violation_error_message=_("Mã hồ sơ đã tồn tại."),
            ),
            models.CheckConstraint(condition=Q(status__in=DossierStatus.values), name="onestop_dossier_status_valid"),
            models.CheckConstraint(
                condition=Q(status=DossierStatus.DRAFT) | ~Q(code=""), name="onestop_dossier_code_after_draft"
            ),
        ]  # fmt: skip
        indexes = [
            models.Index(fields=["status", "due_at"], name="onestop_dossier_status_due"),
            # The officers' "waiting for me" queue: where, which role, which status, soonest due first.
            models.Index(fields=["current_organisation", "current_role", "status", "due_at"], name="onestop_dossier_tray_due"),
            models.Index(fields=["receiving_agency", "received_at"], name="onestop_dossier_recv"),
            models.Index(fields=["procedure", "received_at"], name="onestop_dossier_proc_recv"),
            models.Index(fields=["applicant", "-created_at"], name="onestop_dossier_applicant"),
            # The "all" queue (newest received first), the tracking register and the statistics of a period. The
            # diacritic-free search has a trigram index on search_text, on PostgreSQL only (migration 0006).
            models.Index(fields=["received_at", "id"], name="onestop_dossier_received"),
            models.Index(fields=["finished_at"], name="onestop_dossier_finished"),
        ]

    def __str__(self) -> str:
        return self.code or f"#{self.pk}"

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    @property
    def is_paused(self) -> bool:
        return bool(self.pauses) and self.pauses[-1].get("end") is None

    @property
    def appointment_at(self) -> dt.datetime | None:
        """The return date the applicant was given: the new one after an apology, else the due date."""
        return self.apology_due_at or self.due_at

    def pause_list(self) -> list[tuple[dt.datetime, dt.datetime | None]]:
        return [
            (dt.datetime.fromisoformat(p["start"]), dt.datetime.fromisoformat(p["end"]) if p.get("end") else None)
            for p in self.pauses
        ]


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> NoReturn:
        raise TypeError("Lịch sử hồ sơ không được sửa.")

    def delete(self) -> NoReturn:  # type: ignore[override]
        raise TypeError("Lịch sử hồ sơ không được xóa.")


class DossierEvent(models.Model):
    """One thing that happened to a dossier: who, when, which action, from where to where, why. Never changed and
    never deleted: the model and queryset refuse it, and so does the database (triggers, migration 0008; the one
    update it lets through is a deleted process step's reference becoming empty, its name is kept)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    created_at = models.DateTimeField(_("thời điểm"), db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor_name = models.CharField(_("người thực hiện"), max_length=150, blank=True)
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("thao tác"), max_length=30)
    label = models.CharField(_("nội dung"), max_length=200)
    from_status = models.CharField(max_length=20, blank=True, choices=DossierStatus.choices)
    to_status = models.CharField(max_length=20, blank=True, choices=DossierStatus.choices)
    # Steps by reference and by name: the name stays readable if the process is edited later.
    from_step = models.ForeignKey(ProcessStep, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    to_step = models.ForeignKey(ProcessStep, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    from_step_name = models.CharField(max_length=200, blank=True)
    to_step_name = models.CharField(max_length=200, blank=True)
    reason = models.TextField(_("lý do, ý kiến"), blank=True)
    due_at = models.DateTimeField(_("hạn giải quyết sau thao tác"), null=True, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("lịch sử hồ sơ")
        verbose_name_plural = _("lịch sử hồ sơ")
        ordering = ["created_at", "pk"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.created_at:%d/%m/%Y %H:%M} {self.label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("Lịch sử hồ sơ không được sửa.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("Lịch sử hồ sơ không được xóa.")


class PrivateStorage(FileSystemStorage):
    """Dossier files hold personal data: stored outside MEDIA_ROOT (which may be served publicly), read only
    through views that check who is asking. The place is settings.ONESTOP_FILES_ROOT, by default a folder next to
    MEDIA_ROOT named "<media>-private"; it is read at each use, so a changed setting applies at once."""

    @property  # type: ignore[override]
    def base_location(self) -> str:
        media = Path(settings.MEDIA_ROOT)
        return str(getattr(settings, "ONESTOP_FILES_ROOT", media.with_name(media.name + "-private")))

    @property  # type: ignore[override]
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    @property
    def base_url(self) -> None:  # type: ignore[override]
        return None


def private_storage() -> Storage:
    return PrivateStorage()


def _upload_to(instance: DossierFile, filename: str) -> str:
    ext = Path(filename).suffix.lower()
    return f"onestop/{dt.date.today():%Y/%m}/{uuid.uuid4().hex}{ext}"


class DossierFile(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="files")
    event = models.ForeignKey(DossierEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="files")
    kind = models.CharField(_("loại tệp"), max_length=20, choices=FileKind.choices, default=FileKind.APPLICATION)
    document = models.ForeignKey(
        "onestop.RequiredDocument", verbose_name=_("thành phần hồ sơ"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    field_key = models.CharField(_("trường tờ khai"), max_length=50, blank=True)
    file = models.FileField(_("tệp"), upload_to=_upload_to, storage=private_storage, max_length=200)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(_("định dạng"), max_length=100)
    size = models.PositiveBigIntegerField(_("dung lượng"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("tệp hồ sơ")
        verbose_name_plural = _("tệp hồ sơ")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name
