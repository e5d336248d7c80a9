"""API for administrative units, with their history."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["units"])
