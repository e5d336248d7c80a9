from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def vnd(value: Any) -> str:
    """1500000 → "1.500.000 đồng" (the Vietnamese grouping, whatever the active language)."""
    try:
        amount = int(value)
    except (TypeError, ValueError):
        return ""
    return _("%(amount)s đồng") % {"amount": f"{amount:,}".replace(",", ".")}


@register.filter
def deadline_state(due: dt.datetime | None) -> str:
    """ "overdue", "today" or "" for a due moment, to colour it."""
    if due is None:
        return ""
    now = timezone.now()
    if due < now:
        return "overdue"
    if timezone.localdate(due) == timezone.localdate(now):
        return "today"
    return ""


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key) if mapping else None
