"""On-time statistics of the one-stop shop for leaders, and the tracking register (form 06), as selectors.

Pure ORM aggregation, the same on SQLite and PostgreSQL: one grouped query per table (by procedure, by agency), one
for the register. The period [start, end] is in whole local days; `end` is inclusive, so the period runs until the
midnight that ends it (`end_at`). What each number counts:

- received: dossiers received (the deadline clock started: `received_at`) during the period, by channel (online, at
  the counter, by post). Online dossiers submitted but not yet received by the one-stop are not counted.
- carried over: received before the period and not finished before it.
- finished early / on time / late: results returned (status "done") during the period, compared with the **legal due
  date** (`due_at`: the processing time in working days from receipt, supplement pauses added). Early: returned on a
  day before the due day; on time: returned on the due day, at or before the due moment (to the second); late:
  after the due moment. An apology with a new appointment (form 04, `apology_due_at`) tells the applicant when to
  come back, but does not move the legal due date: a late dossier stays late (Decree 61/2018, art. 19 counts it as
  overdue; the apology is the remedy, not an excuse). A dossier with no due date (no processing time) is on time.
- refused, withdrawn: ended so during the period, counted apart from the finished ones.
- in progress: received by the end of the period and not ended by then; overdue in progress: of those, the ones
  whose legal due date had passed at the end of the period (or now, for a period that has not ended). A dossier
  waiting for the applicant's supplement has no due date while its clock is stopped and is not overdue.
- on-time rate = (early + on time) / finished; satisfaction: the average of every criterion of the ratings of the
  dossiers finished during the period (1 to 5).

Hence, for any filter: received + carried over = finished + refused + withdrawn + in progress.

Scope: leaders, division heads and administrators see the dossiers of the organisations where they hold the role
and every organisation below; one-stop clerks and specialists see those of the very organisations where they hold
theirs. A dossier belongs to an organisation as the queues see it (dossier_scope.py: its receiving and handling
agencies and their divisions with a step; an agency consulted in a later step once the dossier has reached it).
Rows "by agency" group by the handling agency (cơ quan giải quyết)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncDate
from django.db.models.lookups import GreaterThan, LessThan, LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext as _

from eprovince.core.constants import Role
from eprovince.core.models import Organisation, RoleAssignment
from eprovince.core.permissions import has_role, organisation_scope

from . import dossier_scope
from .constants import RATING_CRITERIA, Channel, DossierStatus, StepKind
from .models import Dossier, DossierEvent, Procedure

# Roles that see the statistics of their organisation and everything below it; the other officers see their own.
WIDE_ROLES: tuple[str, ...] = (Role.LEADER, Role.DIVISION_HEAD, Role.ADMIN)
NARROW_ROLES: tuple[str, ...] = (Role.ONESTOP_CLERK, Role.SPECIALIST)
STATS_ROLES: tuple[str, ...] = WIDE_ROLES + NARROW_ROLES


# --- Period and filters ----------------------------------------------------------------------------------------------


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@dataclass(frozen=True)
class StatsFilters:
    start: dt.date
    end: dt.date  # inclusive
    agency: Organisation | None = None
    procedure: Procedure | None = None

    @property
    def start_at(self) -> dt.datetime:
        return _midnight(self.start)

    @property
    def end_at(self) -> dt.datetime:
        """The midnight that ends the period (exclusive)."""
        return _midnight(self.end + dt.timedelta(days=1))


def current_month(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """From the first of this month to today: the dashboard's default period."""
    today = today or timezone.localdate()
    return today.replace(day=1), today


# --- Scope -----------------------------------------------------------------------------------------------------------


def _organisations_q(user: Any) -> Q | None:
    """A Q over Organisation for the organisations whose statistics `user` sees; None: all of them."""
    wide = organisation_scope(user, *WIDE_ROLES) if has_role(user, *WIDE_ROLES) else Q(pk__in=[])
    if wide is None:
        return None
    narrow = Q(pk__in=[])
    if has_role(user, *NARROW_ROLES):
        if organisation_scope(user, *NARROW_ROLES) is None:
            return None
        held = RoleAssignment.objects.filter(user=user, role__in=NARROW_ROLES, organisation__isnull=False)
        narrow = Q(pk__in=held.values("organisation"))
    return wide | narrow


