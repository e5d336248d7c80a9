"""The national-portal outbox: events written with each status change (same transaction), delivered to a real local
HTTP receiver in order per dossier, retried with backoff, never lost; the administrators' screen."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from eprovince.core.models import AuditEvent
from eprovince.core.testing import TEST_PASSWORD
from eprovince.onestop import outbox
from eprovince.onestop.models import Dossier, OutboxEvent
from eprovince.onestop.services.dossiers import Upload

from .factories import World, act, at, pdf, receive, submit_online

pytestmark = pytest.mark.django_db

MON = at(2026, 3, 9, 9)


@dataclass
class Receiver:
    """A real HTTP server on 127.0.0.1 recording what it is sent and answering with `status`."""

    url: str = ""
    status: int = 200
    requests: list[dict[str, Any]] = field(default_factory=list)

    def payloads(self) -> list[dict[str, str]]:
        return [r["json"] for r in self.requests if r["status"] < 300]


@pytest.fixture
def receiver(settings: Any) -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            state.requests.append(
                {
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                    "body": body,
                    "json": json.loads(body),
                    "status": state.status,
                }
            )
            self.send_response(state.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/dvcqg/dong-bo"
    settings.ONESTOP_OUTBOX_WEBHOOK_URL = state.url
    settings.ONESTOP_OUTBOX_SECRET = ""
    yield state
    server.shutdown()
    server.server_close()


def dead_url() -> str:
    """An address where nothing listens (the receiver is down)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/dvcqg/dong-bo"


def events(dossier: Dossier) -> list[OutboxEvent]:
    return list(OutboxEvent.objects.filter(dossier=dossier).order_by("sequence"))


def statuses(dossier: Dossier) -> list[str]:
    return [e.payload["TrangThaiHoSo"] for e in events(dossier)]


def finish(world: World, d: Dossier) -> Dossier:
    d = act(d, "forward", world.specialist, now=at(2026, 3, 10, 9))
    d = act(d, "forward", world.head, now=at(2026, 3, 11, 9))
    d = act(d, "issue_result", world.leader, now=at(2026, 3, 16, 9), uploads=[Upload(file=pdf())])
    return act(d, "return_result", world.clerk, now=at(2026, 3, 17, 10, 30))


# --- Recording --------------------------------------------------------------------------------------------------------


def test_counter_reception_writes_events_with_exactly_the_portal_fields(world: World) -> None:
    d = receive(world, now=MON)
    first, second = events(d)
    assert set(first.payload) == set(outbox.PORTAL_FIELDS)
    assert first.payload == {
        "MaHoSo": "000.20.00.H99-260309-0001", "MaTTHC": "1.000001", "NgayTiepNhan": "20260309090000",
        "NgayHenTra": "20260318170000", "TrangThaiHoSo": "2", "NgayTra": "", "HinhThuc": "1",
        "DonViXuLy": "Sở Khoa học và Công nghệ",
    }  # fmt: skip
    # accepted at once: handled by the division, status "đang xử lý"
    assert (second.sequence, second.payload["TrangThaiHoSo"], second.payload["DonViXuLy"]) == (
        2, "4", "Phòng Bưu chính, Viễn thông",
    )  # fmt: skip
    assert all(e.delivered_at is None and e.attempts == 0 for e in (first, second))


def test_every_status_change_to_the_end_is_an_event_in_order(world: World) -> None:
    d = finish(world, receive(world, now=MON))
    # received, appraisal (division), approval (the department: still "4", the unit changed), result, returned;
    # the forward from the specialist to the head stays in the division: nothing the portal sees changed
    assert statuses(d) == ["2", "4", "4", "9", "10"]
    assert [e.payload["DonViXuLy"] for e in events(d)][1:3] == ["Phòng Bưu chính, Viễn thông", "Sở Khoa học và Công nghệ"]
    assert [e.sequence for e in events(d)] == list(range(1, len(events(d)) + 1))
    last = events(d)[-1].payload
    assert (last["NgayTra"], last["DonViXuLy"]) == ("20260317103000", "Sở Khoa học và Công nghệ")


