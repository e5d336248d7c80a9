"""Helpers shared by the services: permission checks, messages with dates, upserts with their audit row."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from eprovince.core.constants import AuditAction
from eprovince.core.models import User
from eprovince.core.services.audit import audit_record, snapshot


def when(moment: dt.datetime | None) -> str:
    if moment is None:
        return "—"
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def require(allowed: bool, acting_user: User | None, message: str) -> None:
    """The system (acting_user None) may do anything; a person needs `allowed`."""
    if acting_user is not None and not allowed:
        raise PermissionDenied(message)


def upsert[M: models.Model](
    model: type[M], *, lookup: dict[str, Any], fields: dict[str, Any], acting_user: User | None, reason: str = ""
) -> tuple[M, bool]:
    """The row matching `lookup`, created or changed to have `fields`; validated, saved and audited if it changed."""
    obj = model._default_manager.filter(**lookup).first()
    created = obj is None
    if obj is None:
        obj = model(**lookup, **fields)
        before = None
    else:
        if not any(_differs(obj, name, value) for name, value in fields.items()):
            return obj, False
        before = snapshot(obj)
        for name, value in fields.items():
            setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=obj,
        before=before,
        after=snapshot(obj),
        reason=reason,
    )
    return obj, created


def _differs(obj: models.Model, name: str, value: Any) -> bool:
    """Would setting `name` to `value` change the stored row? Decimals compare by value (1 == 1.0000)."""
    field = obj._meta.get_field(name)
    current = getattr(obj, getattr(field, "attname", name))
    if isinstance(field, models.ForeignKey):
        return current != (value.pk if isinstance(value, models.Model) else value)
    if isinstance(field, models.DecimalField) and value is not None and current is not None:
        return Decimal(current) != Decimal(str(value))
    return bool(current != value)


def not_allowed() -> str:
    return _("Bạn không có quyền thực hiện thao tác này.")
