"""Every deadline of the one-stop shop, computed by the working-day engine (eprovince.workcalendar).

The one place that calls the calendar: if its API changes, only this module changes. The calendar's own rules
decide how days are counted (day of receipt, after-hours submissions, what a supplement pause does)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.utils import timezone

from eprovince.workcalendar import engine
from eprovince.workcalendar.selectors import calendar_snapshot

from .constants import DEFAULT_DUE_SOON_WORKING_DAYS

Pause = tuple[dt.datetime, dt.datetime | None]


def calendar() -> engine.CalendarSnapshot:
    return calendar_snapshot()


def due_at(received_at: dt.datetime, working_days: int, pauses: Sequence[Pause] = ()) -> dt.datetime | None:
    """When a dossier received at `received_at` with `working_days` to handle it is due, given its supplement
    pauses [(requested, supplied or None)]. None while a pause is open (the clock is stopped)."""
    return engine.due_with_pauses(calendar(), received_at, working_days, pauses)


def expected_return(now: dt.datetime, working_days: int, *, cal: engine.CalendarSnapshot | None = None) -> dt.datetime:
    """The return date a dossier complete and received at `now` would get (shown in the public catalogue).
    Pass `cal` (from calendar()) when computing many."""
    return engine.add_working_days(cal or calendar(), now, working_days)


def is_working_day(day: dt.date) -> bool:
    return engine.is_working_day(calendar(), day)


def close_of_working_day(day: dt.date) -> dt.datetime | None:
    """The end of working day `day` (a new appointment is due then); None if `day` is not a working day."""
    cal = calendar()
    return engine.close_of(cal, day) if engine.is_working_day(cal, day) else None


def due_soon_limit(now: dt.datetime) -> dt.datetime:
    """Dossiers due at or before this moment (and not yet overdue) are "due soon"."""
    days = int(getattr(settings, "ONESTOP_DUE_SOON_WORKING_DAYS", DEFAULT_DUE_SOON_WORKING_DAYS))
    return engine.add_working_days(calendar(), now, days)


def working_days_ago(days: int, hour: int, minute: int = 0) -> dt.datetime:
    """hour:minute on the working day `days` working days before today (0: today or the last working day), never later
    than a few minutes ago. For demo data and tests that need dossiers of a given age."""
    cal = calendar()
    day = timezone.localdate()
    while not engine.is_working_day(cal, day):
        day -= dt.timedelta(days=1)
    for _ in range(days):
        day -= dt.timedelta(days=1)
        while not engine.is_working_day(cal, day):
            day -= dt.timedelta(days=1)
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))
    return min(moment, timezone.now() - dt.timedelta(minutes=5))
