"""Creating and changing organisations, keeping their materialised paths true."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..constants import AuditAction
from ..models import Organisation, User
from ..text import fold
from .audit import audit_record, snapshot

# The fields a service call (and the administrators' form) may set.
ORGANISATION_FIELDS = (
    "name",
    "short_name",
    "kind",
    "parent",
    "admin_unit",
    "electronic_code",
    "tax_code",
    "successor",
    "address",
    "phone",
    "email",
    "valid_from",
    "valid_to",
)


def _compute_path(org: Organisation) -> str:
    return f"{org.parent.path if org.parent else '/'}{org.pk}/"


@transaction.atomic
def organisation_create(*, acting_user: User | None, reason: str = "", **fields: Any) -> Organisation:
    unknown = set(fields) - set(ORGANISATION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown organisation fields: {sorted(unknown)}")
    org = Organisation(**fields)
    org.search_name = fold(f"{org.name} {org.short_name}")
    org.path = "/pending/"
    org.full_clean(exclude=["path"])
    org.save()
    org.path = _compute_path(org)
    org.save(update_fields=["path"])
    audit_record(actor=acting_user, action=AuditAction.CREATE, obj=org, after=snapshot(org), reason=reason)
    return org


@transaction.atomic
def organisation_update(*, organisation: Organisation, acting_user: User | None, reason: str = "", **fields: Any) -> Organisation:
    unknown = set(fields) - set(ORGANISATION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown organisation fields: {sorted(unknown)}")
    org = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = snapshot(org)
    for name, value in fields.items():
        setattr(org, name, value)
    if org.parent_id is not None:
        parent = Organisation.objects.get(pk=org.parent_id)
        if parent.path.startswith(org.path):
            raise ValidationError({"parent": _("Không thể đặt một đơn vị trực thuộc chính nó hoặc đơn vị cấp dưới của nó.")})
    org.search_name = fold(f"{org.name} {org.short_name}")
    org.full_clean(exclude=["path"])
    old_path = org.path
    org.path = _compute_path(org)
    org.save()
    if old_path != org.path:
        # Move the subtree with it.
        for child in Organisation.objects.filter(path__startswith=old_path).exclude(pk=org.pk):
            child.path = org.path + child.path[len(old_path) :]
            child.save(update_fields=["path"])
    audit_record(actor=acting_user, action=AuditAction.UPDATE, obj=org, before=before, after=snapshot(org), reason=reason)
    organisation.refresh_from_db()
    return org
