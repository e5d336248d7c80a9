"""`{{ value|weekday }}`: the weekday of a date or datetime in words (Thứ Hai … Chủ Nhật), as the API gives it."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

from ..constants import WEEKDAY_NAMES

register = template.Library()


@register.filter
def weekday(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return str(WEEKDAY_NAMES[value.weekday()])
