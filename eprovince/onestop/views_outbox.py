"""The national-portal outbox for platform administrators: every event with its state (delivered, waiting, failing
with the error), filterable and paginated, and "gửi lại" for a failing one. Thin: outbox.py reads and writes.

The outbox is one queue to one national webhook for the whole platform, so it is a platform administrator's page:
an administrator of one agency is refused (403), as they would otherwise see and resend other agencies' dossiers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eprovince.core.permissions import administers_platform

from . import outbox
from .models import OutboxEvent, OutboxState

PAGE_SIZE = 30


def _require_admin(request: HttpRequest) -> None:
    if not administers_platform(request.user):
        raise PermissionDenied


@login_required
def outbox_list(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    state = request.GET.get("trang_thai", "")
    state = state if state in OutboxState.values else ""
    q = request.GET.get("q", "").strip()[:60]
    counts = outbox.outbox_counts()
    page = Paginator(outbox.outbox_events(state=state, q=q), PAGE_SIZE).get_page(request.GET.get("page"))
    for event in page:
        event.portal_status = outbox.NATIONAL_STATUS_LABELS.get(event.payload.get("TrangThaiHoSo"), "")  # type: ignore[attr-defined]
    return render(
        request, "onestop/admin/outbox_list.html",
        {"page_obj": page, "state": state, "q": q, "states": OutboxState.choices, "tabs": [(k, label, counts[k]) for k, label in OutboxState.choices],
         "webhook": outbox.webhook_url()},
    )  # fmt: skip


@login_required
@require_POST
def outbox_retry(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    event = get_object_or_404(OutboxEvent, pk=pk)
    try:
        outbox.outbox_event_retry(event=event, acting_user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã đưa sự kiện của hồ sơ %(code)s vào hàng gửi lại.") % {"code": event.dossier.code})
    return redirect(f"{reverse('onestop:outbox')}?trang_thai={OutboxState.FAILING}")
