"""Every write to the calendar: atomic, audited with its reason, and giving the snapshot a new revision.

All writes first lock the rule row, so two administrators (or a pre-fill and an edit) never interleave. The official
calendar is the whole province's: only a platform administrator writes it (acting_user None is the system)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eprovince.core.constants import AuditAction
from eprovince.core.models import User
from eprovince.core.permissions import administers_platform
from eprovince.core.services.audit import audit_record, snapshot

from .constants import DaySource
from .engine import Session
from .models import CalendarDay, CalendarYear, DeadlineRule, WorkingSession
from .prefill import propose_year
from .selectors import weekday_sessions
from .validators import validate_day_kind, validate_reason, validate_week, validate_year

DAY_FIELDS = ("date", "kind", "name", "legal_basis", "source", "is_active")
YEAR_FIELDS = ("year", "is_published", "note", "legal_basis")
RULE_FIELDS = ("counting_mode", "after_hours_next_session", "receipt_morning_counts", "supplement_mode", "legal_basis")
DAY_EDITABLE = ("kind", "name", "legal_basis")
YEAR_EDITABLE = ("is_published", "note", "legal_basis")


def _require_platform_admin(acting_user: User | None) -> None:
    if acting_user is not None and not administers_platform(acting_user):
        raise PermissionDenied(_("Lịch làm việc dùng chung toàn tỉnh; chỉ quản trị viên toàn hệ thống được sửa."))


def _lock() -> DeadlineRule:
    rule, _created = DeadlineRule.objects.select_for_update().get_or_create(pk=1)
    return rule


def _bump(rule: DeadlineRule) -> None:
    rule.revision = uuid.uuid4()
    rule.save(update_fields=["revision", "updated_at"])


def _year_row(year: int, acting_user: User | None, reason: str) -> CalendarYear:
    validate_year(year)
    calendar_year, created = CalendarYear.objects.get_or_create(year=year)
    if created:
        audit_record(
            actor=acting_user,
            action=AuditAction.CREATE,
            obj=calendar_year,
            after=snapshot(calendar_year, YEAR_FIELDS),
            reason=reason,
        )
    return calendar_year


def _check_fields(fields: dict[str, Any], allowed: Sequence[str]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")


@dataclass
class PrefillResult:
    created: list[CalendarDay] = field(default_factory=list)
    skipped: list[dt.date] = field(default_factory=list)


@transaction.atomic
def calendar_prefill_year(*, year: int, acting_user: User | None, reason: str = "") -> PrefillResult:
    """Creates the days the `holidays` package proposes for `year` that the table does not have yet. A date the table
    already has (even one an administrator removed or changed) is left alone, so running it again changes nothing."""
    _require_platform_admin(acting_user)
    validate_year(year)
    reason = reason.strip() or _("Điền sẵn ngày nghỉ lễ, tết theo Bộ luật Lao động (thư viện holidays).")
    rule = _lock()
    proposals = propose_year(year)
    existing = set(CalendarDay.objects.filter(date__year=year).values_list("date", flat=True))
    sessions = weekday_sessions()
    result = PrefillResult()
    calendar_year: CalendarYear | None = None
    for proposal in proposals:
        try:
            if proposal.date in existing:
                raise ValidationError("exists")
            validate_day_kind(proposal.date, proposal.kind, sessions)
        except ValidationError:
            result.skipped.append(proposal.date)
            continue
        calendar_year = calendar_year or _year_row(year, acting_user, reason)
        day = CalendarDay(
            calendar_year=calendar_year,
            date=proposal.date,
            kind=proposal.kind,
            name=proposal.name,
            legal_basis=proposal.legal_basis,
            source=DaySource.PREFILL,
        )
        day.full_clean()
        day.save()
        result.created.append(day)
    if calendar_year is not None:
        calendar_year.prefilled_at = timezone.now()
        calendar_year.save(update_fields=["prefilled_at", "updated_at"])
        audit_record(
            actor=acting_user,
            action=AuditAction.IMPORT,
            obj=calendar_year,
            after={"created": [f"{d.date:%d/%m/%Y} {d.name}" for d in result.created]},
            reason=reason,
        )
        _bump(rule)
    return result


@transaction.atomic
def calendar_day_create(
    *, date: dt.date, kind: str, name: str, legal_basis: str = "", acting_user: User | None, reason: str
) -> CalendarDay:
    """Adds a day off or a make-up working day. A date removed earlier is brought back with the new values."""
    _require_platform_admin(acting_user)
    reason = validate_reason(reason)
    validate_year(date.year, "date")
    validate_day_kind(date, kind, weekday_sessions())
    rule = _lock()
    day = CalendarDay.objects.select_for_update().filter(date=date).first()
    if day is not None and day.is_active:
        raise ValidationError(
            {"date": [_("Ngày %(d)s đã có trong lịch (%(name)s).") % {"d": f"{date:%d/%m/%Y}", "name": day.name}]}
        )
    calendar_year = _year_row(date.year, acting_user, reason)
    before = snapshot(day, DAY_FIELDS) if day is not None else None
    if day is None:
        day = CalendarDay(calendar_year=calendar_year, date=date)
    day.kind, day.name, day.legal_basis = kind, name.strip(), legal_basis.strip()
    day.source, day.is_active = DaySource.ADMIN, True
    day.full_clean()
    day.save()
    action = AuditAction.CREATE if before is None else AuditAction.UPDATE
    audit_record(actor=acting_user, action=action, obj=day, before=before, after=snapshot(day, DAY_FIELDS), reason=reason)
    _bump(rule)
    return day


@transaction.atomic
def calendar_day_update(*, day: CalendarDay, acting_user: User | None, reason: str, **fields: Any) -> CalendarDay:
    """Changes the kind, name or legal basis of a day; the day becomes the administrator's (pre-fill leaves it alone)."""
    _require_platform_admin(acting_user)
    _check_fields(fields, DAY_EDITABLE)
    reason = validate_reason(reason)
    rule = _lock()
    locked = CalendarDay.objects.select_for_update().get(pk=day.pk)
    if not locked.is_active:
        raise ValidationError(_("Ngày này đã bị gỡ khỏi lịch; hãy thêm lại ngày."))
    before = snapshot(locked, DAY_FIELDS)
    for name, value in fields.items():
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    validate_day_kind(locked.date, locked.kind, weekday_sessions())
    locked.source = DaySource.ADMIN
    locked.full_clean()
    locked.save()
    audit_record(
        actor=acting_user, action=AuditAction.UPDATE, obj=locked, before=before, after=snapshot(locked, DAY_FIELDS), reason=reason
    )
    _bump(rule)
    return locked


