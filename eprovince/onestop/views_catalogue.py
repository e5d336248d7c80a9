"""Administration of the procedure catalogue in the staff workspace: procedures with their documents, form fields,
steps and actions; fields of procedures; dossier numbering. Administrators only: a scoped administrator lists and
changes only the procedures and numbering of the agencies they administer (others answer 404), the fields of
procedures are the platform administrator's; the services check the same again."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eprovince.core.form_errors import apply_validation_error
from eprovince.core.permissions import administered_organisations, administers_platform

from . import selectors
from .constants import NumberingReset
from .forms_catalogue import PART_FORMS, FieldForm, NumberingForm, ProcedureForm, ResultTemplateForm
from .models import DossierNumbering, Field, Procedure, ResultTemplate
from .permissions import administered_procedures, can_manage_catalogue
from .result_templates import PLACEHOLDERS
from .services.catalogue import (
    field_save,
    numbering_save,
    procedure_part_delete,
    procedure_part_save,
    procedure_save,
    process_problems,
)
from .services.results import result_template_save


def _require_admin(request: HttpRequest) -> None:
    if not can_manage_catalogue(request.user):
        raise PermissionDenied


def _procedure(request: HttpRequest, pk: int) -> Procedure:
    """The procedure if the user administers its agencies; 404 otherwise (its existence is not confirmed)."""
    return get_object_or_404(administered_procedures(request.user), pk=pk)


@login_required
def procedure_list(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    q, field, active = request.GET.get("q", "").strip(), request.GET.get("field", ""), request.GET.get("active", "")
    procedures = selectors.procedures_for_admin(q=q, field=field, active=active).filter(
        pk__in=administered_procedures(request.user).values("pk")
    )
    page = Paginator(procedures, 30).get_page(request.GET.get("page"))
    return render(
        request, "onestop/admin/procedure_list.html",
        {"page_obj": page, "q": q, "field": field, "active": active, "fields": Field.objects.all(),
         "can_edit_fields": administers_platform(request.user)},
    )  # fmt: skip


@login_required
def procedure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    procedure = selectors.procedure_for_admin(_procedure(request, pk).pk)
    return render(
        request, "onestop/admin/procedure_detail.html", {"procedure": procedure, "problems": process_problems(procedure)}
    )


@login_required
def procedure_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _require_admin(request)
    procedure = _procedure(request, pk) if pk is not None else None
    form = ProcedureForm(request.POST or None, instance=procedure, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = procedure_save(acting_user=request.user, instance=procedure, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã lưu thủ tục."))
            return redirect("onestop:procedure_admin_detail", pk=saved.pk)
    return render(request, "onestop/admin/procedure_form.html", {"form": form, "procedure": procedure})


def _part(kind: str) -> tuple[Any, Any]:
    if kind not in PART_FORMS:
        raise Http404
    return PART_FORMS[kind]


@login_required
def part_edit(request: HttpRequest, pk: int, kind: str, part_pk: int | None = None) -> HttpResponse:
    _require_admin(request)
    form_class, label = _part(kind)
    model = form_class._meta.model
    procedure = _procedure(request, pk)
    instance = get_object_or_404(model, pk=part_pk, procedure=procedure) if part_pk is not None else None
    form = form_class(request.POST or None, request.FILES or None, instance=instance, procedure=procedure, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form._meta.fields if name in form.cleaned_data}
        if "choices" in form.cleaned_data:
            fields["choices"] = form.cleaned_data["choices"]
        if "template" in fields and fields["template"] in (None, False):  # unchanged, or "clear" ticked
            fields["template"] = "" if fields["template"] is False else instance.template if instance else ""
        try:
            procedure_part_save(procedure=procedure, model=model, acting_user=request.user, instance=instance, **fields)  # type: ignore[arg-type]
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("onestop:procedure_admin_detail", pk=procedure.pk)
    return render(
        request, "onestop/admin/part_form.html",
        {"form": form, "procedure": procedure, "label": label, "instance": instance, "kind": kind},
    )  # fmt: skip


@login_required
@require_POST
def part_delete(request: HttpRequest, pk: int, kind: str, part_pk: int) -> HttpResponse:
    _require_admin(request)
    form_class, _label = _part(kind)
    procedure = _procedure(request, pk)
    instance = get_object_or_404(form_class._meta.model, pk=part_pk, procedure=procedure)
    try:
        procedure_part_delete(instance=instance, acting_user=request.user)  # type: ignore[arg-type]
        messages.success(request, _("Đã xóa."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("onestop:procedure_admin_detail", pk=procedure.pk)


@login_required
def field_list(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """The fields of procedures, with a form to add one or change the one `pk`: shared by the whole platform."""
    if not administers_platform(request.user):
        raise PermissionDenied
    instance = get_object_or_404(Field, pk=pk) if pk is not None else None
    form = FieldForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            field_save(acting_user=request.user, instance=instance, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã lưu lĩnh vực."))
            return redirect("onestop:field_list")
    return render(request, "onestop/admin/field_list.html", {"form": form, "instance": instance, "fields": Field.objects.all()})


@login_required
def numbering(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = NumberingForm(
        request.POST or None, initial={"reset": NumberingReset.DAILY, "pattern": "{code}-{yymmdd}-{seq:4}"}, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            numbering_save(acting_user=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã lưu cách đánh mã hồ sơ."))
            return redirect("onestop:numbering")
    rows = (
        DossierNumbering.objects.filter(organisation__in=administered_organisations(request.user).values("pk"))
        .select_related("organisation")
        .order_by("organisation__name")
    )
    return render(request, "onestop/admin/numbering.html", {"form": form, "rows": rows})


@login_required
def result_template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The result template of a procedure: what the generated result says, with placeholders checked on save."""
    _require_admin(request)
    procedure = _procedure(request, pk)
    instance = ResultTemplate.objects.filter(procedure=procedure).first()
    form = ResultTemplateForm(request.POST or None, instance=instance, procedure=procedure)
    if request.method == "POST" and form.is_valid():
        try:
            result_template_save(procedure=procedure, acting_user=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã lưu mẫu kết quả giải quyết."))
            return redirect("onestop:procedure_admin_detail", pk=procedure.pk)
    return render(
        request, "onestop/admin/result_template_form.html",
        {"form": form, "procedure": procedure, "instance": instance, "placeholders": PLACEHOLDERS,
         "form_fields": list(procedure.form_fields.all())},
    )  # fmt: skip
