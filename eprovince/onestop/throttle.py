"""A fixed-window attempt counter per client address, in the cache (shared by every process with Redis)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

from .constants import DEFAULT_SIGNUP_ATTEMPTS, DEFAULT_TRACKING_ATTEMPTS, DEFAULT_TRACKING_WINDOW_SECONDS


def attempt_allowed(scope: str, ip: str | None, *, limit: int, window: int) -> bool:
    """Count one attempt of `scope` from `ip`; False once `limit` attempts were made within `window` seconds."""
    key = f"onestop:{scope}:{ip or 'unknown'}"
    if cache.add(key, 1, window):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, window)
        return True
    return count <= limit


def tracking_attempt_allowed(ip: str | None) -> bool:
    """Count one tracking attempt from `ip`; False once the limit of the window is passed."""
    limit = int(getattr(settings, "ONESTOP_TRACKING_ATTEMPTS", DEFAULT_TRACKING_ATTEMPTS))
    window = int(getattr(settings, "ONESTOP_TRACKING_WINDOW_SECONDS", DEFAULT_TRACKING_WINDOW_SECONDS))
    return attempt_allowed("track", ip, limit=limit, window=window)


def signup_attempt_allowed(ip: str | None) -> bool:
    """Sign-ups and requests to re-send the verification email, per client address (each sends an email)."""
    limit = int(getattr(settings, "ONESTOP_SIGNUP_ATTEMPTS", DEFAULT_SIGNUP_ATTEMPTS))
    window = int(getattr(settings, "ONESTOP_TRACKING_WINDOW_SECONDS", DEFAULT_TRACKING_WINDOW_SECONDS))
    return attempt_allowed("signup", ip, limit=limit, window=window)
