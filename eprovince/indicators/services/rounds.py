"""Reporting rounds and the life of a unit's submission in one:

    draft ──submit──► submitted ──approve──► approved (values locked)
      ▲                   │                     │
      └──── returned ◄────┘ return (comment)    │ reopen (reason), on request or not
                 ▲──────────────────────────────┘

Submitting is refused while an error-level validation rule fails. Every step is audited with its reason."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from eprovince.core.constants import AuditAction
from eprovince.core.models import Organisation, User
from eprovince.core.services.audit import audit_record

from .. import summary, validation
from ..constants import RoundStatus, SubmissionStatus
from ..models import ReportForm, ReportingRound, Submission
from ..periods import Period, PeriodError
from ..permissions import can_report_for, can_review
from .common import not_allowed, require, when

_STATE_FIELDS = ("status", "submitted_at", "returned_at", "return_comment", "approved_at", "reopened_at", "reopen_reason")


def _state(submission: Submission) -> dict[str, object]:
    return {
        name: (when(value) if isinstance(value, dt.datetime) else value)
        for name in _STATE_FIELDS
        if (value := getattr(submission, name)) is not None
    }


def expected_organisations(form: ReportForm, period: Period) -> list[Organisation]:
    """The form's units that existed during the period (a unit dissolved before it, or created after, is not asked)."""
    start, end = period.start(form.convention), period.end(form.convention)
    return list(
        form.organisations.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=end))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
        .order_by("path")
    )


def locked_message(submission: Submission) -> str:
    """What a locked form says: who locked it, when, and how to ask for it to be reopened."""
    approver = submission.approved_by or _("hệ thống")
    message = _(
        "Báo cáo này đã được %(who)s phê duyệt lúc %(when)s nên số liệu đã bị khóa. Để sửa, hãy gửi đề nghị mở lại "
        "(nút “Đề nghị mở lại” trên trang báo cáo, ghi rõ lý do) hoặc liên hệ %(owner)s; người duyệt mở lại thì "
        "báo cáo trở về trạng thái “Bị trả lại” và bạn sửa được."
    ) % {"who": approver, "when": when(submission.approved_at), "owner": submission.round.form.owner}
    return message


def not_editable_message(submission: Submission) -> str:
    if submission.status == SubmissionStatus.APPROVED:
        return locked_message(submission)
    return _(
        "Báo cáo đã nộp lúc %(when)s và đang chờ duyệt nên không sửa được. Nếu cần sửa, đề nghị %(owner)s trả lại báo cáo."
    ) % {"when": when(submission.submitted_at), "owner": submission.round.form.owner}


def _locked(submission: Submission) -> Submission:
    return (
        Submission.objects.select_for_update(of=("self",))
        .select_related("round__form__owner", "organisation", "approved_by")
        .get(pk=submission.pk)
    )


def _sync(target: Submission, source: Submission) -> Submission:
    for field in Submission._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    return target


@transaction.atomic
def round_open(
    *,
    acting_user: User | None,
    form: ReportForm,
    period: Period | str,
    deadline: dt.date | None = None,
    opens_on: dt.date | None = None,
) -> ReportingRound:
    """Open the round of `form` for `period`: one draft submission per unit expected to report in it."""
    require(can_review(acting_user, form), acting_user, _("Chỉ người duyệt của biểu mẫu mới được mở đợt báo cáo."))
    try:
        period_obj = period if isinstance(period, Period) else Period.parse(period)
    except PeriodError as exc:
        raise ValidationError({"period": [str(exc)]}) from exc
    if period_obj.type != form.period_type:
        raise ValidationError(
            {"period": [_("Biểu mẫu này báo cáo theo kỳ “%(type)s”.") % {"type": form.get_period_type_display()}]}
        )
    if ReportingRound.objects.filter(form=form, period=period_obj.id).exists():
        raise ValidationError({"period": [_("Đợt báo cáo %(period)s đã được mở.") % {"period": period_obj.label}]})
    round_ = ReportingRound(
        form=form,
        period=period_obj.id,
        opens_on=opens_on or period_obj.start(form.convention),
        deadline=deadline or form.deadline_for(period_obj),
        opened_by=acting_user,
    )
    round_.full_clean()
    round_.save()
    organisations = expected_organisations(form, period_obj)
    Submission.objects.bulk_create([Submission(round=round_, organisation=org) for org in organisations])
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=round_,
        after={"form": form.code, "period": period_obj.id, "deadline": round_.deadline, "units": len(organisations)},
    )
    return round_


@transaction.atomic
def round_close(*, acting_user: User | None, round_: ReportingRound) -> ReportingRound:
    require(can_review(acting_user, round_.form), acting_user, not_allowed())
    if round_.status != RoundStatus.CLOSED:
        round_.status = RoundStatus.CLOSED
        round_.save(update_fields=["status"])
        audit_record(actor=acting_user, action=AuditAction.TRANSITION, obj=round_, after={"status": RoundStatus.CLOSED})
    return round_