def test_online_submission_supplement_and_refusal_at_reception(world: World) -> None:
    d = submit_online(world, now=at(2026, 3, 9, 20))
    assert [(e.payload["TrangThaiHoSo"], e.payload["HinhThuc"], e.payload["NgayTiepNhan"]) for e in events(d)] == [("1", "2", "")]
    assert events(d)[0].payload["MaHoSo"] == d.code and not d.code.startswith("~")
    d = act(d, "request_supplement", world.clerk, reason="Thiếu bản sao giấy phép kinh doanh")
    assert statuses(d)[-1] == "5"
    other = submit_online(world)
    act(other, "refuse", world.clerk, reason="Không thuộc thẩm quyền")
    assert statuses(other) == ["1", "3"]


def test_an_apology_with_a_new_date_is_an_event(world: World) -> None:
    from eprovince.onestop.services.dossiers import dossier_issue_apology

    d = receive(world, now=MON)
    dossier_issue_apology(dossier=d, acting_user=world.clerk, reason="Cần lấy ý kiến", new_due_date=dt.date(2026, 3, 25),
                          now=at(2026, 3, 17, 9))  # fmt: skip
    assert events(d)[-1].payload["NgayHenTra"] == "20260325170000"
    assert events(d)[-1].payload["TrangThaiHoSo"] == "4"


def test_no_event_when_the_status_change_rolls_back(world: World) -> None:
    d = receive(world, now=MON)
    before = OutboxEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        act(d, "request_supplement", world.specialist, reason="Bổ sung bản sao giấy phép")
        assert OutboxEvent.objects.count() == before + 1
        raise RuntimeError("the caller's transaction fails after the change")
    assert OutboxEvent.objects.count() == before
    d.refresh_from_db()
    assert d.current_step is not None and d.current_step.code == "tham-dinh"


def test_events_are_never_deleted(world: World) -> None:
    d = receive(world, now=MON)
    with pytest.raises(TypeError):
        events(d)[0].delete()
    with pytest.raises(TypeError):
        OutboxEvent.objects.all().delete()


# --- Delivery ---------------------------------------------------------------------------------------------------------


def test_delivery_posts_each_event_in_order_and_marks_it_delivered(world: World, receiver: Receiver) -> None:
    d = receive(world, now=MON)
    report = outbox.deliver_due()
    assert len(report.delivered) == 2 and not report.failed
    assert receiver.payloads() == [e.payload for e in events(d)]
    assert [list(p) for p in receiver.payloads()] == [list(outbox.PORTAL_FIELDS)] * 2  # in the portal's order
    assert receiver.requests[0]["headers"]["x-eprovince-event"] == f"{d.pk}-1"
    assert receiver.requests[0]["headers"]["content-type"].startswith("application/json")
    assert "x-eprovince-signature" not in receiver.requests[0]["headers"]
    assert all(e.delivered_at is not None and e.last_status_code == 200 for e in events(d))
    assert outbox.deliver_due().delivered == []  # nothing twice
    assert len(receiver.requests) == 2


class ReplayGuard:
    """A receiver's check of a delivery, written from docs/national-portal-webhook.md and not from outbox.py: the
    signature covers the timestamp, the event id and the exact body; a timestamp outside the window or an event id
    already applied is refused."""

    WINDOW = 300

    def __init__(self, secret: str) -> None:
        self.secret = secret.encode("utf-8")
        self.applied: set[str] = set()

    def check(self, headers: dict[str, str], body: bytes, *, received_at: float) -> str:
        timestamp, event = headers["x-eprovince-timestamp"], headers["x-eprovince-event-id"]
        scheme, _, given = headers["x-eprovince-signature"].partition("=")
        mac = hmac.new(self.secret, timestamp.encode() + b"." + event.encode() + b"." + body, hashlib.sha256)
        if scheme != "v1" or not hmac.compare_digest(mac.hexdigest(), given):
            return "bad signature"
        if abs(received_at - int(timestamp)) > self.WINDOW:
            return "stale"
        if event in self.applied:
            return "repeat"
        self.applied.add(event)
        return "applied"


