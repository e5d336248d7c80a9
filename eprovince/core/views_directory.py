"""Staff directory and administration of organisations and users. Thin: forms check input, services write."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eprovince.core.form_errors import apply_validation_error

from .constants import OrganisationKind, Role
from .forms_directory import OrganisationForm, RoleGrantForm, UserCreateForm
from .models import AuditEvent, RoleAssignment
from .permissions import administers_platform, can_administer, can_administer_user
from .selectors.directory import (
    can_manage_directory,
    organisation_for_user,
    organisation_people,
    user_for_admin,
    users_list,
    visible_organisations,
)
from .services.accounts import role_grant, role_revoke, user_create, user_unlock
from .services.organisations import organisation_create, organisation_update


def _require_admin(request: HttpRequest) -> None:
    """An administrator somewhere; each page and service then checks the organisation concerned."""
    if not can_manage_directory(request.user):
        raise PermissionDenied


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    include_former = request.GET.get("former") == "1"
    orgs = visible_organisations(
        request.user, q=q, kind=kind if kind in OrganisationKind.values else "", include_former=include_former
    )
    page = Paginator(orgs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "core/organisation_list.html",
        {
            "page_obj": page,
            "q": q,
            "kind": kind,
            "former": include_former,
            "kinds": OrganisationKind.choices,
            "can_manage": can_manage_directory(request.user),
        },
    )


@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = organisation_for_user(request.user, pk)
    children = visible_organisations(request.user, include_former=True).filter(parent=org)
    history = []
    can_manage = can_administer(request.user, org)
    if can_manage:
        history = list(
            AuditEvent.objects.filter(content_type__model="organisation", content_type__app_label="core", object_id=str(org.pk))[
                :20
            ]
        )
    return render(
        request,
        "core/organisation_detail.html",
        {
            "org": org,
            "people": organisation_people(org),
            "children": children,
            "predecessors": org.predecessors.all(),
            "can_manage": can_manage,
            "can_audit": administers_platform(request.user),
            "history": history,
        },
    )


@login_required
def organisation_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _require_admin(request)
    org = organisation_for_user(request.user, pk) if pk is not None else None
    if org is not None and not can_administer(request.user, org):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None, instance=org, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        try:
            if org is None:
                org = organisation_create(acting_user=request.user, reason=reason, **data)  # type: ignore[arg-type]
                messages.success(request, _("Đã tạo cơ quan %(name)s.") % {"name": org.name})
            else:
                org = organisation_update(organisation=org, acting_user=request.user, reason=reason, **data)  # type: ignore[arg-type]
                messages.success(request, _("Đã lưu thay đổi."))
            return redirect("core:organisation_detail", pk=org.pk)
        except ValidationError as exc:
            apply_validation_error(form, exc)
    return render(request, "core/organisation_form.html", {"form": form, "org": org})


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    q = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    locked = request.GET.get("locked") == "1"
    page = Paginator(users_list(request.user, q=q, role=role if role in Role.values else "", locked=locked), 30).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "core/user_list.html",
        {"page_obj": page, "q": q, "role": role, "roles": Role.choices, "locked": locked, "now": timezone.now()},
    )


@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    account = user_for_admin(request.user, pk)
    form = RoleGrantForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            role_grant(
                user=account,
                role=form.cleaned_data["role"],
                organisation=form.cleaned_data["organisation"],
                acting_user=request.user,  # type: ignore[arg-type]
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("Đã cấp quyền."))
            return redirect("core:user_detail", pk=account.pk)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("Bạn không có quyền cấp vai trò này."))
    is_self = account.pk == request.user.pk
    assignments = [
        (a, not is_self and can_administer(request.user, a.organisation))
        for a in account.role_assignments.select_related("organisation")
    ]
    return render(
        request,
        "core/user_detail.html",
        {
            "account": account,
            "form": None if is_self and not form.errors else form,
            "assignments": assignments,
            "positions": account.positions.select_related("organisation"),
            "can_unlock": can_administer_user(request.user, account),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def user_create_view(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = UserCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            account = user_create(acting_user=request.user, **form.cleaned_data)  # type: ignore[arg-type]
            messages.success(request, _("Đã tạo tài khoản %(username)s.") % {"username": account.username})
            return redirect("core:user_detail", pk=account.pk)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("Bạn không có quyền tạo tài khoản này."))
    return render(request, "core/user_form.html", {"form": form}, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def role_revoke_view(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    _require_admin(request)
    account = user_for_admin(request.user, pk)
    assignment = get_object_or_404(RoleAssignment, pk=assignment_pk, user=account)
    reason = request.POST.get("reason", "").strip()
    if not reason:
        messages.error(request, _("Vui lòng nêu lý do thu hồi quyền."))
    else:
        role_revoke(assignment=assignment, acting_user=request.user, reason=reason)  # type: ignore[arg-type]
        messages.success(request, _("Đã thu hồi quyền."))
    return redirect("core:user_detail", pk=pk)


@login_required
@require_POST
def user_unlock_view(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    account = user_for_admin(request.user, pk)
    user_unlock(user=account, acting_user=request.user, reason=request.POST.get("reason", ""))  # type: ignore[arg-type]
    messages.success(request, _("Đã mở khóa tài khoản."))
    return redirect("core:user_detail", pk=pk)
