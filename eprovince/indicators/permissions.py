"""Who may report, read and review what. Reporting officers act for their unit and the units below it; reviewers
act for the forms their Department division owns; reading rounds and results is for the Department's staff."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from eprovince.core.models import Organisation
from eprovince.core.permissions import can_administer, has_role, scope_queryset

from .constants import READER_ROLES, REPORTER_ROLES, REVIEWER_ROLES
from .models import ReportForm, ReportingRound, Submission


def can_use_module(user: Any) -> bool:
    return has_role(user, *REPORTER_ROLES, *READER_ROLES)


def can_report_for(user: Any, organisation: Organisation) -> bool:
    return has_role(user, *REPORTER_ROLES, organisation=organisation)


def can_review(user: Any, form: ReportForm) -> bool:
    return has_role(user, *REVIEWER_ROLES, organisation=form.owner)


def can_read_form(user: Any, form: ReportForm) -> bool:
    return has_role(user, *READER_ROLES, organisation=form.owner)


def can_read_results(user: Any) -> bool:
    return has_role(user, *READER_ROLES)


def can_open_rounds(user: Any) -> bool:
    return has_role(user, *REVIEWER_ROLES)


def can_manage_catalogue(user: Any) -> bool:
    """The indicator catalogue (elements, indicators, forms, targets, index frameworks) is the whole platform's:
    a platform administrator's (core.permissions.can_administer with no organisation), not an agency administrator's."""
    return can_administer(user, None)


def can_view_submission(user: Any, submission: Submission) -> bool:
    return can_report_for(user, submission.organisation) or can_read_form(user, submission.round.form)


def reportable_submissions(user: Any) -> QuerySet[Submission]:
    """Submissions of the units the user reports for."""
    return scope_queryset(Submission.objects.all(), user, *REPORTER_ROLES)


def readable_rounds(user: Any) -> QuerySet[ReportingRound]:
    """Rounds of the forms owned by a division where the user holds a Department role."""
    return scope_queryset(ReportingRound.objects.all(), user, *READER_ROLES, org_field="form__owner")