@transaction.atomic
def calendar_day_remove(*, day: CalendarDay, acting_user: User | None, reason: str) -> CalendarDay:
    """Takes a day out of the calendar. The row stays (inactive) so that pre-filling again does not restore it."""
    _require_platform_admin(acting_user)
    reason = validate_reason(reason)
    rule = _lock()
    locked = CalendarDay.objects.select_for_update().get(pk=day.pk)
    if not locked.is_active:
        return locked
    before = snapshot(locked, DAY_FIELDS)
    locked.is_active, locked.source = False, DaySource.ADMIN
    locked.save(update_fields=["is_active", "source", "updated_at"])
    audit_record(
        actor=acting_user, action=AuditAction.DELETE, obj=locked, before=before, after=snapshot(locked, DAY_FIELDS), reason=reason
    )
    _bump(rule)
    return locked


@transaction.atomic
def calendar_year_update(*, year: int, acting_user: User | None, reason: str, **fields: Any) -> CalendarYear:
    """Publishes (or withdraws) a year's calendar, or changes its note and legal basis."""
    _require_platform_admin(acting_user)
    _check_fields(fields, YEAR_EDITABLE)
    reason = validate_reason(reason)
    rule = _lock()
    calendar_year = CalendarYear.objects.select_for_update().get(pk=_year_row(year, acting_user, reason).pk)
    before = snapshot(calendar_year, YEAR_FIELDS)
    for name, value in fields.items():
        setattr(calendar_year, name, value.strip() if isinstance(value, str) else value)
    calendar_year.full_clean()
    calendar_year.save()
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=calendar_year,
        before=before,
        after=snapshot(calendar_year, YEAR_FIELDS),
        reason=reason,
    )
    _bump(rule)
    return calendar_year


@transaction.atomic
def deadline_rule_update(*, acting_user: User | None, reason: str, **fields: Any) -> DeadlineRule:
    _require_platform_admin(acting_user)
    _check_fields(fields, RULE_FIELDS)
    reason = validate_reason(reason)
    rule = _lock()
    before = snapshot(rule, RULE_FIELDS)
    for name, value in fields.items():
        setattr(rule, name, value.strip() if isinstance(value, str) else value)
    rule.full_clean(exclude=["revision"])
    rule.save()
    audit_record(
        actor=acting_user, action=AuditAction.UPDATE, obj=rule, before=before, after=snapshot(rule, RULE_FIELDS), reason=reason
    )
    _bump(rule)
    return rule


def _week_repr(week: Sequence[Sequence[Session]]) -> dict[str, str]:
    return {str(i): ", ".join(f"{s:%H:%M}-{e:%H:%M}" for s, e in sessions) for i, sessions in enumerate(week)}


@transaction.atomic
def working_hours_set(*, week: Sequence[Sequence[Session]], acting_user: User | None, reason: str) -> None:
    """Replaces the working sessions of every weekday (Monday first); a weekday with none is not worked."""
    _require_platform_admin(acting_user)
    reason = validate_reason(reason)
    validate_week(week)
    rule = _lock()
    before = _week_repr(weekday_sessions())
    WorkingSession.objects.all().delete()
    rows = [WorkingSession(weekday=i, start=s, end=e) for i, sessions in enumerate(week) for s, e in sessions]
    for row in rows:
        row.full_clean()
    WorkingSession.objects.bulk_create(rows)
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=rule,
        before={"sessions": before},
        after={"sessions": _week_repr(week)},
        reason=reason,
        object_repr=str(_("Giờ làm việc")),
    )
    _bump(rule)


@transaction.atomic
def calendar_rules_update(
    *, week: Sequence[Sequence[Session]], acting_user: User | None, reason: str, **rule_fields: Any
) -> DeadlineRule:
    """The rule and the working hours together, from the settings page: both change or neither does."""
    rule = deadline_rule_update(acting_user=acting_user, reason=reason, **rule_fields)
    if [tuple(s) for s in week] != [tuple(s) for s in weekday_sessions()]:
        working_hours_set(week=week, acting_user=acting_user, reason=reason)
    return rule
