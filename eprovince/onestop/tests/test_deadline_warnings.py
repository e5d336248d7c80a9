"""Warnings before the deadline: the officers responsible now get one digest a day of their overdue and due-soon
dossiers, counted in working days on the official calendar, never twice for a dossier on the same day."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from eprovince.core.constants import Role
from eprovince.core.testing import make_user
from eprovince.onestop.deadline_warnings import send_deadline_warnings
from eprovince.onestop.models import DeadlineWarning
from eprovince.onestop.services.dossiers import dossier_issue_apology
from eprovince.workcalendar.constants import DayKind
from eprovince.workcalendar.services import calendar_day_create

from .factories import World, act, at, receive

pytestmark = pytest.mark.django_db

MON = at(2026, 3, 9, 9)  # received Monday 9 March 2026: due Wednesday 18 March, 17:00 (7 working days)


@pytest.fixture(autouse=True)
def _emails(world: World) -> None:
    """The officers of the test world have work addresses."""
    for user in (world.clerk, world.specialist, world.other_specialist, world.head, world.leader, world.builder):
        user.email = f"{user.username}@so.example.vn"
        user.save(update_fields=["email"])


def run(now: dt.datetime, capture: Any) -> list[Any]:
    mail.outbox.clear()
    with capture(execute=True):
        send_deadline_warnings(now=now)
    return list(mail.outbox)


def test_the_officer_holding_the_dossier_gets_one_digest(world: World, django_capture_on_commit_callbacks: Any) -> None:
    d = receive(world, now=MON)
    other = receive(world, now=MON, applicant_name="Trần Văn Tây")
    [message] = run(at(2026, 3, 16, 9), django_capture_on_commit_callbacks)  # Monday: due within 2 working days
    assert message.to == [world.specialist.email]  # the specialist of the division: not the head, clerk or leader
    assert "2 hồ sơ quá hạn hoặc sắp đến hạn" in message.subject
    assert d.code in message.body and other.code in message.body
    assert "SẮP ĐẾN HẠN (trong 2 ngày làm việc)" in message.body and "ĐÃ QUÁ HẠN" not in message.body
    assert "17:00 18/03/2026" in message.body
    assert f"/can-bo/mot-cua/ho-so/{d.pk}/" in message.body
    assert DeadlineWarning.objects.filter(officer=world.specialist, day=dt.date(2026, 3, 16)).count() == 2


def test_not_repeated_the_same_day_but_repeated_the_next(world: World, django_capture_on_commit_callbacks: Any) -> None:
    receive(world, now=MON)
    assert len(run(at(2026, 3, 16, 9), django_capture_on_commit_callbacks)) == 1
    assert run(at(2026, 3, 16, 15), django_capture_on_commit_callbacks) == []
    late = receive(world, now=at(2026, 3, 6, 9), applicant_name="Lê Thị Bắc")  # a new dossier due soon, same day
    [message] = run(at(2026, 3, 16, 16), django_capture_on_commit_callbacks)
    assert late.code in message.body and message.body.count("\n- ") == 1  # only the new one
    [message] = run(at(2026, 3, 17, 9), django_capture_on_commit_callbacks)
    assert message.body.count("\n- ") == 2


def test_overdue_dossiers_are_listed_apart(world: World, django_capture_on_commit_callbacks: Any) -> None:
    d = receive(world, now=MON)
    [message] = run(at(2026, 3, 19, 9), django_capture_on_commit_callbacks)
    assert "ĐÃ QUÁ HẠN" in message.body and d.code in message.body and "SẮP ĐẾN HẠN" not in message.body
    assert DeadlineWarning.objects.get().kind == "overdue"


def test_working_days_not_calendar_days(world: World, django_capture_on_commit_callbacks: Any, settings: Any) -> None:
    receive(world, now=MON)
    # Friday 13/03: 5 calendar days before the due date, but only 3 working days (Mon, Tue, Wed)
    assert run(at(2026, 3, 13, 9), django_capture_on_commit_callbacks) == []
    settings.ONESTOP_DUE_SOON_WORKING_DAYS = 3
    assert len(run(at(2026, 3, 13, 10), django_capture_on_commit_callbacks)) == 1


def test_a_day_off_shortens_the_window(world: World, django_capture_on_commit_callbacks: Any) -> None:
    d = receive(world, now=MON)
    assert run(at(2026, 3, 13, 9), django_capture_on_commit_callbacks) == []
    admin = make_user("lich", Role.ADMIN)
    calendar_day_create(date=dt.date(2026, 3, 17), kind=DayKind.DAY_OFF, name="Nghỉ bù", acting_user=admin, reason="Thử")
    d.refresh_from_db()
    assert d.due_at == at(2026, 3, 18, 17)  # the stored due date does not move by itself
    # Friday 13/03 with Tuesday off: the two working days are Monday and Wednesday
    assert len(run(at(2026, 3, 13, 10), django_capture_on_commit_callbacks)) == 1


def test_the_new_appointment_after_an_apology_counts(world: World, django_capture_on_commit_callbacks: Any) -> None:
    d = receive(world, now=MON)
    dossier_issue_apology(dossier=d, acting_user=world.clerk, reason="Cần lấy ý kiến Sở Xây dựng",
                          new_due_date=dt.date(2026, 3, 27), now=at(2026, 3, 16, 8))  # fmt: skip
    assert run(at(2026, 3, 19, 9), django_capture_on_commit_callbacks) == []  # no longer late
    [message] = run(at(2026, 3, 26, 9), django_capture_on_commit_callbacks)
    assert "17:00 27/03/2026" in message.body


def test_the_warning_follows_the_dossier(world: World, django_capture_on_commit_callbacks: Any) -> None:
    d = receive(world, now=MON)
    act(d, "forward", world.specialist, now=at(2026, 3, 12, 9))
    [message] = run(at(2026, 3, 16, 9), django_capture_on_commit_callbacks)
    assert message.to == [world.head.email]


def test_paused_and_finished_dossiers_are_not_warned_about(world: World, django_capture_on_commit_callbacks: Any) -> None:
    d = receive(world, now=MON)
    act(d, "request_supplement", world.specialist, reason="Thiếu bản sao giấy phép", now=at(2026, 3, 10, 9))
    assert run(at(2026, 3, 19, 9), django_capture_on_commit_callbacks) == []
    assert not DeadlineWarning.objects.exists()


def test_officers_without_an_email_or_inactive_are_skipped(world: World, django_capture_on_commit_callbacks: Any) -> None:
    receive(world, now=MON)
    world.specialist.is_active = False
    world.specialist.save()
    colleague = make_user("chuyenvien3", (Role.SPECIALIST, world.dept), email="ha@so.example.vn")
    [message] = run(at(2026, 3, 16, 9), django_capture_on_commit_callbacks)
    assert message.to == [colleague.email]  # a specialist of the department covers its divisions


def test_the_command_runs_the_daily_warnings(world: World, django_capture_on_commit_callbacks: Any) -> None:
    receive(world, now=at(2026, 1, 5, 9))  # long overdue by now
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("warn_deadlines", stdout=__import__("io").StringIO())
    assert [m.to for m in mail.outbox] == [[world.specialist.email]]
