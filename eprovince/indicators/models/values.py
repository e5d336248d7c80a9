"""Reported values and the history of every change to them."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from eprovince.core.models import Organisation

from ..constants import VALUE_DECIMAL_PLACES, VALUE_MAX_DIGITS, ValueChange
from .catalogue import CategoryOption, DataElement
from .reporting import Submission


class DataValue(models.Model):
    """One value of one element (and option) for one organisation and period.

    A value entered in a reporting round belongs to the unit's submission there and counts in results once the
    submission is approved. A value with no submission was imported from a published source (a report or article
    named in `source`) and counts as it is."""

    element = models.ForeignKey(DataElement, on_delete=models.PROTECT, related_name="values", verbose_name=_("chỉ tiêu"))
    category_option = models.ForeignKey(
        CategoryOption, null=True, blank=True, on_delete=models.PROTECT, related_name="values", verbose_name=_("nhóm")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="indicator_values", verbose_name=_("đơn vị")
    )
    period = models.CharField(_("kỳ"), max_length=10)
    year = models.PositiveSmallIntegerField(_("năm"), db_index=True)
    value = models.DecimalField(_("giá trị"), max_digits=VALUE_MAX_DIGITS, decimal_places=VALUE_DECIMAL_PLACES)
    comment = models.TextField(_("ghi chú, giải trình"), blank=True)
    source = models.CharField(_("nguồn số liệu"), max_length=300, blank=True)
    synthetic = models.BooleanField(
        _("số liệu minh họa"), default=False, help_text=_("Số liệu sinh tự động cho bản trình diễn, không phải số liệu thật.")
    )
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.PROTECT, related_name="values", verbose_name=_("báo cáo")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("giá trị số liệu")
        verbose_name_plural = _("giá trị số liệu")
        ordering = ["element", "organisation", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["element", "category_option", "organisation", "period"], name="indicators_value_uniq"
            ),
            # NULL options are distinct in the constraint above: values without disaggregation need their own.
            models.UniqueConstraint(
                fields=["element", "organisation", "period"],
                condition=models.Q(category_option__isnull=True),
                name="indicators_value_nooption_uniq",
            ),
        ]
        indexes = [
            models.Index(fields=["element", "year", "period"]),
            models.Index(fields=["organisation", "period"]),
            # Analytics and the pivot read (element, periods) → organisation, option, value, report: answered from
            # this index alone (an index-only scan), never from the 10-million-row table (docs/performance.md).
            # (All key columns rather than INCLUDE, which SQLite lacks.)
            models.Index(
                fields=["element", "period", "organisation", "year", "category_option", "submission", "value"],
                name="indicators_value_cover_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.element.code} {self.organisation_id} {self.period} = {self.value}"


class DataValueAuditQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError("Lịch sử giá trị không được sửa.")

    def delete(self) -> NoReturn:  # type: ignore[override]
        raise PermissionError("Lịch sử giá trị không được xóa.")


class DataValueAudit(models.Model):
    """Append-only: who changed which value, from what to what, when and why."""

    data_value = models.ForeignKey(DataValue, null=True, blank=True, on_delete=models.SET_NULL, related_name="history")
    element = models.ForeignKey(DataElement, on_delete=models.PROTECT, related_name="+")
    category_option = models.ForeignKey(CategoryOption, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("kỳ"), max_length=10)
    submission = models.ForeignKey(Submission, null=True, blank=True, on_delete=models.PROTECT, related_name="value_history")
    change = models.CharField(_("thao tác"), max_length=10, choices=ValueChange.choices)
    value_before = models.DecimalField(
        _("giá trị cũ"), max_digits=VALUE_MAX_DIGITS, decimal_places=VALUE_DECIMAL_PLACES, null=True, blank=True
    )
    value_after = models.DecimalField(
        _("giá trị mới"), max_digits=VALUE_MAX_DIGITS, decimal_places=VALUE_DECIMAL_PLACES, null=True, blank=True
    )
    comment_before = models.TextField(_("ghi chú cũ"), blank=True)
    comment_after = models.TextField(_("ghi chú mới"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor_name = models.CharField(_("người sửa"), max_length=150, blank=True)
    reason = models.CharField(_("lý do"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)

    objects = DataValueAuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("lịch sử giá trị")
        verbose_name_plural = _("lịch sử giá trị")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "period", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_change_display()} {self.element_id} {self.period}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("Lịch sử giá trị không được sửa.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("Lịch sử giá trị không được xóa.")
