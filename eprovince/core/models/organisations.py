"""Agencies and enterprises, in a tree: permissions are scoped to an organisation and its descendants."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..constants import OrganisationKind
from .units import AdminUnit
from .validity import ValidityPeriod, ValidityQuerySet, validity_constraint

# Decision 20/2020/QĐ-TTg: four dotted groups, e.g. 000.00.00.H30 (the letter's meaning is not confirmed).
AGENCY_CODE_VALIDATOR = RegexValidator(
    r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$",
    _("Mã định danh điện tử phải có dạng 000.00.00.H30 (theo Quyết định 20/2020/QĐ-TTg)."),
    code="invalid_agency_code",
)


class OrganisationQuerySet(ValidityQuerySet):
    def descendants_of(self, org: Organisation, include_self: bool = True) -> OrganisationQuerySet:
        qs = self.filter(path__startswith=org.path)
        return qs if include_self else qs.exclude(pk=org.pk)


class Organisation(ValidityPeriod):
    name = models.CharField(_("tên"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=80, blank=True)
    kind = models.CharField(_("loại"), max_length=30, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("trực thuộc"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    admin_unit = models.ForeignKey(
        AdminUnit, verbose_name=_("địa bàn"), null=True, blank=True, on_delete=models.PROTECT, related_name="organisations"
    )
    electronic_code = models.CharField(_("mã định danh điện tử"), max_length=13, blank=True, validators=[AGENCY_CODE_VALIDATOR])
    tax_code = models.CharField(_("mã số thuế"), max_length=14, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan kế nhiệm"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    # Materialised path of primary keys, "/1/4/9/": descendants are a prefix match on both databases.
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    search_name = models.CharField(max_length=300, editable=False, db_index=True, default="")

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("cơ quan, tổ chức")
        verbose_name_plural = _("cơ quan, tổ chức")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["electronic_code"],
                condition=~models.Q(electronic_code=""),
                name="organisation_electronic_code_uniq",
                violation_error_message=_("Mã định danh điện tử này đã được cấp cho cơ quan khác."),
            ),
            validity_constraint("organisation_validity_order"),
        ]

    def __str__(self) -> str:
        return self.name

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]
