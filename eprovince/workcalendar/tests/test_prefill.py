"""What the pre-fill proposes for a year (pure), including art. 111(3) when the package gives no substitute."""

from __future__ import annotations

import datetime as dt

from eprovince.workcalendar.constants import LABOUR_CODE_SUBSTITUTE, DayKind
from eprovince.workcalendar.prefill import package_swaps, propose_year


def _by_date(year: int) -> dict[dt.date, str]:
    return {p.date: p.kind for p in propose_year(year)}


def test_2025_matches_the_governments_calendar() -> None:
    days = _by_date(2025)
    expected_off = [dt.date(2025, 1, 1), *(dt.date(2025, 1, d) for d in range(27, 32)), dt.date(2025, 4, 7)]
    expected_off += [dt.date(2025, 4, 30), dt.date(2025, 5, 1), dt.date(2025, 5, 2), dt.date(2025, 9, 1), dt.date(2025, 9, 2)]
    assert sorted(d for d, k in days.items() if k == DayKind.DAY_OFF) == expected_off
    assert [d for d, k in days.items() if k == DayKind.WORKING_DAY] == [dt.date(2025, 4, 26)]


def test_days_off_are_weekdays_and_make_up_days_weekends() -> None:
    for year in range(2020, 2031):
        for p in propose_year(year):
            assert p.date.year == year
            assert (p.date.weekday() < 5) == (p.kind == DayKind.DAY_OFF), p
            assert p.name and p.legal_basis


def test_eleven_holidays_a_year_are_all_off_or_compensated() -> None:
    # Labour Code art. 112: 11 days (1/1, Tết 5, Hùng Kings, 30/4, 1/5, 2/9 + one); 24/11 added from 2026.
    for year in range(2021, 2026):
        off = [p for p in propose_year(year) if p.kind == DayKind.DAY_OFF]
        swaps = [p for p in propose_year(year) if p.kind == DayKind.WORKING_DAY]
        assert len(off) - len(swaps) == 11, year


def test_substitute_day_for_a_holiday_on_a_weekend() -> None:
    assert _by_date(2026)[dt.date(2026, 4, 27)] == DayKind.DAY_OFF  # Hùng Kings' day on Sunday 26/04/2026
    assert _by_date(2027)[dt.date(2027, 5, 3)] == DayKind.DAY_OFF  # 1/5/2027 on Saturday


def test_art_111_3_is_applied_when_the_package_gives_no_substitute() -> None:
    def source(year: int, *, observed: bool) -> dict[dt.date, str]:
        # A package that knows the holidays but not the substitute days (as older versions).
        return {
            dt.date(2027, 1, 1): "Tết Dương lịch",
            dt.date(2027, 5, 1): "Ngày Quốc tế Lao động",  # Saturday
            dt.date(2027, 4, 30): "Ngày Chiến thắng",
            dt.date(2027, 5, 2): "Ngày lễ giả định",  # Sunday, right after: its substitute skips Monday 3
        }

    proposed = {p.date: p for p in propose_year(2027, source=source, swaps=lambda y: [])}
    assert proposed[dt.date(2027, 5, 3)].legal_basis == LABOUR_CODE_SUBSTITUTE
    assert proposed[dt.date(2027, 5, 3)].name == "Ngày Quốc tế Lao động (nghỉ bù)"
    assert proposed[dt.date(2027, 5, 4)].name == "Ngày lễ giả định (nghỉ bù)"
    assert dt.date(2027, 5, 1) not in proposed  # already a weekend day


def test_tet_days_on_a_weekend_are_left_to_the_packages_arrangement() -> None:
    def source(year: int, *, observed: bool) -> dict[dt.date, str]:
        days = {dt.date(2025, 2, 1): "Mùng bốn Tết Nguyên Đán"}
        if observed:
            days[dt.date(2025, 1, 27)] = "29 Tết"
        return days

    proposed = {p.date: p for p in propose_year(2025, source=source, swaps=lambda y: [])}
    assert list(proposed) == [dt.date(2025, 1, 27)]


def test_swaps_come_from_the_packages_table() -> None:
    assert (dt.date(2025, 5, 2), dt.date(2025, 4, 26)) in package_swaps(2025)
    assert (dt.date(2015, 1, 2), dt.date(2014, 12, 27)) in package_swaps(2014)  # worked in the year before
