"""The pivot view (/can-bo/chi-tieu/tong-hop/): choose rows and columns among indicator, unit and period, filter
indicators, units (former units included), period type and years; read it on the page or download it as Excel.
The database does the sums (pivot.pivot: one query), straight from approved values."""

from __future__ import annotations

import io
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eprovince.core import spreadsheets
from eprovince.core.http import content_disposition
from eprovince.core.text import fold

from .constants import PeriodType
from .dashboard import default_year, unit_choices
from .models import DataElement
from .periods import MAX_YEAR, MIN_YEAR
from .permissions import can_read_results
from .pivot import DIMENSION_LABELS, DIMENSIONS, INDICATOR, MAX_YEARS, PERIOD, PROVINCE, PivotError, PivotTable, pivot
from .views import module_required

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 50
EXPORT_MAX_ROWS = 20000


class PivotForm(forms.Form):
    rows = forms.ChoiceField(label=gettext_lazy("Hàng"), choices=[], initial=INDICATOR)
    cols = forms.ChoiceField(label=gettext_lazy("Cột"), choices=[], initial=PERIOD)
    period_type = forms.ChoiceField(label=gettext_lazy("Loại kỳ"), choices=PeriodType.choices, initial=PeriodType.YEAR)
    year_from = forms.IntegerField(label=gettext_lazy("Từ năm"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    year_to = forms.IntegerField(label=gettext_lazy("Đến năm"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    indicators = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Chỉ tiêu"),
        queryset=DataElement.objects.order_by("order", "code"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Không chọn: tất cả chỉ tiêu."),
    )
    units = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Đơn vị"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Không chọn: toàn tỉnh. Mỗi đơn vị gồm cả các đơn vị trực thuộc và đơn vị trước sắp xếp đã nhập vào."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        dims = [(d, DIMENSION_LABELS[d]) for d in DIMENSIONS]
        self.fields["rows"].choices = dims  # type: ignore[attr-defined]
        self.fields["cols"].choices = dims  # type: ignore[attr-defined]
        units: list[tuple[int, str]] = [(PROVINCE, _("Toàn tỉnh"))]
        for org in unit_choices():
            name = org.name
            if org.valid_to is not None:
                name = _("%(name)s (trước sắp xếp, đến %(day)s)") % {"name": name, "day": org.valid_to.strftime("%d/%m/%Y")}
            units.append((org.pk, name))
        self.fields["units"].choices = units  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("rows") and data.get("rows") == data.get("cols"):
            self.add_error("cols", _("Cột phải khác hàng."))
        start, end = data.get("year_from"), data.get("year_to")
        if start is not None and end is not None:
            if start > end:
                self.add_error("year_to", _("Năm kết thúc phải không nhỏ hơn năm bắt đầu."))
            elif end - start + 1 > MAX_YEARS:
                self.add_error("year_to", _("Chọn tối đa %(n)d năm.") % {"n": MAX_YEARS})
        return data


def _form(request: HttpRequest) -> PivotForm:
    if request.GET:
        return PivotForm(request.GET)
    latest = default_year()
    return PivotForm(
        {"rows": INDICATOR, "cols": PERIOD, "period_type": PeriodType.YEAR, "year_from": latest - 4, "year_to": latest}
    )


def _table(form: PivotForm, max_rows: int | None = None) -> PivotTable:
    data = form.cleaned_data
    return pivot(
        indicator_ids=[e.pk for e in data["indicators"]],
        unit_ids=data["units"],
        period_type=data["period_type"],
        year_from=data["year_from"],
        year_to=data["year_to"],
        rows=data["rows"],
        cols=data["cols"],
        max_rows=max_rows,
    )


def _check(request: HttpRequest) -> None:
    if not can_read_results(request.user):
        raise PermissionDenied


@module_required
def pivot_view(request: HttpRequest) -> HttpResponse:
    _check(request)
    form = _form(request)
    table, page, status = None, None, 200
    if form.is_valid():
        try:
            table = _table(form)
        except PivotError as exc:
            form.add_error(None, str(exc))
            status = 400
        else:
            page = Paginator(table.rows, PAGE_SIZE).get_page(request.GET.get("page"))
    else:
        status = 400
    labels = {}
    if table is not None:
        labels = {
            "rows": DIMENSION_LABELS[table.rows_dim],
            "cols": DIMENSION_LABELS[table.cols_dim],
            "group": DIMENSION_LABELS[table.group_dim] if table.group_dim else "",
        }
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "indicators/pivot.html",
        {"form": form, "table": table, "page": page, "query": query.urlencode(), "labels": labels},
        status=status,
    )


@module_required
def pivot_export(request: HttpRequest) -> HttpResponse:
    _check(request)
    form = _form(request)
    if not form.is_valid():
        return render(request, "indicators/pivot.html", {"form": form}, status=400)
    try:
        table = _table(form, max_rows=EXPORT_MAX_ROWS)
    except PivotError as exc:
        form.add_error(None, str(exc))
        return render(request, "indicators/pivot.html", {"form": form}, status=400)
    buffer = workbook(table, export_metadata(form, request.user))
    stamp = timezone.localdate().strftime("%d-%m-%Y")
    name = f"{_('Tổng hợp chỉ tiêu')} {stamp}"
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition(f"{name}.xlsx", "-".join(fold(name).split()) + ".xlsx")
    response["Cache-Control"] = "private, no-store"
    return response


def _number_format(decimals: int) -> str:
    """Excel's locale-neutral format: a Vietnamese Excel shows #,##0 as 4.020 and #,##0.0 as 252,1 (the same
    formats as the one-stop statistics export)."""
    return "#,##0" if decimals <= 0 else "#,##0." + "0" * decimals


def _element_name(element: DataElement) -> str:
    return f"{element.name} ({element.unit})" if element.unit else element.name


def export_metadata(form: PivotForm, user: Any) -> list[str]:
    """What a person forwarding the file needs, above the table: its title, the filters used (indicators with their
    units, units, period type and years), the source and when and by whom it was exported."""
    data = form.cleaned_data
    period_type = PeriodType(data["period_type"]).label
    years = (
        str(data["year_from"])
        if data["year_from"] == data["year_to"]
        else _("%(start)s–%(end)s") % {"start": data["year_from"], "end": data["year_to"]}
    )
    chosen_units = dict(form.fields["units"].choices)  # type: ignore[attr-defined]
    elements = list(data["indicators"]) or list(DataElement.objects.order_by("order", "code"))
    title = _("Tổng hợp chỉ tiêu ngành theo %(rows)s và %(cols)s, kỳ %(type)s, %(years)s") % {
        "rows": str(DIMENSION_LABELS[data["rows"]]).lower(),
        "cols": str(DIMENSION_LABELS[data["cols"]]).lower(),
        "type": str(period_type).lower(),
        "years": years,
    }
    indicators = "; ".join(_element_name(e) for e in elements)
    if not data["indicators"]:
        indicators = _("tất cả chỉ tiêu: %(list)s") % {"list": indicators}
    units = "; ".join(str(chosen_units.get(pk, pk)) for pk in data["units"]) or _("Toàn tỉnh")
    now = timezone.localtime()
    who = str(user)
    return [
        title,
        _("Chỉ tiêu (đơn vị tính): %(list)s") % {"list": indicators},
        _("Đơn vị: %(list)s") % {"list": units},
        _("Kỳ: %(type)s, năm %(years)s") % {"type": period_type, "years": years},
        _("Nguồn: số liệu đã phê duyệt của hệ thống báo cáo chỉ tiêu ngành, %(platform)s.")
        % {"platform": settings.PLATFORM_NAME},
        _("Ngày xuất: %(day)s lúc %(time)s, người xuất: %(who)s.")
        % {"day": now.strftime("%d/%m/%Y"), "time": now.strftime("%H:%M"), "who": who},
    ]


def workbook(table: PivotTable, metadata: list[str] | None = None) -> io.BytesIO:
    """The table as an .xlsx: the title and the filters, source and date of export above it (`metadata`, the
    first line the title), numbers kept as numbers (shown 4.020 / 252,1 by a Vietnamese Excel), the header row
    frozen; names and labels written as text by core.spreadsheets (a unit named "=…" is not a formula)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = str(_("Tổng hợp"))[:31]
    for index, line in enumerate(metadata or []):
        spreadsheets.append(ws, [line])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True, size=14) if index == 0 else Font(italic=index >= 4)
    if metadata:
        ws.append([])
    with_unit = INDICATOR in (table.rows_dim, table.group_dim)
    header: list[str] = []
    if table.group_dim:
        header.append(str(DIMENSION_LABELS[table.group_dim]))
    header.append(str(DIMENSION_LABELS[table.rows_dim]))
    if with_unit:
        header.append(_("Đơn vị tính"))
    label_columns = len(header)
    for column in table.columns:
        header.append(f"{column.label} ({column.note})" if column.note else column.label)
    spreadsheets.append(ws, header)
    header_row = ws.max_row
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="E8F0F7")
    for cell in ws[header_row]:
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in table.rows:
        labels: list[Any] = []
        if table.group_dim:
            labels.append(row.group.label if row.group else "")
        labels.append(row.member.label + (f" ({row.member.note})" if row.member.note and table.rows_dim != INDICATOR else ""))
        if with_unit:
            element = row.member if table.rows_dim == INDICATOR else row.group
            labels.append(element.note if element else "")
        values: list[Any] = [
            float(c) if c is not None and c != c.to_integral_value() else (int(c) if c is not None else None) for c in row.cells
        ]
        spreadsheets.append(ws, labels + values)
        for offset, decimals in enumerate(row.decimals):
            ws.cell(row=ws.max_row, column=label_columns + offset + 1).number_format = _number_format(decimals)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=label_columns + 1)
    widths = [28] * (label_columns - (1 if with_unit else 0)) + ([12] if with_unit else [])
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    for index in range(label_columns + 1, label_columns + len(table.columns) + 1):
        ws.column_dimensions[get_column_letter(index)].width = 14
    if table.truncated:
        ws.append([])
        spreadsheets.append(ws, [_("Bảng bị cắt ở %(n)s hàng: hãy thu hẹp bộ lọc.") % {"n": EXPORT_MAX_ROWS}])
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer
