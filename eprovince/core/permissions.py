"""Who may do what, where. A role is held for an organisation and covers every organisation below it;
a role held with no organisation covers the whole platform. Superusers hold every role everywhere."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, Q, QuerySet

from .constants import PUBLIC_ROLES, Role
from .models import Organisation, RoleAssignment

_CACHE_ATTR = "_eprovince_role_assignments"


def _assignments(user: Any) -> list[RoleAssignment]:
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(RoleAssignment.objects.filter(user=user).select_related("organisation"))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_cached_roles(user: Any) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def user_roles(user: Any) -> set[str]:
    if getattr(user, "is_superuser", False):
        return {r.value for r in Role}
    return {a.role for a in _assignments(user)}


def is_staff_member(user: Any) -> bool:
    """Anyone holding a role inside the administration (not only citizens or businesses)."""
    return bool(user_roles(user) - PUBLIC_ROLES)


def has_role(user: Any, *roles: str, organisation: Organisation | None = None) -> bool:
    """Does `user` hold one of `roles`, for `organisation` if one is given (held there or at an ancestor)?"""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    for a in _assignments(user):
        if a.role not in roles:
            continue
        if organisation is None or a.organisation is None:
            return True
        if organisation.path.startswith(a.organisation.path):
            return True
    return False


def organisation_scope(user: Any, *roles: str) -> Q | None:
    """A Q over Organisation for the organisations where `user` holds one of `roles`.
    None means no limit (the whole platform); Q(pk__in=[]) means nothing."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return None
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    q = Q(pk__in=[])
    for a in _assignments(user):
        if a.role not in roles:
            continue
        if a.organisation is None:
            return None
        q |= Q(path__startswith=a.organisation.path)
    return q


def scope_queryset[M: Model](qs: QuerySet[M], user: Any, *roles: str, org_field: str = "organisation") -> QuerySet[M]:
    """Only the rows of `qs` whose `org_field` lies inside the user's scope for `roles`."""
    scope = organisation_scope(user, *roles)
    if scope is None:
        return qs
    allowed = Organisation.objects.filter(scope).values("pk")
    return qs.filter(**{f"{org_field}__in": allowed})


def scoped_organisations(user: Any, *roles: str) -> QuerySet[Organisation]:
    scope = organisation_scope(user, *roles)
    return Organisation.objects.all() if scope is None else Organisation.objects.filter(scope)
