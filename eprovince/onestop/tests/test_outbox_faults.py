"""Faults, for real (issue 10): nothing lost, nothing applied twice.

- A worker (`manage.py db_worker`, a separate process) is killed with SIGKILL while the national portal's receiver
  holds its request open; restarted (`manage.py recover_jobs`, then the worker), every event arrives, in order per
  dossier; the only repeat is the event that was in flight, with the same id (at least once on the wire; a receiver
  that remembers ids applies each once).
- The same for an email: killed mid-conversation with the SMTP server (aiosmtpd), the recovered job sends it once;
  killed after the server accepted it and before the job was marked done, it is sent once more, with the same
  Message-ID (at least once: what holds, precisely, is in eprovince/core/tasks.py).
- The database connection is dropped in the middle of a submission (pg_terminate_backend from a second connection,
  just after the number was drawn): no half dossier, and the next submission takes the same number.
- The receiver answers 500, times out and closes the connection for an hour of simulated time: afterwards every
  event is delivered, in order per dossier, each once.

The first three need PostgreSQL (a second process sharing the test database, a connection another can terminate):
they are skipped on SQLite; CI runs the suite on PostgreSQL too."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from eprovince.core.models import AuditEvent
from eprovince.onestop import numbering, outbox, tasks
from eprovince.onestop.models import Dossier, DossierEvent, DossierFile, OutboxEvent
from eprovince.onestop.services.online import dossier_online_submit

from .factories import SITE, World, act, at, complete_draft, make_world, receive, sign_up
from .test_queue_email import DATABASE_QUEUE, free_port

ROOT = Path(__file__).resolve().parents[3]
MON = at(2026, 3, 9, 9)
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: a worker in a second process shares the test database, and a connection is terminated "
    "from another (CI runs the suite on PostgreSQL as well)",
)

# A worker process: Django with the test settings on the test database, the test's settings applied, then the
# given management commands in turn. `pause_after_send` stops a job between its work and the row saying SUCCESSFUL.
WORKER = textwrap.dedent(
    """
    import json, os, time
    import django
    django.setup()
    from django.core.management import call_command
    from django.test.utils import override_settings
    config = json.loads(os.environ["EP_FAULT_CONFIG"])
    override_settings(**config["settings"]).enable()
    if config.get("pause_after_send"):
        from django_tasks_db.models import DBTaskResult
        def paused(self, return_value):
            with open(config["pause_after_send"], "w") as marker:
                marker.write(str(self.pk))
            time.sleep(600)
        DBTaskResult.set_successful = paused
    for command in config["commands"]:
        call_command(*command)
    """
)
RUN_WORKER = ["db_worker", "--batch", "--no-startup-delay", "--no-reload", "--queue-name", "*", "--verbosity", "0"]
RECOVER = ["recover_jobs", "--older-than", "0"]


def spawn(commands: list[list[str]], overrides: dict[str, Any], *, pause_after_send: str = "") -> subprocess.Popen[bytes]:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    config = {"settings": {"TASKS": DATABASE_QUEUE, **overrides}, "commands": commands, "pause_after_send": pause_after_send}
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "eprovince.settings.test", "DATABASE_URL": url,
           "EP_FAULT_CONFIG": json.dumps(config)}  # fmt: skip
    return subprocess.Popen([sys.executable, "-c", WORKER], cwd=ROOT, env=env, stderr=subprocess.PIPE)  # noqa: S603


def finish(process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    _, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, err.decode()


def kill(process: subprocess.Popen[bytes]) -> None:
    os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=10)
    assert process.returncode == -signal.SIGKILL


def wait_for(condition: Any, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


# --- The national portal's receiver ---------------------------------------------------------------------------------


class HoldingReceiver:
    """A real HTTP receiver that applies what it is sent (recording the event id) and holds the `hold_at`-th request
    open, after applying it, until released: the worker never gets the answer."""

    def __init__(self, *, hold_at: int = 0) -> None:
        self.requests: list[dict[str, Any]] = []
        self.hold_at = hold_at
        self.held = threading.Event()
        self.release = threading.Event()
        state = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                state.requests.append({"id": self.headers["X-EProvince-Event-Id"], "json": json.loads(body)})
                if len(state.requests) == state.hold_at:
                    state.held.set()
                    state.release.wait(30)
                try:
                    self.send_response(200)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:
                    pass  # the worker is gone

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/dvcqg/dong-bo"

    def ids(self) -> list[str]:
        return [r["id"] for r in self.requests]

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def event_ids(dossier: Dossier) -> list[str]:
    return [outbox.event_id(e) for e in OutboxEvent.objects.filter(dossier=dossier).order_by("sequence")]


def assert_in_order_per_dossier(ids: list[str]) -> None:
    """A dossier's events arrive in sequence order (a repeat of the one in flight comes before the next)."""
    last: dict[str, int] = {}
    for item in ids:
        dossier, sequence = item.split("-")
        assert int(sequence) >= last.get(dossier, 0), ids
        last[dossier] = int(sequence)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_delivery_restarts_and_every_event_arrives_in_order(settings: Any) -> None:
    settings.ONESTOP_OUTBOX_WEBHOOK_URL = ""  # the events wait while the dossiers are made
    world = make_world()
    dossiers = [act(act(receive(world, now=MON), "forward", world.specialist), "forward", world.head), receive(world, now=MON)]
    expected = [i for d in dossiers for i in event_ids(d)]
    assert len(expected) == 5
    receiver = HoldingReceiver(hold_at=3)
    try:
        settings.TASKS = DATABASE_QUEUE
        first_run = tasks.deliver_outbox.enqueue()
        overrides = {"ONESTOP_OUTBOX_WEBHOOK_URL": receiver.url, "ONESTOP_OUTBOX_LEASE_SECONDS": 2}
        worker = spawn([RUN_WORKER], overrides)
        assert receiver.held.wait(30), "the worker never reached the receiver"
        kill(worker)  # while the receiver holds the third request open, having applied it
        receiver.release.set()
        in_flight = receiver.ids()[-1]
        claimed = OutboxEvent.objects.get(delivered_at__isnull=True, claim_token__gt="")
        assert outbox.event_id(claimed) == in_flight  # claimed, posted, its answer never came back
        assert DBTaskResult.objects.get(pk=first_run.id).status == "RUNNING"  # the queue alone never runs it again
        lease_end = claimed.claimed_until
        assert lease_end is not None
        wait_for(lambda: timezone.now() > lease_end)  # the dead worker's lease runs out
        finish(spawn([RECOVER, RUN_WORKER], overrides))  # the worker's restart
    finally:
        receiver.close()
    ids = receiver.ids()
    assert sorted(set(ids)) == sorted(expected)  # nothing lost
    repeats = {i for i in ids if ids.count(i) > 1}
    assert repeats <= {in_flight} and ids.count(in_flight) <= 2  # only the event in flight, with the same id
    assert_in_order_per_dossier(ids)
    assert not OutboxEvent.objects.filter(delivered_at__isnull=True).exists()
    assert DBTaskResult.objects.get(pk=first_run.id).status == "FAILED"  # "worker lost", run again
    assert "WorkerLost" in DBTaskResult.objects.get(pk=first_run.id).exception_class_path


