"""Core API: authentication (session or bearer token), JSON errors, administrative units and organisations."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI, Router

router = Router(tags=["core"])


def optional_auth() -> Any:
    return None


def install_error_handlers(api: NinjaAPI) -> None:
    return None
