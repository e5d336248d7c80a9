"""The indicators workspace (/can-bo/chi-tieu/): reporting officers enter and submit their unit's reports;
the Department's reviewers open rounds, follow completeness, approve or return; everyone there reads results.
Views only parse, check and call services or selectors."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from eprovince.core.form_errors import apply_validation_error
from eprovince.core.selectors.audit import audit_events

from . import selectors, validation
from .forms import EntryForm, ReasonForm, ResultsFilterForm, RoundOpenForm
from .models import IndexFramework, Submission
from .periods import Period
from .permissions import (
    can_manage_catalogue,
    can_open_rounds,
    can_read_results,
    can_report_for,
    can_review,
    can_use_module,
)
from .rankings import index_table
from .reminders import reminders_context
from .results import results
from .services import rounds, values

View = Callable[..., HttpResponse]


def module_required(view: View) -> View:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_use_module(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _submission_or_404(request: HttpRequest, pk: int) -> Submission:
    submission = selectors.visible_submission(request.user, pk)
    if submission is None:
        raise Http404(_("Không tìm thấy báo cáo."))
    return submission


def _home_context(request: HttpRequest, open_form: RoundOpenForm | None = None) -> dict[str, Any]:
    user = request.user
    forms_qs = selectors.reviewable_forms(user)
    if open_form is None and can_open_rounds(user):
        open_form = RoundOpenForm(forms_qs=forms_qs)
    return {
        "my_submissions": list(selectors.officer_submissions(user)[:100]),
        "rounds": list(selectors.readable_rounds(user)[:50]),
        "open_form": open_form,
        "can_read_results": can_read_results(user),
        "can_manage_catalogue": can_manage_catalogue(user),
        "today": timezone.localdate(),
    }


@module_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "indicators/home.html", _home_context(request))


@require_POST
@module_required
def round_open(request: HttpRequest) -> HttpResponse:
    if not can_open_rounds(request.user):
        raise PermissionDenied
    form = RoundOpenForm(request.POST, forms_qs=selectors.reviewable_forms(request.user))
    if form.is_valid():
        try:
            round_ = rounds.round_open(
                acting_user=request.user,  # type: ignore[arg-type]
                form=form.cleaned_data["form"],
                period=form.cleaned_data["period"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã mở đợt báo cáo “%(round)s”.") % {"round": round_})
            return redirect("indicators:round", pk=round_.pk)
    return render(request, "indicators/home.html", _home_context(request, form), status=400)


@module_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.readable_round(request.user, pk)
    if round_ is None:
        raise Http404(_("Không tìm thấy đợt báo cáo."))
    progress = selectors.round_progress(round_)
    return render(
        request,
        "indicators/round.html",
        {
            "round": round_,
            "progress": progress,
            "can_review": can_review(request.user, round_.form),
            "today": timezone.localdate(),
            **reminders_context(round_, progress),
        },
    )


@module_required
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The report of one unit: the entry form (for its officers while editable), validation results, history, and
    the review actions (for reviewers)."""
    submission = _submission_or_404(request, pk)
    user = request.user
    is_reporter = can_report_for(user, submission.organisation)
    can_edit = is_reporter and submission.is_editable
    rows = selectors.entry_rows(submission)
    form = EntryForm(request.POST if request.method == "POST" else None, rows=rows)
    status = 200
    if request.method == "POST":
        if not can_edit:
            messages.error(
                request, rounds.not_editable_message(submission) if is_reporter else _("Bạn không sửa được báo cáo này.")
            )
            return redirect("indicators:submission", pk=submission.pk)
        if form.is_valid():
            try:
                result = values.values_save(acting_user=user, submission=submission, entries=form.entries())  # type: ignore[arg-type]
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                return _after_save(request, submission, result)
        status = 400
    violations = validation.check(submission.round.form, submission.organisation, submission.round.period_obj)
    flagged = {code for v in violations for code in v.elements}
    return render(
        request,
        "indicators/submission.html",
        {
            "submission": submission,
            "round": submission.round,
            "form": form,
            "cells": form.cells(),
            "non_field_errors": form.errors.get(NON_FIELD_ERRORS, []),
            "has_errors": bool(form.errors),
            "state": validation.page_state(len(form.errors), violations),
            "violations": violations,
            "blocking": [v for v in violations if v.blocking],
            "flagged": flagged,
            "can_edit": can_edit,
            "is_reporter": is_reporter,
            "can_review": can_review(user, submission.round.form),
            "history": selectors.value_history(submission),
            "transitions": audit_events(model="indicators.submission", object_id=str(submission.pk)).filter(action="transition")[
                :20
            ],
            "reason_form": ReasonForm(),
        },
        status=status,
    )


def _after_save(request: HttpRequest, submission: Submission, result: values.SaveResult) -> HttpResponse:
    if result.changed:
        messages.success(request, _("Đã lưu %(n)d thay đổi.") % {"n": result.changed})
    else:
        messages.info(request, _("Không có thay đổi nào."))
    if "submit" in request.POST:
        if result.blocking:
            messages.error(request, _("Chưa nộp được: hãy sửa các lỗi kiểm tra số liệu bên dưới."))
        else:
            return _transition(request, submission, "submit")
    return redirect("indicators:submission", pk=submission.pk)


_ACTIONS: dict[str, tuple[Callable[..., Submission], str | None, Promise]] = {
    "submit": (rounds.submission_submit, None, gettext_lazy("Đã nộp báo cáo. Sở sẽ xem xét và phê duyệt.")),
    "approve": (rounds.submission_approve, None, gettext_lazy("Đã phê duyệt báo cáo; số liệu đã được khóa.")),
    "return": (rounds.submission_return, "comment", gettext_lazy("Đã trả lại báo cáo cho đơn vị.")),
    "reopen": (rounds.submission_reopen, "reason", gettext_lazy("Đã mở lại báo cáo.")),
    "request_reopen": (rounds.submission_request_reopen, "reason", gettext_lazy("Đã gửi đề nghị mở lại báo cáo.")),
}


def _transition(request: HttpRequest, submission: Submission, action: str) -> HttpResponse:
    service, text_arg, done = _ACTIONS[action]
    kwargs: dict[str, Any] = {"acting_user": request.user, "submission": submission}
    if text_arg:
        kwargs[text_arg] = request.POST.get("reason", "")
    try:
        service(**kwargs)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("Bạn không có quyền thực hiện thao tác này."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, str(done))
    return redirect("indicators:submission", pk=submission.pk)


@require_POST
@module_required
def submission_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in _ACTIONS:
        raise Http404
    submission = _submission_or_404(request, pk)
    return _transition(request, submission, action)


@module_required
def results_view(request: HttpRequest) -> HttpResponse:
    if not can_read_results(request.user):
        raise PermissionDenied
    form = ResultsFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    period: Period = data.get("period") or Period.parse(str(timezone.localdate().year - 1))
    root = data.get("organisation")
    framework = data.get("index") or IndexFramework.objects.order_by("-year", "code").first()
    rows = results(period=period, root=root)
    return render(
        request,
        "indicators/results.html",
        {
            "form": form,
            "period": period,
            "root": root,
            "rows": rows,
            "sentences": [r.sentence for r in rows if r.actual is not None],
            "synthetic_targets": any(r.target_synthetic for r in rows),
            "table": index_table(framework) if framework else None,
        },
    )
