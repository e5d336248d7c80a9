"""Who may do what, where. A role is held for an organisation and covers every organisation below it;
a role held with no organisation covers the whole platform. Superusers hold every role everywhere."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from .constants import PUBLIC_ROLES, Role
from .models import Organisation, Position, RoleAssignment

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


# --- Administration ---------------------------------------------------------------------------------------------------
# Every administrative check goes through can_administer(user, organisation) with the organisation of the object
# concerned. An administrator role held for an organisation administers it and everything below it; the whole
# platform (organisation None: platform-wide settings, the audit trail, the national-portal outbox, the calendar,
# roles with no organisation) is administered only by a platform-wide administrator (the role held with no
# organisation) or a superuser.


def can_administer(user: Any, organisation: Organisation | None) -> bool:
    """Does `user` administer `organisation` (None: the whole platform)?"""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    for a in _assignments(user):
        if a.role != Role.ADMIN:
            continue
        if a.organisation is None:
            return True
        if organisation is not None and organisation.path.startswith(a.organisation.path):
            return True
    return False


def administers_platform(user: Any) -> bool:
    return can_administer(user, None)


def has_platform_role(user: Any, *roles: str) -> bool:
    """`has_role` for what belongs to the whole platform (the provincial portal, the audit trail, the calendar): the
    administrator role among `roles` counts only when held platform-wide, so an administrator of one commune does
    not act there; every other role counts as `has_role` says."""
    others = tuple(r for r in roles if r != Role.ADMIN)
    return (bool(others) and has_role(user, *others)) or (Role.ADMIN in roles and administers_platform(user))


def is_administrator(user: Any) -> bool:
    """Holds the administrator role anywhere: may open the administration pages, which then show only their scope."""
    return has_role(user, Role.ADMIN)


def administered_organisations(user: Any) -> QuerySet[Organisation]:
    """The organisations `user` administers (every one for a platform administrator; none for anyone else)."""
    return scoped_organisations(user, Role.ADMIN)


def _footprint(target: Any) -> tuple[bool, list[Organisation]]:
    """Where an account holds anything: (holds a platform-wide staff role or is a superuser, the organisations of its
    roles and current positions). A citizen's or business's platform-wide role is self-service, not a footprint."""
    wide = bool(target.is_superuser)
    orgs: list[Organisation] = []
    for a in RoleAssignment.objects.filter(user=target).select_related("organisation"):
        if a.organisation is None:
            wide = wide or a.role not in PUBLIC_ROLES
        else:
            orgs.append(a.organisation)
    positions = Position.objects.valid_on(timezone.localdate()).filter(user=target).select_related("organisation")
    orgs += [p.organisation for p in positions]
    return wide, orgs


def can_administer_user(user: Any, target: Any) -> bool:
    """May `user` change `target`'s account (details, activation, unlocking)? A platform administrator may change any
    account; a scoped administrator only an account held entirely inside what they administer (every role and current
    position there, no platform-wide role), so nobody reaches an account wider than their own."""
    if administers_platform(user):
        return True
    if not is_administrator(user):
        return False
    wide, orgs = _footprint(target)
    return not wide and bool(orgs) and all(can_administer(user, org) for org in orgs)