# --- Emails ---------------------------------------------------------------------------------------------------------


class HoldingInbox:
    """An aiosmtpd handler that may hold the DATA command before answering; a message counts as accepted only once
    the server has answered 250 to a client still there."""

    def __init__(self, *, hold: bool = False) -> None:
        self.hold = hold
        self.held = threading.Event()
        self.release = threading.Event()
        self.offered: list[str] = []  # Message-IDs of every DATA received
        self.accepted: list[tuple[str, str]] = []  # (Message-ID, Subject) answered 250

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        from email import message_from_bytes
        from email.policy import default

        message = message_from_bytes(envelope.original_content or envelope.content, policy=default)
        self.offered.append(str(message["Message-ID"]))
        if self.hold and len(self.offered) == 1:
            self.held.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)  # a killed client cancels this handler (connection lost)
        self.accepted.append((str(message["Message-ID"]), str(message["Subject"])))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server() -> Iterator[tuple[HoldingInbox, Controller]]:
    inbox = HoldingInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield inbox, controller
    inbox.release.set()
    controller.stop()


def mail_settings(controller: Controller) -> dict[str, Any]:
    backend = {"BACKEND": "django.core.mail.backends.smtp.EmailBackend"}
    return {
        "MAILERS": {"default": {**backend, "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 10}}},
        "DEFAULT_FROM_EMAIL": "Một cửa điện tử <motcua@eprovince.local>",
    }


def enqueue_email(settings: Any) -> Any:
    settings.TASKS = DATABASE_QUEUE
    return tasks.send_email.enqueue(to=["dong@example.vn"], subject="Hồ sơ đã được tiếp nhận", body="Kính gửi ông Đông.\n")


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_email_restarts_and_sends_it_once(
    settings: Any, smtp_server: tuple[HoldingInbox, Controller]
) -> None:
    inbox, controller = smtp_server
    inbox.hold = True
    job = enqueue_email(settings)
    worker = spawn([RUN_WORKER], mail_settings(controller))
    assert inbox.held.wait(30), "the worker never reached the SMTP server"
    kill(worker)  # the message is sent, the server has not answered yet
    assert DBTaskResult.objects.get(pk=job.id).status == "RUNNING"  # the queue alone never runs it again
    inbox.release.set()
    time.sleep(0.2)
    assert inbox.accepted == []  # never accepted: the client left before the answer
    finish(spawn([RECOVER, RUN_WORKER], mail_settings(controller)))
    [(message_id, subject)] = inbox.accepted  # sent once
    assert subject == "Hồ sơ đã được tiếp nhận" and message_id == inbox.offered[0]  # the same Message-ID
    statuses = list(DBTaskResult.objects.order_by("enqueued_at").values_list("status", flat=True))
    assert statuses == ["FAILED", "SUCCESSFUL"]


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_after_the_server_accepted_an_email_sends_it_again_once_with_the_same_message_id(
    settings: Any, smtp_server: tuple[HoldingInbox, Controller], tmp_path: Path
) -> None:
    inbox, controller = smtp_server
    job = enqueue_email(settings)
    marker = tmp_path / "sent"
    worker = spawn([RUN_WORKER], mail_settings(controller), pause_after_send=str(marker))
    wait_for(marker.exists)
    kill(worker)  # between the server's 250 and the job marked done
    assert len(inbox.accepted) == 1 and DBTaskResult.objects.get(pk=job.id).status == "RUNNING"
    finish(spawn([RECOVER, RUN_WORKER], mail_settings(controller)))
    # at least once: the one copy carries the same Message-ID, which mail clients and servers deduplicate on
    assert len(inbox.accepted) == 2 and inbox.accepted[0] == inbox.accepted[1]
    assert inbox.accepted[0][0].startswith(f"<eprovince.{job.id}@")
    retry = DBTaskResult.objects.exclude(pk=job.id).get()
    assert (retry.status, retry.args_kwargs["kwargs"]["attempt"]) == ("SUCCESSFUL", 2)


# --- The database connection dropped mid-submission ---------------------------------------------------------------


def drop_connection_after_the_number_is_drawn(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make numbering.next_code terminate the test's own database session (from a second connection) right after it
    has drawn a number: the rest of the submission then fails on a dead connection."""
    import psycopg

    drawn: list[str] = []
    real_next_code = numbering.next_code

    def next_code_then_drop(*args: Any, **kwargs: Any) -> str:
        code = real_next_code(*args, **kwargs)
        drawn.append(code)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        db = connection.settings_dict
        with psycopg.connect(dbname=db["NAME"], user=db["USER"], host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432,
                             autocommit=True) as other:  # fmt: skip
            other.execute("SELECT pg_terminate_backend(%s)", [pid])
        return code

    monkeypatch.setattr(numbering, "next_code", next_code_then_drop)
    return drawn


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_connection_dropped_mid_reception_leaves_no_half_dossier_and_the_number_is_reused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from django.db import Error

    world: World = make_world()
    audit_before = AuditEvent.objects.count()
    drawn = drop_connection_after_the_number_is_drawn(monkeypatch)
    with pytest.raises(Error):
        receive(world, now=MON)
    monkeypatch.undo()
    assert drawn == ["000.20.00.H99-260309-0001"]
    for model in (Dossier, DossierEvent, DossierFile, OutboxEvent):
        assert not model.objects.exists(), model
    assert AuditEvent.objects.count() == audit_before
    assert receive(world, now=MON).code == "000.20.00.H99-260309-0001"  # the same number, not a gap


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_connection_dropped_mid_online_submission_leaves_the_draft_and_the_number_is_reused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from django.db import Error

    world: World = make_world()
    user = sign_up()
    draft = complete_draft(world, user)
    drop_connection_after_the_number_is_drawn(monkeypatch)
    with pytest.raises(Error):
        dossier_online_submit(dossier=draft, acting_user=user, site_url=SITE, now=at(2026, 3, 9, 20))
    monkeypatch.undo()
    draft.refresh_from_db()
    assert (draft.status, draft.code, draft.submitted_at) == ("draft", "", None)  # still a draft, whole
    assert not DossierEvent.objects.exists() and not OutboxEvent.objects.exists()
    submitted = dossier_online_submit(dossier=draft, acting_user=user, site_url=SITE, now=at(2026, 3, 9, 20))
    assert submitted.code == "000.20.00.H99-260309-0001"
    assert [e.payload["MaHoSo"] for e in OutboxEvent.objects.all()] == [submitted.code]


# --- An hour of a failing receiver (simulated time) -----------------------------------------------------------------


class FlakyReceiver:
    """Answers according to the simulated time: 500, then too slowly (the worker's timeout), then closes the
    connection without answering, then 200. Applies an event only when it answers 200, remembering ids."""

    def __init__(self) -> None:
        self.mode = "500"
        self.applied: list[str] = []
        self.seen = 0
        self.by_mode: dict[str, int] = {}
        state = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                state.seen += 1
                state.by_mode[state.mode] = state.by_mode.get(state.mode, 0) + 1
                if state.mode == "close":  # no answer at all: the connection just ends
                    self.close_connection = True
                    return
                if state.mode == "slow":
                    time.sleep(0.5)  # beyond the worker's timeout; then it refuses
                status = 200 if state.mode == "200" else 503 if state.mode == "slow" else 500
                if status == 200:
                    state.applied.append(self.headers["X-EProvince-Event-Id"])
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:
                    pass

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/dvcqg/dong-bo"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.django_db
def test_an_hour_of_errors_timeouts_and_closed_connections_then_everything_is_delivered_in_order_once(
    world: World, settings: Any
) -> None:
    settings.ONESTOP_OUTBOX_WEBHOOK_URL = ""
    dossiers = [
        act(act(receive(world, now=MON), "forward", world.specialist), "forward", world.head),
        receive(world, now=MON),
        act(receive(world, now=MON), "request_supplement", world.specialist, reason="Bổ sung bản sao giấy phép"),
    ]
    expected = {i for d in dossiers for i in event_ids(d)}
    receiver = FlakyReceiver()
    settings.ONESTOP_OUTBOX_WEBHOOK_URL = receiver.url
    settings.ONESTOP_OUTBOX_TIMEOUT_SECONDS = 0.2
    settings.ONESTOP_OUTBOX_MAX_BACKOFF_SECONDS = 300  # so every kind of fault is met during the hour
    start = timezone.now()
    try:
        for second in range(0, 3 * 3600, 20):  # three simulated hours, a run every 20 s
            minute = second // 60
            receiver.mode = "500" if minute < 20 else "slow" if minute < 40 else "close" if minute < 60 else "200"
            outbox.deliver_due(now=start + dt.timedelta(seconds=second))
            if minute >= 60 and not OutboxEvent.objects.filter(delivered_at__isnull=True).exists():
                break
            if minute == 59 and second % 60 == 40:  # the end of the bad hour: nothing delivered, nothing lost
                assert receiver.applied == [] and OutboxEvent.objects.filter(delivered_at__isnull=True).count() == len(expected)
    finally:
        receiver.close()
    assert sorted(receiver.applied) == sorted(expected)  # everything, each once
    assert_in_order_per_dossier(receiver.applied)
    first = OutboxEvent.objects.filter(dossier=dossiers[0], sequence=1).get()
    assert first.attempts > 5 and first.last_status_code == 200  # it kept trying, with backoff
    assert min(receiver.by_mode.get(mode, 0) for mode in ("500", "slow", "close")) >= 3  # each fault met, retried
    assert receiver.seen < 80  # with backoff: tens of attempts, not one per dossier every 20 s (540 runs)
