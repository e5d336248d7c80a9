"""Targets (chỉ tiêu kế hoạch) set in the annual plan, per indicator or data element, organisation and year."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from eprovince.core.models import Organisation

from ..constants import VALUE_DECIMAL_PLACES, VALUE_MAX_DIGITS
from .catalogue import DataElement, Indicator


class Target(models.Model):
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.PROTECT, related_name="targets", verbose_name=_("chỉ số")
    )
    element = models.ForeignKey(
        DataElement, null=True, blank=True, on_delete=models.PROTECT, related_name="targets", verbose_name=_("chỉ tiêu dữ liệu")
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicator_targets",
        verbose_name=_("đơn vị"),
        help_text=_("Để trống: chỉ tiêu của toàn tỉnh."),
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    value = models.DecimalField(_("giá trị kế hoạch"), max_digits=VALUE_MAX_DIGITS, decimal_places=VALUE_DECIMAL_PLACES)
    source_decision = models.CharField(
        _("căn cứ giao chỉ tiêu"), max_length=300, blank=True, help_text=_("Ví dụ: Quyết định số …/QĐ-UBND ngày …")
    )
    synthetic = models.BooleanField(_("số liệu minh họa"), default=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("chỉ tiêu kế hoạch")
        verbose_name_plural = _("chỉ tiêu kế hoạch")
        ordering = ["year", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(indicator__isnull=False) & Q(element__isnull=True))
                | (Q(indicator__isnull=True) & Q(element__isnull=False)),
                name="indicators_target_one_subject",
                violation_error_message=_("Chỉ tiêu kế hoạch gắn với đúng một chỉ số hoặc một chỉ tiêu dữ liệu."),
            ),
            models.UniqueConstraint(
                fields=["indicator", "organisation", "year"],
                condition=Q(indicator__isnull=False),
                name="indicators_target_ind_uniq",
            ),
            models.UniqueConstraint(
                fields=["indicator", "year"],
                condition=Q(indicator__isnull=False, organisation__isnull=True),
                name="indicators_target_ind_prov_uniq",
            ),
            models.UniqueConstraint(
                fields=["element", "organisation", "year"], condition=Q(element__isnull=False), name="indicators_target_el_uniq"
            ),
            models.UniqueConstraint(
                fields=["element", "year"],
                condition=Q(element__isnull=False, organisation__isnull=True),
                name="indicators_target_el_prov_uniq",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator or self.element} {self.year}: {self.value}"

    @property
    def subject(self) -> Indicator | DataElement:
        return self.indicator or self.element  # type: ignore[return-value]
