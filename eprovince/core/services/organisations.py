"""Creating and changing organisations, keeping their materialised paths true."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..constants import AuditAction
from ..models import Organisation, User
from ..permissions import can_administer
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


def _check_placement(acting_user: User | None, fields: dict[str, Any], current: Organisation | None = None) -> None:
    """A scoped administrator places an organisation only under one they administer (a top-level organisation is the
    platform's) and names only a successor they administer; a link left as it was is not checked again.
    acting_user None is the system (demo data, imports)."""
    if acting_user is None:
        return
    errors: dict[str, Any] = {}  # every problem at once, not one per round
    if "parent" in fields:
        parent = fields["parent"]
        unchanged = current is not None and current.parent_id == (parent.pk if parent is not None else None)
        if not unchanged and not can_administer(acting_user, parent):
            errors["parent"] = _(
                "Vui lòng chọn cơ quan cấp trên trong phạm vi bạn quản trị "
                "(chỉ quản trị viên toàn hệ thống mới tạo hoặc chuyển cơ quan lên cấp cao nhất)."
            )
    successor = fields.get("successor")
    unchanged = current is not None and successor is not None and current.successor_id == successor.pk
    if successor is not None and not unchanged and not can_administer(acting_user, successor):
        errors["successor"] = _("Vui lòng chọn cơ quan kế thừa trong phạm vi bạn quản trị.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def organisation_create(*, acting_user: User | None, reason: str = "", **fields: Any) -> Organisation:
    unknown = set(fields) - set(ORGANISATION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown organisation fields: {sorted(unknown)}")
    _check_placement(acting_user, {"parent": None, **fields})
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
    if acting_user is not None and not can_administer(acting_user, org):
        raise PermissionDenied(_("Bạn không có quyền quản trị %(organisation)s.") % {"organisation": org})
    _check_placement(acting_user, fields, current=org)
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
