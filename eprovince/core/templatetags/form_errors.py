"""`{% error_summary_items form forms as items %}`: the entries of includes/error_summary.html (core.form_errors)."""

from __future__ import annotations

from typing import Any

from django import template

from eprovince.core.form_errors import SummaryItem, summary_items

register = template.Library()


@register.simple_tag
def error_summary_items(form: Any = None, forms: Any = None) -> list[SummaryItem]:
    return summary_items(form, forms)
