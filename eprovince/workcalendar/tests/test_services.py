"""Writes to the calendar: pre-fill idempotent and respectful of edits, audited changes with reasons, the snapshot."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from eprovince.core.constants import AuditAction
from eprovince.core.models import AuditEvent
from eprovince.workcalendar import demo_data, engine
from eprovince.workcalendar.constants import CountingMode, DayKind, DaySource
from eprovince.workcalendar.models import CalendarDay, CalendarYear, DeadlineRule, WorkingSession
from eprovince.workcalendar.selectors import calendar_snapshot, weekday_sessions
from eprovince.workcalendar.services import (
    calendar_day_create,
    calendar_day_remove,
    calendar_day_update,
    calendar_prefill_year,
    calendar_rules_update,
    calendar_year_update,
    deadline_rule_update,
    working_hours_set,
)

from .conftest import at

pytestmark = pytest.mark.django_db


def _events(obj: object) -> list[AuditEvent]:
    content_type = ContentType.objects.get_for_model(obj)  # type: ignore[arg-type]
    return list(AuditEvent.objects.filter(content_type=content_type, object_id=str(obj.pk)).order_by("id"))  # type: ignore[attr-defined]


def test_prefill_creates_the_year_and_is_idempotent(admin_user) -> None:
    first = calendar_prefill_year(year=2025, acting_user=admin_user)
    assert len(first.created) == 13 and not first.skipped
    assert CalendarYear.objects.get(year=2025).prefilled_at is not None
    revision = DeadlineRule.objects.get().revision
    events = AuditEvent.objects.count()
    second = calendar_prefill_year(year=2025, acting_user=admin_user)
    assert second.created == [] and len(second.skipped) == 13
    assert AuditEvent.objects.count() == events and DeadlineRule.objects.get().revision == revision


def test_prefill_never_overwrites_an_edit_nor_restores_a_removed_day(admin_user) -> None:
    calendar_prefill_year(year=2026, acting_user=admin_user)
    culture_day = CalendarDay.objects.get(date=dt.date(2026, 11, 24))
    calendar_day_remove(day=culture_day, acting_user=admin_user, reason="Chưa có văn bản hướng dẫn")
    hung = CalendarDay.objects.get(date=dt.date(2026, 4, 27))
    calendar_day_update(day=hung, acting_user=admin_user, reason="Theo thông báo", name="Nghỉ bù Giỗ Tổ")
    calendar_prefill_year(year=2026, acting_user=admin_user)
    culture_day.refresh_from_db()
    hung.refresh_from_db()
    assert not culture_day.is_active and culture_day.source == DaySource.ADMIN
    assert hung.name == "Nghỉ bù Giỗ Tổ" and hung.source == DaySource.ADMIN
    assert dt.date(2026, 11, 24) not in calendar_snapshot().days_off


def test_adding_a_day_is_audited_with_its_reason(admin_user) -> None:
    day = calendar_day_create(
        date=dt.date(2025, 4, 26), kind=DayKind.WORKING_DAY, name="Làm bù", acting_user=admin_user, reason="Thông báo hoán đổi"
    )
    (event,) = [e for e in _events(day) if e.action == AuditAction.CREATE]
    assert event.reason == "Thông báo hoán đổi" and event.after["kind"] == DayKind.WORKING_DAY and event.actor == admin_user
    assert day.calendar_year.year == 2025 and day.source == DaySource.ADMIN


@pytest.mark.parametrize("reason", ["", "   "])
def test_every_change_needs_a_reason(admin_user, reason: str) -> None:
    with pytest.raises(ValidationError) as exc:
        calendar_day_create(date=dt.date(2025, 6, 2), kind=DayKind.DAY_OFF, name="Nghỉ", acting_user=admin_user, reason=reason)
    assert "reason" in exc.value.message_dict
    day = calendar_day_create(date=dt.date(2025, 6, 2), kind=DayKind.DAY_OFF, name="Nghỉ", acting_user=admin_user, reason="x")
    for call in (
        lambda: calendar_day_update(day=day, acting_user=admin_user, reason=reason, name="Khác"),
        lambda: calendar_day_remove(day=day, acting_user=admin_user, reason=reason),
        lambda: calendar_year_update(year=2025, acting_user=admin_user, reason=reason, is_published=True),
        lambda: deadline_rule_update(acting_user=admin_user, reason=reason, supplement_mode="restart"),
    ):
        with pytest.raises(ValidationError):
            call()


@pytest.mark.parametrize(
    ("day", "kind", "field"),
    [
        (dt.date(2025, 4, 19), DayKind.DAY_OFF, "date"),  # a Saturday is already off
        (dt.date(2025, 4, 22), DayKind.WORKING_DAY, "date"),  # a Tuesday is already worked
        (dt.date(1999, 4, 22), DayKind.DAY_OFF, "date"),
        (dt.date(2025, 4, 22), "holiday", "kind"),
    ],
)
def test_days_that_make_no_sense_are_refused(admin_user, day: dt.date, kind: str, field: str) -> None:
    with pytest.raises(ValidationError) as exc:
        calendar_day_create(date=day, kind=kind, name="X", acting_user=admin_user, reason="x")
    assert field in exc.value.message_dict


def test_a_date_cannot_be_added_twice_but_a_removed_one_comes_back(admin_user) -> None:
    day = calendar_day_create(date=dt.date(2025, 6, 2), kind=DayKind.DAY_OFF, name="Nghỉ", acting_user=admin_user, reason="x")
    with pytest.raises(ValidationError) as exc:
        calendar_day_create(date=dt.date(2025, 6, 2), kind=DayKind.DAY_OFF, name="Lại", acting_user=admin_user, reason="x")
    assert "date" in exc.value.message_dict
    calendar_day_remove(day=day, acting_user=admin_user, reason="nhầm")
    again = calendar_day_create(date=dt.date(2025, 6, 2), kind=DayKind.DAY_OFF, name="Lại", acting_user=admin_user, reason="đúng")
    assert again.pk == day.pk and again.is_active and again.name == "Lại"
    assert [e.action for e in _events(day)] == [AuditAction.CREATE, AuditAction.DELETE, AuditAction.UPDATE]


def test_editing_a_removed_day_is_refused(admin_user) -> None:
    day = calendar_day_create(date=dt.date(2025, 6, 2), kind=DayKind.DAY_OFF, name="Nghỉ", acting_user=admin_user, reason="x")
    calendar_day_remove(day=day, acting_user=admin_user, reason="nhầm")
    with pytest.raises(ValidationError):
        calendar_day_update(day=day, acting_user=admin_user, reason="x", name="Khác")


def test_unknown_fields_are_a_programming_error(admin_user) -> None:
    day = calendar_day_create(date=dt.date(2025, 6, 2), kind=DayKind.DAY_OFF, name="Nghỉ", acting_user=admin_user, reason="x")
    with pytest.raises(TypeError):
        calendar_day_update(day=day, acting_user=admin_user, reason="x", date=dt.date(2025, 6, 3))


def test_changes_reach_the_engine_at_once(admin_user) -> None:
    received = at(2025, 6, 2, 9, 0)  # Monday
    assert engine.add_working_days(calendar_snapshot(), received, 1) == at(2025, 6, 3, 17, 0)
    day = calendar_day_create(
        date=dt.date(2025, 6, 3), kind=DayKind.DAY_OFF, name="Nghỉ đột xuất", acting_user=admin_user, reason="x"
    )
    assert engine.add_working_days(calendar_snapshot(), received, 1) == at(2025, 6, 4, 17, 0)
    calendar_day_remove(day=day, acting_user=admin_user, reason="hủy")
    assert engine.add_working_days(calendar_snapshot(), received, 1) == at(2025, 6, 3, 17, 0)


def test_snapshot_costs_one_query_when_cached(admin_user, django_assert_num_queries) -> None:
    calendar_prefill_year(year=2025, acting_user=admin_user)
    first = calendar_snapshot()
    with django_assert_num_queries(1):
        assert calendar_snapshot() == first


def test_rule_and_hours_changes_are_audited_and_used(admin_user) -> None:
    rule = deadline_rule_update(acting_user=admin_user, reason="Áp dụng như OpenCPS", counting_mode=CountingMode.WORKING_HOURS)
    assert calendar_snapshot().rules.counting_mode == CountingMode.WORKING_HOURS
    (event,) = [e for e in _events(rule) if e.reason == "Áp dụng như OpenCPS"]
    assert event.before == {"counting_mode": "whole_days"} and event.after == {"counting_mode": "working_hours"}
    with pytest.raises(ValidationError):
        deadline_rule_update(acting_user=admin_user, reason="x", supplement_mode="pause")

    saturday_morning = ((dt.time(7, 30), dt.time(11, 30)),)
    week = [((dt.time(7), dt.time(11)), (dt.time(13), dt.time(17)))] * 5 + [saturday_morning, ()]
    working_hours_set(week=week, acting_user=admin_user, reason="Giờ mùa hè")
    assert weekday_sessions()[5] == saturday_morning and WorkingSession.objects.count() == 11
    assert engine.is_working_day(calendar_snapshot(), dt.date(2025, 4, 19))
    with pytest.raises(ValidationError):
        working_hours_set(week=[()] * 7, acting_user=admin_user, reason="x")
    with pytest.raises(ValidationError):
        working_hours_set(week=[((dt.time(9), dt.time(8)),)] * 7, acting_user=admin_user, reason="x")


def test_rules_and_hours_change_together_or_not_at_all(admin_user) -> None:
    with pytest.raises(ValidationError):
        calendar_rules_update(week=[()] * 7, acting_user=admin_user, reason="x", supplement_mode="restart")
    assert DeadlineRule.objects.get().supplement_mode == "resume"


def test_publishing_a_year(admin_user) -> None:
    calendar_year = calendar_year_update(
        year=2025, acting_user=admin_user, reason="Đã đối chiếu", is_published=True, note="  Ghi chú "
    )
    assert calendar_year.is_published and calendar_year.note == "Ghi chú"
    with pytest.raises(ValidationError):
        calendar_year_update(year=1990, acting_user=admin_user, reason="x", is_published=True)


def test_demo_data_loads_2024_to_2027_with_the_2025_swaps_and_is_idempotent(capsys) -> None:
    import sys

    demo_data.load(sys.stdout)
    snapshot = calendar_snapshot()
    assert {dt.date(2025, 1, d) for d in range(27, 32)} | {
        dt.date(2025, 5, 2),
        dt.date(2025, 9, 1),
        dt.date(2025, 9, 2),
    } <= snapshot.days_off
    assert dt.date(2025, 4, 26) in snapshot.working_days
    assert set(CalendarYear.objects.values_list("year", flat=True)) == {2024, 2025, 2026, 2027}
    assert set(CalendarYear.objects.filter(is_published=True).values_list("year", flat=True)) == {2024, 2025}
    counts = (CalendarDay.objects.count(), AuditEvent.objects.count())
    demo_data.load(sys.stdout)
    assert (CalendarDay.objects.count(), AuditEvent.objects.count()) == counts
    assert "0 ngày mới" in capsys.readouterr().out