def test_the_timestamp_event_id_and_body_are_signed_with_the_shared_secret(
    world: World, receiver: Receiver, settings: Any
) -> None:
    settings.ONESTOP_OUTBOX_SECRET = "bí-mật-chung"
    d = receive(world, now=MON)
    outbox.deliver_due()
    first, second = receiver.requests
    assert first["headers"]["x-eprovince-event-id"] == first["headers"]["x-eprovince-event"] == f"{d.pk}-1"
    assert first["headers"]["x-eprovince-signature"].startswith("v1=")
    guard = ReplayGuard("bí-mật-chung")
    now = float(first["headers"]["x-eprovince-timestamp"])
    assert abs(now - timezone.now().timestamp()) < 60  # the moment of the attempt
    assert [guard.check(r["headers"], r["body"], received_at=now) for r in (first, second)] == ["applied", "applied"]
    # the same request again (a replay, or a retry after a lost answer) is recognised by its id
    assert guard.check(first["headers"], first["body"], received_at=now) == "repeat"
    # replayed an hour later, or with the body, the id or the time changed: refused
    assert ReplayGuard("bí-mật-chung").check(first["headers"], first["body"], received_at=now + 3600) == "stale"
    tampered = first["body"].replace(b'"TrangThaiHoSo":"2"', b'"TrangThaiHoSo":"9"')
    assert (
        tampered != first["body"]
        and ReplayGuard("bí-mật-chung").check(first["headers"], tampered, received_at=now) == "bad signature"
    )
    for header, value in (("x-eprovince-event-id", f"{d.pk}-9"), ("x-eprovince-timestamp", str(int(now) + 1))):
        changed = {**first["headers"], header: value}
        assert ReplayGuard("bí-mật-chung").check(changed, first["body"], received_at=now) == "bad signature"
    assert ReplayGuard("another secret").check(first["headers"], first["body"], received_at=now) == "bad signature"
    assert "Sở Khoa học và Công nghệ" in first["body"].decode("utf-8")  # UTF-8, not escaped


def test_receiver_down_retries_with_backoff_nothing_lost_then_in_order(world: World, receiver: Receiver, settings: Any) -> None:
    d = act(act(receive(world, now=MON), "forward", world.specialist), "forward", world.head)  # 3 events
    real_url, settings.ONESTOP_OUTBOX_WEBHOOK_URL = settings.ONESTOP_OUTBOX_WEBHOOK_URL, dead_url()
    now = timezone.now()
    report = outbox.deliver_due(now=now)
    # the first event fails; the later ones of the same dossier wait behind it
    assert len(report.failed) == 1 and len(report.held_back) == 2
    first = events(d)[0]
    assert first.attempts == 1 and first.last_error and first.next_attempt_at == now + dt.timedelta(seconds=30)
    assert report.next_attempt_at == first.next_attempt_at
    # not yet due: nothing tried
    assert outbox.deliver_due(now=now + dt.timedelta(seconds=10)).failed == []
    # the backoff doubles
    outbox.deliver_due(now=now + dt.timedelta(seconds=31))
    first.refresh_from_db()
    assert first.attempts == 2 and first.next_attempt_at == now + dt.timedelta(seconds=31 + 60)
    assert OutboxEvent.objects.filter(dossier=d, delivered_at__isnull=True).count() == 3
    # the receiver is back
    settings.ONESTOP_OUTBOX_WEBHOOK_URL = real_url
    report = outbox.deliver_due(now=now + dt.timedelta(minutes=5))
    assert len(report.delivered) == 3
    assert [p["TrangThaiHoSo"] for p in receiver.payloads()] == ["2", "4", "4"]
    assert [int(r["headers"]["x-eprovince-sequence"]) for r in receiver.requests] == [1, 2, 3]


