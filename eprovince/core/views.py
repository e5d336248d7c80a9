"""Thin views of the staff workspace: parse, check, call a service or selector, render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from . import modules
from .constants import AuditAction, Role
from .demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from .forms import AuditFilterForm, LoginForm
from .models import AuditEvent
from .permissions import administers_platform, user_roles
from .selectors.audit import audit_events, audit_models
from .selectors.directory import current_positions
from .services.accounts import login_attempt
from .services.audit import audit_record


@never_cache
@csrf_protect
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        next_url = ""
    form = LoginForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        result = login_attempt(request=request, username=form.cleaned_data["username"], password=form.cleaned_data["password"])
        if result.user is not None:
            login(request, result.user)
            return redirect(next_url or settings.LOGIN_REDIRECT_URL)
        error = result.error
    context = {
        "form": form,
        "error": error,
        "next": next_url,
        "demo_accounts": DEMO_ACCOUNTS if settings.DEMO_MODE else [],
        "demo_password": DEMO_PASSWORD if settings.DEMO_MODE else "",
    }
    return render(request, "core/login.html", context, status=401 if error else 200)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit_record(actor=request.user, action=AuditAction.LOGOUT, obj=request.user)  # type: ignore[arg-type]
    logout(request)
    messages.info(request, _("Bạn đã đăng xuất."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


@login_required
def staff_home(request: HttpRequest) -> HttpResponse:
    roles = sorted(user_roles(request.user))
    role_labels = [Role(r).label for r in roles if r in Role.values]
    positions = current_positions(request.user)
    return render(
        request,
        "core/staff_home.html",
        {"modules": modules.modules_for(request.user), "role_labels": role_labels, "positions": positions},
    )


def _require_platform_admin(request: HttpRequest) -> None:
    """The audit trail is the platform's: its rows point at objects of every kind (accounts, logins, dossiers,
    payments, outbox events...), most with no organisation to scope them by, so a scoped administrator is refused
    the viewer entirely rather than shown a partial trail that might leak another agency's events."""
    if not administers_platform(request.user):
        raise PermissionDenied


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    _require_platform_admin(request)
    form = AuditFilterForm(request.GET or None, model_choices=audit_models())
    filters = form.cleaned_data if form.is_valid() else {}
    events = audit_events(**{k: v for k, v in filters.items() if v})
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_list.html", {"form": form, "page_obj": page})


@login_required
def audit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_platform_admin(request)
    event = get_object_or_404(AuditEvent.objects.select_related("content_type"), pk=pk)
    history = AuditEvent.objects.none()
    if event.content_type_id and event.object_id:
        history = AuditEvent.objects.filter(content_type=event.content_type, object_id=event.object_id)[:50]
    return render(request, "core/audit_detail.html", {"event": event, "history": history})


def language_switch(request: HttpRequest, code: str) -> HttpResponse:
    """A plain link switches the language (no form, so public pages carry no CSRF token and stay cacheable)."""
    from django.utils import translation

    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        next_url = "/"
    response = redirect(next_url)
    if code in dict(settings.LANGUAGES):
        translation.activate(code)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"code": "not_found", "message": _("Không tìm thấy tài nguyên được yêu cầu."), "fields": {}}, status=404
        )
    return render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):  # a failure before the API's own handlers (a middleware): still its JSON
        message = _("Đã xảy ra lỗi trong hệ thống. Vui lòng thử lại sau.")
        return JsonResponse({"code": "server_error", "message": message, "fields": {}}, status=500)
    return render(request, "500.html", status=500)
