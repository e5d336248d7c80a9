"""Reads for the staff directory: organisations and people, limited to what the user's roles cover."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from ..constants import PUBLIC_ROLES, Role
from ..models import Organisation, Position, RoleAssignment, User
from ..models.validity import valid_on_q
from ..permissions import administered_organisations, administers_platform, is_administrator, scoped_organisations
from ..text import fold

STAFF_ROLES = tuple(r.value for r in Role if r.value not in PUBLIC_ROLES)


def visible_organisations(user: Any, *, q: str = "", kind: str = "", include_former: bool = False) -> QuerySet[Organisation]:
    qs = scoped_organisations(user, *STAFF_ROLES).select_related("parent", "admin_unit")
    if not include_former:
        qs = qs.filter(valid_on_q(timezone.localdate()))
    if q:
        for term in fold(q).split():
            qs = qs.filter(Q(search_name__contains=term) | Q(electronic_code__icontains=term))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.annotate(children_count=Count("children")).order_by("path")


def organisation_for_user(user: Any, pk: int) -> Organisation:
    """The organisation if the user's roles cover it; 404 otherwise, so other units' records are not even confirmed."""
    org = scoped_organisations(user, *STAFF_ROLES).select_related("parent", "admin_unit", "successor").filter(pk=pk).first()
    if org is None:
        raise Http404
    return org


def organisation_people(org: Organisation) -> QuerySet[Position]:
    return Position.objects.filter(organisation=org).select_related("user").order_by("-is_primary", "title")


def current_positions(user: Any) -> QuerySet[Position]:
    return Position.objects.filter(valid_on_q(timezone.localdate()), user=user).select_related("organisation")


def can_manage_directory(user: Any) -> bool:
    """May open the administration of organisations and users (each page then shows only what the user administers)."""
    return is_administrator(user)


def administered_users(user: Any) -> QuerySet[User]:
    """The accounts an administrator sees: every account for a platform administrator; for a scoped one, the accounts
    holding a role or a current position in an organisation they administer; nothing for anyone else."""
    if administers_platform(user):
        return User.objects.all()
    if not is_administrator(user):
        return User.objects.none()
    orgs = administered_organisations(user).values("pk")
    with_role = RoleAssignment.objects.filter(organisation__in=orgs).values("user")
    with_position = Position.objects.filter(valid_on_q(timezone.localdate()), organisation__in=orgs).values("user")
    return User.objects.filter(Q(pk__in=with_role) | Q(pk__in=with_position))


def user_for_admin(user: Any, pk: int) -> User:
    """The account if `user` administers it (see administered_users); 404 otherwise, its existence not confirmed."""
    account = administered_users(user).filter(pk=pk).first()
    if account is None:
        raise Http404
    return account


def users_list(user: Any, *, q: str = "", role: str = "", locked: bool = False) -> QuerySet[User]:
    qs = administered_users(user).prefetch_related("role_assignments__organisation").order_by("username")
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(full_name__icontains=q) | Q(email__icontains=q))
    if role:
        qs = qs.filter(role_assignments__role=role).distinct()
    if locked:
        qs = qs.filter(locked_until__gt=timezone.now())
    return qs
