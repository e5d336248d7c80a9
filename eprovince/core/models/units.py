"""Administrative units (tỉnh, huyện, xã) with their validity and the successor links of each reorganisation."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..constants import UnitLevel
from .validity import ValidityPeriod, ValidityQuerySet, validity_constraint


class AdminUnit(ValidityPeriod):
    """One unit as it existed over one period. A unit renamed or re-coded by a reorganisation is a new row,
    linked to the old one by UnitSuccession."""

    code = models.CharField(_("mã đơn vị hành chính"), max_length=10, help_text=_("Mã của Tổng cục Thống kê."))
    name = models.CharField(_("tên"), max_length=120)
    kind = models.CharField(_("loại"), max_length=60, help_text=_("Ví dụ: Tỉnh, Huyện, Thị xã, Phường, Xã."))
    level = models.CharField(_("cấp"), max_length=10, choices=UnitLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("thuộc"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Lower-case, without diacritics and with đ folded to d: what searches compare against.
    search_name = models.CharField(max_length=200, editable=False, db_index=True)
    source = models.CharField(_("nguồn dữ liệu"), max_length=80, blank=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["level", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code", "level", "valid_from"], name="adminunit_code_level_from_uniq"),
            # NULLs are distinct in the constraint above: units with an unknown start need their own.
            models.UniqueConstraint(
                fields=["code", "level"], condition=models.Q(valid_from__isnull=True), name="adminunit_code_level_nofrom_uniq"
            ),
            validity_constraint("adminunit_validity_order"),
        ]
        indexes = [models.Index(fields=["level", "valid_from", "valid_to"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.kind} {self.name}".strip() if self.kind and not self.name.startswith(self.kind) else self.name


class UnitSuccession(models.Model):
    """`predecessor` became (all or part of) `successor` on `effective_on`."""

    predecessor = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="successor_links")
    successor = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="predecessor_links")
    effective_on = models.DateField(_("ngày hiệu lực"))
    partial = models.BooleanField(_("chỉ một phần"), default=False, help_text=_("Chỉ một phần địa bàn chuyển sang."))
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=255, blank=True)
    # Set by the import of the national datasets, which may replace the links it made; empty for links entered by hand.
    source = models.CharField(_("nguồn dữ liệu"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("quan hệ kế thừa đơn vị")
        verbose_name_plural = _("quan hệ kế thừa đơn vị")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="unitsuccession_pair_uniq"),
            models.CheckConstraint(condition=~models.Q(predecessor=models.F("successor")), name="unitsuccession_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"
