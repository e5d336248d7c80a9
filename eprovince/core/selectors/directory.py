"""Reads for the staff directory: organisations and people, limited to what the user's roles cover."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from ..constants import PUBLIC_ROLES, Role
from ..models import Organisation, Position, User
from ..models.validity import valid_on_q
from ..permissions import has_role, scoped_organisations
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
    return has_role(user, Role.ADMIN)


def users_list(*, q: str = "", role: str = "", locked: bool = False) -> QuerySet[User]:
    qs = User.objects.all().prefetch_related("role_assignments__organisation").order_by("username")
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(full_name__icontains=q) | Q(email__icontains=q))
    if role:
        qs = qs.filter(role_assignments__role=role).distinct()
    if locked:
        qs = qs.filter(locked_until__gt=timezone.now())
    return qs
