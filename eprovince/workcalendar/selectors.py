"""Reads of the calendar: the cached snapshot the engine works on, a year's days, the rule in words."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from . import engine
from .constants import DEFAULT_WEEKDAY_SESSIONS, CountingMode, DayKind, SupplementMode
from .models import CalendarDay, CalendarYear, DeadlineRule, WorkingSession

SNAPSHOT_CACHE_TIMEOUT = 60 * 60
_CACHE_PREFIX = "workcalendar:snapshot:"


def deadline_rule() -> DeadlineRule:
    """The rule row, or an unsaved row with the defaults if none was created yet."""
    return DeadlineRule.objects.filter(pk=1).first() or DeadlineRule(pk=1)


def weekday_sessions() -> tuple[tuple[engine.Session, ...], ...]:
    rows = list(WorkingSession.objects.order_by("weekday", "start").values_list("weekday", "start", "end"))
    if not rows:
        return DEFAULT_WEEKDAY_SESSIONS
    week: list[list[engine.Session]] = [[] for _ in range(7)]
    for weekday, start, end in rows:
        week[weekday].append((start, end))
    return tuple(tuple(day) for day in week)


def rules_of(rule: DeadlineRule) -> engine.DeadlineRules:
    return engine.DeadlineRules(
        counting_mode=rule.counting_mode,
        after_hours_next_session=rule.after_hours_next_session,
        receipt_morning_counts=rule.receipt_morning_counts,
        supplement_mode=rule.supplement_mode,
        legal_basis=rule.legal_basis,
    )


def _load_snapshot(rule: DeadlineRule) -> engine.CalendarSnapshot:
    days = CalendarDay.objects.filter(is_active=True).values_list("date", "kind")
    off = frozenset(d for d, kind in days if kind == DayKind.DAY_OFF)
    worked = frozenset(d for d, kind in days if kind == DayKind.WORKING_DAY)
    return engine.CalendarSnapshot(
        days_off=off, working_days=worked, weekday_sessions=weekday_sessions(), rules=rules_of(rule), timezone=settings.TIME_ZONE
    )


def calendar_snapshot() -> engine.CalendarSnapshot:
    """The whole official calendar for the engine: one query when cached (the rule row's revision is the cache key,
    so every process sees a change at once, and a rolled-back change never reaches the cache)."""
    rule = deadline_rule()
    key = f"{_CACHE_PREFIX}{'default' if rule._state.adding else rule.revision}"
    snapshot = cache.get(key)
    if snapshot is None:
        snapshot = _load_snapshot(rule)
        cache.set(key, snapshot, SNAPSHOT_CACHE_TIMEOUT)
    return snapshot


@dataclass(frozen=True)
class YearCalendar:
    year: int
    calendar_year: CalendarYear | None
    days: list[CalendarDay]
    removed: list[CalendarDay]

    @property
    def days_off(self) -> list[CalendarDay]:
        return [d for d in self.days if d.kind == DayKind.DAY_OFF]

    @property
    def working_days(self) -> list[CalendarDay]:
        return [d for d in self.days if d.kind == DayKind.WORKING_DAY]

    @property
    def is_published(self) -> bool:
        return bool(self.calendar_year and self.calendar_year.is_published)


def year_calendar(year: int, *, include_removed: bool = False) -> YearCalendar:
    """The days off and make-up days of `year` (two queries)."""
    calendar_year = CalendarYear.objects.filter(year=year).first()
    rows = list(CalendarDay.objects.filter(date__year=year).order_by("date")) if calendar_year else []
    return YearCalendar(
        year=year,
        calendar_year=calendar_year,
        days=[d for d in rows if d.is_active],
        removed=[d for d in rows if not d.is_active] if include_removed else [],
    )


def calendar_years() -> list[int]:
    return list(CalendarYear.objects.order_by("year").values_list("year", flat=True))


def describe_rules(rules: engine.DeadlineRules) -> str:
    """The rule in words, for the API and the pages."""
    parts = []
    if rules.counting_mode == CountingMode.WORKING_HOURS:
        parts.append(_("Thời hạn tính theo giờ làm việc: mỗi ngày làm việc bằng tổng thời gian các buổi làm việc của ngày đó."))
    elif rules.receipt_morning_counts:
        parts.append(
            _(
                "Hồ sơ nhận trong buổi sáng được tính ngày tiếp nhận là ngày thứ nhất; thời hạn kết thúc khi hết giờ làm việc của ngày làm việc cuối cùng."
            )
        )
    else:
        parts.append(
            _("Ngày tiếp nhận không tính; thời hạn kết thúc khi hết giờ làm việc của ngày làm việc thứ N sau ngày tiếp nhận.")
        )
    if rules.after_hours_next_session or rules.counting_mode == CountingMode.WORKING_HOURS:
        parts.append(_("Hồ sơ nhận ngoài giờ làm việc được tính từ buổi làm việc kế tiếp."))
    if rules.supplement_mode == SupplementMode.RESTART:
        parts.append(_("Khi yêu cầu bổ sung hồ sơ, thời hạn được tính lại từ đầu kể từ khi nhận đủ hồ sơ bổ sung."))
    else:
        parts.append(
            _(
                "Khi yêu cầu bổ sung hồ sơ, thời gian giải quyết tạm dừng và tính tiếp thời gian còn lại khi nhận đủ hồ sơ bổ sung."
            )
        )
    return " ".join(parts)


@dataclass(frozen=True)
class DueAnswer:
    start: dt.datetime
    working_days: int
    counted_from: dt.datetime
    due: dt.datetime
    rules: engine.DeadlineRules


def due_for(start: dt.datetime, working_days: int, *, cal: engine.CalendarSnapshot | None = None) -> DueAnswer:
    cal = cal or calendar_snapshot()
    return DueAnswer(
        start=start.astimezone(cal.tz),
        working_days=working_days,
        counted_from=engine.counted_from(cal, start),
        due=engine.add_working_days(cal, start, working_days),
        rules=cal.rules,
    )
