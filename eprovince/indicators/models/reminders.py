"""Reminders sent to units that are late with a round's report: who reminded whom, when (the scheduler is None)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .reporting import ReportingRound, Submission


class ReminderLog(models.Model):
    round = models.ForeignKey(ReportingRound, on_delete=models.PROTECT, related_name="reminders", verbose_name=_("đợt"))
    submission = models.ForeignKey(
        Submission, on_delete=models.PROTECT, related_name="reminders", verbose_name=_("báo cáo của đơn vị")
    )
    sent_at = models.DateTimeField(_("gửi lúc"), default=timezone.now, db_index=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người gửi"),
        help_text=_("Để trống: gửi tự động theo lịch."),
    )
    recipients = models.JSONField(_("người nhận"), default=list, help_text=_("Tên và địa chỉ thư của từng người nhận."))

    class Meta:
        verbose_name = _("nhắc nhở nộp báo cáo")
        verbose_name_plural = _("nhắc nhở nộp báo cáo")
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["submission", "-sent_at"], name="indicators_reminder_sub_idx")]

    def __str__(self) -> str:
        return f"{self.submission} – {self.sent_at:%d/%m/%Y %H:%M}"

    @property
    def recipient_names(self) -> str:
        return ", ".join(r.get("name") or r.get("email", "") for r in self.recipients)
