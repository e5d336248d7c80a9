"""Every read the screens and the API need, scoped to what the user may see. Anything outside the scope is simply
absent (the views answer 404), so its existence is not confirmed."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet

from eprovince.core.models import Organisation
from eprovince.core.permissions import organisation_scope

from .constants import READER_ROLES, REPORTER_ROLES, REVIEWER_ROLES, RoundStatus, SubmissionStatus
from .models import DataValue, DataValueAudit, ReportForm, ReportFormElement, ReportingRound, Submission
from .periods import Period

_NOTHING = Q(pk__in=[])


def _scope_q(user: Any, roles: tuple[str, ...], field: str) -> Q:
    scope = organisation_scope(user, *roles)
    if scope is None:
        return Q()
    return Q(**{f"{field}__in": Organisation.objects.filter(scope).values("pk")})


def officer_submissions(user: Any, *, open_only: bool = True) -> QuerySet[Submission]:
    """The reports of the units `user` reports for (in open rounds), nearest deadline first."""
    if organisation_scope(user, *REPORTER_ROLES) == _NOTHING:
        return Submission.objects.none()
    qs = Submission.objects.filter(_scope_q(user, REPORTER_ROLES, "organisation"))
    if open_only:
        qs = qs.filter(round__status=RoundStatus.OPEN)
    return qs.select_related("round__form", "organisation").order_by("round__deadline", "round__form__code", "organisation__path")


def visible_submission(user: Any, pk: int) -> Submission | None:
    """The submission if `user` reports for its unit or holds a Department role for its form's owner."""
    as_reporter = organisation_scope(user, *REPORTER_ROLES)
    as_reader = organisation_scope(user, *READER_ROLES)
    if as_reporter is None or as_reader is None:
        allowed = Q()  # a platform-wide role
    else:
        allowed = _NOTHING
        if as_reporter != _NOTHING:
            allowed |= _scope_q(user, REPORTER_ROLES, "organisation")
        if as_reader != _NOTHING:
            allowed |= _scope_q(user, READER_ROLES, "round__form__owner")
    return (
        Submission.objects.filter(allowed, pk=pk)
        .select_related(
            "round__form__owner",
            "organisation",
            "submitted_by",
            "returned_by",
            "approved_by",
            "reopened_by",
            "reopen_requested_by",
        )
        .first()
    )


def readable_rounds(user: Any) -> QuerySet[ReportingRound]:
    """Rounds of the forms owned where `user` holds a Department role, with their completeness counts."""
    if organisation_scope(user, *READER_ROLES) == _NOTHING:
        return ReportingRound.objects.none()
    on_time = Q(submissions__first_submitted_at__isnull=False) & Q(submissions__first_submitted_at__date__lte=F("deadline"))
    return (
        ReportingRound.objects.filter(_scope_q(user, READER_ROLES, "form__owner"))
        .select_related("form")
        .annotate(
            expected=Count("submissions", distinct=True),
            received=Count("submissions", filter=Q(submissions__first_submitted_at__isnull=False), distinct=True),
            on_time=Count("submissions", filter=on_time, distinct=True),
            approved=Count("submissions", filter=Q(submissions__status=SubmissionStatus.APPROVED), distinct=True),
            waiting=Count("submissions", filter=Q(submissions__status=SubmissionStatus.SUBMITTED), distinct=True),
        )
        .order_by("-deadline", "form__code")
    )


def readable_round(user: Any, pk: int) -> ReportingRound | None:
    return readable_rounds(user).filter(pk=pk).first()


def reviewable_forms(user: Any) -> QuerySet[ReportForm]:
    """Forms whose rounds `user` may open (and whose reports approve)."""
    if organisation_scope(user, *REVIEWER_ROLES) == _NOTHING:
        return ReportForm.objects.none()
    return ReportForm.objects.filter(_scope_q(user, REVIEWER_ROLES, "owner"), active=True).order_by("code")


@dataclass
class RoundProgress:
    expected: int
    received: int
    on_time: int
    approved: int
    submissions: list[Submission]
    late: list[Submission]

    @property
    def completeness(self) -> Decimal | None:
        return Decimal(self.received) * 100 / self.expected if self.expected else None

    @property
    def timeliness(self) -> Decimal | None:
        return Decimal(self.on_time) * 100 / self.expected if self.expected else None


def round_progress(round_: ReportingRound, *, today: Any = None) -> RoundProgress:
    """Completeness (received / expected), timeliness (on time / expected) and the late units: one query."""
    from django.utils import timezone

    today = today or timezone.localdate()
    submissions = list(
        round_.submissions.select_related("organisation", "submitted_by", "approved_by").order_by("organisation__path")
    )
    for s in submissions:
        s.round = round_  # the round is known: spares a query per row
    late = [s for s in submissions if s.on_time is False or (s.first_submitted_at is None and today > round_.deadline)]
    return RoundProgress(
        expected=len(submissions),
        received=sum(1 for s in submissions if s.is_received),
        on_time=sum(1 for s in submissions if s.on_time),
        approved=sum(1 for s in submissions if s.status == SubmissionStatus.APPROVED),
        submissions=submissions,
        late=late,
    )


@dataclass
class EntryRow:
    form_element: ReportFormElement
    option: Any  # CategoryOption | None
    value: Decimal | None
    comment: str
    last_year: Decimal | None
    field: str  # name of the value input; the comment input is "c" + field[1:]

    @property
    def element(self) -> Any:
        return self.form_element.element

    @property
    def comment_field(self) -> str:
        return "c" + self.field[1:]


def entry_rows(submission: Submission) -> list[EntryRow]:
    """The cells of the entry form: each element of the form (each option of a disaggregated one) with its value,
    comment and the value of the same period last year. Three queries."""
    form = submission.round.form
    period = submission.round.period_obj
    last_year = period.same_period_last_year().id
    entries = list(
        ReportFormElement.objects.filter(form=form)
        .select_related("element__category_combo")
        .prefetch_related(Prefetch("element__category_combo__options"))
    )
    stored: dict[tuple[str, int, int | None], DataValue] = {}
    for value in DataValue.objects.filter(
        organisation=submission.organisation, period__in=[period.id, last_year], element__in=[e.element for e in entries]
    ):
        stored[(value.period, value.element_id, value.category_option_id)] = value
    rows: list[EntryRow] = []
    for entry in entries:
        element = entry.element
        options = list(element.category_combo.options.all()) if element.category_combo else [None]
        for option in options:
            key = (element.pk, option.pk if option else None)
            current = stored.get((period.id, *key))
            previous = stored.get((last_year, *key))
            rows.append(
                EntryRow(
                    form_element=entry,
                    option=option,
                    value=current.value if current else None,
                    comment=current.comment if current else "",
                    last_year=previous.value if previous else None,
                    field=f"v_{element.pk}_{option.pk if option else 0}",
                )
            )
    return rows


def value_history(submission: Submission, limit: int = 100) -> list[DataValueAudit]:
    """Every change to the unit's values of the form's elements for the period, newest first."""
    return list(
        DataValueAudit.objects.filter(
            organisation=submission.organisation,
            period=submission.round.period,
            element__in=submission.round.form.elements.all(),
        )
        .select_related("element", "category_option")
        .order_by("-created_at", "-id")[:limit]
    )


def period_choices(years: int = 6) -> list[Period]:
    from django.utils import timezone

    this_year = timezone.localdate().year
    return [Period.parse(str(y)) for y in range(this_year, this_year - years, -1)]
