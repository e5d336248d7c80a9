"""Web forms of the indicators workspace: they parse and check input; the services do the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eprovince.core.models import Organisation

from .constants import PeriodType
from .models import IndexFramework, ReportForm
from .periods import Period, PeriodError, periods_of_year
from .selectors import EntryRow
from .services.values import ValueEntry


class PeriodField(forms.CharField):
    default_error_messages = {
        "invalid": _("Kỳ không hợp lệ: hãy ghi theo mẫu 2024 (năm), 2024S1 (6 tháng), 2024N9, 2024Q1 hoặc 202403."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("help_text", _("Ví dụ: 2024 (năm), 2024S1 (6 tháng đầu năm), 2024N9 (9 tháng), 2024Q1, 202403."))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Period | None:  # type: ignore[override]
        text = super().clean(value)
        if not text:
            return None
        try:
            return Period.parse(text)
        except PeriodError as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc


# How many years back the round-opening picker offers (this year and the previous ones).
ROUND_YEARS_BACK = 3
_TYPE_ORDER = (PeriodType.YEAR, PeriodType.SIX_MONTHS, PeriodType.NINE_MONTHS, PeriodType.QUARTER, PeriodType.MONTH)


class FormSelect(forms.Select):
    """The report form select: each option says its period type (data-period-type), so the period select can offer
    only the periods of that type (indicators/round-open.js); the server checks it again."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.period_types: dict[str, str] = {}

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        period_type = self.period_types.get(str(getattr(value, "value", value)))
        if period_type:
            option["attrs"]["data-period-type"] = period_type
        return option


class PeriodSelect(forms.Select):
    """The period select: periods in words ("6 tháng đầu năm 2024"), grouped by type, each option naming its type."""

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        if value:
            option["attrs"]["data-period-type"] = Period.parse(str(value)).type
        return option


def period_choices(today: Any = None, years_back: int = ROUND_YEARS_BACK) -> list[tuple[Any, Any]]:
    """The periods a round can be opened for, in words, grouped by type: this year and `years_back` before it,
    the latest first."""
    year = (today or timezone.localdate()).year
    years = range(year, year - years_back - 1, -1)
    groups: list[tuple[Any, Any]] = [("", _("— Chọn kỳ báo cáo —"))]
    for kind in _TYPE_ORDER:
        periods = [p for y in years for p in reversed(periods_of_year(y, kind))]
        groups.append((PeriodType(kind).label, [(p.id, p.label) for p in periods]))
    return groups


class RoundOpenForm(forms.Form):
    form = forms.ModelChoiceField(
        label=_("Biểu mẫu"),
        queryset=ReportForm.objects.none(),
        empty_label=_("— Chọn biểu mẫu —"),
        widget=FormSelect,
        error_messages={
            "required": _("Hãy chọn biểu mẫu cần mở đợt báo cáo."),
            "invalid_choice": _("Biểu mẫu đã chọn không có trong danh sách; hãy chọn lại."),
        },
    )
    period = forms.ChoiceField(
        label=_("Kỳ báo cáo"),
        widget=PeriodSelect(attrs={"data-round-period": ""}),
        help_text=_("Chỉ hiện các kỳ đúng loại kỳ của biểu mẫu đã chọn (năm, 6 tháng, 9 tháng, quý hoặc tháng)."),
        error_messages={
            "required": _("Hãy chọn kỳ báo cáo."),
            "invalid_choice": _("Kỳ báo cáo không hợp lệ: hãy chọn một kỳ trong danh sách."),
        },
    )

    def __init__(self, *args: Any, forms_qs: QuerySet[ReportForm], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["form"].queryset = forms_qs  # type: ignore[attr-defined]
        self.fields["form"].widget.period_types = {str(f.pk): f.period_type for f in forms_qs}  # type: ignore[attr-defined]
        self.fields["form"].widget.attrs["data-round-form"] = ""
        self.fields["period"].choices = period_choices()  # type: ignore[attr-defined]

    def clean_period(self) -> Period:
        return Period.parse(self.cleaned_data["period"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        form, period = data.get("form"), data.get("period")
        if form is not None and period is not None and period.type != form.period_type:
            self.add_error(
                "period",
                _("Biểu mẫu “%(form)s” báo cáo theo kỳ %(type)s: hãy chọn một kỳ %(type)s.")
                % {"form": form.name, "type": str(form.get_period_type_display()).lower()},
            )
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class ResultsFilterForm(forms.Form):
    period = PeriodField(label=_("Kỳ"), required=False)
    organisation = forms.ModelChoiceField(
        label=_("Phạm vi"), queryset=Organisation.objects.none(), required=False, empty_label=_("Toàn tỉnh")
    )
    index = forms.ModelChoiceField(label=_("Bộ chỉ số"), queryset=IndexFramework.objects.none(), required=False, empty_label=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            kind__in=["peoples_committee", "department"]
        ).order_by("path")
        self.fields["index"].queryset = IndexFramework.objects.order_by("code", "-year")  # type: ignore[attr-defined]


class EntryForm(forms.Form):
    """One text box per cell (typed the Vietnamese way: 4.020 or 252,1) and one for its comment."""

    def __init__(self, *args: Any, rows: list[EntryRow], **kwargs: Any) -> None:
        from .results import format_number

        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            label = row.element.label + (f" – {row.option.name}" if row.option else "")
            initial = "" if row.value is None else format_number(row.value, _places(row.value))
            self.fields[row.field] = forms.CharField(
                label=label,
                required=False,
                max_length=40,
                initial=initial,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "class": "value-input"}),
            )
            self.fields[row.comment_field] = forms.CharField(
                label=_("Ghi chú: %(label)s") % {"label": label},
                required=False,
                max_length=1000,
                initial=row.comment,
                widget=forms.TextInput(attrs={"autocomplete": "off", "class": "comment-input"}),
            )

    def entries(self) -> list[ValueEntry]:
        return [
            ValueEntry(
                element=row.element,
                option=row.option,
                raw=self.cleaned_data.get(row.field, ""),
                comment=self.cleaned_data.get(row.comment_field, ""),
                key=row.field,
            )
            for row in self.rows
        ]

    def cells(self) -> list[tuple[EntryRow, forms.BoundField, forms.BoundField]]:
        return [(row, self[row.field], self[row.comment_field]) for row in self.rows]


def _places(value: Any) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0
