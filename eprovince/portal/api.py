"""Portal API: published news."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["news"])
