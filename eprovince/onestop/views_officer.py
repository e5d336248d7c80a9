"""Officers' pages: queues, a dossier with its history and actions, counter reception, files. Thin: forms parse,
selectors read (404 outside the user's scope), services write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eprovince.core.constants import Role
from eprovince.core.form_errors import apply_validation_error
from eprovince.core.pagination import CappedPaginator
from eprovince.core.permissions import scoped_organisations

from . import officer_panel, selectors, workflow
from .constants import DossierStatus
from .errors import OneStopError
from .forms import ActionForm, ApologyForm, ApplicationForm, QueueFilterForm
from .forms_payments import PaymentConfirmForm
from .models import Dossier, Procedure
from .permissions import can_receive_anything, can_receive_at_counter, is_officer
from .receipt import pdf_response
from .services.dossiers import Upload, dossier_act, dossier_issue_apology, dossier_receive_at_counter, may_issue_apology
from .services.payments import can_confirm_payment, payment_due, payment_info
from .validators import display_answer

PAGE_SIZE = 25


def _require_officer(request: HttpRequest) -> None:
    if not is_officer(request.user):
        raise PermissionDenied


def _errors_to_messages(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _page_numbers(page: Any) -> list[int]:
    """The page numbers components/pagination.html can show (the first, the last, three either side of the current
    one): the component then loops over these instead of every page (400 for a capped queue, ~50 ms to render)."""
    last = page.paginator.num_pages
    return sorted({1, last, *range(max(1, page.number - 3), min(last, page.number + 3) + 1)})


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    _require_officer(request)
    key = request.GET.get("hang", "new")
    key = key if key in selectors.QUEUES else "new"
    procedures = list(selectors.queue_procedures(request.user).values_list("pk", "name"))
    form = QueueFilterForm(request.GET or None, procedures=procedures)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.DossierFilters(
        q=data.get("q") or "",
        procedure=data.get("procedure"),
        status=data.get("status") or "",
        channel=data.get("channel") or "",
        received_from=data.get("received_from"),
        received_to=data.get("received_to"),
    )
    now = timezone.now()
    if key == "new":
        # The tray (thousands of dossiers at a busy division) is sorted by due date: page its ids alone, then read the
        # page's 25 rows with their relations (one query) instead of joining them to every candidate before the sort.
        ids = selectors.dossier_queue(request.user, key, filters, now=now, related=False).values_list("pk", flat=True)
        page = CappedPaginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = selectors.queue_page_rows(page.object_list, now=now)
    else:
        page = CappedPaginator(selectors.dossier_queue(request.user, key, filters, now=now), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        page.object_list = selectors.queue_page_rows(page.object_list, now=now, loaded=True)
    return render(
        request,
        "onestop/queue.html",
        {"page_obj": page, "form": form, "queue": key, "queues": selectors.QUEUES, "now": now,
         "can_receive": can_receive_anything(request.user), "page_numbers": _page_numbers(page)},
    )  # fmt: skip


def _detail_context(request: HttpRequest, dossier: Dossier, *, bound: tuple[str, Any] | None = None) -> dict[str, Any]:
    actions = workflow.available_actions(dossier, request.user)  # in the offered order: the usual next action first
    action_form = None
    if bound and bound[0] == "action":
        action_form = bound[1]
    elif actions:
        generated = officer_panel.generated_codes(dossier, actions)
        action_form = ActionForm(initial={"version": dossier.version}, actions=actions, generated=generated)
    apology_form = None
    # Offered when the service would accept it (the handling agency, due soon or late, once: apology_refusal).
    if (bound and bound[0] == "apology") or may_issue_apology(request.user, dossier):
        apology_form = bound[1] if bound and bound[0] == "apology" else ApologyForm(initial={"version": dossier.version})
    fields = {f.key: f for f in dossier.procedure.form_fields.all()}
    answers = [(fields[k].label if k in fields else k, display_answer(v)) for k, v in dossier.form_data.items()]
    view = selectors.officer_view(request.user, dossier)  # the files meant for this officer (dossier_scope.py)
    panel = officer_panel.action_panel(action_form, dossier) if action_form is not None else None
    groups = officer_panel.file_groups(dossier, view.events, view.files)
    anchors = officer_panel.event_file_anchors(groups)
    for event in view.events:  # the history points to the event's files in "Tệp hồ sơ" instead of listing them again
        event.file_anchor = anchors.get(event.pk, "")  # type: ignore[attr-defined]
    return {
        "dossier": dossier, "events": view.events, "files": view.files, "file_groups": groups,
        "action_form": action_form, "panel": panel, "apology_form": apology_form, "answers": answers,
        "now": timezone.now(), "rating": selectors.dossier_rating(dossier), "payment": payment_info(dossier),
        "payment_form": PaymentConfirmForm() if payment_due(dossier) and can_confirm_payment(request.user, dossier) else None,
    }  # fmt: skip


@login_required
def dossier_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not is_officer(request.user):  # applicants read their own dossiers at /ho-so-cua-toi/
        raise Http404
    dossier = selectors.dossier_for_user(request.user, pk)
    return render(request, "onestop/dossier_detail.html", _detail_context(request, dossier))


@login_required
@require_POST
def dossier_action(request: HttpRequest, pk: int) -> HttpResponse:
    """The action panel's POST: the chosen action with its reason, files and, for a destructive one, the confirmation.
    Refused input re-renders the page (400) with what was typed and the error summary at the top."""
    dossier = selectors.dossier_for_user(request.user, pk)
    actions = workflow.available_actions(dossier, request.user)
    form = ActionForm(request.POST, request.FILES, actions=actions, generated=officer_panel.generated_codes(dossier, actions))
    if form.is_valid():
        try:
            updated = dossier_act(
                dossier=dossier, action_code=form.cleaned_data["action"], acting_user=request.user,  # type: ignore[arg-type]
                reason=form.cleaned_data["reason"], uploads=[Upload(file=f) for f in form.cleaned_data["attachments"]],
                expected_version=form.cleaned_data["version"], site_url=request.build_absolute_uri("/"),
            )  # fmt: skip
        except OneStopError as exc:
            messages.error(request, exc.message)
            return redirect("onestop:dossier_detail", pk=pk)
        except ValidationError as exc:
            # The service names the files "files"; the panel's input is "attachments".
            if hasattr(exc, "error_dict"):
                exc = ValidationError({"attachments" if k == "files" else k: v for k, v in exc.error_dict.items()})
            apply_validation_error(form, exc)
        else:
            event_label = updated.events.order_by("-pk").values_list("label", flat=True).first() or ""
            messages.success(request, _("Đã thực hiện: %(label)s. Trạng thái hồ sơ: %(status)s.") % {
                "label": event_label, "status": updated.get_status_display()})  # fmt: skip
            return redirect("onestop:dossier_detail", pk=pk)
    elif form["version"].value() != str(dossier.version):  # the page was read before another officer acted
        messages.error(request, _(
            "Hồ sơ %(code)s vừa được người khác cập nhật (trạng thái hiện tại: %(status)s). Thao tác của bạn chưa được "
            "thực hiện; vui lòng tải lại trang để xem tình trạng mới nhất.") % {"code": dossier.code, "status": dossier.get_status_display()}
        )  # fmt: skip
        return redirect("onestop:dossier_detail", pk=pk)
    elif not actions:
        messages.error(request, _("Hồ sơ không chờ thao tác nào của bạn ở bước hiện tại."))
        return redirect("onestop:dossier_detail", pk=pk)
    context = _detail_context(request, dossier, bound=("action", form))
    return render(request, "onestop/dossier_detail.html", context, status=400)


@login_required
@require_POST
def dossier_apology(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = selectors.dossier_for_user(request.user, pk)
    form = ApologyForm(request.POST)
    if form.is_valid():
        try:
            dossier_issue_apology(
                dossier=dossier, acting_user=request.user, reason=form.cleaned_data["reason"],  # type: ignore[arg-type]
                new_due_date=form.cleaned_data["new_due_date"], expected_version=form.cleaned_data["version"],
            )  # fmt: skip
            messages.success(request, _("Đã ghi nhận thư xin lỗi và ngày hẹn trả kết quả mới."))
            return redirect("onestop:dossier_detail", pk=pk)
        except OneStopError as exc:
            messages.error(request, exc.message)
            return redirect("onestop:dossier_detail", pk=pk)
        except ValidationError as exc:
            apply_validation_error(form, exc)
    return render(request, "onestop/dossier_detail.html", _detail_context(request, dossier, bound=("apology", form)), status=400)


@login_required
def dossier_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """The receipt and appointment slip (form 01) to print for the applicant, walk-in or online."""
    _require_officer(request)
    dossier = selectors.dossier_for_user(request.user, pk)
    if dossier.status == DossierStatus.DRAFT:
        raise Http404
    return pdf_response(dossier, site_url=request.build_absolute_uri("/"))


@login_required
def file_download(request: HttpRequest, pk: int) -> FileResponse:
    if not is_officer(request.user):
        raise Http404
    item = selectors.file_for_user(request.user, pk)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.original_name, content_type=item.content_type)


@login_required
def counter_start(request: HttpRequest) -> HttpResponse:
    if not can_receive_anything(request.user):
        raise PermissionDenied
    orgs = scoped_organisations(request.user, Role.ONESTOP_CLERK).values("pk")
    procedures = (
        Procedure.objects.filter(is_active=True)
        .filter(Q(receiving_agency__in=orgs))
        .select_related("field")
        .order_by("field__order", "name")
    )
    q = request.GET.get("q", "").strip()
    if q:
        procedures = selectors.public_procedures(q=q).filter(pk__in=procedures.values("pk"))
    return render(request, "onestop/counter_start.html", {"procedures": procedures, "q": q})


@login_required
def counter_form(request: HttpRequest, procedure_pk: int) -> HttpResponse:
    procedure = get_object_or_404(Procedure.objects.select_related("receiving_agency", "field"), pk=procedure_pk, is_active=True)
    if not can_receive_at_counter(request.user, procedure):
        raise PermissionDenied
    form = ApplicationForm(request.POST or None, request.FILES or None, procedure=procedure)
    if request.method == "POST" and form.is_valid():
        try:
            dossier = dossier_receive_at_counter(
                acting_user=request.user, procedure=procedure, form_data=form.form_data(),  # type: ignore[arg-type]
                uploads=form.uploads(), channel=form.cleaned_data["channel"], **form.applicant(),
            )  # fmt: skip
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            due = timezone.localtime(dossier.due_at).strftime("%d/%m/%Y") if dossier.due_at else "—"
            messages.success(
                request, _("Đã tiếp nhận hồ sơ %(code)s. Hẹn trả kết quả ngày %(due)s.") % {"code": dossier.code, "due": due}
            )
            return redirect("onestop:dossier_detail", pk=dossier.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "onestop/counter_form.html", {"form": form, "procedure": procedure}, status=status)
