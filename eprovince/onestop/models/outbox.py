"""The national-portal outbox: one row per change of a dossier's national fields, written in the same transaction
as the change (so a rolled-back change leaves no event) and delivered later, in order per dossier (outbox.py).

Append-only: rows are never deleted and what an event says (dossier, history row, sequence, payload, creation time)
never changes; only its delivery state does (the claim, attempts, next attempt, last error, delivered_at, which is
written once). The model and queryset refuse the rest, and so does the database itself (triggers, migration 0008),
whoever connects. The one exception: a payload written with the dossier's provisional code gets the real code in the
same transaction (outbox.code_assigned)."""

from __future__ import annotations

from typing import Any, NoReturn

from django.db import models
from django.utils.translation import gettext_lazy as _

from .dossiers import Dossier, DossierEvent


class OutboxState(models.TextChoices):
    DELIVERED = "delivered", _("Đã gửi")
    WAITING = "waiting", _("Đang chờ gửi")
    FAILING = "failing", _("Gửi lỗi, đang thử lại")


# What an event says: never changed once written (the payload is guarded by the database, see the module docstring).
IMMUTABLE_FIELDS = frozenset({"id", "pk", "dossier", "dossier_id", "dossier_event", "dossier_event_id", "sequence", "created_at"})


class OutboxQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        if refused := IMMUTABLE_FIELDS.intersection(kwargs):
            raise TypeError(f"Sự kiện đồng bộ không được sửa nội dung ({', '.join(sorted(refused))}).")
        return super().update(**kwargs)

    def undelivered(self) -> OutboxQuerySet:
        return self.filter(delivered_at__isnull=True)

    def in_state(self, state: str) -> OutboxQuerySet:
        if state == OutboxState.DELIVERED:
            return self.filter(delivered_at__isnull=False)
        if state == OutboxState.FAILING:
            return self.filter(delivered_at__isnull=True, attempts__gt=0)
        if state == OutboxState.WAITING:
            return self.filter(delivered_at__isnull=True, attempts=0)
        return self

    def delete(self) -> NoReturn:  # type: ignore[override]
        raise TypeError("Sự kiện đồng bộ không được xóa.")


class OutboxEvent(models.Model):
    dossier = models.ForeignKey(Dossier, verbose_name=_("hồ sơ"), on_delete=models.PROTECT, related_name="outbox_events")
    # The history row whose change this reports (none for a change that writes no history row).
    dossier_event = models.ForeignKey(DossierEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # 1, 2, 3… per dossier: the receiver applies a dossier's events in this order.
    sequence = models.PositiveIntegerField(_("thứ tự"))
    payload = models.JSONField(_("nội dung gửi"))
    created_at = models.DateTimeField(_("tạo lúc"))
    attempts = models.PositiveIntegerField(_("số lần đã gửi"), default=0)
    next_attempt_at = models.DateTimeField(_("gửi lần tới lúc"))
    # A delivery run claims a row just before posting it, with its own lease: who (claimed_by, for the
    # administrators), when, until when, and a random token. Another run may take the row only once the lease has
    # expired, and a delivery result is written only by the holder of the token (outbox._settle).
    claim_token = models.CharField(max_length=32, blank=True, default="")
    claimed_by = models.CharField(max_length=120, blank=True, default="")
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(_("đã gửi lúc"), null=True, blank=True)
    last_error = models.TextField(_("lỗi lần gửi gần nhất"), blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("mã phản hồi gần nhất"), null=True, blank=True)

    objects = OutboxQuerySet.as_manager()

    class Meta:
        verbose_name = _("sự kiện đồng bộ Cổng dịch vụ công quốc gia")
        verbose_name_plural = _("sự kiện đồng bộ Cổng dịch vụ công quốc gia")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "sequence"], name="onestop_outbox_dossier_seq_uniq"),
        ]
        indexes = [
            models.Index(fields=["delivered_at", "next_attempt_at"], name="onestop_outbox_due"),
        ]

    def __str__(self) -> str:
        return f"{self.payload.get('MaHoSo', '')} #{self.sequence}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Written once; afterwards only through the queryset's update() of the delivery state."""
        if not self._state.adding:
            raise TypeError("Sự kiện đồng bộ chỉ được cập nhật trạng thái gửi (OutboxEvent.objects.filter(…).update).")
        super().save(*args, **kwargs)

    @property
    def state(self) -> str:
        if self.delivered_at is not None:
            return OutboxState.DELIVERED
        return OutboxState.FAILING if self.attempts else OutboxState.WAITING

    def get_state_display(self) -> Any:
        return OutboxState(self.state).label

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("Sự kiện đồng bộ không được xóa.")
