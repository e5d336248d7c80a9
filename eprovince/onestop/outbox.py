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

Delivery
    `deliver_due()` POSTs each due event's payload as JSON to settings.ONESTOP_OUTBOX_WEBHOOK_URL, in sequence order
    per dossier (an undelivered event holds back the later ones of its dossier, never those of other dossiers).
    Headers: X-EProvince-Event (a stable id: "<dossier id>-<sequence>", for the receiver to ignore repeats),
    X-EProvince-Sequence, and, when ONESTOP_OUTBOX_SECRET is set, X-EProvince-Signature: "sha256=" + the hex
    HMAC-SHA256 of the exact body under the secret. A 2xx answer marks the event delivered; anything else (an error
    status, a refused connection, a timeout) counts an attempt, keeps the error and schedules the next attempt after
    30 s, 1, 2, 4… min (at most ONESTOP_OUTBOX_MAX_BACKOFF_SECONDS). Nothing is ever deleted. A run claims each
    event for a while before posting, so two workers never post the same event at once.
    Runs: the task tasks.deliver_outbox, enqueued after each commit that wrote events and re-scheduled for the next
    due retry; `manage.py deliver_outbox` does the same from a scheduler (a safety net if the worker was down).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from eprovince.core.constants import AuditAction
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
CLAIM_SECONDS = 120
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
            item.save(update_fields=["payload"])


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


def signature(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the `attempts`-th failed attempt: 30 s, 1 min, 2 min… capped."""
    cap = int(getattr(settings, "ONESTOP_OUTBOX_MAX_BACKOFF_SECONDS", 6 * 3600))
    return dt.timedelta(seconds=min(cap, BASE_BACKOFF_SECONDS * 2 ** max(0, attempts - 1)))


@dataclass
class DeliveryReport:
    delivered: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    held_back: list[int] = field(default_factory=list)
    next_attempt_at: dt.datetime | None = None


class DeliveryError(Exception):
    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


def _post(url: str, item: OutboxEvent) -> int:
    ordered = {name: item.payload.get(name, "") for name in PORTAL_FIELDS}  # the portal's order (JSONB sorts keys)
    body = json.dumps(ordered, ensure_ascii=False, separators=(",", ":")).encode()
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "e-Province outbox",
        "X-EProvince-Event": f"{item.dossier_id}-{item.sequence}",
        "X-EProvince-Sequence": str(item.sequence),
    }
    if secret := str(getattr(settings, "ONESTOP_OUTBOX_SECRET", "") or ""):
        headers["X-EProvince-Signature"] = signature(body, secret)
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 (configured URL)
    timeout = float(getattr(settings, "ONESTOP_OUTBOX_TIMEOUT_SECONDS", 10))
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"HTTP {exc.code}: {exc.reason}", exc.code) from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DeliveryError(f"{type(exc).__name__}: {reason}") from exc


def _claim(item: OutboxEvent, now: dt.datetime) -> bool:
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    claimed = OutboxEvent.objects.filter(free, pk=item.pk, delivered_at__isnull=True).update(
        claimed_until=now + dt.timedelta(seconds=CLAIM_SECONDS)
    )
    return claimed == 1


def deliver_due(*, now: dt.datetime | None = None, limit: int = 500) -> DeliveryReport:
    """Deliver the events that are due, in order per dossier. `now` is for tests; the task passes nothing."""
    report = DeliveryReport()
    url = webhook_url()
    if not url:
        return report
    now = now or timezone.now()
    blocked: set[int] = set()
    due = OutboxEvent.objects.undelivered().filter(next_attempt_at__lte=now).order_by("dossier_id", "sequence")[:limit]
    for item in due:
        if item.dossier_id in blocked or _has_earlier_undelivered(item):
            blocked.add(item.dossier_id)
            report.held_back.append(item.pk)
            continue
        if not _claim(item, now):
            blocked.add(item.dossier_id)
            continue
        try:
            status = _post(url, item)
        except DeliveryError as exc:
            _failed(item, now, str(exc), exc.status)
            blocked.add(item.dossier_id)
            report.failed.append(item.pk)
            continue
        OutboxEvent.objects.filter(pk=item.pk).update(
            delivered_at=timezone.now(), attempts=item.attempts + 1, last_status_code=status, last_error="", claimed_until=None
        )
        report.delivered.append(item.pk)
    later = OutboxEvent.objects.undelivered().filter(next_attempt_at__gt=now)
    report.next_attempt_at = later.aggregate(at=Min("next_attempt_at"))["at"]
    return report


def _has_earlier_undelivered(item: OutboxEvent) -> bool:
    return OutboxEvent.objects.undelivered().filter(dossier_id=item.dossier_id, sequence__lt=item.sequence).exists()


def _failed(item: OutboxEvent, now: dt.datetime, error: str, status: int | None) -> None:
    attempts = item.attempts + 1
    logger.warning("Outbox event %s (attempt %s) not delivered: %s", item.pk, attempts, error)
    OutboxEvent.objects.filter(pk=item.pk).update(
        attempts=attempts, last_error=error[:2000], last_status_code=status, next_attempt_at=now + backoff(attempts),
        claimed_until=None,
    )  # fmt: skip


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
    """An administrator asks to send a failing event again now (and the events it holds back after it)."""
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
