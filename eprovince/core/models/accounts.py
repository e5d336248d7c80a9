"""People and their access: users, positions held in organisations, roles scoped to organisations, API tokens."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..constants import Role
from .organisations import Organisation
from .validity import ValidityPeriod, ValidityQuerySet, validity_constraint


class User(AbstractUser):
    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    # Login lockout state (see core.services.accounts).
    failed_login_count = models.PositiveSmallIntegerField(default=0, editable=False)
    first_failed_login_at = models.DateTimeField(null=True, blank=True, editable=False)
    locked_until = models.DateTimeField(_("khóa đến"), null=True, blank=True)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    def get_short_name(self) -> str:
        return self.full_name or self.username


class Position(ValidityPeriod):
    """A person holds a position (Giám đốc, Chuyên viên…) in an organisation over a period."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="positions")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="positions")
    title = models.CharField(_("chức vụ"), max_length=120)
    is_primary = models.BooleanField(_("vị trí chính"), default=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = _("chức vụ")
        verbose_name_plural = _("chức vụ")
        constraints = [validity_constraint("position_validity_order")]

    def __str__(self) -> str:
        return f"{self.title}, {self.organisation}"


class RoleAssignment(models.Model):
    """`user` acts as `role` for `organisation` and every organisation below it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("vai trò"), max_length=30, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("phạm vi"), null=True, blank=True, on_delete=models.PROTECT, related_name="role_assignments"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "organisation"],
                name="roleassignment_uniq",
                violation_error_message=_("Người dùng đã có vai trò này tại đơn vị này."),
            ),
            # NULL organisations are distinct in a unique index: a second constraint keeps platform-wide roles unique.
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(organisation__isnull=True),
                name="roleassignment_global_uniq",
                violation_error_message=_("Người dùng đã có vai trò này trên toàn hệ thống."),
            ),
        ]

    def __str__(self) -> str:
        scope = self.organisation or _("toàn hệ thống")
        return f"{self.get_role_display()} – {scope}"


class ApiToken(models.Model):
    """A bearer token for the REST API. Only its SHA-256 digest is stored; the token is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("tên"), max_length=80)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("hết hạn"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("khóa truy cập API")
        verbose_name_plural = _("khóa truy cập API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()


__all__ = ["ApiToken", "Position", "Role", "RoleAssignment", "User", "validity_constraint"]
