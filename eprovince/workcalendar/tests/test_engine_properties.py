"""Laws of the deadline engine, checked by hypothesis on the official calendar and on random calendars and rules."""

from __future__ import annotations

import datetime as dt

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from eprovince.workcalendar.constants import DEFAULT_SESSIONS, CountingMode, SupplementMode
from eprovince.workcalendar.engine import (
    CalendarSnapshot,
    DeadlineRules,
    add_working_days,
    close_of,
    counted_from,
    due_with_pauses,
    is_working_day,
    is_working_moment,
    working_days_between,
)

from .conftest import VN, cached_snapshot

ONE_US = dt.timedelta(microseconds=1)
MONDAY_TO_SATURDAY = (DEFAULT_SESSIONS,) * 6 + ((),)
MORNINGS_ONLY = (((dt.time(8), dt.time(12)),),) * 5 + ((),) * 2
# Unequal days (a short Friday): working-hours rounding may then differ by a microsecond between two paths.
SHORT_FRIDAY = (DEFAULT_SESSIONS,) * 4 + (((dt.time(7, 30), dt.time(11, 30)),),) + ((),) * 2
UNIFORM_WEEKS = (None, MONDAY_TO_SATURDAY, MORNINGS_ONLY)

rules_strategy = st.builds(
    DeadlineRules,
    counting_mode=st.sampled_from(CountingMode.values),
    after_hours_next_session=st.booleans(),
    receipt_morning_counts=st.booleans(),
    supplement_mode=st.sampled_from(SupplementMode.values),
)


@st.composite
def random_calendars(draw: st.DrawFn, weeks: tuple = (*UNIFORM_WEEKS, SHORT_FRIDAY)) -> CalendarSnapshot:
    week = draw(st.sampled_from(weeks)) or (DEFAULT_SESSIONS,) * 5 + ((),) * 2
    base = dt.date(2025, 1, 1)
    days = [base + dt.timedelta(days=i) for i in range(400)]
    worked = [d for d in days if week[d.weekday()]]
    rest = [d for d in days if not week[d.weekday()]]
    off = draw(st.sets(st.sampled_from(worked), max_size=40))
    makeup = draw(st.sets(st.sampled_from(rest), max_size=10))
    return CalendarSnapshot(
        days_off=frozenset(off), working_days=frozenset(makeup), weekday_sessions=week, rules=draw(rules_strategy)
    )


official_calendars = st.builds(
    lambda rules: cached_snapshot(
        **{f: getattr(rules, f) for f in ("counting_mode", "after_hours_next_session", "receipt_morning_counts")}
    ),
    rules_strategy,
)
any_calendar = st.one_of(official_calendars, random_calendars())

moments = st.builds(
    lambda minutes, us: dt.datetime(2024, 12, 20, tzinfo=VN) + dt.timedelta(minutes=minutes, microseconds=us),
    st.integers(0, 60 * 24 * 380),
    st.one_of(st.just(0), st.integers(0, 59_999_999)),
)
days_n = st.integers(0, 40)


def _plain_rule(cal: CalendarSnapshot) -> bool:
    """The default rule: every law holds for every n, including zero."""
    r = cal.rules
    return r.counting_mode == CountingMode.WHOLE_DAYS and r.after_hours_next_session and not r.receipt_morning_counts


@given(any_calendar, moments, days_n)
def test_due_is_a_working_moment_never_before_the_count_starts(cal: CalendarSnapshot, start: dt.datetime, n: int) -> None:
    due = add_working_days(cal, start, n)
    assert is_working_moment(cal, due)
    assert due >= counted_from(cal, start) >= start
    assert is_working_day(cal, due.date())


@given(any_calendar, moments, days_n)
def test_due_is_monotonic_in_n(cal: CalendarSnapshot, start: dt.datetime, n: int) -> None:
    assert add_working_days(cal, start, n) <= add_working_days(cal, start, n + 1)


@given(any_calendar, moments, moments, days_n)
def test_due_is_monotonic_in_start(cal: CalendarSnapshot, a: dt.datetime, b: dt.datetime, n: int) -> None:
    a, b = min(a, b), max(a, b)
    assert add_working_days(cal, a, n) <= add_working_days(cal, b, n)


@given(any_calendar, moments, days_n)
def test_working_days_between_inverts_add(cal: CalendarSnapshot, start: dt.datetime, n: int) -> None:
    assume(n >= 1 or _plain_rule(cal))
    due = add_working_days(cal, start, n)
    assert working_days_between(cal, start, due) == n
    if n >= 1:  # and the deadline is tight: a microsecond earlier, one day is still missing
        assert working_days_between(cal, start, due - ONE_US) == n - 1


@given(any_calendar, moments, moments, moments)
def test_working_days_between_is_monotonic(cal: CalendarSnapshot, start: dt.datetime, b: dt.datetime, c: dt.datetime) -> None:
    b, c = min(b, c), max(b, c)
    assert 0 <= working_days_between(cal, start, b) <= working_days_between(cal, start, c)


@given(st.one_of(official_calendars, random_calendars(weeks=UNIFORM_WEEKS)), moments, st.integers(0, 20), st.integers(0, 20))
def test_adding_in_two_steps_equals_adding_at_once(cal: CalendarSnapshot, start: dt.datetime, a: int, b: int) -> None:
    """Holds for a, b >= 1 under every rule, and for zero too under the default rule."""
    assume((a >= 1 and b >= 1) or _plain_rule(cal))
    assert add_working_days(cal, start, a + b) == add_working_days(cal, add_working_days(cal, start, a), b)