def stats_dossier_q(user: Any) -> Q | None:
    """A Q over Dossier for the dossiers counted for `user`; None: every dossier; Q(pk__in=[]): none."""
    if not has_role(user, *STATS_ROLES):
        return Q(pk__in=[])
    orgs = _organisations_q(user)
    if orgs is None:
        return None
    return dossier_scope.dossiers_q(Organisation.objects.filter(orgs).values("pk"))  # as the queues see them


def can_view_statistics(user: Any) -> bool:
    return has_role(user, *STATS_ROLES)


def stats_agencies(user: Any) -> QuerySet[Organisation]:
    """Agencies to filter by: in the user's scope, those that receive or handle a procedure's dossiers and the
    organisations above them (to see a whole branch at once)."""
    orgs = _organisations_q(user) if has_role(user, *STATS_ROLES) else Q(pk__in=[])
    agencies = Organisation.objects.filter(
        Q(pk__in=Procedure.objects.values("handling_agency")) | Q(pk__in=Procedure.objects.values("receiving_agency"))
    )
    ids = {pk for path in agencies.values_list("path", flat=True) for pk in path.strip("/").split("/") if pk}
    qs = Organisation.objects.filter(pk__in=[int(pk) for pk in ids])
    if orgs is not None:
        qs = qs.filter(orgs)
    return qs.order_by("path")


def stats_procedures(user: Any) -> QuerySet[Procedure]:
    """Procedures to filter by: those whose dossiers the user may count."""
    qs = Procedure.objects.all()
    orgs = _organisations_q(user) if has_role(user, *STATS_ROLES) else Q(pk__in=[])
    if orgs is not None:
        allowed = Organisation.objects.filter(orgs).values("pk")
        qs = qs.filter(
            Q(receiving_agency__in=allowed) | Q(handling_agency__in=allowed) | Q(steps__organisation__in=allowed)
        ).distinct()
    return qs.order_by("name")


def _scoped(user: Any, f: StatsFilters) -> QuerySet[Dossier]:
    qs = Dossier.objects.exclude(status=DossierStatus.DRAFT).filter(received_at__isnull=False)
    scope = stats_dossier_q(user)
    if scope is not None:
        qs = qs.filter(scope)
    if f.agency is not None:
        subtree = Organisation.objects.filter(path__startswith=f.agency.path).values("pk")
        qs = qs.filter(Q(handling_agency__in=subtree) | Q(receiving_agency__in=subtree))
    if f.procedure is not None:
        qs = qs.filter(procedure=f.procedure)
    return qs


# --- Rows ------------------------------------------------------------------------------------------------------------

_COUNTS = (
    "received_online", "received_counter", "received_post", "carried_over", "early", "on_time", "late", "refused",
    "withdrawn", "in_progress", "overdue_in_progress", "rating_count",
)  # fmt: skip


