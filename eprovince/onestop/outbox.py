"""The national-portal outbox: dossier status events for the national public-service portal (Cổng DVC quốc gia).

Recording
    `record()` is called by the one place that writes a dossier's history (services.dossiers._record), inside the
    same transaction: when the national fields of the dossier differ from those of its last event, a new
    OutboxEvent is written with the next sequence number of that dossier. A change that rolls back leaves no event.
    A dossier gets its real code as the last write of its first transaction; `code_assigned()` then puts it into
    that transaction's events (they carried the provisional code until then).

The payload: exactly the portal's fields
    MaHoSo (dossier code), MaTTHC (the procedure's national code), NgayTiepNhan (received), NgayHenTra (the return
    date given to the applicant: the new one after an apology), TrangThaiHoSo (national status code, below),
    NgayTra (when the dossier ended), HinhThuc (how it was submitted, below), DonViXuLy (the organisation handling it
    now; the handling agency once finished). Dates are local time (Asia/Ho_Chi_Minh) as "yyyyMMddHHmmss", the format
    of the portal's synchronisation service; an unknown date is "".

    TrangThaiHoSo, the portal's codes as OpenCPS maps them: 1 mới đăng ký, 2 được tiếp nhận, 3 không được tiếp nhận,
    4 đang xử lý, 5 yêu cầu bổ sung giấy tờ, 7 công dân yêu cầu rút hồ sơ, 8 dừng xử lý, 9 đã xử lý xong, 10 đã trả
    kết quả (6, a financial obligation, is not used). A refusal before the dossier left reception is 3, later 8.
    HinhThuc: 1 trực tiếp (at the counter), 2 trực tuyến (online), 3 qua bưu chính (by post).
    (These code lists come from implementers' material, not from the official specification: check them against
    the specification the province receives with its portal credentials; they are the two dictionaries below.)

Delivery (the receiver's side is docs/national-portal-webhook.md)
    `deliver_due()` POSTs each due event's payload as JSON to settings.ONESTOP_OUTBOX_WEBHOOK_URL, in sequence order
    per dossier: only the first undelivered event of a dossier is ever posted (a later one never overtakes it, and
    an undelivered event holds back only its own dossier). A batch takes at most one event per dossier at a time,
    the longest waiting first, so a dossier stuck behind a failing event cannot fill every batch.
    Claims: just before posting, a run claims the event with its own lease (claimed_at = the moment of the claim,
    claimed_until = claimed_at + lease(), claimed_by = host:pid, a random claim_token). Another run may take it only
    once the lease has expired (a worker that died mid-request), and an attempt's result is written only while the
    run still holds the token (compare-and-set), so a run whose lease expired cannot overwrite a later one.
    Headers: X-EProvince-Event-Id (the stable id "<dossier id>-<sequence>", the same on every attempt: the
    receiver's idempotency key; X-EProvince-Event is the same value under its old name), X-EProvince-Sequence,
    X-EProvince-Timestamp (Unix seconds of the attempt) and, when ONESTOP_OUTBOX_SECRET is set,
    X-EProvince-Signature: "v1=" + the hex HMAC-SHA256 under the secret of timestamp + "." + event id + "." + body.
    A 2xx answer marks the event delivered (once: the database refuses to change delivered_at afterwards); anything
    else (an error status, a refused or closed connection, a timeout) counts an attempt, keeps the error and
    schedules the next attempt 30 s, 1, 2, 4… min after the failure (at most ONESTOP_OUTBOX_MAX_BACKOFF_SECONDS).
    Guarantee: every event is delivered, in order per dossier, at least once on the wire; it is posted again only
    when an attempt's answer was not received (a worker killed mid-request, a timeout after the receiver applied
    it, a lease that expired), always with the same event id, so a receiver that remembers the ids applies each once.
    Nothing is ever deleted, and what an event says never changes (database triggers, migration 0008).
    Runs: the task tasks.deliver_outbox, enqueued after each commit that wrote events and re-scheduled for the next
    due retry or the expiry of a claim held by a run that may have died; `manage.py deliver_outbox` does the same
    from a scheduler (a safety net if the worker was down).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import http.client
import json
import logging
import os
import secrets
import socket
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, Min, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from eprovince.core.constants import AuditAction
from eprovince.core.permissions import administers_platform
from eprovince.core.services.audit import audit_record

from .constants import Channel, DossierStatus
from .models import Dossier, DossierEvent, OutboxEvent, OutboxState

logger = logging.getLogger(__name__)

PORTAL_FIELDS = ("MaHoSo", "MaTTHC", "NgayTiepNhan", "NgayHenTra", "TrangThaiHoSo", "NgayTra", "HinhThuc", "DonViXuLy")
DATE_FORMAT = "%Y%m%d%H%M%S"  # the portal's yyyyMMddHHmmss

NATIONAL_STATUS: dict[str, str] = {
    DossierStatus.NEW: "1",
    DossierStatus.RECEIVED: "2",
    DossierStatus.PROCESSING: "4",
    DossierStatus.INTER_AGENCY: "4",
    DossierStatus.WAITING_APPROVAL: "4",
    DossierStatus.WAITING_SUPPLEMENT: "5",
    DossierStatus.WITHDRAWN: "7",
    DossierStatus.REFUSED: "8",
    DossierStatus.RESULT_READY: "9",
    DossierStatus.DONE: "10",
}
NOT_ACCEPTED = "3"  # refused while still at reception
NATIONAL_STATUS_LABELS: dict[str, Any] = {
    "1": _lazy("Mới đăng ký"),
    "2": _lazy("Được tiếp nhận"),
    "3": _lazy("Không được tiếp nhận"),
    "4": _lazy("Đang xử lý"),
    "5": _lazy("Yêu cầu bổ sung giấy tờ"),
    "7": _lazy("Công dân yêu cầu rút hồ sơ"),
    "8": _lazy("Dừng xử lý"),
    "9": _lazy("Đã xử lý xong"),
    "10": _lazy("Đã trả kết quả"),
}
NATIONAL_CHANNEL: dict[str, str] = {Channel.COUNTER: "1", Channel.ONLINE: "2", Channel.POST: "3"}

BASE_BACKOFF_SECONDS = 30
SIGNATURE_VERSION = "v1"
_PROVISIONAL_PREFIX = "~"
_PROVISIONAL_EVENTS = "_outbox_provisional_events"  # attribute of a Dossier instance, see record()


# --- Recording (inside the caller's transaction) ----------------------------------------------------------------------


def portal_date(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime(DATE_FORMAT) if value else ""


def national_status(dossier: Dossier, *, from_status: str = "") -> str:
    if dossier.status == DossierStatus.REFUSED and from_status in (DossierStatus.NEW, DossierStatus.RECEIVED):
        return NOT_ACCEPTED
    return NATIONAL_STATUS.get(dossier.status, "")


def payload_for(dossier: Dossier, *, from_status: str = "") -> dict[str, str]:
    """The dossier as the national portal sees it, exactly the portal's fields."""
    unit = dossier.current_organisation if dossier.current_organisation_id and not dossier.is_final else None
    unit = unit or dossier.handling_agency
    return {
        "MaHoSo": dossier.code,
        "MaTTHC": dossier.procedure.national_code,
        "NgayTiepNhan": portal_date(dossier.received_at),
        "NgayHenTra": portal_date(dossier.appointment_at),
        "TrangThaiHoSo": national_status(dossier, from_status=from_status),
        "NgayTra": portal_date(dossier.finished_at) if dossier.is_final else "",
        "HinhThuc": NATIONAL_CHANNEL.get(dossier.channel, ""),
        "DonViXuLy": unit.name if unit else "",
    }


