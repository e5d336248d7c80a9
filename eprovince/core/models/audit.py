"""The audit trail: append-only. Rows are written by core.services.audit inside the same transaction as the change."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..constants import AuditAction


class AuditTrailIsAppendOnly(Exception):
    pass


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AuditTrailIsAppendOnly("Nhật ký kiểm toán không được sửa.")

    def delete(self) -> NoReturn:  # type: ignore[override]
        raise AuditTrailIsAppendOnly("Nhật ký kiểm toán không được xóa.")


class AuditEvent(models.Model):
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Kept as text too, so the trail still names the actor if the account is renamed.
    actor_name = models.CharField(_("tên người thực hiện"), max_length=150, blank=True)
    action = models.CharField(_("hành động"), max_length=20, choices=AuditAction.choices, db_index=True)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("đối tượng"), max_length=255, blank=True)
    before = models.JSONField(_("giá trị trước"), null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("giá trị sau"), null=True, blank=True, encoder=DjangoJSONEncoder)
    reason = models.TextField(_("lý do"), blank=True)
    ip_address = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    request_id = models.CharField(max_length=36, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("sự kiện nhật ký")
        verbose_name_plural = _("nhật ký hệ thống")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"])]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.created_at:%d/%m/%Y %H:%M} {self.actor_name} {self.get_action_display()} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditTrailIsAppendOnly("Nhật ký kiểm toán không được sửa.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditTrailIsAppendOnly("Nhật ký kiểm toán không được xóa.")

    @property
    def changed_fields(self) -> list[tuple[str, Any, Any]]:
        before = self.before or {}
        after = self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]
