"""Reminding late units: the round page lists them with a "Gửi nhắc nhở" button for the form's reviewers; the
reporting officers of each late unit get an email through the task queue; each reminder is recorded and audited,
and a unit is not reminded twice within the interval, whether by the button or by `manage.py remind_late_units`."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from eprovince.core.constants import Role
from eprovince.core.models import AuditEvent, User
from eprovince.core.testing import make_org, make_user

from .. import reminders
from ..models import ReminderLog
from ..services import rounds
from . import factories as f

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def late_round(world: f.World):
    """The 2024 round of the districts' form (deadline 19/12/2024, long past): Tân Châu submitted, Châu Thành did not."""
    User.objects.filter(pk__in=[world.officer_tanchau.pk, world.officer_chauthanh.pk]).update(email="")
    User.objects.filter(pk=world.officer_chauthanh.pk).update(email="mai@chauthanh.angiang.gov.vn")
    make_user(
        "baocao_chauthanh2",
        (Role.REPORTING_OFFICER, world.chauthanh),
        full_name="Trịnh Văn Hòa",
        email="hoa@chauthanh.angiang.gov.vn",
    )
    round_ = f.open_round(world, world.committee_form, "2024")  # type: ignore[arg-type]
    sub = f.submission(round_, world.tanchau)
    f.save(world, sub, world.officer_tanchau, {"POPULATION": "150000"})
    rounds.submission_submit(acting_user=world.officer_tanchau, submission=sub)
    return round_


def remind(client: Client, round_: Any) -> Any:
    return client.post(reverse("indicators:round_remind", args=[round_.pk]), follow=True)


def test_the_reviewer_reminds_the_late_units_officers_once(
    world: f.World, late_round: Any, django_capture_on_commit_callbacks: Any
) -> None:
    reviewer = client_for(world.reviewer)
    page = reviewer.get(reverse("indicators:round", args=[late_round.pk])).content.decode()
    assert "Gửi nhắc nhở" in page and "1 đơn vị chưa nộp đã quá hạn" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = remind(reviewer, late_round)
    page = response.content.decode()
    assert "Đã gửi nhắc nhở tới 1 đơn vị (2 thư): Ủy ban nhân dân huyện Châu Thành." in page
    assert sorted(m.to[0] for m in mail.outbox) == ["hoa@chauthanh.angiang.gov.vn", "mai@chauthanh.angiang.gov.vn"]
    message = mail.outbox[0]
    assert all(len(m.to) == 1 for m in mail.outbox)  # one officer does not see the other's address
    assert "Nhắc nộp báo cáo: Báo cáo ứng dụng CNTT của UBND cấp huyện" in message.subject
    assert "hạn nộp là ngày 19/12/2024" in message.body
    sub = f.submission(late_round, world.chauthanh)
    assert f"/can-bo/chi-tieu/bao-cao/{sub.pk}/" in message.body

    log = ReminderLog.objects.get()
    assert (log.submission, log.sent_by) == (sub, world.reviewer)
    assert {r["email"] for r in log.recipients} == {"hoa@chauthanh.angiang.gov.vn", "mai@chauthanh.angiang.gov.vn"}
    assert AuditEvent.objects.filter(content_type__model="reminderlog", object_id=str(log.pk), actor=world.reviewer).exists()
    assert "Lý Thị Mai" in page and "Lê Thị Hạnh" in page  # the log on the round page: whom, who

    # Pressed again: nothing is sent twice within the interval.
    with django_capture_on_commit_callbacks(execute=True):
        page = remind(reviewer, late_round).content.decode()
    assert "Ủy ban nhân dân huyện Châu Thành đã được nhắc lúc" in page
    assert len(mail.outbox) == 2 and ReminderLog.objects.count() == 1


def test_after_the_interval_a_unit_is_reminded_again(
    world: f.World, late_round: Any, django_capture_on_commit_callbacks: Any
) -> None:
    start = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        reminders.remind_late_units(acting_user=world.reviewer, round_=late_round, now=start)
        again = reminders.remind_late_units(acting_user=world.reviewer, round_=late_round, now=start + dt.timedelta(hours=23))
    assert not again.sent and len(again.recently_reminded) == 1
    with django_capture_on_commit_callbacks(execute=True):
        later = reminders.remind_late_units(acting_user=world.reviewer, round_=late_round, now=start + dt.timedelta(hours=25))
    assert len(later.sent) == 1 and len(mail.outbox) == 4
    with override_settings(INDICATORS_REMINDER_INTERVAL_HOURS=72):
        assert not reminders.remind_late_units(
            acting_user=world.reviewer, round_=late_round, now=start + dt.timedelta(hours=50)
        ).sent


