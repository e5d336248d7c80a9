from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from eprovince.core.form_errors import apply_validation_error
from eprovince.core.forms import VietnameseDateInput

from .constants import MAX_WORKING_DAYS, WEEKDAY_NAMES, CountingMode, DayKind, SupplementMode
from .engine import Session
from .validators import parse_sessions, validate_start


class VietnameseDateTimeInput(forms.DateTimeInput):
    """A text box for 24/01/2025 09:00, whatever the browser's own locale would show."""

    def __init__(self) -> None:
        attrs = {"placeholder": "dd/mm/yyyy hh:mm", "autocomplete": "off", "pattern": r"\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}"}
        super().__init__(attrs=attrs, format="%d/%m/%Y %H:%M")


def _reason_field(required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=_("Lý do"),
        required=required,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ghi vào nhật ký hệ thống, ví dụ số thông báo của Chính phủ."),
    )


class DayForm(forms.Form):
    date = forms.DateField(label=_("Ngày"), widget=VietnameseDateInput())
    kind = forms.ChoiceField(label=_("Loại"), choices=DayKind.choices)
    name = forms.CharField(label=_("Tên"), max_length=200, help_text=_("Ví dụ: Nghỉ bù Quốc khánh, Làm bù cho ngày 02/05/2025."))
    legal_basis = forms.CharField(label=_("Căn cứ"), max_length=300, required=False)
    reason = _reason_field()


class DayEditForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại"), choices=DayKind.choices)
    name = forms.CharField(label=_("Tên"), max_length=200)
    legal_basis = forms.CharField(label=_("Căn cứ"), max_length=300, required=False)
    reason = _reason_field()


class ReasonForm(forms.Form):
    reason = _reason_field()


class PrefillForm(forms.Form):
    reason = _reason_field(required=False)


class YearForm(forms.Form):
    is_published = forms.BooleanField(
        label=_("Đã công bố chính thức"),
        required=False,
        help_text=_("Đánh dấu khi đã đối chiếu lịch năm với thông báo nghỉ lễ, tết của Chính phủ."),
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    legal_basis = forms.CharField(label=_("Căn cứ pháp lý"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reason = _reason_field()


class RuleForm(forms.Form):
    """The deadline rule and the working hours of each weekday ('07:30-11:30, 13:30-17:00'; empty: not worked)."""

    counting_mode = forms.ChoiceField(label=_("Cách tính ngày"), choices=CountingMode.choices)
    after_hours_next_session = forms.BooleanField(label=_("Hồ sơ nhận ngoài giờ tính từ buổi làm việc kế tiếp"), required=False)
    receipt_morning_counts = forms.BooleanField(
        label=_("Hồ sơ nhận trong buổi sáng được tính ngày tiếp nhận là ngày thứ nhất"),
        required=False,
        help_text=_("Chỉ áp dụng khi tính theo ngày làm việc trọn ngày."),
    )
    supplement_mode = forms.ChoiceField(label=_("Khi yêu cầu bổ sung hồ sơ"), choices=SupplementMode.choices)
    legal_basis = forms.CharField(label=_("Căn cứ pháp lý"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for weekday, label in enumerate(WEEKDAY_NAMES):
            self.fields[f"weekday_{weekday}"] = forms.CharField(
                label=label, required=False, help_text=_("Dạng GG:PP-GG:PP, các buổi cách nhau bằng dấu phẩy; để trống nếu nghỉ.")
            )
        self.fields["reason"] = _reason_field()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        week: list[tuple[Session, ...]] = []
        for weekday in range(7):
            field = f"weekday_{weekday}"
            try:
                week.append(parse_sessions(data.get(field, ""), field))
            except ValidationError as exc:
                apply_validation_error(self, exc)
                week.append(())
        if not self.errors and not any(week):
            raise ValidationError(_("Phải có ít nhất một ngày làm việc trong tuần."))
        data["week"] = week
        return data

    @staticmethod
    def initial_for(rule: Any, week: Any) -> dict[str, Any]:
        initial = {
            name: getattr(rule, name)
            for name in ("counting_mode", "after_hours_next_session", "receipt_morning_counts", "supplement_mode", "legal_basis")
        }
        for weekday, sessions in enumerate(week):
            initial[f"weekday_{weekday}"] = ", ".join(f"{s:%H:%M}-{e:%H:%M}" for s, e in sessions)
        return initial


class DueForm(forms.Form):
    """The public deadline calculator."""

    start = forms.DateTimeField(
        label=_("Thời điểm tiếp nhận hồ sơ"),
        widget=VietnameseDateTimeInput(),
        input_formats=["%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    working_days = forms.IntegerField(label=_("Thời hạn giải quyết (ngày làm việc)"), min_value=0, max_value=MAX_WORKING_DAYS)

    def clean_start(self) -> Any:
        start = self.cleaned_data["start"]
        try:
            validate_start(start)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["start"]) from None
        return start