@given(random_calendars(weeks=(SHORT_FRIDAY,)), moments, st.integers(1, 20), st.integers(1, 20))
def test_two_steps_on_unequal_days_agree_to_a_few_microseconds(cal: CalendarSnapshot, start: dt.datetime, a: int, b: int) -> None:
    once = add_working_days(cal, start, a + b)
    twice = add_working_days(cal, add_working_days(cal, start, a), b)
    assert abs(once - twice) <= 3 * ONE_US


def _oracle_whole_days(cal: CalendarSnapshot, start: dt.datetime, n: int) -> dt.datetime:
    """The default rule written the simple way: find the day of the first working moment at or after `start`,
    then step over n working days and take the end of that day's last session."""
    local = start.astimezone(VN)
    day = local.date()
    while True:
        ends = [e for _s, e in cal.sessions_on(day) if day > local.date() or e >= local.time()]
        if ends:
            break
        day += dt.timedelta(days=1)
    while n:
        day += dt.timedelta(days=1)
        n -= bool(cal.sessions_on(day))
    return close_of(cal, day)


@settings(max_examples=300)
@given(random_calendars(), moments, days_n)
def test_whole_days_match_a_simple_oracle(cal: CalendarSnapshot, start: dt.datetime, n: int) -> None:
    cal = CalendarSnapshot(days_off=cal.days_off, working_days=cal.working_days, weekday_sessions=cal.weekday_sessions)
    assert add_working_days(cal, start, n) == _oracle_whole_days(cal, start, n)


def _oracle_working_hours(cal: CalendarSnapshot, start: dt.datetime, n: int) -> dt.datetime:
    """The earliest moment at which n days' worth of session time has run since `start` (equal-length days)."""
    first_week_day = next(s for s in cal.weekday_sessions if s)
    day_length = sum(
        (dt.datetime.combine(dt.date.min, e) - dt.datetime.combine(dt.date.min, s) for s, e in first_week_day), dt.timedelta()
    )
    left = n * day_length
    local = start.astimezone(VN)
    day = local.date()
    while True:
        for s, e in cal.sessions_on(day):
            begin = max(dt.datetime.combine(day, s, tzinfo=VN), local)
            end = dt.datetime.combine(day, e, tzinfo=VN)
            if begin > end:
                continue
            if end - begin >= left:
                return begin + left
            left -= end - begin
        day += dt.timedelta(days=1)


@settings(max_examples=300)
@given(st.one_of(official_calendars, random_calendars(weeks=UNIFORM_WEEKS)), moments, st.integers(1, 40))
def test_working_hours_match_a_simple_oracle(cal: CalendarSnapshot, start: dt.datetime, n: int) -> None:
    cal = CalendarSnapshot(
        days_off=cal.days_off,
        working_days=cal.working_days,
        weekday_sessions=cal.weekday_sessions,
        rules=DeadlineRules(counting_mode=CountingMode.WORKING_HOURS),
    )
    assert add_working_days(cal, start, n) == _oracle_working_hours(cal, start, n)


# --- Supplement pauses ---------------------------------------------------------------------------------------------


pause_lists = st.lists(
    st.tuples(moments, st.integers(0, 60 * 24 * 30)).map(lambda pq: (pq[0], pq[0] + dt.timedelta(minutes=pq[1]))),
    max_size=4,
)


@given(any_calendar, moments, days_n, pause_lists)
def test_pauses_never_shorten_the_deadline(cal: CalendarSnapshot, start: dt.datetime, n: int, pauses: list) -> None:
    plain = add_working_days(cal, start, n)
    with_pauses = due_with_pauses(cal, start, n, pauses)
    assert with_pauses is not None and with_pauses >= plain
    assert is_working_moment(cal, with_pauses)
    assert due_with_pauses(cal, start, n, []) == plain


@given(any_calendar, moments, days_n, pause_lists)
def test_restart_gives_at_least_as_much_time_as_resume(cal: CalendarSnapshot, start: dt.datetime, n: int, pauses: list) -> None:
    resumed = due_with_pauses(cal, start, n, pauses, supplement_mode=SupplementMode.RESUME)
    restarted = due_with_pauses(cal, start, n, pauses, supplement_mode=SupplementMode.RESTART)
    assert resumed is not None and restarted is not None
    assert restarted >= resumed


@given(
    st.one_of(official_calendars, random_calendars(weeks=UNIFORM_WEEKS)),
    moments,
    st.integers(1, 40),
    st.lists(moments, max_size=3),
)
def test_instant_pauses_change_nothing_in_working_hours_mode(
    cal: CalendarSnapshot, start: dt.datetime, n: int, instants: list
) -> None:
    cal = CalendarSnapshot(
        days_off=cal.days_off,
        working_days=cal.working_days,
        weekday_sessions=cal.weekday_sessions,
        rules=DeadlineRules(counting_mode=CountingMode.WORKING_HOURS),
    )
    assert due_with_pauses(cal, start, n, [(t, t) for t in instants]) == add_working_days(cal, start, n)


@given(any_calendar, moments, days_n, pause_lists, moments)
def test_an_open_pause_before_the_due_moment_stops_the_clock(
    cal: CalendarSnapshot, start: dt.datetime, n: int, pauses: list, opened: dt.datetime
) -> None:
    last_end = max([start, *(q for _p, q in pauses)])
    assume(opened >= last_end)
    closed = due_with_pauses(cal, start, n, pauses)
    assert closed is not None
    result = due_with_pauses(cal, start, n, [*pauses, (opened, None)])
    assert result is None if opened <= closed else result == closed