def test_a_unit_without_a_reachable_officer_is_named(world: f.World, django_capture_on_commit_callbacks: Any) -> None:
    round_ = f.open_round(world, world.committee_form, "2024")  # type: ignore[arg-type]
    # Tân Châu's officer has no address; Châu Thành's only officer has left (inactive).
    User.objects.filter(pk=world.officer_tanchau.pk).update(email="")
    User.objects.filter(pk=world.officer_chauthanh.pk).update(email="mai@chauthanh.angiang.gov.vn", is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        page = remind(client_for(world.reviewer), round_).content.decode()
    assert "Ủy ban nhân dân thị xã Tân Châu chưa có cán bộ báo cáo nào có địa chỉ thư điện tử" in page
    assert "Ủy ban nhân dân huyện Châu Thành chưa có cán bộ báo cáo" in page
    assert not mail.outbox and not ReminderLog.objects.exists()


def test_nothing_is_late_before_the_deadline(world: f.World, django_capture_on_commit_callbacks: Any) -> None:
    assert world.committee_form is not None
    round_ = rounds.round_open(
        acting_user=world.reviewer,
        form=world.committee_form,
        period="2025",
        deadline=timezone.localdate() + dt.timedelta(days=3),
    )
    page = client_for(world.reviewer).get(reverse("indicators:round", args=[round_.pk])).content.decode()
    assert "Gửi nhắc nhở" not in page
    with django_capture_on_commit_callbacks(execute=True):
        page = remind(client_for(world.reviewer), round_).content.decode()
    assert "Không có đơn vị nào chậm nộp cần nhắc." in page and not mail.outbox


def test_only_the_forms_reviewers_remind(world: f.World, late_round: Any) -> None:
    url = reverse("indicators:round_remind", args=[late_round.pk])
    other_division = make_org("Phòng Văn phòng Sở", parent=world.department)
    outsider = make_user("truongphong_khac", (Role.DIVISION_HEAD, other_division))
    assert client_for(outsider).post(url).status_code == 404  # another division's round is not confirmed to exist
    assert client_for(world.officer_chauthanh).post(url).status_code == 404
    assert client_for(world.specialist).post(url).status_code == 403  # reads the round, may not remind
    assert client_for(world.specialist).get(reverse("indicators:round", args=[late_round.pk])).status_code == 200
    assert (
        "Gửi nhắc nhở" not in client_for(world.specialist).get(reverse("indicators:round", args=[late_round.pk])).content.decode()
    )
    assert client_for(world.reviewer).get(url).status_code == 405
    assert client_for(world.reviewer).post(reverse("indicators:round_remind", args=[999999])).status_code == 404
    assert not ReminderLog.objects.exists() and not mail.outbox


def test_a_closed_round_sends_no_reminders(world: f.World, late_round: Any) -> None:
    rounds.round_close(acting_user=world.reviewer, round_=late_round)
    page = remind(client_for(world.reviewer), late_round).content.decode()
    assert "Đợt báo cáo đã đóng nên không gửi nhắc nhở." in page
    assert not ReminderLog.objects.exists()


def test_the_scheduler_command_reminds_once(world: f.World, late_round: Any, django_capture_on_commit_callbacks: Any) -> None:
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_late_units", "--site-url", "https://eprovince.angiang.gov.vn", stdout=out)
    assert "1 đơn vị được nhắc (2 thư)" in out.getvalue()
    assert len(mail.outbox) == 2 and "https://eprovince.angiang.gov.vn/can-bo/chi-tieu/bao-cao/" in mail.outbox[0].body
    log = ReminderLog.objects.get()
    assert log.sent_by is None
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_late_units", stdout=out)
    assert "0 đơn vị được nhắc (0 thư), 1 đã nhắc gần đây" in out.getvalue()
    assert len(mail.outbox) == 2 and ReminderLog.objects.count() == 1


def test_no_email_leaves_when_the_reminder_rolls_back(
    world: f.World, late_round: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            reminders.remind_late_units(acting_user=world.reviewer, round_=late_round)
            raise RuntimeError
    assert not mail.outbox and not ReminderLog.objects.exists()
