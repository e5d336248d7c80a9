from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from . import modules


def platform(request: HttpRequest) -> dict[str, Any]:
    links = modules.public_links()
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else None
    return {
        "PLATFORM_NAME": settings.PLATFORM_NAME,
        "DEMO_MODE": settings.DEMO_MODE,
        "PUBLIC_NAV": links,
        "PUBLIC_NAV_CURRENT": next((link.key for link in links if link.is_current(view_name)), ""),
    }
