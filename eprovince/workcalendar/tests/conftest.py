"""Fixtures of the calendar tests: pure snapshots built from the pre-fill (no database), users, aware datetimes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

import pytest

from eprovince.workcalendar.constants import CountingMode, DayKind, SupplementMode
from eprovince.workcalendar.engine import CalendarSnapshot, DeadlineRules
from eprovince.workcalendar.prefill import propose_year

VN = ZoneInfo("Asia/Ho_Chi_Minh")
YEARS = (2024, 2025, 2026, 2027)


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0, ss: int = 0) -> dt.datetime:
    """An aware datetime in Vietnam's time."""
    return dt.datetime(y, m, d, hh, mm, ss, tzinfo=VN)


def official_snapshot(years: Iterable[int] = YEARS, **rules: object) -> CalendarSnapshot:
    """The calendar the pre-fill proposes (what demo data loads), without the database."""
    proposals = [p for y in years for p in propose_year(y)]
    return CalendarSnapshot(
        days_off=frozenset(p.date for p in proposals if p.kind == DayKind.DAY_OFF),
        working_days=frozenset(p.date for p in proposals if p.kind == DayKind.WORKING_DAY),
        rules=DeadlineRules(**rules),  # type: ignore[arg-type]
    )


_CACHE: dict[tuple, CalendarSnapshot] = {}


def cached_snapshot(**rules: object) -> CalendarSnapshot:
    key = tuple(sorted(rules.items()))
    if key not in _CACHE:
        _CACHE[key] = official_snapshot(**rules)
    return _CACHE[key]


@pytest.fixture
def cal() -> CalendarSnapshot:
    """Default rule: whole working days, after-hours from the next session, supplements resume."""
    return cached_snapshot()


@pytest.fixture
def cal_hours() -> CalendarSnapshot:
    return cached_snapshot(counting_mode=CountingMode.WORKING_HOURS)


@pytest.fixture
def cal_morning() -> CalendarSnapshot:
    return cached_snapshot(receipt_morning_counts=True)


@pytest.fixture
def cal_restart() -> CalendarSnapshot:
    return cached_snapshot(supplement_mode=SupplementMode.RESTART)


@pytest.fixture
def admin_user(db):  # type: ignore[no-untyped-def]
    from eprovince.core.constants import Role
    from eprovince.core.testing import make_user

    return make_user("quantri_lich", Role.ADMIN, full_name="Quản trị lịch")


@pytest.fixture
def clerk_user(db):  # type: ignore[no-untyped-def]
    from eprovince.core.constants import Role
    from eprovince.core.testing import make_user

    return make_user("motcua_lich", Role.ONESTOP_CLERK)