def _comparable(payload: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in payload.items() if k != "MaHoSo"}


def record(dossier: Dossier, event: DossierEvent | None = None) -> OutboxEvent | None:
    """Write an outbox event if the dossier's national fields changed since its last one. Call inside the
    transaction that changed the dossier (after saving it)."""
    if dossier.status == DossierStatus.DRAFT or not dossier.pk:
        return None
    from_status = event.from_status if event is not None else ""
    payload = payload_for(dossier, from_status=from_status)
    # A draft never has events (above): the submission's is the first, no need to look for the last one.
    last = (
        None
        if from_status == DossierStatus.DRAFT
        else OutboxEvent.objects.filter(dossier=dossier).order_by("-sequence").only("sequence", "payload").first()
    )
    if last is not None and _comparable(last.payload) == _comparable(payload):
        return None
    now = timezone.now()
    created = OutboxEvent.objects.create(
        dossier=dossier, dossier_event=event, sequence=(last.sequence + 1) if last else 1, payload=payload,
        created_at=now, next_attempt_at=now,
    )  # fmt: skip
    if str(payload["MaHoSo"]).startswith(_PROVISIONAL_PREFIX):  # code_assigned() updates it without looking for it
        dossier.__dict__.setdefault(_PROVISIONAL_EVENTS, []).append(created)
    schedule_delivery_on_commit()
    return created


