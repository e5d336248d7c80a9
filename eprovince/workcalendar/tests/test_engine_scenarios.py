"""Deadlines on the real calendar 2024-2027 (as pre-filled): Tết, worked Saturdays, substitute days, year ends,
after-hours receipt, same-day receipt. Expected dates worked out by hand from the government's 2025 calendar."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from eprovince.workcalendar import engine
from eprovince.workcalendar.constants import CountingMode
from eprovince.workcalendar.engine import (
    CalendarSnapshot,
    DeadlineRules,
    add_working_days,
    counted_from,
    is_working_day,
    is_working_moment,
    next_working_session_start,
    working_days_between,
)

from .conftest import VN, at, cached_snapshot


def due(cal: CalendarSnapshot, start: dt.datetime, n: int) -> dt.datetime:
    result = add_working_days(cal, start, n)
    assert result.tzinfo is not None and result.utcoffset() == dt.timedelta(hours=7)
    return result


# --- The calendar itself ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "worked"),
    [
        (dt.date(2025, 1, 24), True),  # Friday before Tết
        *[(dt.date(2025, 1, d), False) for d in range(27, 32)],  # Tết 2025: 27-31 January
        (dt.date(2025, 2, 3), True),  # back to work
        (dt.date(2025, 4, 26), True),  # Saturday worked in exchange for Friday 2 May
        (dt.date(2025, 4, 27), False),
        (dt.date(2025, 5, 2), False),
        (dt.date(2025, 9, 1), False),
        (dt.date(2025, 9, 2), False),
        (dt.date(2025, 9, 3), True),
        (dt.date(2026, 1, 1), False),
        (dt.date(2026, 4, 27), False),  # Hùng Kings' day fell on Sunday 26/04/2026: Monday off (art. 111(3))
        (dt.date(2027, 5, 3), False),  # 1/5/2027 is a Saturday: Monday off
        (dt.date(2025, 4, 19), False),  # an ordinary Saturday
    ],
)
def test_working_days_of_the_official_calendar(cal: CalendarSnapshot, day: dt.date, worked: bool) -> None:
    assert is_working_day(cal, day) is worked


def test_sessions_are_closed_intervals(cal: CalendarSnapshot) -> None:
    assert is_working_moment(cal, at(2025, 3, 3, 7, 30))
    assert is_working_moment(cal, at(2025, 3, 3, 17, 0))
    assert not is_working_moment(cal, at(2025, 3, 3, 17, 0, 1))
    assert not is_working_moment(cal, at(2025, 3, 3, 12, 0))
    assert not is_working_moment(cal, at(2025, 3, 3, 7, 29, 59))


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(2025, 3, 3, 7, 30), at(2025, 3, 3, 7, 30)),
        (at(2025, 3, 3, 12, 0), at(2025, 3, 3, 13, 30)),
        (at(2025, 3, 7, 18, 0), at(2025, 3, 10, 7, 30)),  # Friday evening → Monday morning
        (at(2025, 1, 24, 17, 30), at(2025, 2, 3, 7, 30)),  # the evening before Tết → after Tết
        (at(2025, 4, 25, 18, 0), at(2025, 4, 26, 7, 30)),  # Friday evening → the worked Saturday
        (at(2025, 12, 31, 20, 0), at(2026, 1, 2, 7, 30)),  # New Year's Eve → 2 January
    ],
)
def test_next_working_session_start(cal: CalendarSnapshot, moment: dt.datetime, expected: dt.datetime) -> None:
    assert next_working_session_start(cal, moment) == expected


def test_moments_in_other_timezones_are_converted(cal: CalendarSnapshot) -> None:
    utc_moment = dt.datetime(2025, 3, 3, 2, 0, tzinfo=dt.UTC)  # 09:00 in Hà Nội
    assert counted_from(cal, utc_moment) == at(2025, 3, 3, 9, 0)
    assert due(cal, utc_moment, 1) == at(2025, 3, 4, 17, 0)


# --- Tết ---------------------------------------------------------------------------------------------------------------


def test_tet_2025_received_friday_before_tet_with_three_days(cal: CalendarSnapshot) -> None:
    # Day of receipt (Fri 24/01) not counted; 27-31/01 off; 1-2/02 weekend → Mon 3, Tue 4, Wed 5 February.
    assert due(cal, at(2025, 1, 24, 9, 0), 3) == at(2025, 2, 5, 17, 0)


def test_tet_2025_received_after_hours_on_the_last_day_before_tet(cal: CalendarSnapshot) -> None:
    assert counted_from(cal, at(2025, 1, 24, 18, 0)) == at(2025, 2, 3, 7, 30)
    assert due(cal, at(2025, 1, 24, 18, 0), 3) == at(2025, 2, 6, 17, 0)


def test_online_dossier_submitted_during_tet_counts_from_the_first_session_after(cal: CalendarSnapshot) -> None:
    assert counted_from(cal, at(2025, 1, 29, 10, 0)) == at(2025, 2, 3, 7, 30)
    assert due(cal, at(2025, 1, 29, 10, 0), 1) == at(2025, 2, 4, 17, 0)


def test_tet_2025_in_working_hours_mode_keeps_the_time_of_day(cal_hours: CalendarSnapshot) -> None:
    assert due(cal_hours, at(2025, 1, 24, 9, 0), 3) == at(2025, 2, 5, 9, 0)


def test_tet_2024_and_2027(cal: CalendarSnapshot) -> None:
    # 2024: off Thu 8 - Wed 14 February. 2027: off Thu 4 - Wed 10 February.
    assert due(cal, at(2024, 2, 7, 10, 0), 1) == at(2024, 2, 15, 17, 0)
    assert due(cal, at(2027, 2, 3, 10, 0), 2) == at(2027, 2, 12, 17, 0)


# --- Worked Saturday 26/04/2025 and the 30/4-1/5 holidays ----------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, at(2025, 4, 25, 17, 0)),
        (2, at(2025, 4, 26, 17, 0)),  # the worked Saturday counts
        (3, at(2025, 4, 28, 17, 0)),
        (4, at(2025, 4, 29, 17, 0)),
        (5, at(2025, 5, 5, 17, 0)),  # 30/4, 1/5, 2/5 off, then the weekend
    ],
)
def test_worked_saturday_counts_as_a_working_day(cal: CalendarSnapshot, n: int, expected: dt.datetime) -> None:
    assert due(cal, at(2025, 4, 24, 10, 0), n) == expected


def test_dossier_received_on_the_worked_saturday(cal: CalendarSnapshot) -> None:
    assert counted_from(cal, at(2025, 4, 26, 9, 0)) == at(2025, 4, 26, 9, 0)
    assert due(cal, at(2025, 4, 26, 9, 0), 1) == at(2025, 4, 28, 17, 0)


def test_dossier_received_on_an_ordinary_saturday(cal: CalendarSnapshot) -> None:
    assert due(cal, at(2025, 4, 19, 9, 0), 1) == at(2025, 4, 22, 17, 0)


# --- Holidays on a weekend: the substitute day ------------------------------------------------------------------------


def test_hung_kings_day_2026_on_sunday_gives_monday_off(cal: CalendarSnapshot) -> None:
    assert due(cal, at(2026, 4, 24, 10, 0), 1) == at(2026, 4, 28, 17, 0)
    assert due(cal, at(2026, 4, 24, 10, 0), 3) == at(2026, 5, 4, 17, 0)  # 30/4, 1/5 off


def test_labour_day_2027_on_saturday_gives_monday_off(cal: CalendarSnapshot) -> None:
    assert due(cal, at(2027, 4, 29, 10, 0), 1) == at(2027, 5, 4, 17, 0)


# --- Year ends -------------------------------------------------------------------------------------------------------


def test_year_end_31_december_to_next_year(cal: CalendarSnapshot) -> None:
    assert due(cal, at(2025, 12, 31, 10, 0), 1) == at(2026, 1, 2, 17, 0)
    assert due(cal, at(2025, 12, 31, 10, 0), 2) == at(2026, 1, 5, 17, 0)
    assert due(cal, at(2025, 12, 31, 17, 30), 1) == at(2026, 1, 5, 17, 0)
    assert due(cal, at(2026, 12, 31, 10, 0), 1) == at(2027, 1, 4, 17, 0)  # 1/1/2027 is a Friday


def test_working_days_between_across_the_year_end(cal: CalendarSnapshot) -> None:
    assert working_days_between(cal, at(2025, 12, 30, 9, 0), at(2026, 1, 5, 17, 0)) == 3  # 31/12, 2/1, 5/1


def test_years_beyond_the_table_have_weekends_only(cal: CalendarSnapshot) -> None:
    assert due(cal, at(2030, 3, 1, 10, 0), 1) == at(2030, 3, 4, 17, 0)


# --- After-hours receipt ---------------------------------------------------------------------------------------------


def test_friday_evening_counts_from_monday_morning(cal: CalendarSnapshot) -> None:
    assert counted_from(cal, at(2025, 3, 14, 18, 0)) == at(2025, 3, 17, 7, 30)
    assert due(cal, at(2025, 3, 14, 18, 0), 1) == at(2025, 3, 18, 17, 0)


def test_friday_at_closing_time_still_counts_friday(cal: CalendarSnapshot) -> None:
    assert due(cal, at(2025, 3, 14, 17, 0), 1) == at(2025, 3, 17, 17, 0)
    assert due(cal, at(2025, 3, 14, 17, 0, 1), 1) == at(2025, 3, 18, 17, 0)


def test_after_hours_rule_switched_off_counts_the_day_of_receipt(cal: CalendarSnapshot) -> None:
    off = dataclasses.replace(cal, rules=DeadlineRules(after_hours_next_session=False))
    assert counted_from(off, at(2025, 3, 14, 18, 0)) == at(2025, 3, 14, 18, 0)
    assert due(off, at(2025, 3, 14, 18, 0), 1) == at(2025, 3, 17, 17, 0)
    # A dossier received on a Sunday: the count starts the day after.
    assert due(off, at(2025, 3, 16, 10, 0), 1) == at(2025, 3, 17, 17, 0)


def test_friday_evening_in_working_hours_mode(cal_hours: CalendarSnapshot) -> None:
    # A whole day from Monday 07:30 ends at Monday's close, not at Tuesday 07:30.
    assert due(cal_hours, at(2025, 3, 14, 18, 0), 1) == at(2025, 3, 17, 17, 0)
    assert due(cal_hours, at(2025, 3, 14, 18, 0), 2) == at(2025, 3, 18, 17, 0)


def test_lunch_break_receipt(cal: CalendarSnapshot, cal_hours: CalendarSnapshot) -> None:
    assert counted_from(cal, at(2025, 3, 17, 12, 0)) == at(2025, 3, 17, 13, 30)
    assert due(cal, at(2025, 3, 17, 12, 0), 1) == at(2025, 3, 18, 17, 0)
    # 4 of 7.5 working hours past: the same point of the next day is the end of the morning.
    assert due(cal_hours, at(2025, 3, 17, 12, 0), 1) == at(2025, 3, 18, 11, 30)


def test_working_hours_mode_counts_minutes_of_working_time(cal_hours: CalendarSnapshot) -> None:
    assert due(cal_hours, at(2025, 3, 3, 9, 0), 3) == at(2025, 3, 6, 9, 0)
    assert due(cal_hours, at(2025, 3, 3, 16, 0), 1) == at(2025, 3, 4, 16, 0)
    assert working_days_between(cal_hours, at(2025, 3, 3, 9, 0), at(2025, 3, 6, 8, 59)) == 2
    assert working_days_between(cal_hours, at(2025, 3, 3, 9, 0), at(2025, 3, 6, 9, 0)) == 3


# --- Same-day receipt is never overdue on that day ---------------------------------------------------------------------


@pytest.mark.parametrize("clock", [(7, 30), (9, 0), (11, 30), (12, 15), (13, 30), (16, 59), (17, 0)])
@pytest.mark.parametrize("rule", [{}, {"counting_mode": CountingMode.WORKING_HOURS}, {"receipt_morning_counts": True}])
def test_same_day_receipt_is_never_overdue_that_day(clock: tuple[int, int], rule: dict) -> None:
    cal = cached_snapshot(**rule)
    received = at(2025, 3, 3, *clock)
    for n in range(4):
        assert due(cal, received, n) >= at(2025, 3, 3, 17, 0)
    assert due(cal, received, 0) == at(2025, 3, 3, 17, 0)


def test_zero_days_after_hours_is_due_at_the_next_close(cal: CalendarSnapshot) -> None:
    assert due(cal, at(2025, 3, 14, 18, 0), 0) == at(2025, 3, 17, 17, 0)
    off = dataclasses.replace(cal, rules=DeadlineRules(after_hours_next_session=False))
    assert due(off, at(2025, 3, 14, 18, 0), 0) == at(2025, 3, 17, 17, 0)


# --- The morning rule ------------------------------------------------------------------------------------------------


def test_morning_receipt_counts_the_day_of_receipt(cal_morning: CalendarSnapshot) -> None:
    assert due(cal_morning, at(2025, 3, 3, 9, 0), 3) == at(2025, 3, 5, 17, 0)
    assert due(cal_morning, at(2025, 3, 3, 11, 29), 1) == at(2025, 3, 3, 17, 0)
    assert due(cal_morning, at(2025, 3, 3, 11, 30), 3) == at(2025, 3, 6, 17, 0)  # the end of the morning is not "in" it
    assert due(cal_morning, at(2025, 3, 3, 14, 0), 3) == at(2025, 3, 6, 17, 0)
    assert due(cal_morning, at(2025, 3, 14, 18, 0), 1) == at(2025, 3, 17, 17, 0)  # counted from Monday 07:30


# --- Counting elapsed days ---------------------------------------------------------------------------------------------


def test_working_days_between(cal: CalendarSnapshot) -> None:
    start = at(2025, 3, 3, 9, 0)
    assert working_days_between(cal, start, at(2025, 3, 3, 17, 0)) == 0
    assert working_days_between(cal, start, at(2025, 3, 4, 16, 59)) == 0
    assert working_days_between(cal, start, at(2025, 3, 4, 17, 0)) == 1
    assert working_days_between(cal, start, at(2025, 3, 7, 18, 0)) == 4
    assert working_days_between(cal, start, at(2025, 3, 9, 12, 0)) == 4  # Sunday
    assert working_days_between(cal, start, at(2025, 3, 1, 9, 0)) == 0
    assert working_days_between(cal, at(2025, 1, 24, 9, 0), at(2025, 2, 5, 17, 0)) == 3


# --- Bad input -----------------------------------------------------------------------------------------------------------


def test_naive_datetimes_are_refused(cal: CalendarSnapshot) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        add_working_days(cal, dt.datetime(2025, 3, 3, 9, 0), 1)


@pytest.mark.parametrize("n", [-1, True, 1.5, "3"])
def test_bad_day_counts_are_refused(cal: CalendarSnapshot, n: object) -> None:
    with pytest.raises(ValueError, match="non-negative integer"):
        add_working_days(cal, at(2025, 3, 3, 9, 0), n)  # type: ignore[arg-type]


def test_snapshot_rejects_impossible_calendars() -> None:
    with pytest.raises(ValueError):
        CalendarSnapshot(weekday_sessions=((),) * 7)
    with pytest.raises(ValueError):
        CalendarSnapshot(days_off=frozenset({dt.date(2025, 4, 26)}), working_days=frozenset({dt.date(2025, 4, 26)}))
    with pytest.raises(ValueError):
        CalendarSnapshot(weekday_sessions=(((dt.time(13), dt.time(12)),),) + ((),) * 6)
    with pytest.raises(ValueError):
        CalendarSnapshot(rules=DeadlineRules(counting_mode="hours"))


def test_make_up_day_uses_the_first_configured_sessions() -> None:
    morning_only = ((dt.time(8), dt.time(12)),)
    cal = CalendarSnapshot(weekday_sessions=(morning_only,) * 5 + ((),) * 2, working_days=frozenset({dt.date(2025, 4, 26)}))
    assert engine.close_of(cal, dt.date(2025, 4, 26)) == dt.datetime(2025, 4, 26, 12, 0, tzinfo=VN)
    assert add_working_days(cal, at(2025, 4, 25, 9, 0), 1) == at(2025, 4, 26, 12, 0)
