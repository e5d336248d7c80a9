"""Thin views: the administrators' calendar pages and the public page of a year's calendar."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eprovince.core.form_errors import apply_validation_error
from eprovince.core.permissions import administers_platform

from . import engine
from .constants import YEAR_MAX, YEAR_MIN
from .forms import DayEditForm, DayForm, DueForm, PrefillForm, ReasonForm, RuleForm, YearForm
from .models import CalendarDay
from .selectors import calendar_snapshot, calendar_years, deadline_rule, describe_rules, due_for, weekday_sessions, year_calendar
from .services import (
    calendar_day_create,
    calendar_day_remove,
    calendar_day_update,
    calendar_prefill_year,
    calendar_rules_update,
    calendar_year_update,
)


def _require_admin(request: HttpRequest) -> None:
    # The official calendar is the whole province's (every deadline is counted on it): a platform administrator's.
    if not administers_platform(request.user):
        raise PermissionDenied


def _check_year(year: int) -> None:
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise Http404


def _year_nav(year: int) -> list[int]:
    return sorted(set(calendar_years()) | {year - 1, year, year + 1, timezone.localdate().year})


def _working_day_count(cal: engine.CalendarSnapshot, year: int) -> int:
    return engine.count_working_days(cal, dt.date(year - 1, 12, 31), dt.date(year, 12, 31))


# --- Administrators --------------------------------------------------------------------------------------------------


@login_required
def admin_year_current(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    return redirect("workcalendar:admin_year", year=timezone.localdate().year)


def _render_year(
    request: HttpRequest, year: int, *, add_form: DayForm | None = None, year_form: YearForm | None = None
) -> HttpResponse:
    calendar = year_calendar(year, include_removed=True)
    calendar_year = calendar.calendar_year
    if year_form is None:
        initial: dict[str, Any] = {"is_published": calendar.is_published}
        if calendar_year is not None:
            initial |= {"note": calendar_year.note, "legal_basis": calendar_year.legal_basis}
        year_form = YearForm(initial=initial, auto_id="year_%s")
    context: dict[str, Any] = {
        "year": year,
        "calendar": calendar,
        "years": _year_nav(year),
        "working_day_count": _working_day_count(calendar_snapshot(), year),
        "add_form": add_form or DayForm(auto_id="add_%s"),
        "year_form": year_form,
        "prefill_form": PrefillForm(auto_id="prefill_%s"),
    }
    bound = (add_form is not None and add_form.errors) or (year_form is not None and year_form.is_bound and year_form.errors)
    return render(request, "workcalendar/admin_year.html", context, status=400 if bound else 200)


@login_required
def admin_year(request: HttpRequest, year: int) -> HttpResponse:
    _require_admin(request)
    _check_year(year)
    return _render_year(request, year)


@login_required
@require_POST
def day_add(request: HttpRequest, year: int) -> HttpResponse:
    _require_admin(request)
    _check_year(year)
    form = DayForm(request.POST, auto_id="add_%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            day = calendar_day_create(
                date=data["date"],
                kind=data["kind"],
                name=data["name"],
                legal_basis=data["legal_basis"],
                acting_user=request.user,  # type: ignore[arg-type]
                reason=data["reason"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã thêm ngày %(d)s.") % {"d": f"{day.date:%d/%m/%Y}"})
            return redirect("workcalendar:admin_year", year=day.date.year)
    return _render_year(request, year, add_form=form)


@login_required
def day_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    day = get_object_or_404(CalendarDay, pk=pk, is_active=True)
    initial = {"kind": day.kind, "name": day.name, "legal_basis": day.legal_basis}
    form = DayEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        try:
            calendar_day_update(day=day, acting_user=request.user, reason=reason, **data)  # type: ignore[arg-type]
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("workcalendar:admin_year", year=day.date.year)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "workcalendar/day_form.html", {"form": form, "day": day}, status=status)


@login_required
def day_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    day = get_object_or_404(CalendarDay, pk=pk, is_active=True)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            calendar_day_remove(day=day, acting_user=request.user, reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã gỡ ngày %(d)s khỏi lịch.") % {"d": f"{day.date:%d/%m/%Y}"})
            return redirect("workcalendar:admin_year", year=day.date.year)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "workcalendar/day_remove.html", {"form": form, "day": day}, status=status)


@login_required
@require_POST
def prefill(request: HttpRequest, year: int) -> HttpResponse:
    _require_admin(request)
    _check_year(year)
    form = PrefillForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    result = calendar_prefill_year(year=year, acting_user=request.user, reason=reason)  # type: ignore[arg-type]
    if result.created:
        messages.success(request, _("Đã điền sẵn %(n)s ngày cho năm %(y)s.") % {"n": len(result.created), "y": year})
    else:
        messages.info(request, _("Không có ngày nào mới để điền sẵn: lịch năm %(y)s đã có đủ các ngày.") % {"y": year})
    return redirect("workcalendar:admin_year", year=year)


@login_required
@require_POST
def year_update(request: HttpRequest, year: int) -> HttpResponse:
    _require_admin(request)
    _check_year(year)
    form = YearForm(request.POST, auto_id="year_%s")
    if form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        try:
            calendar_year_update(year=year, acting_user=request.user, reason=reason, **data)  # type: ignore[arg-type]
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã lưu thông tin lịch năm %(y)s.") % {"y": year})
            return redirect("workcalendar:admin_year", year=year)
    return _render_year(request, year, year_form=form)


@login_required
def rules(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    rule = deadline_rule()
    form = RuleForm(request.POST or None, initial=RuleForm.initial_for(rule, weekday_sessions()))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason, week = data.pop("reason"), data.pop("week")
        fields = {
            k: data[k]
            for k in ("counting_mode", "after_hours_next_session", "receipt_morning_counts", "supplement_mode", "legal_basis")
        }
        try:
            calendar_rules_update(week=week, acting_user=request.user, reason=reason, **fields)  # type: ignore[arg-type]
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã lưu quy tắc tính thời hạn và giờ làm việc."))
            return redirect("workcalendar:rules")
    status = 400 if form.is_bound and form.errors else 200
    context = {"form": form, "description": describe_rules(calendar_snapshot().rules)}
    return render(request, "workcalendar/rules.html", context, status=status)


# --- Public ----------------------------------------------------------------------------------------------------------


def public_current(request: HttpRequest) -> HttpResponse:
    return redirect("workcalendar:public_year", year=timezone.localdate().year)


def public_year(request: HttpRequest, year: int) -> HttpResponse:
    _check_year(year)
    calendar = year_calendar(year)
    cal = calendar_snapshot()
    form = DueForm(request.GET or None)
    answer = None
    if form.is_bound and form.is_valid():
        answer = due_for(form.cleaned_data["start"], form.cleaned_data["working_days"], cal=cal)
    context = {
        "year": year,
        "calendar": calendar,
        "years": [y for y in _year_nav(year) if YEAR_MIN <= y <= YEAR_MAX],
        "working_day_count": _working_day_count(cal, year),
        "form": form,
        "answer": answer,
        "description": describe_rules(cal.rules),
    }
    return render(request, "workcalendar/public_year.html", context)
