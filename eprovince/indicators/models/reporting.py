"""Report forms (data sets), their validation rules, reporting rounds and each unit's submission in a round."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from eprovince.core.models import Organisation

from ..constants import Operator, PeriodConvention, PeriodType, RoundStatus, Severity, SubmissionStatus
from ..periods import Period
from .catalogue import CODE_VALIDATOR, OUTLIER_RATIO_DEFAULT, DataElement


class ReportForm(models.Model):
    code = models.CharField(_("mã"), max_length=50, unique=True, validators=[CODE_VALIDATOR])
    name = models.CharField(_("tên biểu mẫu"), max_length=255)
    description = models.TextField(_("mô tả"), blank=True)
    owner = models.ForeignKey(
        Organisation,
        verbose_name=_("đơn vị tiếp nhận, tổng hợp"),
        on_delete=models.PROTECT,
        related_name="owned_indicator_forms",
        help_text=_("Phòng, đơn vị của Sở duyệt các báo cáo của biểu mẫu này."),
    )
    period_type = models.CharField(_("kỳ báo cáo"), max_length=20, choices=PeriodType.choices)
    convention = models.CharField(
        _("cách tính kỳ"), max_length=20, choices=PeriodConvention.choices, default=PeriodConvention.DECREE_09
    )
    deadline_days = models.PositiveSmallIntegerField(
        _("hạn nộp (số ngày sau khi kết thúc kỳ)"), default=5, help_text=_("0: hạn nộp là ngày cuối kỳ.")
    )
    change_comment_threshold = models.DecimalField(
        _("ngưỡng thay đổi cần giải trình (%)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Giá trị thay đổi quá ngưỡng này so với cùng kỳ năm trước phải có ghi chú giải trình."),
    )
    outlier_ratio = models.DecimalField(
        _("ngưỡng cảnh báo số bất thường (số lần)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        default=OUTLIER_RATIO_DEFAULT,
        validators=[MinValueValidator(Decimal("1.01"))],
        help_text=_(
            "Cảnh báo (không chặn nộp) khi giá trị kỳ này gấp hơn ngần ấy lần, hoặc chỉ bằng dưới một phần ngần ấy, "
            "giá trị đã phê duyệt của kỳ trước. Ví dụ 3: gấp hơn 3 lần hoặc dưới 1/3. Để trống để không cảnh báo."
        ),
    )
    elements = models.ManyToManyField(DataElement, through="ReportFormElement", related_name="forms", verbose_name=_("chỉ tiêu"))
    organisations = models.ManyToManyField(
        Organisation, related_name="indicator_forms", verbose_name=_("đơn vị báo cáo"), blank=True
    )
    active = models.BooleanField(_("đang sử dụng"), default=True)

    class Meta:
        verbose_name = _("biểu mẫu báo cáo")
        verbose_name_plural = _("biểu mẫu báo cáo")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def deadline_for(self, period: Period) -> dt.date:
        return period.end(self.convention) + dt.timedelta(days=self.deadline_days)


class ReportFormElement(models.Model):
    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="form_elements")
    element = models.ForeignKey(DataElement, on_delete=models.PROTECT, related_name="form_entries")
    section = models.CharField(_("nhóm"), max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=100)

    class Meta:
        verbose_name = _("chỉ tiêu của biểu mẫu")
        verbose_name_plural = _("chỉ tiêu của biểu mẫu")
        ordering = ["form", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["form", "element"], name="indicators_form_element_uniq")]

    def __str__(self) -> str:
        return f"{self.form.code}: {self.element.code}"


class ValidationRule(models.Model):
    """`left operator right`, both sides formulas over the form's elements, checked whenever values are saved."""

    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="rules", verbose_name=_("biểu mẫu"))
    name = models.CharField(_("tên quy tắc"), max_length=200)
    left = models.TextField(_("vế trái"))
    operator = models.CharField(_("phép so sánh"), max_length=2, choices=Operator.choices)
    right = models.TextField(_("vế phải"))
    severity = models.CharField(_("mức độ"), max_length=10, choices=Severity.choices, default=Severity.ERROR)
    message = models.CharField(_("thông báo khi vi phạm"), max_length=300)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=100)

    class Meta:
        verbose_name = _("quy tắc kiểm tra")
        verbose_name_plural = _("quy tắc kiểm tra")
        ordering = ["form", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.left} {self.operator} {self.right}"

    def clean(self) -> None:
        from ..validators import validate_formula

        validate_formula(self.left, field="left")
        validate_formula(self.right, field="right")


class ReportingRound(models.Model):
    """One period of one form, opened by the Department: the units of the form report in it."""

    form = models.ForeignKey(ReportForm, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("biểu mẫu"))
    period = models.CharField(_("kỳ báo cáo"), max_length=10)
    opens_on = models.DateField(_("mở nhập từ ngày"))
    deadline = models.DateField(_("hạn nộp"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("đợt báo cáo")
        verbose_name_plural = _("đợt báo cáo")
        ordering = ["-deadline", "form__code"]
        constraints = [models.UniqueConstraint(fields=["form", "period"], name="indicators_round_form_period_uniq")]

    def __str__(self) -> str:
        return f"{self.form.name} – {self.period_obj.label}"

    @property
    def period_obj(self) -> Period:
        return Period.parse(self.period)


class Submission(models.Model):
    """A unit's report in a round: draft → submitted → returned (with a comment) or approved (locks the values)."""

    round = models.ForeignKey(ReportingRound, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("đợt"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="indicator_submissions", verbose_name=_("đơn vị báo cáo")
    )
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT, db_index=True
    )
    first_submitted_at = models.DateTimeField(_("nộp lần đầu lúc"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    returned_at = models.DateTimeField(_("trả lại lúc"), null=True, blank=True)
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    return_comment = models.TextField(_("lý do trả lại"), blank=True)
    approved_at = models.DateTimeField(_("phê duyệt lúc"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reopened_at = models.DateTimeField(_("mở lại lúc"), null=True, blank=True)
    reopened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reopen_reason = models.TextField(_("lý do mở lại"), blank=True)
    reopen_requested_at = models.DateTimeField(_("đề nghị mở lại lúc"), null=True, blank=True)
    reopen_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reopen_request_reason = models.TextField(_("lý do đề nghị mở lại"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("báo cáo của đơn vị")
        verbose_name_plural = _("báo cáo của đơn vị")
        ordering = ["round", "organisation__path"]
        constraints = [models.UniqueConstraint(fields=["round", "organisation"], name="indicators_submission_uniq")]
        indexes = [
            # The reports not approved yet (the open rounds'): analytics.APPROVED excludes their values by probing
            # this small set instead of joining every report.
            models.Index(fields=["id"], condition=~models.Q(status="approved"), name="indicators_sub_unapproved_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.round}"

    @property
    def is_locked(self) -> bool:
        return self.status == SubmissionStatus.APPROVED

    @property
    def is_editable(self) -> bool:
        return self.status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)

    @property
    def is_received(self) -> bool:
        return self.first_submitted_at is not None

    @property
    def on_time(self) -> bool | None:
        """Submitted (the first time) by the round's deadline; None until it is submitted."""
        if self.first_submitted_at is None:
            return None
        from django.utils import timezone

        return timezone.localdate(self.first_submitted_at) <= self.round.deadline
