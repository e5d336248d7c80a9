"""The catalogue screens of the indicators workspace (/can-bo/chi-tieu/danh-muc/): administrators list, search,
create, change and delete disaggregations, data elements, indicators, report forms with their validation rules, and
set the targets of a year in a grid; reviewers remind the units late with a round's report. Views only parse,
check and call services or selectors."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eprovince.core.form_errors import apply_validation_error

from . import reminders, selectors, selectors_catalogue
from .forms_catalogue import (
    CategoryComboForm,
    DataElementForm,
    IndicatorForm,
    ReportFormForm,
    TargetGrid,
    TargetYearForm,
    ValidationRuleForm,
)
from .models import CategoryCombo, DataElement, Indicator, ReportForm, ValidationRule
from .periods import periods_of_year
from .permissions import can_manage_catalogue, can_review
from .services import catalogue_admin as services

View = Callable[..., HttpResponse]
PAGE_SIZE = 50


def admin_required(view: View) -> View:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_manage_catalogue(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _save(request: HttpRequest, form: Any, call: Callable[[], Any]) -> Any:
    """The saved object when the form was posted, valid and accepted by the service; None otherwise."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return call()
    except ValidationError as exc:
        apply_validation_error(form, exc)
        return None


def _edit_page(request: HttpRequest, form: Any, *, title: str, section: str, cancel_url: str, **extra: Any) -> HttpResponse:
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "title": title, "section": section, "cancel_url": cancel_url, **extra}
    return render(request, "indicators/catalogue/edit.html", context, status=status)


