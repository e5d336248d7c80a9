"""The catalogue, kept as data: data elements (what units report), their disaggregations, and indicators
(formulas over data elements). Administrators change it without code."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..constants import Aggregation, ValueType

# A value more than this many times (or less than this fraction of) the previous period's approved value is
# flagged as a possible typing error (a warning: it never blocks). A form may change it; an element may override it.
OUTLIER_RATIO_DEFAULT = Decimal(3)

CODE_VALIDATOR = RegexValidator(
    r"^[A-Z][A-Z0-9_]{0,49}$",
    _("Mã gồm chữ in hoa không dấu, chữ số và dấu gạch dưới, bắt đầu bằng chữ cái (ví dụ SUB_MOBILE)."),
    code="invalid_code",
)


class CategoryCombo(models.Model):
    """A disaggregation, e.g. "by operator": values of an element with it are entered once per option."""

    code = models.CharField(_("mã"), max_length=50, unique=True, validators=[CODE_VALIDATOR])
    name = models.CharField(_("tên"), max_length=200)

    class Meta:
        verbose_name = _("cách phân tổ")
        verbose_name_plural = _("cách phân tổ")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CategoryOption(models.Model):
    combo = models.ForeignKey(CategoryCombo, verbose_name=_("cách phân tổ"), on_delete=models.CASCADE, related_name="options")
    code = models.CharField(_("mã"), max_length=50, validators=[CODE_VALIDATOR])
    name = models.CharField(_("tên"), max_length=200)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=100)

    class Meta:
        verbose_name = _("nhóm phân tổ")
        verbose_name_plural = _("nhóm phân tổ")
        ordering = ["combo", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["combo", "code"], name="indicators_option_code_uniq")]

    def __str__(self) -> str:
        return self.name


class DataElement(models.Model):
    code = models.CharField(_("mã"), max_length=50, unique=True, validators=[CODE_VALIDATOR])
    name = models.CharField(_("tên"), max_length=255)
    short_name = models.CharField(_("tên ngắn"), max_length=80, blank=True)
    description = models.TextField(_("mô tả"), blank=True)
    unit = models.CharField(_("đơn vị tính"), max_length=50, blank=True, help_text=_("Ví dụ: tỷ đồng, thuê bao, km."))
    value_type = models.CharField(_("kiểu giá trị"), max_length=20, choices=ValueType.choices, default=ValueType.INTEGER)
    allow_negative = models.BooleanField(_("cho phép số âm"), default=False)
    decimals = models.PositiveSmallIntegerField(_("số chữ số thập phân hiển thị"), default=0)
    aggregation = models.CharField(_("tổng hợp theo đơn vị"), max_length=10, choices=Aggregation.choices, default=Aggregation.SUM)
    time_aggregation = models.CharField(
        _("tổng hợp theo thời gian"),
        max_length=10,
        choices=Aggregation.choices,
        default=Aggregation.SUM,
        help_text=_("Cộng (doanh thu trong kỳ) hay lấy giá trị cuối kỳ (số thuê bao hiện có)."),
    )
    category_combo = models.ForeignKey(
        CategoryCombo, verbose_name=_("phân tổ"), null=True, blank=True, on_delete=models.PROTECT, related_name="elements"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=100)
    outlier_ratio = models.DecimalField(
        _("ngưỡng cảnh báo số bất thường riêng (số lần)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("1.01"))],
        help_text=_("Để trống để dùng ngưỡng của biểu mẫu (mặc định 3: gấp hơn 3 lần hoặc dưới 1/3 kỳ trước)."),
    )

    class Meta:
        verbose_name = _("chỉ tiêu dữ liệu")
        verbose_name_plural = _("chỉ tiêu dữ liệu")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.short_name or self.name


class Indicator(models.Model):
    """A value computed from data elements: `#{SUB_MOBILE} / #{POPULATION} * 100` (see indicators.formula)."""

    code = models.CharField(_("mã"), max_length=50, unique=True, validators=[CODE_VALIDATOR])
    name = models.CharField(_("tên"), max_length=255)
    description = models.TextField(_("mô tả"), blank=True)
    formula = models.TextField(
        _("công thức"),
        help_text=_(
            "Ví dụ: #{SUB_MOBILE} / #{POPULATION} * 100. Hàm: previous(), last_year(), abs(), min(), max(), round(), coalesce()."
        ),
    )
    unit = models.CharField(_("đơn vị tính"), max_length=50, blank=True)
    decimals = models.PositiveSmallIntegerField(_("số chữ số thập phân"), default=1)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=100)

    class Meta:
        verbose_name = _("chỉ số")
        verbose_name_plural = _("chỉ số")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from ..validators import validate_formula

        validate_formula(self.formula, field="formula")
