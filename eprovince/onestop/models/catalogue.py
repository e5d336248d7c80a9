"""The procedure catalogue (danh mục thủ tục hành chính): fields, procedures, required documents and form fields.

All of it is data an administrator edits; nothing here is specific to one procedure."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from eprovince.core.models import Organisation

from ..constants import FormFieldPrefill, FormFieldType, LegacyLevel, OnlineLevel, ResultType

FORM_KEY_VALIDATOR = RegexValidator(
    r"^[a-z][a-z0-9_]{0,49}$",
    _("Mã trường chỉ gồm chữ thường không dấu, chữ số và dấu gạch dưới, bắt đầu bằng một chữ cái."),
    code="invalid_key",
)


class Field(models.Model):
    """A field of administrative procedures (lĩnh vực): Bưu chính, Viễn thông, Xuất bản…"""

    code = models.SlugField(_("mã lĩnh vực"), max_length=60, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=200)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=100)
    is_active = models.BooleanField(_("đang sử dụng"), default=True)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Procedure(models.Model):
    """An administrative procedure (thủ tục hành chính) and what it takes: documents, fee, time, its process."""

    national_code = models.CharField(
        _("mã thủ tục"), max_length=30, unique=True, help_text=_("Mã trên Cơ sở dữ liệu quốc gia về thủ tục hành chính.")
    )
    name = models.CharField(_("tên thủ tục"), max_length=500)
    field = models.ForeignKey(Field, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="procedures")
    receiving_agency = models.ForeignKey(
        Organisation, verbose_name=_("cơ quan tiếp nhận"), on_delete=models.PROTECT, related_name="+"
    )
    handling_agency = models.ForeignKey(
        Organisation, verbose_name=_("cơ quan giải quyết"), on_delete=models.PROTECT, related_name="+"
    )
    online_level = models.CharField(_("mức độ dịch vụ công trực tuyến"), max_length=10, choices=OnlineLevel.choices)
    legacy_level = models.PositiveSmallIntegerField(
        _("mức độ cũ (1-4)"), choices=LegacyLevel.choices, null=True, blank=True,
        help_text=_("Mức độ theo quy định trước Nghị định 42/2022/NĐ-CP, dùng cho thống kê lịch sử."),
    )  # fmt: skip
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    description = models.TextField(_("trình tự, điều kiện thực hiện"), blank=True)
    fee = models.PositiveBigIntegerField(_("phí, lệ phí (đồng)"), default=0)
    fee_description = models.CharField(_("mô tả phí, lệ phí"), max_length=500, blank=True)
    processing_days = models.PositiveSmallIntegerField(
        _("thời hạn giải quyết (ngày làm việc)"), validators=[MaxValueValidator(1000)]
    )
    result_type = models.CharField(_("loại kết quả"), max_length=20, choices=ResultType.choices)
    result_name = models.CharField(_("tên kết quả"), max_length=300, blank=True)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)
    # Lower-case, without diacritics: what the catalogue search compares against (name and code).
    search_name = models.CharField(max_length=600, editable=False, db_index=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["field__order", "name"]
        indexes = [models.Index(fields=["is_active", "field"])]

    def __str__(self) -> str:
        return self.name

    @property
    def accepts_online(self) -> bool:
        return self.online_level == OnlineLevel.FULL or (self.legacy_level or 0) >= LegacyLevel.LEVEL_3


class RequiredDocument(models.Model):
    """One component of the dossier (thành phần hồ sơ)."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="documents")
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    is_required = models.BooleanField(_("bắt buộc"), default=True)
    copies = models.PositiveSmallIntegerField(_("số bản"), default=1, validators=[MaxValueValidator(20)])
    note = models.CharField(_("ghi chú"), max_length=300, blank=True, help_text=_("Ví dụ: bản chính, bản sao có chứng thực."))
    template = models.FileField(_("mẫu đơn, tờ khai"), upload_to="onestop/mau/", blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=100)

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class FormField(models.Model):
    """A field of the application form (tờ khai). Answers are kept in Dossier.form_data under `key`."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="form_fields")
    key = models.CharField(_("mã trường"), max_length=50, validators=[FORM_KEY_VALIDATOR])
    label = models.CharField(_("nhãn"), max_length=300)
    field_type = models.CharField(_("kiểu dữ liệu"), max_length=10, choices=FormFieldType.choices)
    required = models.BooleanField(_("bắt buộc"), default=True)
    choices = models.JSONField(_("các lựa chọn"), default=list, blank=True, help_text=_("Chỉ dùng cho kiểu lựa chọn."))
    help_text = models.CharField(_("hướng dẫn"), max_length=300, blank=True)
    group = models.CharField(
        _("nhóm"), max_length=120, blank=True,
        help_text=_("Các trường cùng nhóm hiện trên cùng một trang khi nộp trực tuyến, ví dụ “Thông tin doanh nghiệp”."),
    )  # fmt: skip
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=100)
    # Constraints on the answer, checked in the browser (HTML attributes) and on the server (validators.py) alike.
    min_value = models.DecimalField(
        _("giá trị nhỏ nhất"), max_digits=19, decimal_places=4, null=True, blank=True, help_text=_("Chỉ cho kiểu số.")
    )
    max_value = models.DecimalField(
        _("giá trị lớn nhất"), max_digits=19, decimal_places=4, null=True, blank=True, help_text=_("Chỉ cho kiểu số.")
    )
    min_length = models.PositiveSmallIntegerField(
        _("số ký tự tối thiểu"), null=True, blank=True, help_text=_("Chỉ cho kiểu văn bản.")
    )
    max_length = models.PositiveSmallIntegerField(
        _("số ký tự tối đa"), null=True, blank=True, validators=[MaxValueValidator(2000)],
        help_text=_("Chỉ cho kiểu văn bản; không quá 2000."),
    )  # fmt: skip
    pattern = models.CharField(
        _("mẫu định dạng"), max_length=200, blank=True,
        help_text=_("Chỉ cho kiểu văn bản: biểu thức chính quy mà cả câu trả lời phải khớp, ví dụ [0-9]{10}."),
    )  # fmt: skip
    pattern_message = models.CharField(
        _("thông báo khi sai định dạng"), max_length=200, blank=True,
        help_text=_("Ví dụ: “Nhập đúng 10 chữ số.”"),
    )  # fmt: skip
    min_date = models.DateField(_("ngày sớm nhất"), null=True, blank=True, help_text=_("Chỉ cho kiểu ngày."))
    max_date = models.DateField(_("ngày muộn nhất"), null=True, blank=True, help_text=_("Chỉ cho kiểu ngày."))
    prefill = models.CharField(
        _("điền sẵn từ tài khoản"), max_length=20, choices=FormFieldPrefill.choices, blank=True,
        help_text=_("Khi người nộp bắt đầu hồ sơ: tên doanh nghiệp (hoặc họ tên công dân), mã số doanh nghiệp."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("trường tờ khai")
        verbose_name_plural = _("trường tờ khai")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "key"],
                name="onestop_formfield_key_uniq",
                violation_error_message=_("Thủ tục đã có một trường với mã này."),
            )
        ]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        super().clean()
        choices: Any = self.choices
        if self.field_type == FormFieldType.CHOICE:
            if not isinstance(choices, list) or not choices or not all(isinstance(c, str) and c.strip() for c in choices):
                raise ValidationError({"choices": _("Trường lựa chọn cần ít nhất một lựa chọn.")})
            if len(set(choices)) != len(choices):
                raise ValidationError({"choices": _("Các lựa chọn không được trùng nhau.")})
        elif choices:
            raise ValidationError({"choices": _("Chỉ trường kiểu lựa chọn mới có danh sách lựa chọn.")})
        self._clean_constraints()

    def _clean_constraints(self) -> None:
        """The constraints fit the type and each other: min ≤ max, the pattern compiles."""
        errors: dict[str, Any] = {}
        allowed = {
            FormFieldType.NUMBER: {"min_value", "max_value"},
            FormFieldType.TEXT: {"min_length", "max_length", "pattern", "pattern_message"},
            FormFieldType.DATE: {"min_date", "max_date"},
        }.get(self.field_type, set())  # type: ignore[call-overload]
        for name in CONSTRAINT_FIELDS:
            if getattr(self, name) not in (None, "") and name not in allowed:
                errors[name] = _("Kiểu dữ liệu này không dùng ràng buộc này.")
        pairs = (
            ("min_value", "max_value", _("Giá trị nhỏ nhất không được lớn hơn giá trị lớn nhất.")),
            ("min_length", "max_length", _("Số ký tự tối thiểu không được lớn hơn số ký tự tối đa.")),
            ("min_date", "max_date", _("Ngày sớm nhất không được sau ngày muộn nhất.")),
        )
        for low, high, message in pairs:
            a, b = getattr(self, low), getattr(self, high)
            if a is not None and b is not None and a > b and low not in errors:
                errors[low] = message
        if self.pattern and "pattern" not in errors:
            try:
                re.compile(self.pattern)
            except re.error:
                errors["pattern"] = _("Mẫu định dạng không phải là biểu thức chính quy hợp lệ.")
        if self.prefill and self.field_type != FormFieldType.TEXT:
            errors["prefill"] = _("Chỉ trường kiểu văn bản mới được điền sẵn.")
        if self.pattern_message and not self.pattern and "pattern_message" not in errors:
            errors["pattern_message"] = _("Chỉ cần thông báo khi có mẫu định dạng.")
        if errors:
            raise ValidationError(errors)


CONSTRAINT_FIELDS = (
    "min_value", "max_value", "min_length", "max_length", "pattern", "pattern_message", "min_date", "max_date",
)  # fmt: skip