@transaction.atomic
def submission_submit(*, acting_user: User | None, submission: Submission, at: dt.datetime | None = None) -> Submission:
    """Send the report to the Department. Refused while an error-level rule fails or when nothing was entered.
    `at` records when a report received on paper was actually sent (historical rounds entered later)."""
    current = _locked(submission)
    require(can_report_for(acting_user, current.organisation), acting_user, not_allowed())
    if not current.is_editable:
        raise ValidationError(not_editable_message(current))
    if not current.values.exists():
        raise ValidationError(_("Chưa nhập số liệu nào: không thể nộp báo cáo trống."))
    blocking = [v for v in validation.check(current.round.form, current.organisation, current.round.period_obj) if v.blocking]
    if blocking:
        raise ValidationError(
            [_("Chưa nộp được: còn %(n)d lỗi kiểm tra số liệu.") % {"n": len(blocking)}] + [v.message for v in blocking]
        )
    before = _state(current)
    now = at or timezone.now()
    current.status = SubmissionStatus.SUBMITTED
    current.submitted_at = now
    current.submitted_by = acting_user
    current.first_submitted_at = current.first_submitted_at or now
    current.save()
    audit_record(actor=acting_user, action=AuditAction.TRANSITION, obj=current, before=before, after=_state(current))
    return _sync(submission, current)


@transaction.atomic
def submission_return(*, acting_user: User | None, submission: Submission, comment: str) -> Submission:
    """Send a submitted report back to its unit, saying what to fix."""
    current = _locked(submission)
    require(can_review(acting_user, current.round.form), acting_user, not_allowed())
    if current.status != SubmissionStatus.SUBMITTED:
        raise ValidationError(_("Chỉ trả lại được báo cáo đang chờ duyệt."))
    if not comment.strip():
        raise ValidationError({"comment": [_("Hãy ghi lý do trả lại để đơn vị biết cần sửa gì.")]})
    before = _state(current)
    current.status = SubmissionStatus.RETURNED
    current.returned_at = timezone.now()
    current.returned_by = acting_user
    current.return_comment = comment.strip()
    current.save()
    audit_record(
        actor=acting_user, action=AuditAction.TRANSITION, obj=current, before=before, after=_state(current), reason=comment
    )
    return _sync(submission, current)


@transaction.atomic
def submission_approve(*, acting_user: User | None, submission: Submission, at: dt.datetime | None = None) -> Submission:
    """Approve a submitted report: its values are locked and count in results at once (the yearly summary of
    its organisation is brought up to date in this transaction)."""
    current = _locked(submission)
    require(can_review(acting_user, current.round.form), acting_user, not_allowed())
    if current.status != SubmissionStatus.SUBMITTED:
        raise ValidationError(_("Chỉ phê duyệt được báo cáo đang chờ duyệt."))
    before = _state(current)
    current.status = SubmissionStatus.APPROVED
    current.approved_at = at or timezone.now()
    current.approved_by = acting_user
    current.reopen_requested_at = None
    current.reopen_requested_by = None
    current.reopen_request_reason = ""
    current.save()
    summary.refresh_submission(current)
    audit_record(actor=acting_user, action=AuditAction.TRANSITION, obj=current, before=before, after=_state(current))
    return _sync(submission, current)


@transaction.atomic
def submission_request_reopen(*, acting_user: User | None, submission: Submission, reason: str) -> Submission:
    """The unit asks the reviewers to reopen an approved report."""
    current = _locked(submission)
    require(can_report_for(acting_user, current.organisation), acting_user, not_allowed())
    if current.status != SubmissionStatus.APPROVED:
        raise ValidationError(_("Chỉ đề nghị mở lại được báo cáo đã phê duyệt."))
    if not reason.strip():
        raise ValidationError({"reason": [_("Hãy ghi lý do cần mở lại báo cáo.")]})
    current.reopen_requested_at = timezone.now()
    current.reopen_requested_by = acting_user
    current.reopen_request_reason = reason.strip()
    current.save()
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=current,
        after={"reopen_requested_at": when(current.reopen_requested_at)},
        reason=reason,
    )
    return _sync(submission, current)


@transaction.atomic
def submission_reopen(*, acting_user: User | None, submission: Submission, reason: str) -> Submission:
    """Unlock an approved report (it goes back to "returned"), with the reason recorded: its values stop counting."""
    current = _locked(submission)
    require(can_review(acting_user, current.round.form), acting_user, not_allowed())
    if current.status != SubmissionStatus.APPROVED:
        raise ValidationError(_("Chỉ mở lại được báo cáo đã phê duyệt."))
    if not reason.strip():
        raise ValidationError({"reason": [_("Hãy ghi lý do mở lại báo cáo.")]})
    before = _state(current)
    current.status = SubmissionStatus.RETURNED
    current.reopened_at = timezone.now()
    current.reopened_by = acting_user
    current.reopen_reason = reason.strip()
    current.return_comment = reason.strip()
    current.returned_at = current.reopened_at
    current.returned_by = acting_user
    current.save()
    summary.refresh_submission(current)
    audit_record(
        actor=acting_user, action=AuditAction.TRANSITION, obj=current, before=before, after=_state(current), reason=reason
    )
    return _sync(submission, current)
