"""Dossier codes: a pattern per receiving agency and a counter row per (agency, period)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from eprovince.core.models import Organisation

from ..constants import DEFAULT_NUMBERING_PATTERN, NumberingReset


class DossierNumbering(models.Model):
    """How an agency numbers the dossiers it receives. Without a row, the default pattern applies.

    Placeholders: {code} (the agency's electronic code), {yyyy}, {yy}, {mm}, {dd}, {yymmdd}, {seq} or {seq:N}
    (the counter, zero-padded to N digits). See numbering.py for the checks a pattern must pass."""

    organisation = models.OneToOneField(
        Organisation, verbose_name=_("cơ quan tiếp nhận"), on_delete=models.CASCADE, related_name="dossier_numbering"
    )
    pattern = models.CharField(_("mẫu mã hồ sơ"), max_length=100, default=DEFAULT_NUMBERING_PATTERN)
    reset = models.CharField(_("đặt lại số thứ tự"), max_length=10, choices=NumberingReset.choices, default=NumberingReset.DAILY)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cách đánh mã hồ sơ")
        verbose_name_plural = _("cách đánh mã hồ sơ")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.pattern}"


class DossierCounter(models.Model):
    """The last sequence number given by an agency in a period ("2026-03-09", "2026" or "all").

    Incremented by one UPDATE … RETURNING (numbering.next_sequence), which keeps the row locked until the transaction
    that gives the dossier its code ends."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=10)
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("bộ đếm mã hồ sơ")
        verbose_name_plural = _("bộ đếm mã hồ sơ")
        constraints = [models.UniqueConstraint(fields=["organisation", "period"], name="onestop_counter_uniq")]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.period}: {self.last_value}"