@dataclass
class Row:
    """The numbers of one procedure, one agency, or the total."""

    key: int | None = None
    label: str = ""
    received_online: int = 0
    received_counter: int = 0
    received_post: int = 0
    carried_over: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0
    refused: int = 0
    withdrawn: int = 0
    in_progress: int = 0
    overdue_in_progress: int = 0
    rating_count: int = 0
    rating_sum: int = 0  # of every criterion of every rating

    @property
    def received(self) -> int:
        return self.received_online + self.received_counter + self.received_post

    @property
    def total(self) -> int:
        """Received during the period plus carried over: everything handled in it."""
        return self.received + self.carried_over

    @property
    def finished(self) -> int:
        return self.early + self.on_time + self.late

    @property
    def in_time(self) -> int:
        return self.early + self.on_time

    @property
    def on_time_rate(self) -> Decimal | None:
        """(early + on time) / finished, in percent with one decimal; None if nothing finished."""
        if not self.finished:
            return None
        return (Decimal(100 * self.in_time) / self.finished).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def satisfaction(self) -> Decimal | None:
        """The average score, 1 to 5, with one decimal; None without ratings."""
        if not self.rating_count:
            return None
        return (Decimal(self.rating_sum) / (self.rating_count * len(RATING_CRITERIA))).quantize(Decimal("0.1"), ROUND_HALF_UP)

    def add(self, other: Row) -> None:
        for name in (*_COUNTS, "rating_sum"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Statistics:
    filters: StatsFilters
    by_procedure: list[Row]
    by_agency: list[Row]
    total: Row


def finish_class(finished_at: dt.datetime, due_at: dt.datetime | None) -> str:
    """The class of a result returned at `finished_at`: "early", "on_time" or "late" (the counts' rule, for one)."""
    if due_at is None:
        return "on_time"
    if finished_at > due_at:
        return "late"
    if timezone.localdate(finished_at) < timezone.localdate(due_at):
        return "early"
    return "on_time"


def _aggregates(f: StatsFilters, now: dt.datetime) -> dict[str, Any]:
    start, end = f.start_at, f.end_at
    at = min(end, now)
    finished = Q(finished_at__lt=end)  # the base queryset keeps only those not finished before the start
    done = finished & Q(status=DossierStatus.DONE)
    finished_day, due_day = TruncDate("finished_at"), TruncDate("due_at")  # local days (the current time zone)
    early = done & Q(due_at__isnull=False) & Q(LessThan(finished_day, due_day))
    late = done & Q(due_at__isnull=False) & Q(GreaterThan(F("finished_at"), F("due_at")))
    on_time = done & (
        Q(due_at__isnull=True) | (~Q(LessThan(finished_day, due_day)) & Q(LessThanOrEqual(F("finished_at"), F("due_at"))))
    )
    running = Q(finished_at__isnull=True) | Q(finished_at__gte=end)
    received = Q(received_at__gte=start)
    rated = finished & Q(rating__isnull=False)
    score = sum((F(f"rating__{key}") for key, _label in RATING_CRITERIA), start=Value(0))

    def count(q: Q) -> Count:
        return Count("pk", filter=q)

    return {
        "received_online": count(received & Q(channel=Channel.ONLINE)),
        "received_counter": count(received & Q(channel=Channel.COUNTER)),
        "received_post": count(received & Q(channel=Channel.POST)),
        "carried_over": count(Q(received_at__lt=start)),
        "early": count(early),
        "on_time": count(on_time),
        "late": count(late),
        "refused": count(finished & Q(status=DossierStatus.REFUSED)),
        "withdrawn": count(finished & Q(status=DossierStatus.WITHDRAWN)),
        "in_progress": count(running),
        "overdue_in_progress": count(running & Q(due_at__lt=at)),
        "rating_count": count(rated),
        "rating_sum": Coalesce(Sum(score, filter=rated), 0),
    }


def _period_dossiers(user: Any, f: StatsFilters) -> QuerySet[Dossier]:
    """The dossiers that count at all: received before the end, not ended before the start."""
    return _scoped(user, f).filter(received_at__lt=f.end_at).filter(Q(finished_at__isnull=True) | Q(finished_at__gte=f.start_at))


def _rows(qs: QuerySet[Dossier], key: str, label: str, aggregates: dict[str, Any]) -> list[Row]:
    result = qs.values(key, label).annotate(**aggregates).order_by(label, key)
    names = {f.name for f in fields(Row)}
    return [
        Row(key=r[key], label=r[label], **{k: int(v) for k, v in r.items() if k in names and k not in ("key", "label")})
        for r in result
    ]


def dossier_statistics(user: Any, filters: StatsFilters, *, now: dt.datetime | None = None) -> Statistics:
    """The numbers of the period for `user`'s scope and the filters: rows by procedure and by agency, and the total
    (two queries)."""
    now = now or timezone.now()
    qs = _period_dossiers(user, filters)
    aggregates = _aggregates(filters, now)
    by_procedure = _rows(qs, "procedure_id", "procedure__name", aggregates)
    by_agency = _rows(qs, "handling_agency_id", "handling_agency__name", aggregates)
    total = Row(label=str(_("Tổng cộng")))
    for row in by_procedure:
        total.add(row)
    return Statistics(filters=filters, by_procedure=by_procedure, by_agency=by_agency, total=total)


# --- The tracking register (sổ theo dõi hồ sơ, form 06 of Circular 01/2018/TT-VPCP) -----------------------------------


def tracking_register(user: Any, filters: StatsFilters) -> QuerySet[Dossier]:
    """The dossiers received during the period, oldest first, each with `handed_over_at`: when the one-stop passed
    it on from reception to the handling step (the register's "ngày chuyển"). One query, iterable in chunks."""
    handed_over = (
        DossierEvent.objects.filter(dossier=OuterRef("pk"), from_step__kind=StepKind.RECEPTION, to_step__isnull=False)
        .exclude(to_step__kind=StepKind.RECEPTION)
        .order_by("created_at", "pk")
        .values("created_at")[:1]
    )
    return (
        _scoped(user, filters)
        .filter(received_at__gte=filters.start_at, received_at__lt=filters.end_at)
        .select_related("procedure")
        .annotate(handed_over_at=Subquery(handed_over))
        .order_by("received_at", "pk")
    )
