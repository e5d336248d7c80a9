from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from ..models import AuditEvent


def audit_events(
    *,
    actor: str = "",
    action: str = "",
    model: str = "",
    object_id: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    text: str = "",
) -> QuerySet[AuditEvent]:
    qs: QuerySet[AuditEvent] = AuditEvent.objects.select_related("content_type")
    if actor:
        qs = qs.filter(Q(actor_name__icontains=actor) | Q(actor__username__iexact=actor))
    if action:
        qs = qs.filter(action=action)
    if model:
        app_label, _, model_name = model.partition(".")
        qs = qs.filter(content_type__app_label=app_label, content_type__model=model_name)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)
    if text:
        qs = qs.filter(Q(object_repr__icontains=text) | Q(reason__icontains=text))
    return qs


def audit_models() -> list[dict[str, Any]]:
    """The kinds of object present in the trail, for the viewer's filter."""
    rows = (
        AuditEvent.objects.exclude(content_type=None)
        .values("content_type__app_label", "content_type__model")
        .distinct()
        .order_by("content_type__app_label", "content_type__model")
    )
    return [
        {
            "value": f"{r['content_type__app_label']}.{r['content_type__model']}",
            "label": f"{r['content_type__app_label']}.{r['content_type__model']}",
        }
        for r in rows
    ]
