"""The process of a procedure as data: ordered steps and the actions leading from one step to another.

workflow.py interprets it for every procedure; see its docstring for what each flag does."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from eprovince.core.constants import Role
from eprovince.core.models import Organisation

from ..constants import FINAL_ACTION_STATUSES, PROCESS_ROLES, ActionCode, StepKind
from .catalogue import Procedure

_PROCESS_ROLE_CHOICES = [(r.value, r.label) for r in Role if r.value in PROCESS_ROLES]


class ProcessStep(models.Model):
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    code = models.SlugField(_("mã bước"), max_length=40)
    name = models.CharField(_("tên bước"), max_length=200)
    kind = models.CharField(_("loại bước"), max_length=20, choices=StepKind.choices)
    role = models.CharField(_("vai trò thực hiện"), max_length=30, choices=_PROCESS_ROLE_CHOICES)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("đơn vị thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Để trống: cơ quan giải quyết của thủ tục."),
    )
    duration_days = models.PositiveSmallIntegerField(
        _("thời gian (ngày làm việc)"), default=0, validators=[MaxValueValidator(1000)]
    )

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("bước xử lý")
        ordering = ["procedure", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "code"], name="onestop_step_code_uniq",
                violation_error_message=_("Quy trình đã có một bước với mã này."),
            ),
            models.UniqueConstraint(
                fields=["procedure", "order"], name="onestop_step_order_uniq",
                violation_error_message=_("Quy trình đã có một bước với thứ tự này."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"

    @property
    def effective_organisation_id(self) -> int:
        return self.organisation_id or self.procedure.handling_agency_id


class ProcessAction(models.Model):
    """A transition: from a step (or from any step when `from_step` is empty) to a step, or ending the dossier."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="actions")
    from_step = models.ForeignKey(
        ProcessStep,
        verbose_name=_("từ bước"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="actions_out",
        help_text=_("Để trống: thực hiện được ở mọi bước (ví dụ rút hồ sơ)."),
    )
    to_step = models.ForeignKey(
        ProcessStep, verbose_name=_("đến bước"), null=True, blank=True, on_delete=models.CASCADE, related_name="actions_in"
    )
    final_status = models.CharField(
        _("kết thúc hồ sơ với trạng thái"), max_length=20, choices=FINAL_ACTION_STATUSES, blank=True, default=""
    )
    code = models.CharField(_("mã thao tác"), max_length=30, choices=ActionCode.choices)
    label = models.CharField(_("nhãn nút"), max_length=120)
    allowed_role = models.CharField(_("vai trò được thực hiện"), max_length=30, choices=_PROCESS_ROLE_CHOICES)
    requires_reason = models.BooleanField(_("bắt buộc nêu lý do"), default=False)
    requires_file = models.BooleanField(_("bắt buộc đính kèm tệp"), default=False)
    starts_clock = models.BooleanField(
        _("tiếp nhận hồ sơ (bắt đầu tính thời hạn)"), default=False,
        help_text=_("Thời hạn giải quyết được tính từ lúc thực hiện thao tác này, nếu chưa bắt đầu."),
    )  # fmt: skip
    pauses_clock = models.BooleanField(_("tạm dừng thời hạn (chờ bổ sung)"), default=False)
    resumes_clock = models.BooleanField(
        _("tiếp tục thời hạn (đã nhận bổ sung)"), default=False,
        help_text=_("Chỉ thực hiện được khi hồ sơ đang tạm dừng chờ bổ sung."),
    )  # fmt: skip
    requires_payment = models.BooleanField(
        _("chỉ thực hiện khi đã nộp phí, lệ phí"), default=False,
        help_text=_("Hồ sơ có phí, lệ phí chưa được xác nhận đã nộp thì không thực hiện được thao tác này."),
    )  # fmt: skip
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=100)

    class Meta:
        verbose_name = _("thao tác xử lý")
        verbose_name_plural = _("thao tác xử lý")
        ordering = ["procedure", "from_step__order", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_step", "code"], name="onestop_action_step_code_uniq",
                violation_error_message=_("Bước này đã có một thao tác với mã này."),
            ),
            models.UniqueConstraint(
                fields=["procedure", "code"], condition=Q(from_step__isnull=True), name="onestop_action_any_code_uniq",
                violation_error_message=_("Quy trình đã có một thao tác áp dụng mọi bước với mã này."),
            ),
            models.CheckConstraint(
                condition=(Q(final_status="") & Q(to_step__isnull=False)) | (~Q(final_status="") & Q(to_step__isnull=True)),
                name="onestop_action_target_xor_final",
                violation_error_message=_("Thao tác phải hoặc chuyển đến một bước, hoặc kết thúc hồ sơ (không cả hai)."),
            ),
            models.CheckConstraint(
                condition=~(Q(pauses_clock=True) & Q(resumes_clock=True)),
                name="onestop_action_pause_xor_resume",
                violation_error_message=_("Một thao tác không thể vừa tạm dừng vừa tiếp tục thời hạn."),
            ),
            models.CheckConstraint(
                condition=Q(final_status="") | (Q(pauses_clock=False) & Q(starts_clock=False)),
                name="onestop_action_final_no_clock",
                violation_error_message=_("Thao tác kết thúc hồ sơ không thể tạm dừng hay bắt đầu tính thời hạn."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.label

    @property
    def is_final(self) -> bool:
        return bool(self.final_status)

    def clean(self) -> None:
        super().clean()
        for name in ("from_step", "to_step"):
            step = getattr(self, name)
            if step is not None and self.procedure_id is not None and step.procedure_id != self.procedure_id:
                raise ValidationError({name: _("Bước phải thuộc quy trình của thủ tục này.")})