def code_assigned(dossier: Dossier) -> None:
    """The dossier just got its real code: put it into its events written with the provisional one (those this
    instance recorded, kept by record(); looked for in the table otherwise)."""
    pending = dossier.__dict__.pop(_PROVISIONAL_EVENTS, None)
    items = pending if pending is not None else OutboxEvent.objects.filter(dossier=dossier, delivered_at__isnull=True)
    for item in items:
        if str(item.payload.get("MaHoSo", "")).startswith(_PROVISIONAL_PREFIX):
            item.payload = {**item.payload, "MaHoSo": dossier.code}
            OutboxEvent.objects.filter(pk=item.pk).update(payload=item.payload)


# --- Delivery -------------------------------------------------------------------------------------------------------


def webhook_url() -> str:
    return str(getattr(settings, "ONESTOP_OUTBOX_WEBHOOK_URL", "") or "")


def schedule_delivery_on_commit() -> None:
    """Ask the worker to deliver once the current transaction commits (nothing when no webhook is configured)."""
    if webhook_url():
        transaction.on_commit(lambda: schedule_delivery(), robust=True)


def schedule_delivery(at: dt.datetime | None = None) -> None:
    """Enqueue a delivery run (at `at`, or now), unless one already waits to run by then."""
    from .tasks import deliver_outbox, enqueue_once

    enqueue_once(deliver_outbox, at=at)


def event_id(item: OutboxEvent) -> str:
    """The event's stable id, "<dossier id>-<sequence>": the same on every attempt, the receiver's idempotency key."""
    return f"{item.dossier_id}-{item.sequence}"


def signed_content(*, timestamp: str, event_id: str, body: bytes) -> bytes:
    """What the signature covers: the timestamp, the event id and the exact body, joined by dots."""
    return f"{timestamp}.{event_id}.".encode() + body


def signature(body: bytes, secret: str, *, timestamp: str, event_id: str) -> str:
    """X-EProvince-Signature: "v1=" + hex HMAC-SHA256 of signed_content() under the shared secret."""
    content = signed_content(timestamp=timestamp, event_id=event_id, body=body)
    return f"{SIGNATURE_VERSION}=" + hmac.new(secret.encode(), content, hashlib.sha256).hexdigest()


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the `attempts`-th failed attempt: 30 s, 1 min, 2 min… capped."""
    cap = int(getattr(settings, "ONESTOP_OUTBOX_MAX_BACKOFF_SECONDS", 6 * 3600))
    return dt.timedelta(seconds=min(cap, BASE_BACKOFF_SECONDS * 2 ** max(0, attempts - 1)))


def request_timeout() -> float:
    return float(getattr(settings, "ONESTOP_OUTBOX_TIMEOUT_SECONDS", 10))


def lease() -> dt.timedelta:
    """How long a claim holds an event: ONESTOP_OUTBOX_LEASE_SECONDS, by default well beyond one request's timeout."""
    configured = getattr(settings, "ONESTOP_OUTBOX_LEASE_SECONDS", None)
    seconds = float(configured) if configured else 3 * request_timeout() + 30
    return dt.timedelta(seconds=seconds)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


