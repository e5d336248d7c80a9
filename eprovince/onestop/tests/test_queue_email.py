"""The background queue with the database backend and real SMTP: a job is a row until a worker runs it (so it
survives a restart), the email reaches a real local SMTP server (aiosmtpd) in UTF-8, a failing server leaves the
job failed with its error and a later attempt queued, never lost; the outbox is delivered from the same queue."""

from __future__ import annotations

import datetime as dt
import signal
import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.core.mail.utils import DNS_NAME
from django.core.management import call_command
from django.db import connections, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from eprovince.onestop import tasks
from eprovince.onestop.models import OutboxEvent

from .factories import World, at, make_world, receive, sign_up
from .test_outbox import Receiver, receiver  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
SUBJECT = "Hồ sơ 000.20.00.H99-260309-0001 đã được tiếp nhận"
TEMPLATE = "onestop/email/verify.txt"
CONTEXT = {"name": "Nguyễn Văn Đông", "link": "https://motcua.example.vn/xac-nhan/abc/", "hours": 72, "platform": "e-Province"}
BODY = "Kính gửi ông Nguyễn Văn Đông,\nhồ sơ cấp giấy phép bưu chính của ông đã được tiếp nhận; hẹn trả ngày 18/03/2026.\n"


class Inbox:
    """An aiosmtpd handler keeping every message; `reply` lets a test make the server refuse mail."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []
        self.reply = "250 Message accepted for delivery"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.reply.startswith("250"):
            parsed = message_from_bytes(envelope.original_content or envelope.content, policy=default_policy)
            self.messages.append((list(envelope.rcpt_tos), parsed))  # type: ignore[arg-type]
        return self.reply


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp(settings: Any) -> Iterator[Inbox]:
    """A real SMTP server on 127.0.0.1, Django's real SMTP backend pointed at it, and the database queue."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 10},
        }
    }
    settings.TASKS = DATABASE_QUEUE
    settings.DEFAULT_FROM_EMAIL = "Một cửa điện tử <motcua@eprovince.local>"
    yield inbox
    controller.stop()


