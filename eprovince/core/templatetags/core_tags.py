from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context: dict[str, Any], **kwargs: Any) -> str:
    """The current query string with some parameters replaced: keeps filters across pagination links."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()


@register.filter
def is_staff_member(user: Any) -> bool:
    """Does `user` work in the administration (citizens and businesses do not see the workspace)?"""
    from eprovince.core.permissions import is_staff_member as staff

    return bool(getattr(user, "is_authenticated", False)) and staff(user)
