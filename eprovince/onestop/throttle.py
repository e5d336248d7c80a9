"""A fixed-window attempt counter per client address, in the cache (shared by every process with Redis)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

from .constants import DEFAULT_TRACKING_ATTEMPTS, DEFAULT_TRACKING_WINDOW_SECONDS


def tracking_attempt_allowed(ip: str | None) -> bool:
    """Count one tracking attempt from `ip`; False once the limit of the window is passed."""
    limit = int(getattr(settings, "ONESTOP_TRACKING_ATTEMPTS", DEFAULT_TRACKING_ATTEMPTS))
    window = int(getattr(settings, "ONESTOP_TRACKING_WINDOW_SECONDS", DEFAULT_TRACKING_WINDOW_SECONDS))
    key = f"onestop:track:{ip or 'unknown'}"
    if cache.add(key, 1, window):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, window)
        return True
    return count <= limit
