"""Web forms of the indicators workspace: they parse and check input; the services do the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from eprovince.core.models import Organisation

from .models import IndexFramework, ReportForm
from .periods import Period, PeriodError
from .selectors import EntryRow
from .services.values import ValueEntry


class PeriodField(forms.CharField):
    default_error_messages = {"invalid": _("Mã kỳ không hợp lệ.")}

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
            raise forms.ValidationError(str(exc)) from exc


class RoundOpenForm(forms.Form):
    form = forms.ModelChoiceField(label=_("Biểu mẫu"), queryset=ReportForm.objects.none())
    period = PeriodField(label=_("Kỳ báo cáo"))

    def __init__(self, *args: Any, forms_qs: QuerySet[ReportForm], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["form"].queryset = forms_qs  # type: ignore[attr-defined]


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
