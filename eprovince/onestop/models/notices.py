"""Deadline warnings already sent: one row per officer, dossier and day, so a warning is not repeated that day."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .dossiers import Dossier


class DeadlineWarningKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Sắp đến hạn")
    OVERDUE = "overdue", _("Quá hạn")


class DeadlineWarning(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="deadline_warnings")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("ngày nhắc"))
    kind = models.CharField(_("loại nhắc"), max_length=10, choices=DeadlineWarningKind.choices)
    due_at = models.DateTimeField(_("hạn khi nhắc"))
    sent_at = models.DateTimeField(_("gửi lúc"))

    class Meta:
        verbose_name = _("nhắc hạn giải quyết")
        verbose_name_plural = _("nhắc hạn giải quyết")
        ordering = ["-day", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "officer", "day"], name="onestop_deadline_warning_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.dossier_id} → {self.officer_id}"
