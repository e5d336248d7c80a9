"""Admin building blocks for every app: the Django admin only browses; every write goes through the services.

The admin has no door of its own: its login is the platform's login (core.services.accounts.login_attempt, with the
lockout and the audit trail), logging out is audited, and it changes no password (accounts are administered in the
staff workspace, through the services)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    pass


class ReadOnlyTabularInline(ReadOnlyMixin, admin.TabularInline):
    pass


class PlatformAdminSite(admin.AdminSite):
    """The default admin site (see PlatformAdminConfig) with the platform's single login path."""

    @method_decorator(never_cache)
    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        """A visitor is sent to the platform's login page; credentials posted here go through the same view and
        service as there, so a locked account stays locked and every attempt is counted and audited."""
        from .views import login_view

        if request.method == "POST":
            return login_view(request)
        next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index", current_app=self.name)
        return redirect(f"{reverse(settings.LOGIN_URL)}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")

    def logout(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> TemplateResponse:
        from .constants import AuditAction
        from .services.audit import audit_record

        if request.method == "POST" and request.user.is_authenticated:
            audit_record(actor=request.user, action=AuditAction.LOGOUT, obj=request.user)  # type: ignore[arg-type]
        return super().logout(request, extra_context)

    def password_change(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> TemplateResponse:
        raise Http404

    def password_change_done(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> TemplateResponse:
        raise Http404


class PlatformAdminConfig(AdminConfig):
    default_site = "eprovince.core.admin_base.PlatformAdminSite"
