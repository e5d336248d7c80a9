"""The leaders' dashboard of on-time statistics and its Excel downloads (the statistics table, the tracking register).
Thin: the filter form parses, statistics.py counts, exports.py writes the workbooks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from eprovince.core.forms import VietnameseDateInput
from eprovince.core.models import Organisation

from . import exports
from .models import Procedure
from .statistics import (
    Row,
    Statistics,
    StatsFilters,
    can_view_statistics,
    current_month,
    dossier_statistics,
    stats_agencies,
    stats_procedures,
    tracking_register,
)

DATE_ERROR = gettext_lazy("Ngày phải viết theo dạng ngày/tháng/năm, ví dụ 31/03/2026.")
EARLIEST = dt.date(2000, 1, 1)


class OrganisationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        depth = obj.path.strip("/").count("/")
        return "\u00a0\u00a0" * depth + str(obj.name)


class ProcedureChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return Truncator(obj.name).chars(90)


class StatsFilterForm(forms.Form):
    tu_ngay = forms.DateField(
        label=gettext_lazy("Từ ngày"), widget=VietnameseDateInput(), error_messages={"invalid": DATE_ERROR,
        "required": gettext_lazy("Vui lòng nhập ngày bắt đầu kỳ thống kê.")},
    )  # fmt: skip
    den_ngay = forms.DateField(
        label=gettext_lazy("Đến ngày"), widget=VietnameseDateInput(), error_messages={"invalid": DATE_ERROR,
        "required": gettext_lazy("Vui lòng nhập ngày kết thúc kỳ thống kê.")},
    )  # fmt: skip
    co_quan = OrganisationChoice(
        label=gettext_lazy("Cơ quan"), required=False, empty_label=gettext_lazy("Tất cả cơ quan"),
        queryset=Organisation.objects.none(),
        error_messages={"invalid_choice": gettext_lazy("Cơ quan này không thuộc phạm vi bạn được xem số liệu.")},
    )  # fmt: skip
    thu_tuc = ProcedureChoice(
        label=gettext_lazy("Thủ tục"), required=False, empty_label=gettext_lazy("Tất cả thủ tục"),
        queryset=Procedure.objects.none(),
        error_messages={"invalid_choice": gettext_lazy("Thủ tục này không thuộc phạm vi bạn được xem số liệu.")},
    )  # fmt: skip

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["co_quan"].queryset = stats_agencies(user)  # type: ignore[attr-defined]
        self.fields["thu_tuc"].queryset = stats_procedures(user)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("tu_ngay"), data.get("den_ngay")
        for key, day in (("tu_ngay", start), ("den_ngay", end)):
            if day is not None and not EARLIEST <= day <= dt.date(2100, 12, 31):
                self.add_error(key, _("Ngày phải từ năm 2000 đến năm 2100."))
        if start and end and end < start:
            self.add_error("den_ngay", _("“Đến ngày” phải sau hoặc bằng “Từ ngày”."))
        return data

    def filters(self) -> StatsFilters:
        data = self.cleaned_data
        return StatsFilters(start=data["tu_ngay"], end=data["den_ngay"], agency=data.get("co_quan"),
                            procedure=data.get("thu_tuc"))  # fmt: skip


def _form(request: HttpRequest) -> StatsFilterForm:
    if not can_view_statistics(request.user):
        raise PermissionDenied
    if any(key in request.GET for key in StatsFilterForm.base_fields):
        return StatsFilterForm(request.GET, user=request.user)
    start, end = current_month()
    return StatsFilterForm({"tu_ngay": f"{start:%d/%m/%Y}", "den_ngay": f"{end:%d/%m/%Y}"}, user=request.user)


# --- Bar charts (server-rendered SVG) --------------------------------------------------------------------------------

SERIES: tuple[tuple[str, Any], ...] = (
    ("early", gettext_lazy("Trước hạn")),
    ("on_time", gettext_lazy("Đúng hạn")),
    ("late", pgettext_lazy("thống kê: giải quyết quá hạn", "Quá hạn")),
)
CHART_ROWS = 12


@dataclass(frozen=True)
class Segment:
    key: str
    name: str
    value: int
    x: float
    width: float


@dataclass(frozen=True)
class Bar:
    label: str
    full_label: str
    y: float
    segments: list[Segment]
    finished: int
    rate: Any
    text_x: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    label_width: int
    bar_height: int
    bars: list[Bar]
    legend: list[tuple[str, Any, int]]


def stacked_bars(rows: list[Row], *, width: int = 760, label_width: int = 250, bar_height: int = 24) -> Chart | None:
    """Horizontal bars, one per row (the `CHART_ROWS` with most finished dossiers), split into early, on time and
    late, on a common scale. None when nothing was finished."""
    shown = sorted((r for r in rows if r.finished), key=lambda r: (-r.finished, r.label))[:CHART_ROWS]
    if not shown:
        return None
    scale = (width - label_width - 110) / max(r.finished for r in shown)
    gap, top = 14, 34
    bars = []
    for i, row in enumerate(shown):
        x = float(label_width)
        segments = []
        for key, name in SERIES:
            value = getattr(row, key)
            segments.append(Segment(key, str(name), value, x, value * scale))
            x += value * scale
        bars.append(Bar(Truncator(row.label).chars(38), row.label, top + i * (bar_height + gap), segments, row.finished,
                        row.on_time_rate, x + 6))  # fmt: skip
    legend = [(key, name, 8 + i * 140) for i, (key, name) in enumerate(SERIES)]
    return Chart(width, top + len(shown) * (bar_height + gap), label_width, bar_height, bars, legend)


# --- Pages -----------------------------------------------------------------------------------------------------------


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    stats: Statistics | None = None
    if form.is_valid():
        stats = dossier_statistics(request.user, form.filters())
    context = {
        "form": form, "stats": stats, "query": request.GET.urlencode() if form.is_bound and request.GET else "",
        "procedure_chart": stacked_bars(stats.by_procedure) if stats else None,
        "agency_chart": stacked_bars(stats.by_agency) if stats else None,
    }  # fmt: skip
    return render(request, "onestop/stats/dashboard.html", context, status=200 if stats else 400)


def _invalid(request: HttpRequest, form: StatsFilterForm) -> HttpResponse:
    context = {"form": form, "stats": None, "query": ""}
    return render(request, "onestop/stats/dashboard.html", context, status=400)


@login_required
def statistics_export(request: HttpRequest) -> HttpResponseBase:
    form = _form(request)
    if not form.is_valid():
        return _invalid(request, form)
    stats = dossier_statistics(request.user, form.filters())
    return exports.xlsx_response(exports.statistics_workbook(stats), *exports.file_names(_("Thống kê hồ sơ"), stats.filters))


@login_required
def register_export(request: HttpRequest) -> HttpResponseBase:
    form = _form(request)
    if not form.is_valid():
        return _invalid(request, form)
    filters = form.filters()
    workbook = exports.register_workbook(tracking_register(request.user, filters), filters)
    return exports.xlsx_response(workbook, *exports.file_names(_("Sổ theo dõi hồ sơ"), filters))
