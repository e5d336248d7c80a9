from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from ..constants import SubmissionStatus
from ..results import format_number

register = template.Library()


@register.filter
def vnum(value: Any, decimals: int = 0) -> str:
    """{{ value|vnum:1 }}: 252,1 and 4.020, as the Department writes numbers."""
    if value is None or value == "":
        return "—"
    return format_number(Decimal(value), int(decimals))


@register.filter
def pct(value: Any, decimals: int = 0) -> str:
    if value is None:
        return "—"
    return f"{format_number(Decimal(value), int(decimals))}%"


@register.filter
def submission_status(value: str) -> str:
    return str(SubmissionStatus(value).label) if value in SubmissionStatus.values else value


@register.filter
def signed(value: int | None) -> str:
    """Change of rank: ▲2, ▼1, or = ."""
    if value is None:
        return "—"
    if value > 0:
        return f"▲ {value}"
    if value < 0:
        return f"▼ {-value}"
    return "="


@register.filter
def ind_period_dates(period: Any, convention: str) -> str:
    """15/12/2008 – 14/06/2009: the dates of a period under a form's convention."""
    return f"{period.start(convention):%d/%m/%Y} – {period.end(convention):%d/%m/%Y}"


_OPERATORS = {"<=": "≤", ">=": "≥", "==": "=", "!=": "≠", "<": "<", ">": ">"}


@register.filter
def ind_operator(value: str) -> str:
    return _OPERATORS.get(value, value)
