"""The request form of the annual review: the year, the issuing Department, its symbol for the document number."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eprovince.core.models import Organisation

from .services import FIRST_YEAR


class ReviewRequestForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Năm tổng kết"), coerce=int)
    organisation = forms.ModelChoiceField(label=_("Cơ quan ban hành"), queryset=Organisation.objects.none(), empty_label=None)
    symbol = forms.CharField(
        label=_("Ký hiệu cơ quan trên số văn bản"),
        required=False,
        max_length=20,
        help_text=_("Để trống để lấy theo tên cơ quan (ví dụ Sở Khoa học và Công nghệ → SKHCN): Số: …/BC-SKHCN."),
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        latest = timezone.localdate().year
        self.fields["year"].choices = [(y, str(y)) for y in range(latest, FIRST_YEAR - 1, -1)]  # type: ignore[attr-defined]
        self.fields["year"].initial = latest - 1
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        first = organisations.first()
        if first is not None:
            self.fields["organisation"].initial = first.pk