@dataclass
class DeliveryReport:
    delivered: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    held_back: list[int] = field(default_factory=list)
    # Posted, but the claim had expired and another run had taken the event: its result was not written.
    superseded: list[int] = field(default_factory=list)
    next_attempt_at: dt.datetime | None = None


class DeliveryError(Exception):
    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


def body_of(item: OutboxEvent) -> bytes:
    ordered = {name: item.payload.get(name, "") for name in PORTAL_FIELDS}  # the portal's order (JSONB sorts keys)
    return json.dumps(ordered, ensure_ascii=False, separators=(",", ":")).encode()


def _post(url: str, item: OutboxEvent, *, at: dt.datetime) -> int:
    body = body_of(item)
    timestamp, identity = str(int(at.timestamp())), event_id(item)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "e-Province outbox",
        "X-EProvince-Event": identity,  # the name before v1, kept for receivers that read it
        "X-EProvince-Event-Id": identity,
        "X-EProvince-Sequence": str(item.sequence),
        "X-EProvince-Timestamp": timestamp,
    }
    if secret := str(getattr(settings, "ONESTOP_OUTBOX_SECRET", "") or ""):
        headers["X-EProvince-Signature"] = signature(body, secret, timestamp=timestamp, event_id=identity)
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 (configured URL)
    try:
        with urllib.request.urlopen(request, timeout=request_timeout()) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"HTTP {exc.code}: {exc.reason}", exc.code) from exc
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DeliveryError(f"{type(exc).__name__}: {reason}") from exc


def _unclaimed(at: dt.datetime) -> Q:
    return Q(claimed_until__isnull=True) | Q(claimed_until__lte=at)


def _earlier_undelivered() -> Exists:
    return Exists(OutboxEvent.objects.undelivered().filter(dossier_id=OuterRef("dossier_id"), sequence__lt=OuterRef("sequence")))


def due_heads(at: dt.datetime) -> QuerySet[OutboxEvent]:
    """The events that may be posted now: the first undelivered event of each dossier (a later one never overtakes
    it), due, not held by a live claim; the longest waiting first. One per dossier, so a dossier stuck behind a
    failing event takes one place in a batch, not the batch."""
    return (
        OutboxEvent.objects.undelivered()
        .filter(_unclaimed(at), next_attempt_at__lte=at)
        .exclude(_earlier_undelivered())
        .order_by("next_attempt_at", "pk")
    )


def _claim(item: OutboxEvent, at: dt.datetime, worker: str) -> OutboxEvent | None:
    """Take the event for one attempt: its lease runs from now. None when another run holds it or it is delivered.
    Returns the row as claimed (read again, so attempts are current)."""
    token = secrets.token_hex(16)
    claimed = OutboxEvent.objects.filter(_unclaimed(at), pk=item.pk, delivered_at__isnull=True).update(
        claim_token=token, claimed_by=worker, claimed_at=at, claimed_until=at + lease()
    )
    if claimed != 1:
        return None
    return OutboxEvent.objects.filter(pk=item.pk, claim_token=token).first()


def _settle(item: OutboxEvent, **result: Any) -> bool:
    """Write an attempt's result, only if this run still holds the claim (compare-and-set on its token)."""
    written = OutboxEvent.objects.filter(pk=item.pk, claim_token=item.claim_token, delivered_at__isnull=True).update(
        claim_token="", claimed_until=None, **result
    )
    if written != 1:
        logger.warning("Outbox event %s: the claim expired during the attempt; its result is not written.", item.pk)
    return written == 1


