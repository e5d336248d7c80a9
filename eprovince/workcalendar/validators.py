"""Rules shared by the forms, the API and the services; each raises Django's ValidationError naming the field."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .constants import MAX_WORKING_DAYS, YEAR_MAX, YEAR_MIN, DayKind
from .engine import Session, validate_sessions

_SESSION_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


def validate_year(year: int, field: str = "year") -> None:
    if isinstance(year, bool) or not isinstance(year, int) or not YEAR_MIN <= year <= YEAR_MAX:
        raise ValidationError({field: [_("Năm phải từ %(min)s đến %(max)s.") % {"min": YEAR_MIN, "max": YEAR_MAX}]})


def validate_start(start: dt.datetime, field: str = "start") -> None:
    """A receipt moment the calendar can count from (its year within the years the calendar covers)."""
    if not YEAR_MIN <= start.year <= YEAR_MAX:
        raise ValidationError(
            {field: [_("Thời điểm phải trong khoảng năm %(min)s đến %(max)s.") % {"min": YEAR_MIN, "max": YEAR_MAX}]}
        )


def validate_working_days(n: int, field: str = "working_days") -> None:
    if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= MAX_WORKING_DAYS:
        raise ValidationError({field: [_("Số ngày làm việc phải từ 0 đến %(max)s.") % {"max": MAX_WORKING_DAYS}]})


def validate_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Vui lòng nêu lý do thay đổi.")]})
    return reason


def validate_day_kind(day: dt.date, kind: str, weekday_sessions: Sequence[Sequence[Session]]) -> None:
    """A day off must be a weekday normally worked; a make-up working day must be a day normally off."""
    if kind not in DayKind.values:
        raise ValidationError({"kind": [_("Loại ngày không hợp lệ.")]})
    normally_worked = bool(weekday_sessions[day.weekday()])
    if kind == DayKind.DAY_OFF and not normally_worked:
        raise ValidationError(
            {"date": [_("Ngày %(d)s vốn là ngày nghỉ hằng tuần, không cần khai báo ngày nghỉ.") % {"d": f"{day:%d/%m/%Y}"}]}
        )
    if kind == DayKind.WORKING_DAY and normally_worked:
        raise ValidationError({"date": [_("Ngày làm bù phải là ngày vốn nghỉ hằng tuần (thứ Bảy, Chủ nhật).")]})


def parse_sessions(text: str, field: str) -> tuple[Session, ...]:
    """'07:30-11:30, 13:30-17:00' → ((07:30, 11:30), (13:30, 17:00)); empty text → no session."""
    sessions: list[Session] = []
    for part in filter(None, (p.strip() for p in (text or "").replace(";", ",").split(","))):
        match = _SESSION_RE.match(part)
        try:
            if not match:
                raise ValueError
            h1, m1, h2, m2 = (int(g) for g in match.groups())
            sessions.append((dt.time(h1, m1), dt.time(h2, m2)))
        except ValueError:
            raise ValidationError({field: [_("Buổi làm việc '%(s)s' không đúng dạng GG:PP-GG:PP.") % {"s": part}]}) from None
    validate_weekday_sessions(sessions, field)
    return tuple(sessions)


def validate_weekday_sessions(sessions: Sequence[Session], field: str) -> None:
    try:
        validate_sessions(sessions)
    except ValueError:
        raise ValidationError(
            {field: [_("Các buổi làm việc phải theo thứ tự, bắt đầu trước khi kết thúc và không chồng lên nhau.")]}
        ) from None


def validate_week(weekday_sessions: Sequence[Sequence[Session]]) -> None:
    if len(weekday_sessions) != 7:
        raise ValidationError({"sessions": [_("Cần khai báo giờ làm việc cho đủ 7 ngày trong tuần.")]})
    for weekday, sessions in enumerate(weekday_sessions):
        validate_weekday_sessions(sessions, f"weekday_{weekday}")
    if not any(weekday_sessions):
        raise ValidationError({"sessions": [_("Phải có ít nhất một ngày làm việc trong tuần.")]})