def _delete_page(
    request: HttpRequest,
    obj: models.Model,
    *,
    delete: Callable[..., None],
    uses: list[str],
    section: str,
    back_url: str,
    done_url: str,
) -> HttpResponse:
    """GET: what will be deleted (or why it cannot be); POST: delete it through the service."""
    if request.method == "POST":
        try:
            delete(acting_user=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(back_url)
        messages.success(request, _("Đã xóa “%(name)s”.") % {"name": obj})
        return redirect(done_url)
    return render(
        request,
        "indicators/catalogue/confirm_delete.html",
        {"object": obj, "uses": uses, "section": section, "back_url": back_url},
    )


def _list(request: HttpRequest, qs: Any, template: str, section: str, **extra: Any) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    page = Paginator(qs(q), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, f"indicators/catalogue/{template}", {"page_obj": page, "q": q, "section": section, **extra})


# Data elements -------------------------------------------------------------------------------------------------


@admin_required
def element_list(request: HttpRequest) -> HttpResponse:
    return _list(request, selectors_catalogue.data_elements, "element_list.html", "elements")


@admin_required
def element_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    element = get_object_or_404(DataElement, pk=pk) if pk is not None else None
    form = DataElementForm(request.POST or None, instance=element)
    saved = _save(
        request,
        form,
        lambda: services.data_element_update(
            acting_user=request.user,  # type: ignore[arg-type]
            element=element,
            code=element.code if element else form.cleaned_data["code"],
            **form.service_fields(),
        ),
    )
    if saved is not None:
        messages.success(request, _("Đã lưu chỉ tiêu dữ liệu “%(name)s”.") % {"name": saved.name})
        return redirect("indicators:catalogue_elements")
    return _edit_page(
        request,
        form,
        title=_("Sửa chỉ tiêu dữ liệu") if element else _("Thêm chỉ tiêu dữ liệu"),
        section="elements",
        cancel_url=reverse("indicators:catalogue_elements"),
        delete_url=reverse("indicators:catalogue_element_delete", args=[element.pk]) if element else "",
    )


@admin_required
def element_delete(request: HttpRequest, pk: int) -> HttpResponse:
    element = get_object_or_404(DataElement, pk=pk)
    return _delete_page(
        request,
        element,
        delete=lambda acting_user: services.data_element_delete(acting_user=acting_user, element=element),
        uses=services.data_element_usage(element),
        section="elements",
        back_url=reverse("indicators:catalogue_element_edit", args=[pk]),
        done_url=reverse("indicators:catalogue_elements"),
    )


# Disaggregations -----------------------------------------------------------------------------------------------


@admin_required
def combo_list(request: HttpRequest) -> HttpResponse:
    return _list(request, selectors_catalogue.category_combos, "combo_list.html", "combos")


@admin_required
def combo_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    combo = get_object_or_404(CategoryCombo, pk=pk) if pk is not None else None
    form = CategoryComboForm(request.POST or None, instance=combo)
    saved = _save(
        request,
        form,
        lambda: services.category_combo_update(
            acting_user=request.user,  # type: ignore[arg-type]
            combo=combo,
            code=combo.code if combo else form.cleaned_data["code"],
            name=form.cleaned_data["name"],
            options=form.cleaned_data["options"],
        ),
    )
    if saved is not None:
        messages.success(request, _("Đã lưu cách phân tổ “%(name)s”.") % {"name": saved.name})
        return redirect("indicators:catalogue_combos")
    return _edit_page(
        request,
        form,
        title=_("Sửa cách phân tổ") if combo else _("Thêm cách phân tổ"),
        section="combos",
        cancel_url=reverse("indicators:catalogue_combos"),
        delete_url=reverse("indicators:catalogue_combo_delete", args=[combo.pk]) if combo else "",
    )


@admin_required
def combo_delete(request: HttpRequest, pk: int) -> HttpResponse:
    combo = get_object_or_404(CategoryCombo, pk=pk)
    elements = list(combo.elements.all())
    return _delete_page(
        request,
        combo,
        delete=lambda acting_user: services.category_combo_delete(acting_user=acting_user, combo=combo),
        uses=[_("đang dùng cho chỉ tiêu dữ liệu %(names)s") % {"names": ", ".join(e.name for e in elements)}] if elements else [],
        section="combos",
        back_url=reverse("indicators:catalogue_combo_edit", args=[pk]),
        done_url=reverse("indicators:catalogue_combos"),
    )


# Indicators ----------------------------------------------------------------------------------------------------


@admin_required
def indicator_list(request: HttpRequest) -> HttpResponse:
    return _list(request, selectors_catalogue.indicators, "indicator_list.html", "indicators")


@admin_required
def indicator_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    indicator = get_object_or_404(Indicator, pk=pk) if pk is not None else None
    form = IndicatorForm(request.POST or None, instance=indicator)
    saved = _save(
        request,
        form,
        lambda: services.indicator_update(
            acting_user=request.user,  # type: ignore[arg-type]
            indicator=indicator,
            code=indicator.code if indicator else form.cleaned_data["code"],
            **form.service_fields(),
        ),
    )
    if saved is not None:
        messages.success(request, _("Đã lưu chỉ số “%(name)s”.") % {"name": saved.name})
        return redirect("indicators:catalogue_indicators")
    return _edit_page(
        request,
        form,
        title=_("Sửa chỉ số") if indicator else _("Thêm chỉ số"),
        section="indicators",
        cancel_url=reverse("indicators:catalogue_indicators"),
        delete_url=reverse("indicators:catalogue_indicator_delete", args=[indicator.pk]) if indicator else "",
        codes=DataElement.objects.select_related("category_combo").prefetch_related("category_combo__options"),
    )


@admin_required
def indicator_delete(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = get_object_or_404(Indicator, pk=pk)
    return _delete_page(
        request,
        indicator,
        delete=lambda acting_user: services.indicator_delete(acting_user=acting_user, indicator=indicator),
        uses=services.indicator_usage(indicator),
        section="indicators",
        back_url=reverse("indicators:catalogue_indicator_edit", args=[pk]),
        done_url=reverse("indicators:catalogue_indicators"),
    )


# Report forms and validation rules -----------------------------------------------------------------------------


@admin_required
def form_list(request: HttpRequest) -> HttpResponse:
    active = request.GET.get("active", "")
    return _list(
        request,
        lambda q: selectors_catalogue.report_forms(q, active),
        "form_list.html",
        "forms",
        active=active,
    )


def _report_form_or_404(pk: int) -> ReportForm:
    form = selectors_catalogue.report_form(pk)
    if form is None:
        raise Http404(_("Không tìm thấy biểu mẫu."))
    return form


@admin_required
def form_detail(request: HttpRequest, pk: int) -> HttpResponse:
    form = _report_form_or_404(pk)
    example = periods_of_year(timezone.localdate().year, form.period_type)[0]
    return render(
        request,
        "indicators/catalogue/form_detail.html",
        {
            "report_form": form,
            "example": example,
            "example_deadline": form.deadline_for(example),
            "form_elements": form.form_elements.select_related("element__category_combo"),
            "units": form.organisations.order_by("path"),
            "rules": form.rules.all(),
            "rounds": form.rounds.order_by("-deadline")[:10],
            "round_count": form.rounds.count(),
            "section": "forms",
        },
    )


@admin_required
def form_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    report_form = _report_form_or_404(pk) if pk is not None else None
    form = ReportFormForm(request.POST or None, instance=report_form)
    saved = _save(
        request,
        form,
        lambda: services.report_form_update(
            acting_user=request.user,  # type: ignore[arg-type]
            form=report_form,
            code=report_form.code if report_form else form.cleaned_data["code"],
            elements=list(form.cleaned_data["elements"]),
            organisations=list(form.cleaned_data["organisations"]),
            **form.service_fields(),
        ),
    )
    if saved is not None:
        messages.success(request, _("Đã lưu biểu mẫu “%(name)s”.") % {"name": saved.name})
        return redirect("indicators:catalogue_form", pk=saved.pk)
    return _edit_page(
        request,
        form,
        title=_("Sửa biểu mẫu báo cáo") if report_form else _("Thêm biểu mẫu báo cáo"),
        section="forms",
        cancel_url=reverse("indicators:catalogue_form", args=[pk]) if report_form else reverse("indicators:catalogue_forms"),
        delete_url=reverse("indicators:catalogue_form_delete", args=[pk]) if report_form else "",
    )


@require_POST
@admin_required
def form_archive(request: HttpRequest, pk: int) -> HttpResponse:
    report_form = _report_form_or_404(pk)
    active = request.POST.get("active") == "1"
    services.report_form_set_active(acting_user=request.user, form=report_form, active=active)  # type: ignore[arg-type]
    if active:
        messages.success(request, _("Biểu mẫu đã được dùng lại."))
    else:
        messages.success(request, _("Đã ngừng sử dụng biểu mẫu: không mở được đợt mới, các đợt và số liệu cũ vẫn còn."))
    return redirect("indicators:catalogue_form", pk=pk)


@admin_required
def form_delete(request: HttpRequest, pk: int) -> HttpResponse:
    report_form = _report_form_or_404(pk)
    rounds = report_form.rounds.count()
    return _delete_page(
        request,
        report_form,
        delete=lambda acting_user: services.report_form_delete(acting_user=acting_user, form=report_form),
        uses=[_("đã có %(n)d đợt báo cáo dùng biểu mẫu; hãy ngừng sử dụng thay vì xóa") % {"n": rounds}] if rounds else [],
        section="forms",
        back_url=reverse("indicators:catalogue_form", args=[pk]),
        done_url=reverse("indicators:catalogue_forms"),
    )


@admin_required
def rule_edit(request: HttpRequest, form_pk: int, pk: int | None = None) -> HttpResponse:
    report_form = _report_form_or_404(form_pk)
    rule = get_object_or_404(ValidationRule, pk=pk, form=report_form) if pk is not None else None
    form = ValidationRuleForm(request.POST or None, instance=rule, form=report_form)
    saved = _save(
        request,
        form,
        lambda: services.validation_rule_update(
            acting_user=request.user,  # type: ignore[arg-type]
            form=report_form,
            rule=rule,
            **form.service_fields(),
        ),
    )
    if saved is not None:
        messages.success(request, _("Đã lưu quy tắc kiểm tra “%(name)s”.") % {"name": saved.name})
        return redirect("indicators:catalogue_form", pk=report_form.pk)
    return _edit_page(
        request,
        form,
        title=_("Sửa quy tắc kiểm tra") if rule else _("Thêm quy tắc kiểm tra"),
        section="forms",
        cancel_url=reverse("indicators:catalogue_form", args=[report_form.pk]),
        delete_url=reverse("indicators:catalogue_rule_delete", args=[report_form.pk, rule.pk]) if rule else "",
        report_form=report_form,
    )


@admin_required
def rule_delete(request: HttpRequest, form_pk: int, pk: int) -> HttpResponse:
    report_form = _report_form_or_404(form_pk)
    rule = get_object_or_404(ValidationRule, pk=pk, form=report_form)
    return _delete_page(
        request,
        rule,
        delete=lambda acting_user: services.validation_rule_delete(acting_user=acting_user, rule=rule),
        uses=[],
        section="forms",
        back_url=reverse("indicators:catalogue_form", args=[form_pk]),
        done_url=reverse("indicators:catalogue_form", args=[form_pk]),
    )


# Targets of a year ---------------------------------------------------------------------------------------------


@admin_required
def targets(request: HttpRequest, year: int | None = None) -> HttpResponse:
    if year is None:
        wanted = request.GET.get("year", "")
        year = int(wanted) if wanted.isdigit() else timezone.localdate().year
        return redirect("indicators:catalogue_targets_year", year=year)
    if not services.MIN_YEAR <= year <= services.MAX_YEAR:
        raise Http404(_("Năm không hợp lệ."))
    grid = TargetGrid(
        units=selectors_catalogue.target_units(year),
        indicators=list(Indicator.objects.order_by("order", "code")),
        targets=selectors_catalogue.year_targets(year),
        data=request.POST if request.method == "POST" else None,
        province_label=_("Toàn tỉnh"),
    )
    year_form = TargetYearForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if grid.is_valid() and year_form.is_valid():
            try:
                result = services.targets_save(
                    acting_user=request.user,  # type: ignore[arg-type]
                    year=year,
                    cells=grid.target_cells(),
                    source_decision=year_form.cleaned_data["source_decision"],
                )
            except ValidationError as exc:
                year_form.add_error(None, exc.messages)
            else:
                if result.changed:
                    messages.success(
                        request,
                        _("Đã lưu chỉ tiêu kế hoạch năm %(year)d: %(c)d thêm mới, %(u)d sửa, %(d)d xóa.")
                        % {"year": year, "c": result.created, "u": result.updated, "d": result.deleted},
                    )
                else:
                    messages.info(request, _("Không có thay đổi nào."))
                return redirect("indicators:catalogue_targets_year", year=year)
        status = 400
    return render(
        request,
        "indicators/catalogue/targets.html",
        {"grid": grid, "year": year, "year_form": year_form, "section": "targets", "years": range(year - 2, year + 3)},
        status=status,
    )


# Reminders to late units ---------------------------------------------------------------------------------------


@require_POST
@login_required
def round_remind(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.readable_round(request.user, pk)
    if round_ is None:
        raise Http404(_("Không tìm thấy đợt báo cáo."))
    if not can_review(request.user, round_.form):
        raise PermissionDenied
    try:
        outcome = reminders.remind_late_units(
            acting_user=request.user,  # type: ignore[arg-type]
            round_=round_,
            site_url=request.build_absolute_uri("/"),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("indicators:round", pk=pk)
    if outcome.sent:
        messages.success(
            request,
            _("Đã gửi nhắc nhở tới %(units)d đơn vị (%(emails)d thư): %(names)s.")
            % {
                "units": len(outcome.sent),
                "emails": outcome.emails,
                "names": ", ".join(s.organisation.name for s, _users in outcome.sent),
            },
        )
    for submission, when in outcome.recently_reminded:
        messages.info(
            request,
            _("%(unit)s đã được nhắc lúc %(when)s; chưa nhắc lại.")
            % {"unit": submission.organisation.name, "when": timezone.localtime(when).strftime("%H:%M %d/%m/%Y")},
        )
    for submission in outcome.no_contact:
        messages.warning(
            request,
            _("%(unit)s chưa có cán bộ báo cáo nào có địa chỉ thư điện tử: hãy liên hệ trực tiếp.")
            % {"unit": submission.organisation.name},
        )
    if not (outcome.sent or outcome.recently_reminded or outcome.no_contact):
        messages.info(request, _("Không có đơn vị nào chậm nộp cần nhắc."))
    return redirect("indicators:round", pk=pk)
