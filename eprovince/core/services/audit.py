"""Recording the audit trail. Call `audit_record` inside the transaction that makes the change."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from .. import request_context
from ..constants import AuditAction
from ..models import AuditEvent, User


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The values of `obj`'s concrete fields (foreign keys as ids), JSON-safe, for before/after records."""
    names = list(fields) if fields is not None else [f.attname for f in obj._meta.concrete_fields]
    encoder = DjangoJSONEncoder()
    result: dict[str, Any] = {}
    for name in names:
        value = getattr(obj, name)
        if isinstance(value, (str, int, float, bool)) or value is None:
            result[name] = value
        else:
            result[name] = encoder.default(value) if not isinstance(value, (list, dict)) else value
    return result


def audit_record(
    *,
    actor: User | None,
    action: AuditAction | str,
    obj: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    object_repr: str = "",
) -> AuditEvent:
    ctx = request_context.get()
    actor_obj = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    if before is not None and after is not None:
        # Keep only what changed, so the viewer shows the difference and the row stays small.
        changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
        before = {k: v for k, v in before.items() if k in changed}
        after = {k: v for k, v in after.items() if k in changed}
    return AuditEvent.objects.create(
        actor=actor_obj,
        actor_name=str(actor_obj) if actor_obj else "",
        action=str(action),
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=(object_repr or (str(obj) if obj is not None else ""))[:255],
        before=before,
        after=after,
        reason=reason,
        ip_address=ctx.ip_address,
        request_id=ctx.request_id,
    )
