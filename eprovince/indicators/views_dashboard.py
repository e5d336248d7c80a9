"""The leaders' dashboard (/can-bo/chi-tieu/dieu-hanh/): key indicators against targets, trends, rankings and the
completeness of the rounds under way, for a year and a unit. Read straight from approved values (no cache)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from eprovince.core.models import Organisation

from .dashboard import dashboard, data_years, default_year, unit_choices
from .permissions import can_read_results
from .views import module_required


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:  # type: ignore[override]
        if obj.valid_to is not None:
            return str(_("%(name)s (trước sắp xếp, đến %(day)s)") % {"name": obj.name, "day": obj.valid_to.strftime("%d/%m/%Y")})
        return obj.name


class DashboardFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Năm"), coerce=int, required=False)
    unit = UnitChoiceField(label=_("Đơn vị"), queryset=Organisation.objects.none(), required=False, empty_label=_("Toàn tỉnh"))

    def __init__(self, *args: Any, years: list[int], units: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]  # type: ignore[attr-defined]
        field = self.fields["unit"]
        assert isinstance(field, UnitChoiceField)
        field.queryset = Organisation.objects.filter(pk__in=[u.pk for u in units]).order_by(
            F("valid_to").asc(nulls_first=True), "path"
        )


@module_required
def dashboard_view(request: HttpRequest) -> HttpResponse:
    if not can_read_results(request.user):
        raise PermissionDenied
    year_default = default_year()
    years = sorted(set(data_years()) | {year_default}, reverse=True)
    form = DashboardFilterForm(request.GET or None, years=years, units=unit_choices(), initial={"year": year_default})
    data = form.cleaned_data if form.is_valid() else {}
    year = data.get("year") or year_default
    root = data.get("unit")
    board = dashboard(user=request.user, year=year, root=root)
    return render(request, "indicators/dashboard.html", {"form": form, "board": board, "years": years})
