"""Every read the screens and the API need, scoped to what the user may see. Anything outside the scope is simply
absent (the views answer 404), so its existence is not confirmed."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Length, Replace

from eprovince.core.constants import OrganisationKind
from eprovince.core.models import Organisation
from eprovince.core.permissions import organisation_scope
from eprovince.core.text import fold

from .constants import READER_ROLES, REPORTER_ROLES, REVIEWER_ROLES, RoundStatus, SubmissionStatus
from .models import DataValue, DataValueAudit, ReportForm, ReportFormElement, ReportingRound, Submission, Target
from .periods import Period
from .permissions import can_read_results

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
    """The submission if `user` may open it: the unit's reporting officers and the reviewers of its form (division
    head, leader or administrator over the division owning the form) at any stage; the form owner's other Department
    staff (specialists) once it is approved, as the API reads values (indicators.api)."""
    allowed = _NOTHING
    for roles, path, condition in (
        (REPORTER_ROLES, "organisation", None),
        (REVIEWER_ROLES, "round__form__owner", None),
        (READER_ROLES, "round__form__owner", Q(status=SubmissionStatus.APPROVED)),
    ):
        scope = organisation_scope(user, *roles)
        if scope == _NOTHING:
            continue
        part = Q(pk__isnull=False) if scope is None else _scope_q(user, roles, path)
        allowed |= part & condition if condition is not None else part
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


def _submission_count(condition: Q | None = None) -> Coalesce:
    """The number of a round's submissions meeting `condition`, as a correlated subquery: computed only for the rounds
    actually read (a page of 8 or 50), never for every round before the LIMIT (238 rounds and a million reports
    grouped and counted took over a second on the benchmark)."""
    counted = (
        Submission.objects.filter(condition or Q(), round=OuterRef("pk"))
        .order_by()
        .values("round")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def readable_rounds(user: Any) -> QuerySet[ReportingRound]:
    """Rounds of the forms owned where `user` holds a Department role, with their completeness counts."""
    if organisation_scope(user, *READER_ROLES) == _NOTHING:
        return ReportingRound.objects.none()
    submitted = Q(first_submitted_at__isnull=False)
    return (
        ReportingRound.objects.filter(_scope_q(user, READER_ROLES, "form__owner"))
        .select_related("form")
        .annotate(
            expected=_submission_count(),
            received=_submission_count(submitted),
            on_time=_submission_count(submitted & Q(first_submitted_at__date__lte=OuterRef("deadline"))),
            approved=_submission_count(Q(status=SubmissionStatus.APPROVED)),
            waiting=_submission_count(Q(status=SubmissionStatus.SUBMITTED)),
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


# The dashboard's unit picker ---------------------------------------------------------------------------------

UNIT_SEARCH_LIMIT = 20
UNIT_SEARCH_MIN_CHARS = 2
UNIT_SHORTLIST_LIMIT = 40
# What a label needs: the name, whether (and until when) the unit existed; the kind and the depth place it in a group.
UNIT_LABEL_FIELDS = ("id", "name", "kind", "valid_to", "path")


def _depth() -> Any:
    """The organisation's level in the tree: 1 at the top ("/7/"), 2 just below ("/7/12/"), from the number of "/"."""
    return Length("path") - Length(Replace("path", Value("/"), Value(""))) - 1


def results_units() -> QuerySet[Organisation]:
    """Units whose results are worth reading: People's Committees, units that report on a form or have targets, and
    successors of former organisations; current and former ones. (EXISTS, not joins: no DISTINCT over the rows.)"""
    reports = ReportForm.organisations.through.objects.filter(organisation_id=OuterRef("pk"))
    return Organisation.objects.filter(
        Q(kind=OrganisationKind.PEOPLES_COMMITTEE)
        | Exists(reports)
        | Exists(Target.objects.filter(organisation_id=OuterRef("pk")))
        | Exists(Organisation.objects.filter(successor_id=OuterRef("pk")))
    )


def dashboard_units(user: Any) -> QuerySet[Organisation]:
    """The units `user` may choose on the dashboard. Every holder of a Department role (READER_ROLES) reads the
    results of every unit, as of the whole province (permissions.can_read_results); anyone else, none."""
    if not can_read_results(user):
        return Organisation.objects.none()
    return results_units()


def dashboard_unit(user: Any, pk: Any) -> Organisation | None:
    """The unit chosen on the dashboard, whole (the analytics read its tree and area), if `user` may choose it."""
    try:
        key = int(pk)
    except (TypeError, ValueError):
        return None
    if key <= 0 or key > 2**31 - 1:
        return None
    return dashboard_units(user).filter(pk=key).first()


def dashboard_unit_shortlist(user: Any, limit: int = UNIT_SHORTLIST_LIMIT) -> list[Organisation]:
    """The units that matter most, for the picker's short list: the current ones at the top of the tree and just
    below it (the province's People's Committee, its departments, the enterprises that report, then its communes),
    `limit` at most (any other unit is found by the search). One query, whatever the number of organisations; only
    the columns a label needs."""
    depth = _depth()
    top = Q(kind=OrganisationKind.PEOPLES_COMMITTEE, depth=1)
    order = Case(
        When(top, then=Value(0)),
        When(kind=OrganisationKind.DEPARTMENT, then=Value(1)),
        When(kind=OrganisationKind.ENTERPRISE, then=Value(2)),
        When(kind=OrganisationKind.PEOPLES_COMMITTEE, then=Value(4)),
        default=Value(3),
        output_field=IntegerField(),
    )
    rows: list[Organisation] = list(
        dashboard_units(user)
        .filter(valid_to__isnull=True)
        .alias(depth=depth)
        .filter(depth__lte=2)
        .alias(rank=order)
        .order_by("rank", "depth", "search_name", "pk")
        .only(*UNIT_LABEL_FIELDS)[:limit]
    )
    return rows


@dataclass
class UnitSearch:
    query: str
    too_short: bool = False
    units: list[Organisation] = field(default_factory=list)
    more: bool = False  # more than UNIT_SEARCH_LIMIT matched: the user should type more of the name

    @property
    def searched(self) -> bool:
        return bool(self.query) and not self.too_short


def dashboard_unit_search(user: Any, text: str, limit: int = UNIT_SEARCH_LIMIT) -> UnitSearch:
    """Units `user` may choose whose name (or short name) holds every word of `text`, diacritics ignored ("tan
    chau" finds "Ủy ban nhân dân thị xã Tân Châu"); current units first (higher in the tree first), then the former
    ones, the latest dissolved first. At most `limit`; fewer than UNIT_SEARCH_MIN_CHARS letters ask for more. One
    query; each row with its parent's name (the same commune name recurs across provinces) and only the columns
    the label needs."""
    query = " ".join(text.split())[:100]
    folded = fold(query)
    result = UnitSearch(query=query)
    if not folded:
        return result
    if len(folded.replace(" ", "")) < UNIT_SEARCH_MIN_CHARS:
        result.too_short = True
        return result
    qs = dashboard_units(user)
    for word in folded.split():
        qs = qs.filter(search_name__contains=word)
    rows: list[Organisation] = list(
        qs.select_related("parent")
        .only(*UNIT_LABEL_FIELDS, "parent__name")
        .alias(depth=_depth())
        .order_by(F("valid_to").desc(nulls_first=True), "depth", "search_name", "pk")[: limit + 1]
    )
    result.units, result.more = rows[:limit], len(rows) > limit
    return result
