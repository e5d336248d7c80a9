"""The deadline engine: pure functions over a `CalendarSnapshot` (no database; selectors.calendar_snapshot() loads one).

Working time
    A date is a working day when it has working sessions: Monday-Friday by default (the weekday's sessions in the
    snapshot), except a `day_off` date; a Saturday or Sunday is worked only when it is a make-up `working_day` (it
    then has the sessions of the first weekday that has any). Sessions are closed intervals: 17:00:00 is still inside
    the afternoon session, 17:00:01 is after hours. The close of a day is the end of its last session.

The moment the count starts (`counted_from`)
    With `after_hours_next_session` (default), a receipt outside every session counts from the start of the next
    session: received Friday 18:00 → counted from Monday 07:30. Without it, the receipt moment itself counts.

Mode `whole_days` (default; Civil Code 2015 art. 147-148 read with the one-stop decree)
    The day of receipt is not counted; the dossier is due at the close of the Nth working day after it. Received
    Monday 09:00 with 3 days → due Thursday 17:00. With `receipt_morning_counts`, a dossier counted from before the
    end of a working day's first session counts that day as day 1 (Monday 09:00 + 3 → Wednesday 17:00).
    `working_days_between(a, b)` is the number of counted working days whose close lies at or before b.

Mode `working_hours` (OpenCPS: "8 working hours = 1 day", here one day = that day's own session time)
    The clock runs only during sessions; N days later is the same fraction of the working day, N working days on:
    received Monday 09:00 (1.5 h of 7.5 h into the day) + 3 → Thursday 09:00. Exactly a whole number of days
    falls on the close of the earlier day (Monday 07:30 + 1 → Monday 17:00, not Tuesday 07:30).
    `working_days_between` is the whole number of working days of clock time elapsed.

Zero days (both modes): due at the close of the day the count starts on, never earlier than that start, so a
dossier is never overdue on the day it is received.

Laws checked by the tests: the due date is always a working moment, never before `counted_from`, monotonic in n and
in start; working_days_between(start, add_working_days(start, n)) == n (n >= 1, and n = 0 in whole_days without the
morning rule); add_working_days(start, a + b) == add_working_days(add_working_days(start, a), b) for a, b >= 1 (and
for all a, b >= 0 with the default rule).

Supplements (`due_with_pauses`)
    A supplement request stops the clock at its start; when the complete supplement arrives (its end) the clock
    starts again from that moment, counted like a new receipt (after-hours and day-of-receipt rules apply). `resume`
    (default): the working time not yet used continues (whole days: N minus the days already counted at the pause);
    `restart`: the full N starts again. A request made after the due moment does not move it (the dossier was
    already late); a pause still open means no due date (None).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from zoneinfo import ZoneInfo

from .constants import DEFAULT_WEEKDAY_SESSIONS, CountingMode, SupplementMode

Session = tuple[dt.time, dt.time]
Pause = tuple[dt.datetime, dt.datetime | None]

ONE_DAY = dt.timedelta(days=1)
# Guards against a calendar with no working day at all (every loop is bounded by this many calendar days).
_SEARCH_LIMIT_DAYS = 366 * 20


@dataclass(frozen=True)
class DeadlineRules:
    counting_mode: str = CountingMode.WHOLE_DAYS
    after_hours_next_session: bool = True
    receipt_morning_counts: bool = False
    supplement_mode: str = SupplementMode.RESUME
    legal_basis: str = ""


@dataclass(frozen=True)
class CalendarSnapshot:
    days_off: frozenset[dt.date] = frozenset()
    working_days: frozenset[dt.date] = frozenset()
    weekday_sessions: tuple[tuple[Session, ...], ...] = DEFAULT_WEEKDAY_SESSIONS
    rules: DeadlineRules = field(default_factory=DeadlineRules)
    timezone: str = "Asia/Ho_Chi_Minh"

    def __post_init__(self) -> None:
        if len(self.weekday_sessions) != 7:
            raise ValueError("weekday_sessions needs one entry per weekday (Monday first).")
        for sessions in self.weekday_sessions:
            validate_sessions(sessions)
        if not any(self.weekday_sessions):
            raise ValueError("At least one weekday must have working sessions.")
        if self.days_off & self.working_days:
            raise ValueError("A date cannot be both a day off and a make-up working day.")
        if self.rules.counting_mode not in CountingMode.values or self.rules.supplement_mode not in SupplementMode.values:
            raise ValueError("Unknown counting or supplement mode.")

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @cached_property
    def makeup_sessions(self) -> tuple[Session, ...]:
        return next(s for s in self.weekday_sessions if s)

    def sessions_on(self, day: dt.date) -> tuple[Session, ...]:
        if day in self.days_off:
            return ()
        sessions = self.weekday_sessions[day.weekday()]
        if not sessions and day in self.working_days:
            return self.makeup_sessions
        return sessions


def validate_sessions(sessions: Sequence[Session]) -> None:
    previous_end: dt.time | None = None
    for start, end in sessions:
        if not start < end:
            raise ValueError("A session must start before it ends.")
        if previous_end is not None and start <= previous_end:
            raise ValueError("Sessions of a day must be in order and must not overlap.")
        previous_end = end


# --- Days ------------------------------------------------------------------------------------------------------------


def is_working_day(cal: CalendarSnapshot, day: dt.date) -> bool:
    return bool(cal.sessions_on(day))


def next_working_day(cal: CalendarSnapshot, day: dt.date) -> dt.date:
    """The first working day strictly after `day`."""
    for _ in range(_SEARCH_LIMIT_DAYS):
        day += ONE_DAY
        if is_working_day(cal, day):
            return day
    raise ValueError("No working day found in the calendar.")


def nth_working_day_after(cal: CalendarSnapshot, day: dt.date, n: int) -> dt.date:
    """The nth working day strictly after `day`; n = 0 gives `day` itself."""
    for _ in range(n):
        day = next_working_day(cal, day)
    return day


def count_working_days(cal: CalendarSnapshot, after: dt.date, through: dt.date) -> int:
    """How many working days d with after < d <= through."""
    count, day = 0, after + ONE_DAY
    while day <= through:
        count += is_working_day(cal, day)
        day += ONE_DAY
    return count


def _at(cal: CalendarSnapshot, day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=cal.tz)


def close_of(cal: CalendarSnapshot, day: dt.date) -> dt.datetime:
    """The end of the last session of working day `day`."""
    return _at(cal, day, cal.sessions_on(day)[-1][1])


# --- Moments ---------------------------------------------------------------------------------------------------------


def _local(cal: CalendarSnapshot, moment: dt.datetime) -> dt.datetime:
    if not isinstance(moment, dt.datetime) or moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("Deadlines need timezone-aware datetimes.")
    return moment.astimezone(cal.tz)


def is_working_moment(cal: CalendarSnapshot, moment: dt.datetime) -> bool:
    local = _local(cal, moment)
    clock = local.time()
    return any(start <= clock <= end for start, end in cal.sessions_on(local.date()))


def next_working_session_start(cal: CalendarSnapshot, moment: dt.datetime) -> dt.datetime:
    """The start of the first session beginning at or after `moment`."""
    local = _local(cal, moment)
    day, clock = local.date(), local.time()
    for start, _end in cal.sessions_on(day):
        if start >= clock:
            return _at(cal, day, start)
    day = next_working_day(cal, day)
    return _at(cal, day, cal.sessions_on(day)[0][0])


def counted_from(cal: CalendarSnapshot, received_at: dt.datetime) -> dt.datetime:
    """The moment the count starts for a dossier received at `received_at` (see the module docstring)."""
    local = _local(cal, received_at)
    if is_working_moment(cal, local):
        return local
    if cal.rules.after_hours_next_session or cal.rules.counting_mode == CountingMode.WORKING_HOURS:
        # In working_hours mode no clock time passes outside sessions: the next session start is the same position.
        return next_working_session_start(cal, local)
    return local


# --- Whole working days ----------------------------------------------------------------------------------------------


def _whole_start(cal: CalendarSnapshot, start: dt.datetime) -> tuple[dt.datetime, dt.date, bool]:
    """(counted_from, the day of receipt, whether that day counts as day 1)."""
    c = counted_from(cal, start)
    day = c.date()
    sessions = cal.sessions_on(day)
    morning = bool(cal.rules.receipt_morning_counts and sessions and c.time() < sessions[0][1])
    return c, day, morning


def _whole_add(cal: CalendarSnapshot, start: dt.datetime, n: int) -> dt.datetime:
    if n == 0:
        return _close_of_start_day(cal, start)
    _c, day, morning = _whole_start(cal, start)
    if morning:
        return close_of(cal, nth_working_day_after(cal, day, n - 1))
    return close_of(cal, nth_working_day_after(cal, day, n))


def _whole_between(cal: CalendarSnapshot, a: dt.datetime, b: dt.datetime) -> int:
    _c, day, morning = _whole_start(cal, a)
    end = _local(cal, b)
    last = end.date()
    if is_working_day(cal, last) and close_of(cal, last) > end:
        last -= ONE_DAY
    count = count_working_days(cal, day, last)
    if morning and close_of(cal, day) <= end:
        count += 1
    return count


# --- Working hours ---------------------------------------------------------------------------------------------------


def _seconds(t: dt.time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


def _day_length_us(sessions: Sequence[Session]) -> int:
    return sum(_seconds(e) - _seconds(s) for s, e in sessions) * 1_000_000


def _position(cal: CalendarSnapshot, moment: dt.datetime) -> tuple[dt.date, Fraction]:
    """Where `moment` falls on the working clock: (a working day, the fraction of its working time already past)."""
    local = _local(cal, moment)
    day = local.date()
    sessions = cal.sessions_on(day)
    if not sessions:
        return next_working_day(cal, day), Fraction(0)
    clock_us = (_seconds(local.time()) * 1_000_000) + local.microsecond
    worked = 0
    for s, e in sessions:
        start_us, end_us = _seconds(s) * 1_000_000, _seconds(e) * 1_000_000
        worked += max(0, min(clock_us, end_us) - start_us)
    return day, Fraction(worked, _day_length_us(sessions))


def _moment_at(cal: CalendarSnapshot, day: dt.date, fraction: Fraction) -> dt.datetime:
    """The earliest moment of working day `day` with `fraction` of its working time past (rounded up to 1 µs)."""
    sessions = cal.sessions_on(day)
    offset = math.ceil(fraction * _day_length_us(sessions))
    for s, e in sessions:
        length = (_seconds(e) - _seconds(s)) * 1_000_000
        if offset <= length:
            return _at(cal, day, s) + dt.timedelta(microseconds=offset)
        offset -= length
    return close_of(cal, day)


def _hours_add(cal: CalendarSnapshot, start: dt.datetime, days: Fraction) -> dt.datetime:
    day, fraction = _position(cal, counted_from(cal, start))
    total = fraction + days
    whole = math.floor(total)
    rest = total - whole
    if rest == 0 and whole >= 1:
        return close_of(cal, nth_working_day_after(cal, day, whole - 1))
    return _moment_at(cal, nth_working_day_after(cal, day, whole), rest)


def _hours_elapsed(cal: CalendarSnapshot, a: dt.datetime, b: dt.datetime) -> Fraction:
    """Working days of clock time from `a` to `b` (0 when b is not after a)."""
    day_a, frac_a = _position(cal, counted_from(cal, a))
    day_b, frac_b = _position(cal, b)
    if day_b < day_a:
        return Fraction(0)
    return max(Fraction(0), count_working_days(cal, day_a, day_b) + frac_b - frac_a)


# --- Public functions ------------------------------------------------------------------------------------------------


def _check_days(n: int) -> None:
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError("The number of working days must be a non-negative integer.")


def _close_of_start_day(cal: CalendarSnapshot, start: dt.datetime) -> dt.datetime:
    c = counted_from(cal, start)
    day = c.date()
    if is_working_day(cal, day) and c <= close_of(cal, day):
        return close_of(cal, day)
    return close_of(cal, next_working_day(cal, day))


def add_working_days(cal: CalendarSnapshot, start: dt.datetime, n: int) -> dt.datetime:
    """The due moment of a dossier received at `start` with `n` working days to process it."""
    _check_days(n)
    if cal.rules.counting_mode == CountingMode.WORKING_HOURS:
        if n == 0:
            return _close_of_start_day(cal, start)
        return _hours_add(cal, start, Fraction(n))
    return _whole_add(cal, start, n)


def working_days_between(cal: CalendarSnapshot, a: dt.datetime, b: dt.datetime) -> int:
    """Working days counted from a dossier received at `a` up to moment `b` (0 if b is not after a)."""
    if _local(cal, b) <= _local(cal, a):
        return 0
    if cal.rules.counting_mode == CountingMode.WORKING_HOURS:
        return math.floor(_hours_elapsed(cal, a, b))
    return _whole_between(cal, a, b)


def _add_remaining(cal: CalendarSnapshot, start: dt.datetime, remaining: int | Fraction) -> dt.datetime:
    if remaining == 0:
        return _close_of_start_day(cal, start)
    if cal.rules.counting_mode == CountingMode.WORKING_HOURS:
        return _hours_add(cal, start, Fraction(remaining))
    return _whole_add(cal, start, int(remaining))


def _sorted_pauses(cal: CalendarSnapshot, pauses: Iterable[Pause]) -> list[Pause]:
    items = sorted(((_local(cal, p), None if q is None else _local(cal, q)) for p, q in pauses), key=lambda pq: pq[0])
    for i, (p, q) in enumerate(items):
        if q is not None and q < p:
            raise ValueError("A pause cannot end before it starts.")
        if q is None and i != len(items) - 1:
            raise ValueError("Only the last pause may still be open.")
    return items


def due_with_pauses(
    cal: CalendarSnapshot,
    received_at: dt.datetime,
    n: int,
    pauses: Iterable[Pause] = (),
    *,
    supplement_mode: str | None = None,
) -> dt.datetime | None:
    """The due moment once the supplement pauses [(requested_at, supplied_at or None)] are taken into account."""
    _check_days(n)
    mode = supplement_mode or cal.rules.supplement_mode
    if mode not in SupplementMode.values:
        raise ValueError("Unknown supplement mode.")
    clock_start = _local(cal, received_at)
    remaining: int | Fraction = n
    due = add_working_days(cal, clock_start, n)
    for p, q in _sorted_pauses(cal, pauses):
        # A pause over before the clock (re)started changes nothing; one begun earlier counts from that restart.
        if q is not None and q <= clock_start:
            continue
        p = max(p, clock_start)
        if p > due:
            break
        if mode == SupplementMode.RESTART:
            remaining = n
        elif cal.rules.counting_mode == CountingMode.WORKING_HOURS:
            remaining = max(Fraction(0), Fraction(remaining) - _hours_elapsed(cal, clock_start, p))
        else:
            remaining = max(0, int(remaining) - working_days_between(cal, clock_start, p))
        if q is None:
            return None
        clock_start = q
        due = _add_remaining(cal, q, remaining)
    return due
