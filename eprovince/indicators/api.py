"""Indicators API: data values in bulk, indicators, index results."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["indicators"])
