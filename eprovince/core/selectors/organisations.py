"""Reading organisations for the public API and screens: search, filters, one organisation with its relations.

Only what may be published is read here: no people, no internal fields (path, search_name, tax code)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from ..models import Organisation, RoleAssignment
from ..models.organisations import OrganisationQuerySet
from ..models.validity import valid_on_q
from ..text import fold


def organisation_list(
    *,
    q: str = "",
    kind: str = "",
    parent_id: int | None = None,
    on: dt.date | None = None,
) -> QuerySet[Organisation]:
    """Organisations matching every filter, in tree order (each organisation followed by those below it).

    `q` ignores case and diacritics: "thong tin truyen thong" finds "Sở Thông tin và Truyền thông"; every word
    must appear, in any order, in the name, the short name or the electronic code. `on` keeps only organisations
    in existence on that day; without it, dissolved organisations are included too."""
    qs: OrganisationQuerySet = Organisation.objects.select_related("parent", "admin_unit")
    for word in fold(q).split():
        qs = qs.filter(Q(search_name__contains=word) | Q(electronic_code__icontains=word))
    if kind:
        qs = qs.filter(kind=kind)
    if parent_id is not None:
        qs = qs.filter(parent_id=parent_id)
    if on is not None:
        qs = qs.filter(valid_on_q(on))
    return qs.order_by("path", "pk")


def organisation_detail(*, organisation_id: int) -> Organisation:
    """One organisation with its parent, area, successor, predecessors and number of direct children.

    Raises Organisation.DoesNotExist when there is none."""
    return (
        Organisation.objects.select_related("parent", "admin_unit", "successor")
        .prefetch_related(Prefetch("predecessors", queryset=Organisation.objects.order_by("name", "pk")))
        .annotate(children_count=Count("children", distinct=True))
        .get(pk=organisation_id)
    )


def user_role_scopes(*, user: Any) -> list[RoleAssignment]:
    """The roles `user` holds and the organisation each is held for (None: the whole platform)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(RoleAssignment.objects.filter(user=user).select_related("organisation").order_by("role", "organisation__path"))
