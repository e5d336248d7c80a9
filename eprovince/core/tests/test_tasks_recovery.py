"""Jobs a dead worker left RUNNING (issue 10): `recover_abandoned_jobs` / `manage.py recover_jobs` marks them failed
("worker lost") and runs them again, an email with the same Message-ID; a job another node may still be running, a
task not declared recoverable and an email out of attempts are left alone. The end-to-end proof, with a worker
process killed by SIGKILL, is eprovince/onestop/tests/test_outbox_faults.py (PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.mail.utils import DNS_NAME
from django.core.management import call_command
from django.tasks import task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from eprovince.core import tasks

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@task
def not_recoverable() -> None:
    """A job that must not run twice (not declared with tasks.recoverable)."""


def left_running(job_id: str, *, minutes_ago: float) -> None:
    """What a worker killed mid-job leaves: the row RUNNING since then."""
    started = timezone.now() - dt.timedelta(minutes=minutes_ago)
    DBTaskResult.objects.filter(pk=job_id).update(status="RUNNING", started_at=started, worker_ids=["dead-worker"])


def test_an_email_left_running_by_a_dead_worker_is_failed_and_sent_again_with_the_same_message_id(settings: Any) -> None:
    settings.TASKS = DATABASE_QUEUE
    job = tasks.send_email.enqueue(to=["dong@example.vn"], subject="Thư", body="Nội dung")
    left_running(job.id, minutes_ago=16)
    out = StringIO()
    call_command("recover_jobs", stdout=out)
    assert out.getvalue().startswith("1 job")
    lost = DBTaskResult.objects.get(pk=job.id)
    assert lost.status == "FAILED" and lost.exception_class_path == "eprovince.core.tasks.WorkerLost"
    [again] = DBTaskResult.objects.filter(status="READY")
    assert again.args_kwargs["kwargs"] == {
        "to": ["dong@example.vn"], "subject": "Thư", "body": "Nội dung", "attempt": 2,
        "message_id": f"<eprovince.{job.id}@{DNS_NAME}>",  # what the lost attempt sent (it may have been delivered)
    }  # fmt: skip
    assert tasks.recover_abandoned_jobs() == []  # once


def test_a_job_still_within_its_time_another_task_or_no_attempts_left_is_not_run_again(settings: Any) -> None:
    settings.TASKS = DATABASE_QUEUE
    settings.EMAIL_MAX_ATTEMPTS = 2
    recent = tasks.send_email.enqueue(to=["a@example.vn"], subject="Mới chạy", body="…")
    left_running(recent.id, minutes_ago=1)  # perhaps running on another node right now
    other = not_recoverable.enqueue()
    left_running(other.id, minutes_ago=60)
    last = tasks.send_email.enqueue(to=["b@example.vn"], subject="Lần cuối", body="…", attempt=2)
    left_running(last.id, minutes_ago=60)
    assert tasks.recover_abandoned_jobs() == []
    statuses = {str(pk): status for pk, status in DBTaskResult.objects.values_list("pk", "status")}
    assert statuses[recent.id] == statuses[other.id] == "RUNNING"
    assert statuses[last.id] == "FAILED"  # out of attempts: failed with its reason, kept to be sent by hand
    assert "no attempts left" in DBTaskResult.objects.get(pk=last.id).traceback


def test_the_outbox_delivery_run_is_recoverable(settings: Any) -> None:
    from eprovince.onestop import tasks as onestop_tasks

    settings.TASKS = DATABASE_QUEUE
    run = onestop_tasks.deliver_outbox.enqueue()
    left_running(run.id, minutes_ago=30)
    [again] = tasks.recover_abandoned_jobs()
    assert DBTaskResult.objects.get(pk=again.id).task_path == "eprovince.onestop.tasks.deliver_outbox"
