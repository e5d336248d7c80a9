"""A validity period: units, organisations and positions exist from one date to another."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def valid_on_q(day: dt.date, prefix: str = "") -> Q:
    """Records valid on `day`: started on or before it and not ended before it (valid_to is inclusive)."""
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": day})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    )


class ValidityQuerySet(models.QuerySet):
    def valid_on(self, day: dt.date) -> ValidityQuerySet:
        return self.filter(valid_on_q(day))

    def current(self) -> ValidityQuerySet:
        from django.utils import timezone

        return self.valid_on(timezone.localdate())


class ValidityPeriod(models.Model):
    valid_from = models.DateField(_("hiệu lực từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến ngày"), null=True, blank=True, help_text=_("Ngày cuối cùng còn hiệu lực."))

    class Meta:
        abstract = True

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


def validity_constraint(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(valid_from__isnull=True) | Q(valid_to__isnull=True) | Q(valid_from__lte=models.F("valid_to")),
        name=name,
        violation_error_message=_("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực."),
    )
