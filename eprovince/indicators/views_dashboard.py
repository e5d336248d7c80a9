"""The leaders' dashboard (/can-bo/chi-tieu/dieu-hanh/): key indicators against targets, trends, rankings and the
completeness of the rounds under way, for a year and a unit. Read straight from approved values (no cache).

The unit picker scales to thousands of organisations: a short select of the units that matter most
(dashboard.unit_picker) and a search by name, diacritics ignored, former units included
(/can-bo/chi-tieu/dieu-hanh/tim-don-vi/): htmx fills the result list in place, and without JavaScript the same
form opens the results as a page. The chosen unit stays in the address (?unit=<id>)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.vary import vary_on_headers

from eprovince.core.models import Organisation

from . import selectors
from .dashboard import UnitPicker, dashboard, data_years, default_year, unit_label, unit_picker
from .permissions import can_read_results
from .views import module_required


class DashboardFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Năm"), coerce=int, required=False)
    unit = forms.TypedChoiceField(
        label=_("Đơn vị"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("Không có đơn vị này trong danh sách được xem; đang hiện số liệu toàn tỉnh.")},
    )

    def __init__(self, *args: Any, years: list[int], picker: UnitPicker, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [  # type: ignore[attr-defined]
            (y, _("%(year)s (năm chưa kết thúc)") % {"year": y} if y >= this_year else str(y)) for y in years
        ]
        self.fields["unit"].choices = picker.choices  # type: ignore[attr-defined]


def _year(value: str | None) -> int | None:
    """A year from the address, kept on the search's links (checked loosely: the dashboard checks it again)."""
    return int(value) if value and value.isdigit() and len(value) == 4 else None


def dashboard_url(*, year: int | None, unit: Organisation | None = None) -> str:
    query = {key: value for key, value in (("year", year), ("unit", unit.pk if unit else None)) if value is not None}
    return reverse("indicators:dashboard") + ("?" + urlencode(query) if query else "")


@module_required
def dashboard_view(request: HttpRequest) -> HttpResponse:
    if not can_read_results(request.user):
        raise PermissionDenied
    year_default = default_year()
    years = sorted(set(data_years()) | {year_default}, reverse=True)
    chosen = selectors.dashboard_unit(request.user, request.GET.get("unit"))  # None when absent, forged or not allowed
    picker = unit_picker(request.user, chosen)
    form = DashboardFilterForm(request.GET or None, years=years, picker=picker, initial={"year": year_default})
    form.is_valid()
    data = getattr(form, "cleaned_data", {})  # each field that is valid counts on its own
    year = data.get("year") or year_default
    root = chosen if chosen is not None and data.get("unit") == chosen.pk else None
    board = dashboard(user=request.user, year=year, root=root)
    return render(
        request,
        "indicators/dashboard.html",
        {"form": form, "board": board, "years": years, "search": selectors.UnitSearch(query="")},
    )


@module_required
@vary_on_headers("HX-Request")
def dashboard_unit_search(request: HttpRequest) -> HttpResponse:
    """Units found by name: the result list alone for htmx, a page of its own otherwise. Each links to the
    dashboard for that unit and the year being looked at."""
    if not can_read_results(request.user):
        raise PermissionDenied
    year = _year(request.GET.get("year"))
    search = selectors.dashboard_unit_search(request.user, request.GET.get("q", ""))
    results = [(org, unit_label(org), dashboard_url(year=year, unit=org)) for org in search.units]
    context = {
        "search": search,
        "results": results,
        "year": year,
        "min_chars": selectors.UNIT_SEARCH_MIN_CHARS,
        "back_url": dashboard_url(year=year),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "indicators/_dash_unit_results.html", {**context, "oob": True})
    return render(request, "indicators/dashboard_units.html", {**context, "prompt": True})
