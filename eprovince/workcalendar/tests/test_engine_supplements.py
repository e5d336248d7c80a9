"""Supplement requests pause the clock; the complete supplement restarts it (resume or restart)."""

from __future__ import annotations

import datetime as dt

import pytest

from eprovince.workcalendar.constants import SupplementMode
from eprovince.workcalendar.engine import CalendarSnapshot, add_working_days, due_with_pauses

from .conftest import at

RECEIVED = at(2025, 3, 3, 9, 0)  # Monday; 5 working days → Monday 10/03 17:00


def test_without_pauses_the_due_date_is_the_plain_one(cal: CalendarSnapshot) -> None:
    assert due_with_pauses(cal, RECEIVED, 5, []) == add_working_days(cal, RECEIVED, 5) == at(2025, 3, 10, 17, 0)


def test_resume_continues_with_the_days_left(cal: CalendarSnapshot) -> None:
    # Tuesday counted before the request (Wednesday 10:00); 4 days left from Monday 10/03 (not counted itself).
    pauses = [(at(2025, 3, 5, 10, 0), at(2025, 3, 10, 14, 0))]
    assert due_with_pauses(cal, RECEIVED, 5, pauses) == at(2025, 3, 14, 17, 0)


def test_restart_gives_the_full_period_again(cal: CalendarSnapshot, cal_restart: CalendarSnapshot) -> None:
    pauses = [(at(2025, 3, 5, 10, 0), at(2025, 3, 10, 14, 0))]
    assert due_with_pauses(cal_restart, RECEIVED, 5, pauses) == at(2025, 3, 17, 17, 0)
    # The mode can be chosen per call (a procedure whose own text says the period restarts).
    assert due_with_pauses(cal, RECEIVED, 5, pauses, supplement_mode=SupplementMode.RESTART) == at(2025, 3, 17, 17, 0)


def test_an_open_supplement_request_means_no_due_date(cal: CalendarSnapshot) -> None:
    assert due_with_pauses(cal, RECEIVED, 5, [(at(2025, 3, 5, 10, 0), None)]) is None


def test_a_request_made_after_the_due_moment_does_not_move_it(cal: CalendarSnapshot) -> None:
    late = [(at(2025, 3, 11, 9, 0), at(2025, 3, 12, 9, 0))]
    assert due_with_pauses(cal, RECEIVED, 5, late) == at(2025, 3, 10, 17, 0)
    assert due_with_pauses(cal, RECEIVED, 5, [(at(2025, 3, 11, 9, 0), None)]) == at(2025, 3, 10, 17, 0)


def test_a_request_at_the_very_due_moment_still_pauses(cal: CalendarSnapshot) -> None:
    pauses = [(at(2025, 3, 10, 17, 0), at(2025, 3, 12, 9, 0))]
    # Nothing left: due at the close of the day the supplement arrives.
    assert due_with_pauses(cal, RECEIVED, 5, pauses) == at(2025, 3, 12, 17, 0)


def test_repeated_requests_each_pause_the_clock(cal: CalendarSnapshot) -> None:
    pauses = [
        (at(2025, 3, 5, 10, 0), at(2025, 3, 6, 10, 0)),  # 1 day used (Tue); 4 left from Thu 06/03 → Wed 12/03
        (at(2025, 3, 10, 9, 0), at(2025, 3, 12, 15, 0)),  # Fri 07/03 used; 3 left from Wed 12/03 → Mon 17/03
    ]
    assert due_with_pauses(cal, RECEIVED, 5, pauses) == at(2025, 3, 17, 17, 0)
    assert due_with_pauses(cal, RECEIVED, 5, list(reversed(pauses))) == at(2025, 3, 17, 17, 0)


def test_overlapping_requests_count_once(cal: CalendarSnapshot) -> None:
    overlapping = [(at(2025, 3, 5, 10, 0), at(2025, 3, 7, 10, 0)), (at(2025, 3, 6, 9, 0), at(2025, 3, 10, 14, 0))]
    single = [(at(2025, 3, 5, 10, 0), at(2025, 3, 10, 14, 0))]
    assert due_with_pauses(cal, RECEIVED, 5, overlapping) == due_with_pauses(cal, RECEIVED, 5, single)


def test_a_pause_over_before_receipt_is_ignored(cal: CalendarSnapshot) -> None:
    early = [(at(2025, 2, 20, 9, 0), at(2025, 2, 21, 9, 0))]
    assert due_with_pauses(cal, RECEIVED, 5, early) == at(2025, 3, 10, 17, 0)


def test_supplement_delivered_after_hours_counts_from_the_next_session(cal: CalendarSnapshot) -> None:
    # Arrives Friday 20:00 → counted from Monday 10/03 07:30; 4 days left → Fri 14/03.
    pauses = [(at(2025, 3, 5, 10, 0), at(2025, 3, 7, 20, 0))]
    assert due_with_pauses(cal, RECEIVED, 5, pauses) == at(2025, 3, 14, 17, 0)


def test_pause_across_tet_2025(cal: CalendarSnapshot) -> None:
    received = at(2025, 1, 20, 9, 0)  # Mon; 5 days: 21, 22, 23, 24 Jan, 3 Feb
    assert add_working_days(cal, received, 5) == at(2025, 2, 3, 17, 0)
    pauses = [(at(2025, 1, 22, 10, 0), at(2025, 1, 24, 16, 0))]  # Tue used; 4 left from Fri 24/01
    assert due_with_pauses(cal, received, 5, pauses) == at(2025, 2, 6, 17, 0)


def test_the_clock_in_working_hours_mode_stops_exactly(cal_hours: CalendarSnapshot) -> None:
    assert add_working_days(cal_hours, RECEIVED, 2) == at(2025, 3, 5, 9, 0)
    # Paused for exactly one working day (Monday 13:30 → Tuesday 13:30): the due moment moves by one working day.
    pauses = [(at(2025, 3, 3, 13, 30), at(2025, 3, 4, 13, 30))]
    assert due_with_pauses(cal_hours, RECEIVED, 2, pauses) == at(2025, 3, 6, 9, 0)
    # Paused over a weekend only: no working time lost, nothing moves.
    weekend = [(at(2025, 3, 8, 9, 0), at(2025, 3, 9, 18, 0))]
    assert due_with_pauses(cal_hours, at(2025, 3, 7, 9, 0), 2, weekend) == add_working_days(cal_hours, at(2025, 3, 7, 9, 0), 2)


def test_bad_pauses_are_refused(cal: CalendarSnapshot) -> None:
    with pytest.raises(ValueError, match="end before"):
        due_with_pauses(cal, RECEIVED, 5, [(at(2025, 3, 5, 10, 0), at(2025, 3, 4, 10, 0))])
    with pytest.raises(ValueError, match="last pause"):
        due_with_pauses(cal, RECEIVED, 5, [(at(2025, 3, 5, 10, 0), None), (at(2025, 3, 6, 10, 0), at(2025, 3, 7, 10, 0))])
    with pytest.raises(ValueError, match="timezone-aware"):
        due_with_pauses(cal, RECEIVED, 5, [(dt.datetime(2025, 3, 5, 10, 0), None)])
    with pytest.raises(ValueError, match="supplement mode"):
        due_with_pauses(cal, RECEIVED, 5, [], supplement_mode="pause")