def test_a_500_answer_is_retried_and_other_dossiers_are_not_held_back(world: World, receiver: Receiver) -> None:
    a = receive(world, now=MON)
    receiver.status = 500
    now = timezone.now()
    report = outbox.deliver_due(now=now)
    failing = events(a)[0]
    assert report.failed == [failing.pk] and failing.last_status_code == 500 and "500" in failing.last_error
    receiver.status = 200
    b = receive(world, now=MON)
    report = outbox.deliver_due(now=now + dt.timedelta(seconds=1))  # a's first event not due yet: b goes alone
    assert set(report.delivered) == {e.pk for e in events(b)}
    report = outbox.deliver_due(now=now + dt.timedelta(seconds=31))
    assert set(report.delivered) == {e.pk for e in events(a)}
    assert all(e.delivered_at for e in OutboxEvent.objects.all())


def test_backoff_is_capped(settings: Any) -> None:
    settings.ONESTOP_OUTBOX_MAX_BACKOFF_SECONDS = 3600
    assert [outbox.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert outbox.backoff(30).total_seconds() == 3600


def test_a_status_change_enqueues_delivery_after_commit(
    world: World, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        d = receive(world, now=MON)
    assert [p["MaHoSo"] for p in receiver.payloads()] == [d.code, d.code]


def test_without_a_webhook_events_wait_and_are_kept(world: World, settings: Any) -> None:
    settings.ONESTOP_OUTBOX_WEBHOOK_URL = ""
    d = receive(world, now=MON)
    assert outbox.deliver_due().delivered == []
    assert len(events(d)) == 2 and all(e.delivered_at is None for e in events(d))


# --- Administrators' screen -------------------------------------------------------------------------------------------


def login(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=TEST_PASSWORD)
    return client


def test_admin_lists_filters_and_resends_a_failing_event(world: World, receiver: Receiver) -> None:
    a = receive(world, now=MON)
    receiver.status = 503
    outbox.deliver_due()
    receiver.status = 200
    b = receive(world, now=MON)
    outbox.deliver_due(now=timezone.now())
    client = login(world.admin)
    url = reverse("onestop:outbox")
    page = client.get(url).content.decode()
    assert a.code in page and b.code in page and "HTTP 503" in page
    failing = client.get(url, {"trang_thai": "failing"}).content.decode()
    assert a.code in failing and b.code not in failing
    assert b.code in client.get(url, {"trang_thai": "delivered"}).content.decode()
    assert b.code not in client.get(url, {"q": a.code[-4:] if a.code[-4:] != b.code[-4:] else a.code}).content.decode()
    event = events(a)[0]
    response = client.post(reverse("onestop:outbox_retry", args=[event.pk]))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.next_attempt_at <= timezone.now()
    assert AuditEvent.objects.filter(object_id=str(event.pk), reason__icontains="gửi lại").exists()
    outbox.deliver_due()
    assert all(e.delivered_at for e in events(a))


def test_only_administrators_see_the_outbox(world: World) -> None:
    receive(world, now=MON)
    for user in (world.clerk, world.leader, world.citizen):
        assert login(user).get(reverse("onestop:outbox")).status_code == 403
    event = OutboxEvent.objects.first()
    assert event is not None
    assert login(world.clerk).post(reverse("onestop:outbox_retry", args=[event.pk])).status_code == 403
    assert login(world.admin).post(reverse("onestop:outbox_retry", args=[987654])).status_code == 404


def test_the_outbox_list_takes_a_fixed_number_of_queries(world: World, django_assert_max_num_queries: Any) -> None:
    for _ in range(3):
        receive(world, now=MON)
    client = login(world.admin)
    client.get(reverse("onestop:outbox"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("onestop:outbox"))
    assert response.status_code == 200
