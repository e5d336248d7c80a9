"""The one-stop shop's throttles: public tracking and sign-ups, per client address (core.throttle, in the shared
cache)."""

from __future__ import annotations

from django.conf import settings

from eprovince.core.throttle import attempt_allowed

from .constants import DEFAULT_SIGNUP_ATTEMPTS, DEFAULT_TRACKING_ATTEMPTS, DEFAULT_TRACKING_WINDOW_SECONDS


def tracking_attempt_allowed(ip: str | None) -> bool:
    """Count one tracking attempt from `ip`; False once the limit of the window is passed."""
    limit = int(getattr(settings, "ONESTOP_TRACKING_ATTEMPTS", DEFAULT_TRACKING_ATTEMPTS))
    window = int(getattr(settings, "ONESTOP_TRACKING_WINDOW_SECONDS", DEFAULT_TRACKING_WINDOW_SECONDS))
    return attempt_allowed("onestop:track", ip, limit=limit, window=window)


def signup_attempt_allowed(ip: str | None) -> bool:
    """Sign-ups and requests to re-send the verification email, per client address (each sends an email)."""
    limit = int(getattr(settings, "ONESTOP_SIGNUP_ATTEMPTS", DEFAULT_SIGNUP_ATTEMPTS))
    window = int(getattr(settings, "ONESTOP_TRACKING_WINDOW_SECONDS", DEFAULT_TRACKING_WINDOW_SECONDS))
    return attempt_allowed("onestop:signup", ip, limit=limit, window=window)