def run_worker() -> None:
    """`manage.py db_worker --batch`: run every job that is due, then stop (the worker's signal handlers are put
    back afterwards, so the test process keeps its own)."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--queue-name", "*", verbosity=0)
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def jobs(**filters: Any) -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(**filters).order_by("enqueued_at"))


def test_an_email_is_a_database_job_until_a_worker_sends_it_over_smtp(smtp: Inbox) -> None:
    with transaction.atomic():
        tasks.email_on_commit(to="dong@example.vn", subject=SUBJECT, template=TEMPLATE, context=CONTEXT)
    [job] = jobs()
    assert (job.status, job.task_path) == ("READY", "eprovince.core.tasks.send_email")
    assert smtp.messages == []  # nothing sent in the request
    connections.close_all()  # a restart: the job is read back through a fresh connection
    run_worker()
    [(recipients, message)] = smtp.messages
    assert recipients == ["dong@example.vn"]
    assert message["Subject"] == SUBJECT
    assert message["From"] == "Một cửa điện tử <motcua@eprovince.local>"
    assert message.get_content_charset() == "utf-8"
    content = message.get_content()
    assert content.startswith("Xin chào Nguyễn Văn Đông,") and "Liên kết có hiệu lực trong 72 giờ." in content
    job.refresh_from_db()
    assert job.status == "SUCCESSFUL"
    run_worker()
    assert len(smtp.messages) == 1  # a finished job is not run again


def test_nothing_is_queued_when_the_transaction_rolls_back(smtp: Inbox) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        tasks.email_on_commit(to="dong@example.vn", subject=SUBJECT, template=TEMPLATE, context=CONTEXT)
        raise RuntimeError
    assert jobs() == []


def test_a_service_email_goes_through_the_queue(smtp: Inbox) -> None:
    user = sign_up(verify=False, email="hoa@mekong.vn")
    assert smtp.messages == [] and len(jobs(status="READY")) == 1
    run_worker()
    [(recipients, message)] = smtp.messages
    assert recipients == [user.email]
    assert message["Subject"].startswith("Xác nhận địa chỉ thư điện tử")
    assert "Xin chào Trần Thị Hoa" in message.get_content()


def test_a_failing_smtp_server_leaves_the_job_failed_and_a_later_attempt_queued(smtp: Inbox, settings: Any) -> None:
    settings.EMAIL_MAX_ATTEMPTS = 3
    smtp.reply = "451 Requested action aborted: local error in processing"
    tasks.send_email.enqueue(to=["dong@example.vn"], subject=SUBJECT, body=BODY)
    before = timezone.now()
    run_worker()
    [failed] = jobs(status="FAILED")
    assert "SMTPDataError" in failed.exception_class_path and "451" in failed.traceback
    [retry] = jobs(status="READY")
    assert retry.args_kwargs["kwargs"] == {
        "to": ["dong@example.vn"], "subject": SUBJECT, "body": BODY, "attempt": 2, "message_id": f"<eprovince.{failed.pk}@{DNS_NAME}>",
    }  # fmt: skip
    assert retry.run_after >= before + dt.timedelta(minutes=1)
    run_worker()  # not due yet: the worker leaves it
    assert jobs(status="READY") == [retry] and smtp.messages == []
    # the server recovers and the minute has passed
    smtp.reply = "250 Message accepted for delivery"
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_worker()
    assert [m["Subject"] for _, m in smtp.messages] == [SUBJECT]
    assert smtp.messages[0][1]["Message-ID"] == f"<eprovince.{failed.pk}@{DNS_NAME}>"  # the same on every attempt
    assert {j.status for j in jobs()} == {"FAILED", "SUCCESSFUL"}


def test_after_the_last_attempt_the_failed_job_stays_with_its_error(smtp: Inbox, settings: Any) -> None:
    settings.EMAIL_MAX_ATTEMPTS = 1
    smtp.reply = "554 Transaction failed"
    tasks.send_email.enqueue(to=["dong@example.vn"], subject=SUBJECT, body=BODY)
    run_worker()
    [failed] = jobs()
    assert failed.status == "FAILED" and "554" in failed.traceback
    assert failed.args_kwargs["kwargs"]["body"] == BODY  # the email can still be sent again by hand


def test_the_outbox_is_delivered_from_the_queue(smtp: Inbox, receiver: Receiver) -> None:  # noqa: F811
    world: World = make_world()
    dossier = receive(world, now=at(2026, 3, 9, 9))
    assert receiver.requests == []  # queued, not sent in the request
    assert len(jobs(task_path="eprovince.onestop.tasks.deliver_outbox", status="READY")) == 1  # one run for both events
    run_worker()
    assert [p["MaHoSo"] for p in receiver.payloads()] == [dossier.code, dossier.code]
    assert not OutboxEvent.objects.filter(delivered_at__isnull=True).exists()


def test_a_failed_delivery_schedules_one_later_run(smtp: Inbox, receiver: Receiver) -> None:  # noqa: F811
    world: World = make_world()
    receiver.status = 500
    receive(world, now=at(2026, 3, 9, 9))
    run_worker()
    later = jobs(task_path="eprovince.onestop.tasks.deliver_outbox", status="READY")
    assert len(later) == 1 and later[0].run_after > timezone.now()
    tasks.enqueue_once(tasks.deliver_outbox, at=later[0].run_after + dt.timedelta(seconds=5))  # already covered
    assert len(jobs(task_path="eprovince.onestop.tasks.deliver_outbox", status="READY")) == 1
    receiver.status = 200
    DBTaskResult.objects.filter(pk=later[0].pk).update(run_after=timezone.now())
    OutboxEvent.objects.update(next_attempt_at=timezone.now())
    run_worker()
    assert len(receiver.payloads()) == 2