def deliver_due(
    *, now: dt.datetime | None = None, limit: int = 500, clock: Callable[[], dt.datetime] | None = None
) -> DeliveryReport:
    """Deliver the events that are due, in order per dossier. The clock is read at each claim, failure and success
    (a lease and a backoff start then, not at the start of the run); `now` freezes it for a run and `clock` replaces
    it (tests)."""
    report = DeliveryReport()
    url = webhook_url()
    if not url:
        return report
    read = clock or ((lambda: now) if now is not None else timezone.now)
    worker = worker_name()
    tried: set[int] = set()  # a run attempts an event once (a retry that falls due during the run waits for the next)
    while len(tried) < limit:
        heads = list(due_heads(read()).exclude(pk__in=tried)[: limit - len(tried)])
        taken = 0
        for head in heads:
            item = _claim(head, read(), worker)
            if item is None:
                continue
            taken += 1
            tried.add(item.pk)
            try:
                status = _post(url, item, at=read())
            except DeliveryError as exc:
                failed_at = read()
                attempts = item.attempts + 1
                logger.warning("Outbox event %s (attempt %s) not delivered: %s", item.pk, attempts, exc)
                settled = _settle(
                    item, attempts=attempts, last_error=str(exc)[:2000], last_status_code=exc.status,
                    next_attempt_at=failed_at + backoff(attempts),
                )  # fmt: skip
                (report.failed if settled else report.superseded).append(item.pk)
                continue
            settled = _settle(item, delivered_at=read(), attempts=item.attempts + 1, last_status_code=status, last_error="")
            (report.delivered if settled else report.superseded).append(item.pk)
        if not taken:
            break
    end = read()
    waiting = OutboxEvent.objects.undelivered()
    report.held_back = list(
        waiting.filter(next_attempt_at__lte=end).filter(_earlier_undelivered()).order_by("dossier_id", "sequence")
        .values_list("pk", flat=True)
    )  # fmt: skip
    firsts = waiting.exclude(_earlier_undelivered())
    retries = firsts.filter(_unclaimed(end)).aggregate(at=Min("next_attempt_at"))["at"]  # in the past: at once
    leases = firsts.filter(claimed_until__gt=end).aggregate(at=Min("claimed_until"))["at"]  # a run that may have died
    report.next_attempt_at = min((t for t in (retries, leases) if t is not None), default=None)
    return report


# --- Administrators' screen -----------------------------------------------------------------------------------------


def outbox_events(*, state: str = "", q: str = "") -> QuerySet[OutboxEvent]:
    """The outbox for the administrators' list, newest first, filtered by state and dossier code."""
    qs = OutboxEvent.objects.in_state(state) if state in OutboxState.values else OutboxEvent.objects.all()
    if q.strip():
        qs = qs.filter(dossier__code__icontains=q.strip())
    return qs.select_related("dossier").order_by("-created_at", "-pk")


def outbox_counts() -> dict[str, int]:
    base = OutboxEvent.objects.all()
    return {state: base.in_state(state).count() for state in OutboxState.values}


@transaction.atomic
def outbox_event_retry(*, event: OutboxEvent, acting_user: Any) -> OutboxEvent:
    """A platform administrator asks to send a failing event again now (and the events it holds back after it)."""
    if not administers_platform(acting_user):
        raise PermissionDenied(_("Chỉ quản trị toàn hệ thống mới được gửi lại sự kiện đồng bộ."))
    locked = OutboxEvent.objects.select_for_update().get(pk=event.pk)
    if locked.delivered_at is not None:
        raise ValidationError(_("Sự kiện này đã được gửi thành công."))
    if not webhook_url():
        raise ValidationError(_("Chưa cấu hình địa chỉ nhận của Cổng dịch vụ công quốc gia (ONESTOP_OUTBOX_WEBHOOK_URL)."))
    before = {"next_attempt_at": locked.next_attempt_at.isoformat()}
    now = timezone.now()
    OutboxEvent.objects.undelivered().filter(dossier_id=locked.dossier_id, sequence__lte=locked.sequence).update(
        next_attempt_at=now
    )
    locked.refresh_from_db()
    audit_record(
        actor=acting_user, action=AuditAction.UPDATE, obj=locked, before=before,
        after={"next_attempt_at": locked.next_attempt_at.isoformat()}, reason=_("Gửi lại sự kiện đồng bộ"),
    )  # fmt: skip
    schedule_delivery_on_commit()
    return locked
