"""The outbox's claims and history (issue 10): a claim's lease runs from the moment of the claim, not from the start of
the run; a result is written only by the holder of the claim; a retry is scheduled from the moment of the failure;
one failing dossier cannot fill every batch; and the database itself keeps the outbox and the dossiers' history
append-only (on SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import json
import os
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from eprovince.onestop import outbox
from eprovince.onestop.models import Dossier, DossierEvent, OutboxEvent

from .factories import World, act, at, receive
from .test_outbox import Receiver, receiver  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

MON = at(2026, 3, 9, 9)


class Clock:
    """The delivery run's clock, moved by the test (a slow receiver, a lease running out)."""

    def __init__(self) -> None:
        self.now = timezone.now()

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> dt.datetime:
        self.now += dt.timedelta(seconds=seconds)
        return self.now


def ids(receiver: Receiver) -> list[str]:  # noqa: F811
    return [r["headers"]["x-eprovince-event-id"] for r in receiver.requests]


def test_a_lease_starts_at_the_claim_so_a_slow_receiver_does_not_get_an_event_twice(
    world: World,
    receiver: Receiver,  # noqa: F811
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings.ONESTOP_OUTBOX_LEASE_SECONDS = 60
    for _ in range(3):
        receive(world, now=MON)  # 6 events, 2 per dossier
    clock, real_post = Clock(), outbox._post
    second_run: list[outbox.DeliveryReport] = []
    nested: list[int] = []
    start = clock()

    def slow_post(url: str, item: OutboxEvent, *, at: dt.datetime) -> int:
        if nested:  # the other worker's requests
            return real_post(url, item, at=at)
        clock.advance(40)  # each answer takes 40 s: the fourth event is claimed 120 s after the run started
        if len(receiver.requests) == 3 and not second_run:  # and while it is in flight, another worker runs
            nested.append(item.pk)
            second_run.append(outbox.deliver_due(now=clock()))
        return real_post(url, item, at=at)

    monkeypatch.setattr(outbox, "_post", slow_post)
    outbox.deliver_due(clock=clock)
    in_flight = OutboxEvent.objects.get(pk=nested[0])
    assert in_flight.pk not in second_run[0].delivered and len(second_run[0].delivered) == 2  # the others went on
    assert in_flight.claimed_at == start + dt.timedelta(seconds=120)  # its lease started at its claim
    assert OutboxEvent.objects.filter(delivered_at__isnull=False).count() == 6
    assert len(ids(receiver)) == len(set(ids(receiver))) == 6  # nothing twice
    for item in OutboxEvent.objects.all():  # settled: the token is gone, who claimed it stays
        assert item.claim_token == "" and item.claimed_until is None
        assert item.claimed_by.endswith(f":{os.getpid()}")


def test_a_result_is_written_only_by_the_holder_of_the_claim(
    world: World,
    receiver: Receiver,  # noqa: F811
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings.ONESTOP_OUTBOX_LEASE_SECONDS = 60
    d = receive(world, now=MON)
    first = OutboxEvent.objects.get(dossier=d, sequence=1)
    clock, real_post, posted, second = Clock(), outbox._post, [], []

    def stuck_then_failing(url: str, item: OutboxEvent, *, at: dt.datetime) -> int:
        posted.append(item.pk)
        if len(posted) == 1:  # worker 1's request hangs past its lease; worker 2 takes the event and delivers it
            clock.advance(61)
            second.append(outbox.deliver_due(now=clock(), limit=1))
            raise outbox.DeliveryError("HTTP 502: Bad Gateway", 502)  # worker 1's late answer
        return real_post(url, item, at=at)

    monkeypatch.setattr(outbox, "_post", stuck_then_failing)
    report = outbox.deliver_due(clock=clock, limit=1)
    assert report.superseded == [first.pk] and report.failed == [] and report.delivered == []
    assert posted == [first.pk, first.pk] and second[0].delivered == [first.pk]  # at least once on the wire
    first.refresh_from_db()
    # worker 2's result stands: delivered, one attempt, 200; worker 1's failure did not overwrite it
    assert first.delivered_at is not None and first.attempts == 1 and first.last_status_code == 200 and not first.last_error


def test_a_retry_is_scheduled_from_the_moment_of_the_failure(
    world: World,
    receiver: Receiver,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    receive(world, now=MON)
    receive(world, now=MON)
    receiver.status = 500
    clock, real_post = Clock(), outbox._post
    start = clock()

    def slow_post(url: str, item: OutboxEvent, *, at: dt.datetime) -> int:
        clock.advance(300)  # five minutes before the error comes back
        return real_post(url, item, at=at)

    monkeypatch.setattr(outbox, "_post", slow_post)
    report = outbox.deliver_due(clock=clock)
    assert len(report.failed) == 2
    retries = sorted(OutboxEvent.objects.filter(attempts=1).values_list("next_attempt_at", flat=True))
    assert retries == [start + dt.timedelta(seconds=300 + 30), start + dt.timedelta(seconds=600 + 30)]
    assert report.next_attempt_at == retries[0]


def test_a_failing_dossier_cannot_fill_every_batch(
    world: World,
    receiver: Receiver,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stuck = act(act(receive(world, now=MON), "forward", world.specialist), "forward", world.head)  # 3 events
    other = receive(world, now=MON)  # 2 events, written after the stuck dossier's
    real_post = outbox._post

    def post(url: str, item: OutboxEvent, *, at: dt.datetime) -> int:
        if item.dossier_id == stuck.pk:
            raise outbox.DeliveryError("HTTP 500: Internal Server Error", 500)
        return real_post(url, item, at=at)

    monkeypatch.setattr(outbox, "_post", post)
    now = timezone.now()
    for second in range(0, 240, 10):  # a run with room for one event every 10 s, for 4 minutes
        outbox.deliver_due(now=now + dt.timedelta(seconds=second), limit=1)
    assert OutboxEvent.objects.filter(dossier=other, delivered_at__isnull=False).count() == 2
    assert not OutboxEvent.objects.filter(dossier=stuck, delivered_at__isnull=False).exists()
    assert OutboxEvent.objects.get(dossier=stuck, sequence=1).attempts >= 3  # retried with backoff meanwhile
    assert [p["MaHoSo"] for p in receiver.payloads()] == [other.code, other.code]


def test_an_event_held_by_a_worker_that_died_waits_for_its_lease_then_goes_again(
    world: World,
    receiver: Receiver,  # noqa: F811
) -> None:
    d = receive(world, now=MON)
    first = OutboxEvent.objects.get(dossier=d, sequence=1)
    now = timezone.now()
    until = now + dt.timedelta(seconds=60)
    # a worker claimed it and was killed mid-request: the claim stays until its lease expires
    OutboxEvent.objects.filter(pk=first.pk).update(
        claim_token="dead", claimed_by="node-2:4242", claimed_at=now, claimed_until=until
    )
    report = outbox.deliver_due(now=now + dt.timedelta(seconds=5))
    assert report.delivered == [] and receiver.requests == []  # neither it nor the event after it
    assert report.next_attempt_at == until  # the next run is scheduled for the lease's end
    report = outbox.deliver_due(now=until + dt.timedelta(seconds=1))
    assert len(report.delivered) == 2 and ids(receiver) == [f"{d.pk}-1", f"{d.pk}-2"]


def test_a_batch_takes_one_event_per_dossier_at_a_time(world: World) -> None:
    a = act(receive(world, now=MON), "forward", world.specialist)
    b = receive(world, now=MON)
    heads = list(outbox.due_heads(timezone.now()))
    assert [(h.dossier_id, h.sequence) for h in heads] == [(a.pk, 1), (b.pk, 1)]


# --- Append-only, in the database itself ------------------------------------------------------------------------------


def refused(sql: str, params: list[Any]) -> bool:
    """Whether the database refuses the statement (run in a savepoint, so the test's transaction goes on)."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError:
        return True
    return False


def test_the_database_refuses_to_change_what_an_outbox_event_says(world: World) -> None:
    d = receive(world, now=MON)
    first = OutboxEvent.objects.get(dossier=d, sequence=1)
    other = receive(world, now=MON)
    table = "onestop_outboxevent"
    for column, value in (
        ("sequence", 7), ("dossier_id", other.pk), ("created_at", timezone.now()), ("dossier_event_id", None),
    ):  # fmt: skip
        assert refused(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, first.pk]), column
    changed = {**first.payload, "TrangThaiHoSo": "9"}
    assert refused(f"UPDATE {table} SET payload = %s WHERE id = %s", [json.dumps(changed), first.pk])
    # the delivery state may change; delivered_at is written once
    assert not refused(f"UPDATE {table} SET attempts = 3, last_error = 'x', next_attempt_at = %s WHERE id = %s",
                       [timezone.now(), first.pk])  # fmt: skip
    assert not refused(f"UPDATE {table} SET delivered_at = %s WHERE id = %s", [timezone.now(), first.pk])
    assert refused(f"UPDATE {table} SET delivered_at = NULL WHERE id = %s", [first.pk])
    assert refused(f"UPDATE {table} SET delivered_at = %s WHERE id = %s", [timezone.now() + dt.timedelta(days=1), first.pk])
    first.refresh_from_db()
    assert first.sequence == 1 and first.payload["TrangThaiHoSo"] == "2" and first.attempts == 3


def test_the_model_refuses_it_too(world: World) -> None:
    d = receive(world, now=MON)
    first = OutboxEvent.objects.get(dossier=d, sequence=1)
    with pytest.raises(TypeError):
        OutboxEvent.objects.filter(pk=first.pk).update(sequence=5)
    with pytest.raises(TypeError):
        first.save()
    with pytest.raises(TypeError):
        DossierEvent.objects.filter(dossier=d).update(reason="sửa lại")


def test_an_online_submission_still_puts_its_real_code_into_its_events(world: World) -> None:
    from .factories import submit_online

    d = submit_online(world, now=at(2026, 3, 9, 20))
    [event] = OutboxEvent.objects.filter(dossier=d)
    assert event.payload["MaHoSo"] == d.code and not d.code.startswith("~")
    # once real, the code is as fixed as the rest
    assert refused(
        "UPDATE onestop_outboxevent SET payload = %s WHERE id = %s",
        [json.dumps({**event.payload, "MaHoSo": "~again"}), event.pk],
    )


def test_the_database_refuses_to_rewrite_a_dossiers_history(world: World) -> None:
    d = receive(world, now=MON)
    event = DossierEvent.objects.filter(dossier=d).exclude(to_step=None).first()
    assert event is not None
    table = "onestop_dossierevent"
    for column, value in (("reason", "sửa lại"), ("created_at", timezone.now()), ("actor_name", "ai đó"), ("dossier_id", None)):
        assert refused(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, event.pk]), column
    assert refused(f"UPDATE {table} SET to_step_id = %s WHERE id = %s", [event.from_step_id or 0, event.pk]) or (
        event.from_step_id == event.to_step_id
    )
    # a deleted process step leaves the reference empty (its name stays in the row)
    assert not refused(f"UPDATE {table} SET to_step_id = NULL WHERE id = %s", [event.pk])
    event.refresh_from_db()
    assert event.to_step_id is None and event.to_step_name


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's flush between tests deletes rows, so on SQLite deletion is refused by the models and querysets "
    "(test_outbox.test_events_are_never_deleted); PostgreSQL refuses it in the database (the flush truncates)",
)
def test_postgresql_refuses_to_delete_outbox_events_and_history(world: World) -> None:
    d = receive(world, now=MON)
    assert refused("DELETE FROM onestop_outboxevent WHERE dossier_id = %s", [d.pk])
    assert refused("DELETE FROM onestop_dossierevent WHERE dossier_id = %s", [d.pk])
    assert OutboxEvent.objects.filter(dossier=d).count() == 2 and DossierEvent.objects.filter(dossier=d).count() == 2
    assert Dossier.objects.filter(pk=d.pk).exists()
