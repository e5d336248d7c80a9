"""Who may request and read the annual review: the Department's staff and leaders (the indicators module's reader
roles), for the Department they work in. A specialist of a division acts for the Department above it; a role
held for the whole platform covers every current Department. Other users see neither the page nor the jobs."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from eprovince.core.constants import OrganisationKind
from eprovince.core.models import Organisation, RoleAssignment
from eprovince.core.permissions import has_role

from ..constants import READER_ROLES
from ..models import ReviewReportJob


def can_use(user: Any) -> bool:
    return has_role(user, *READER_ROLES)


def _department_of(organisation: Organisation) -> Organisation | None:
    org: Organisation | None = organisation
    while org is not None and org.kind != OrganisationKind.DEPARTMENT:
        org = org.parent
    return org


def issuing_organisations(user: Any) -> QuerySet[Organisation]:
    """The Departments (current ones) on whose behalf `user` may request and read annual reviews."""
    current = Organisation.objects.valid_on(timezone.localdate()).filter(kind=OrganisationKind.DEPARTMENT)  # type: ignore[attr-defined]
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return current.none()  # type: ignore[no-any-return]
    if user.is_superuser:
        return current  # type: ignore[no-any-return]
    ids: set[int] = set()
    for assignment in RoleAssignment.objects.filter(user=user, role__in=READER_ROLES).select_related("organisation"):
        if assignment.organisation is None:
            return current  # type: ignore[no-any-return]
        department = _department_of(assignment.organisation)
        if department is not None:
            ids.add(department.pk)
        ids |= set(
            Organisation.objects.filter(
                path__startswith=assignment.organisation.path, kind=OrganisationKind.DEPARTMENT
            ).values_list("pk", flat=True)
        )
    return current.filter(pk__in=ids)  # type: ignore[no-any-return]


def can_request_for(user: Any, organisation: Organisation) -> bool:
    return issuing_organisations(user).filter(pk=organisation.pk).exists()


def visible_jobs(user: Any) -> QuerySet[ReviewReportJob]:
    """Jobs of the Departments the user works for (whoever requested them)."""
    departments = issuing_organisations(user).values("pk")
    return ReviewReportJob.objects.filter(organisation__in=departments).select_related("organisation", "requested_by")
