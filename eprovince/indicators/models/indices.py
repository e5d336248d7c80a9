"""Composite indices as versioned data: a framework per year, its components, items (indicators of the index),
pillars, the units it compares and their input values. Results are computed on the fly (see indexing.py)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from eprovince.core.models import AdminUnit, Organisation

from ..constants import VALUE_DECIMAL_PLACES, VALUE_MAX_DIGITS, IndexAggregation, Normalisation
from .catalogue import CODE_VALIDATOR, DataElement, Indicator


class IndexSubject(models.Model):
    """A unit an index compares: a province (ICT Index, DTI) or one of the province's own agencies."""

    code = models.CharField(_("mã"), max_length=50, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    admin_unit = models.ForeignKey(AdminUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("đơn vị được xếp hạng")
        verbose_name_plural = _("đơn vị được xếp hạng")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class IndexFramework(models.Model):
    code = models.CharField(_("mã bộ chỉ số"), max_length=50, validators=[CODE_VALIDATOR])
    name = models.CharField(_("tên"), max_length=255)
    year = models.PositiveSmallIntegerField(_("năm đánh giá"))
    aggregation = models.CharField(_("cách tổng hợp"), max_length=20, choices=IndexAggregation.choices)
    total_points = models.DecimalField(_("tổng điểm tối đa"), max_digits=8, decimal_places=2, null=True, blank=True)
    description = models.TextField(_("phương pháp"), blank=True)
    source = models.CharField(_("căn cứ, nguồn"), max_length=300, blank=True)
    subjects = models.ManyToManyField(IndexSubject, related_name="frameworks", blank=True, verbose_name=_("đơn vị so sánh"))

    class Meta:
        verbose_name = _("bộ chỉ số")
        verbose_name_plural = _("bộ chỉ số")
        ordering = ["code", "-year"]
        constraints = [models.UniqueConstraint(fields=["code", "year"], name="indicators_framework_code_year_uniq")]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class IndexComponent(models.Model):
    framework = models.ForeignKey(IndexFramework, on_delete=models.CASCADE, related_name="components")
    code = models.CharField(_("mã"), max_length=50, validators=[CODE_VALIDATOR])
    name = models.CharField(_("tên"), max_length=255)
    weight = models.DecimalField(_("trọng số"), max_digits=8, decimal_places=4, default=1)
    points = models.DecimalField(_("điểm tối đa"), max_digits=8, decimal_places=2, default=0)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=100)

    class Meta:
        verbose_name = _("chỉ số thành phần")
        verbose_name_plural = _("chỉ số thành phần")
        ordering = ["framework", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="indicators_component_code_uniq")]

    def __str__(self) -> str:
        return self.name


class IndexItem(models.Model):
    """One indicator of an index: its raw value comes from an input row, or from an indicator or data element of
    the catalogue for the compared organisation."""

    component = models.ForeignKey(IndexComponent, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("mã"), max_length=50, validators=[CODE_VALIDATOR])
    name = models.CharField(_("tên"), max_length=255)
    weight = models.DecimalField(_("trọng số"), max_digits=8, decimal_places=4, default=1)
    normalisation = models.CharField(_("chuẩn hóa"), max_length=20, choices=Normalisation.choices, default=Normalisation.RAW)
    reference_value = models.DecimalField(
        _("giá trị tham chiếu"), max_digits=VALUE_MAX_DIGITS, decimal_places=VALUE_DECIMAL_PLACES, null=True, blank=True
    )
    higher_is_better = models.BooleanField(_("càng cao càng tốt"), default=True)
    indicator = models.ForeignKey(Indicator, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    element = models.ForeignKey(DataElement, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=100)

    class Meta:
        verbose_name = _("tiêu chí của chỉ số")
        verbose_name_plural = _("tiêu chí của chỉ số")
        ordering = ["component", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["component", "code"], name="indicators_item_code_uniq")]

    def __str__(self) -> str:
        return self.name


class IndexPillar(models.Model):
    """A derived score, a formula over component codes: `(100 * (#{A} + #{B}) + 200 * #{GOV}) / 700`."""

    framework = models.ForeignKey(IndexFramework, on_delete=models.CASCADE, related_name="pillars")
    code = models.CharField(_("mã"), max_length=50, validators=[CODE_VALIDATOR])
    name = models.CharField(_("tên"), max_length=255)
    formula = models.TextField(_("công thức"))
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=100)

    class Meta:
        verbose_name = _("trụ cột")
        verbose_name_plural = _("trụ cột")
        ordering = ["framework", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="indicators_pillar_code_uniq")]

    def __str__(self) -> str:
        return self.name


class IndexInput(models.Model):
    """A raw value of one item for one compared unit (published scores, survey results, assessments)."""

    item = models.ForeignKey(IndexItem, on_delete=models.CASCADE, related_name="inputs")
    subject = models.ForeignKey(IndexSubject, on_delete=models.PROTECT, related_name="inputs")
    value = models.DecimalField(_("giá trị"), max_digits=VALUE_MAX_DIGITS, decimal_places=VALUE_DECIMAL_PLACES)
    source = models.CharField(_("nguồn"), max_length=300, blank=True)
    synthetic = models.BooleanField(_("số liệu minh họa"), default=False)

    class Meta:
        verbose_name = _("số liệu đầu vào của chỉ số")
        verbose_name_plural = _("số liệu đầu vào của chỉ số")
        constraints = [models.UniqueConstraint(fields=["item", "subject"], name="indicators_input_uniq")]

    def __str__(self) -> str:
        return f"{self.subject} {self.item.code} = {self.value}"
