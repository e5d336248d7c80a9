"""Period identifiers and dates under the calendar and the Decree 09/2019 cut-off conventions."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ..constants import PeriodConvention, PeriodType
from ..periods import PARTITION_TYPES, Period, PeriodError, periods_of_year

CAL, D09 = PeriodConvention.CALENDAR, PeriodConvention.DECREE_09


@pytest.mark.parametrize(
    ("pid", "start", "end"),
    [
        ("2024", "2024-01-01", "2024-12-31"),
        ("2024S1", "2024-01-01", "2024-06-30"),
        ("2024S2", "2024-07-01", "2024-12-31"),
        ("2024N9", "2024-01-01", "2024-09-30"),
        ("2024Q1", "2024-01-01", "2024-03-31"),
        ("2024Q4", "2024-10-01", "2024-12-31"),
        ("202402", "2024-02-01", "2024-02-29"),
    ],
)
def test_calendar_dates(pid: str, start: str, end: str) -> None:
    period = Period.parse(pid)
    assert (period.start(CAL).isoformat(), period.end(CAL).isoformat()) == (start, end)


@pytest.mark.parametrize(
    ("pid", "start", "end"),
    [
        ("2024", "2023-12-15", "2024-12-14"),  # annual: 15/12 to 14/12
        ("2024S1", "2023-12-15", "2024-06-14"),  # 6 months: 15/12 to 14/6
        ("2024N9", "2023-12-15", "2024-09-14"),  # 9 months: 15/12 to 14/9
        ("2024Q1", "2023-12-15", "2024-03-14"),  # quarter: 15th of the month before to the 14th of its last month
        ("2024Q3", "2024-06-15", "2024-09-14"),
        ("202403", "2024-02-15", "2024-03-14"),  # monthly: 15th of the previous month to the 14th
        ("202401", "2023-12-15", "2024-01-14"),
    ],
)
def test_decree_09_cut_off_dates(pid: str, start: str, end: str) -> None:
    period = Period.parse(pid)
    assert (period.start(D09).isoformat(), period.end(D09).isoformat()) == (start, end)


@pytest.mark.parametrize(
    ("pid", "label"),
    [
        ("2009S1", "6 tháng đầu năm 2009"),
        ("2024Q2", "Quý II/2024"),
        ("202403", "Tháng 3/2024"),
        ("2024N9", "9 tháng năm 2024"),
        ("2013", "Năm 2013"),
    ],
)
def test_labels(pid: str, label: str) -> None:
    assert Period.parse(pid).label == label


@pytest.mark.parametrize("bad", ["", "24", "2024Q5", "2024S3", "202413", "202400", "2024N8", "2024q1", "abcd", "1800", "2024-01"])
def test_bad_identifiers_are_refused(bad: str) -> None:
    with pytest.raises(PeriodError):
        Period.parse(bad)


def test_arithmetic() -> None:
    assert Period.parse("2024Q1").previous().id == "2023Q4"
    assert Period.parse("2024S1").previous().id == "2023S2"
    assert Period.parse("202401").previous().id == "202312"
    assert Period.parse("2024N9").previous().id == "2023N9"
    assert Period.parse("2009S1").same_period_last_year().id == "2008S1"
    assert [p.id for p in Period.parse("2024S1").sub_periods()] == [
        "202401",
        "202402",
        "202403",
        "2024Q1",
        "202404",
        "202405",
        "202406",
        "2024Q2",
        "2024S1",
    ]


def test_a_day_after_the_cut_off_belongs_to_the_next_period() -> None:
    assert Period.containing(PeriodType.MONTH, dt.date(2024, 3, 14), D09).id == "202403"
    assert Period.containing(PeriodType.MONTH, dt.date(2024, 3, 15), D09).id == "202404"
    assert Period.containing(PeriodType.YEAR, dt.date(2024, 12, 20), D09).id == "2025"
    assert Period.containing(PeriodType.YEAR, dt.date(2024, 12, 20), CAL).id == "2024"
    assert Period.containing(PeriodType.NINE_MONTHS, dt.date(2024, 10, 1), CAL) is None


periods = st.one_of(
    st.builds(lambda y, m: Period(PeriodType.MONTH, y, m), st.integers(1991, 2099), st.integers(1, 12)),
    st.builds(lambda y, q: Period(PeriodType.QUARTER, y, q), st.integers(1991, 2099), st.integers(1, 4)),
    st.builds(lambda y, s: Period(PeriodType.SIX_MONTHS, y, s), st.integers(1991, 2099), st.integers(1, 2)),
    st.builds(lambda y: Period(PeriodType.NINE_MONTHS, y, 9), st.integers(1991, 2099)),
    st.builds(lambda y: Period(PeriodType.YEAR, y), st.integers(1991, 2099)),
)
conventions = st.sampled_from([CAL, D09])


@given(periods)
def test_identifiers_round_trip(period: Period) -> None:
    assert Period.parse(period.id) == period


@given(periods, conventions)
def test_a_period_starts_before_it_ends_and_lasts_as_many_months(period: Period, convention: str) -> None:
    start, end = period.start(convention), period.end(convention)
    assert start <= end
    months = len(period.months)
    assert 28 * months - 3 <= (end - start).days + 1 <= 31 * months


@given(st.sampled_from(PARTITION_TYPES), st.integers(1991, 2098), st.integers(1, 12), conventions)
def test_consecutive_periods_tile_without_gap_or_overlap(kind: str, year: int, n: int, convention: str) -> None:
    period = Period.containing(kind, dt.date(year, n, 1), CAL)
    assert period is not None
    assert period.next().start(convention) == period.end(convention) + dt.timedelta(days=1)
    assert period.next().previous() == period


@given(st.dates(dt.date(1991, 1, 1), dt.date(2099, 11, 30)), st.sampled_from(list(PeriodType)), conventions)
def test_the_period_containing_a_day_contains_it(day: dt.date, kind: str, convention: str) -> None:
    period = Period.containing(kind, day, convention)
    if period is None:
        assert kind == PeriodType.NINE_MONTHS
        return
    assert period.start(convention) <= day <= period.end(convention)


@given(periods)
def test_sub_periods_lie_inside_and_order_is_total(period: Period) -> None:
    subs = list(period.sub_periods())
    assert period in subs
    for sub in subs:
        assert period.contains(sub) and sub.start(CAL) >= period.start(CAL) and sub.end(D09) <= period.end(D09)
    assert all(a < b for a, b in itertools.pairwise(subs))
    assert len(periods_of_year(period.year)) == 12 + 4 + 2 + 1 + 1
