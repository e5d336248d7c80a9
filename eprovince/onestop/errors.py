"""Errors of the one-stop services that interface code turns into messages or HTTP statuses."""

from __future__ import annotations

from django.utils.functional import Promise


class OneStopError(Exception):
    code = "onestop_error"

    def __init__(self, message: str | Promise) -> None:
        super().__init__(str(message))
        self.message = str(message)


class ActionNotAllowed(OneStopError):
    """The action does not exist at the dossier's current step, or not in its current state."""

    code = "action_not_allowed"


class StaleDossier(OneStopError):
    """The dossier changed since the caller read it (another officer acted first)."""

    code = "stale_version"
