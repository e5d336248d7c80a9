"""A fixed-window attempt counter per client address, in the cache: shared by every process and node with Redis
(production requires REDIS_URL, or says SINGLE_NODE=1), so that no node gives a client a fresh bucket."""

from __future__ import annotations

from django.core.cache import cache


def attempt_allowed(scope: str, ip: str | None, *, limit: int, window: int) -> bool:
    """Count one attempt of `scope` from `ip`; False once `limit` attempts were made within `window` seconds."""
    key = f"throttle:{scope}:{ip or 'unknown'}"
    if cache.add(key, 1, window):
        return limit >= 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, window)
        return limit >= 1
    return count <= limit
