"""Calendar API (mounted at /api/v1/calendar): due dates and the official calendar of a year."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from .constants import WEEKDAY_NAMES, DayKind
from .models import CalendarDay
from .selectors import describe_rules, due_for, year_calendar
from .validators import validate_start, validate_working_days, validate_year

router = Router(tags=["calendar"])

# A '+' left unencoded in a query string arrives as a space: "2025-01-24T09:00:00 07:00".
_SPACE_OFFSET = re.compile(r"^(.+\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:?\d{2})$")


class RuleOut(Schema):
    counting_mode: str
    after_hours_next_session: bool
    receipt_morning_counts: bool
    supplement_mode: str
    description: str
    legal_basis: str


class DueOut(Schema):
    start: dt.datetime
    working_days: int
    counted_from: dt.datetime
    due: dt.datetime
    rule: RuleOut


class DueQuery(Schema):
    start: str = Field(
        ...,
        description="Thời điểm tiếp nhận, ISO 8601 (không ghi múi giờ: giờ Việt Nam).",
        examples=["2025-01-24T09:00:00+07:00"],
    )
    working_days: int = Field(..., description="Thời hạn giải quyết, số ngày làm việc (0-1000).", examples=[3])


class DayOut(Schema):
    date: dt.date
    weekday: str
    kind: str
    kind_label: str
    name: str
    legal_basis: str


class YearOut(Schema):
    year: int
    published: bool
    note: str
    legal_basis: str
    days_off: list[DayOut]
    working_days: list[DayOut]


def parse_start(raw: str) -> dt.datetime:
    text = raw.strip()
    match = _SPACE_OFFSET.match(text)
    if match:
        text = f"{match[1]}+{match[2]}"
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValidationError(
            {"start": [_("Thời điểm không hợp lệ; dùng dạng ISO 8601, ví dụ 2025-01-24T09:00:00+07:00.")]}
        ) from None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    validate_start(value)
    return value


def _day_out(day: CalendarDay) -> DayOut:
    return DayOut(
        date=day.date,
        weekday=str(WEEKDAY_NAMES[day.date.weekday()]),
        kind=day.kind,
        kind_label=str(DayKind(day.kind).label),
        name=day.name,
        legal_basis=day.legal_basis,
    )


@router.get("/due", response=DueOut, summary="Hạn giải quyết của một hồ sơ")
def due(request: HttpRequest, query: Query[DueQuery]) -> DueOut:
    """The due moment of a dossier received at `start` with `working_days` working days, under the current rule."""
    start = parse_start(query.start)
    validate_working_days(query.working_days)
    answer = due_for(start, query.working_days)
    rules = answer.rules
    return DueOut(
        start=answer.start,
        working_days=answer.working_days,
        counted_from=answer.counted_from,
        due=answer.due,
        rule=RuleOut(
            counting_mode=rules.counting_mode,
            after_hours_next_session=rules.after_hours_next_session,
            receipt_morning_counts=rules.receipt_morning_counts,
            supplement_mode=rules.supplement_mode,
            description=describe_rules(rules),
            legal_basis=rules.legal_basis,
        ),
    )


@router.get("/{int:year}", response=YearOut, summary="Lịch làm việc của một năm")
def year_days(request: HttpRequest, year: int) -> YearOut:
    """Days off (holidays, substitute days) and make-up working days of `year`. `published` says whether an
    administrator has checked the year against the government's announcement."""
    validate_year(year)
    calendar = year_calendar(year)
    calendar_year = calendar.calendar_year
    return YearOut(
        year=year,
        published=calendar.is_published,
        note=calendar_year.note if calendar_year else "",
        legal_basis=calendar_year.legal_basis if calendar_year else "",
        days_off=[_day_out(d) for d in calendar.days_off],
        working_days=[_day_out(d) for d in calendar.working_days],
    )
