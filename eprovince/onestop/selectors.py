"""Every read the one-stop pages and API need: the public catalogue, officers' queues, a dossier, tracking."""

from __future__ import annotations

import datetime as dt
import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from eprovince.core.models import Organisation
from eprovince.core.search import Query, parse_query
from eprovince.core.text import fold

from . import catalogue_search, deadlines
from .constants import ACTIVE_STATUSES, APPLICANT_FILE_KINDS, APPLICANT_REASON_ACTIONS, ActionCode, DossierStatus, FileKind
from .models import Dossier, DossierEvent, DossierFile, Field, Procedure, ProcessAction, ProcessStep, SatisfactionRating
from .permissions import in_tray_q, officer_dossier_q, officer_files_q
from .validators import normalise_dossier_code, normalise_phone

# --- Public catalogue ------------------------------------------------------------------------------------------------


def _words(q: str) -> list[str]:
    return [w for w in fold(q).split() if w][:8]


def public_procedures(*, q: str | Query = "", field: str = "", agency: int | None = None) -> QuerySet[Procedure]:
    """The active procedures of the public catalogue in its order (field, name); with a search query, those matching
    it over name, field, agencies, national code and result, best first (catalogue_search: one narrow query, then
    the matches in their rank's order). A query that is only a common word ("của") is ignored."""
    qs = Procedure.objects.filter(is_active=True).select_related("field", "receiving_agency", "handling_agency")
    if field:
        qs = qs.filter(field__code=field)
    if agency:
        qs = qs.filter(Q(receiving_agency_id=agency) | Q(handling_agency_id=agency))
    query = q if isinstance(q, Query) else parse_query(q)
    if query.searchable:
        ids = [row[0] for row in catalogue_search.ranked(qs, query)]
        if not ids:
            return qs.none()
        # One simple CASE of integers written into the SQL (ids from the database, int() again): compiling hundreds of
        # When() expressions cost more than the search itself.
        table = connection.ops.quote_name(Procedure._meta.db_table)
        whens = " ".join(f"WHEN {int(pk)} THEN {i}" for i, pk in enumerate(ids))
        position = RawSQL(f"CASE {table}.{connection.ops.quote_name('id')} {whens} END", ())  # noqa: S611 - integers only
        return qs.filter(pk__in=ids).order_by(position.asc())
    return qs.order_by("field__order", "field__name", "name")


def catalogue_fields() -> list[Field]:
    """Fields in use, each with `procedure_count` (active procedures)."""
    return list(
        Field.objects.filter(is_active=True)
        .annotate(procedure_count=Count("procedures", filter=Q(procedures__is_active=True)))
        .filter(procedure_count__gt=0)
        .order_by("order", "name")
    )


def catalogue_agencies() -> list[Organisation]:
    ids = Procedure.objects.filter(is_active=True).values("handling_agency")
    rids = Procedure.objects.filter(is_active=True).values("receiving_agency")
    return list(Organisation.objects.filter(Q(pk__in=ids) | Q(pk__in=rids)).order_by("name"))


def public_procedure(national_code: str) -> Procedure | None:
    """The active procedure with this national code; if several are active (an old version not yet retired), the
    newest, always the same one (the catalogue's name ordering would leave ties to the database)."""
    return (
        Procedure.objects.filter(is_active=True, national_code=national_code)
        .select_related("field", "receiving_agency", "handling_agency")
        .prefetch_related("documents", Prefetch("steps", queryset=ProcessStep.objects.select_related("organisation")))
        .order_by("-pk")
        .first()
    )


def expected_returns(procedures: list[Procedure], now: dt.datetime | None = None) -> dict[int, dt.datetime]:
    """The return date of each procedure for a dossier received `now` (computed once per processing time)."""
    now = now or timezone.now()
    by_days: dict[int, dt.datetime] = {}
    result: dict[int, dt.datetime] = {}
    cal = deadlines.calendar() if procedures else None
    for p in procedures:
        if p.processing_days not in by_days:
            by_days[p.processing_days] = deadlines.expected_return(now, p.processing_days, cal=cal)
        result[p.pk] = by_days[p.processing_days]
    return result


# --- Administration of the catalogue ---------------------------------------------------------------------------------


def procedures_for_admin(*, q: str = "", field: str = "", active: str = "") -> QuerySet[Procedure]:
    qs = Procedure.objects.select_related("field", "receiving_agency", "handling_agency")
    for word in _words(q):
        qs = qs.filter(search_name__contains=word)
    if field:
        qs = qs.filter(field__code=field)
    if active in ("1", "0"):
        qs = qs.filter(is_active=active == "1")
    return qs.order_by("field__order", "name")


def procedure_for_admin(pk: int) -> Procedure:
    procedure = (
        Procedure.objects.select_related("field", "receiving_agency", "handling_agency")
        .prefetch_related(
            "documents",
            "form_fields",
            Prefetch("steps", queryset=ProcessStep.objects.select_related("organisation").order_by("order")),
            Prefetch("actions", queryset=ProcessAction.objects.select_related("from_step", "to_step")),
        )
        .filter(pk=pk)
        .first()
    )
    if procedure is None:
        raise Http404
    return procedure


# --- Officers' queues ------------------------------------------------------------------------------------------------

QUEUES: dict[str, Any] = {
    "new": _("Chờ tôi xử lý"),
    "due_soon": _("Sắp đến hạn"),
    "overdue": _("Quá hạn"),
    "waiting": _("Chờ bổ sung"),
    "all": _("Tất cả"),
}


@dataclass(frozen=True)
class DossierFilters:
    q: str = ""
    procedure: int | None = None
    status: str = ""
    channel: str = ""
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    code: str = ""


def _search(qs: QuerySet[Dossier], q: str) -> QuerySet[Dossier]:
    """Every word of `q`, diacritics ignored, in the folded code, name, identity number and phone (search_text, which
    begins with the code). A word of letters must begin a word after the code ("nguyen van an" finds "Nguyễn Văn An"
    and "Nguyễn Văn Anh", not "Nguyễn Văn Toàn"); a word with digits may stand anywhere (the end of a code). On
    PostgreSQL both forms use the trigram index of search_text (migration 0006)."""
    for word in _words(q):
        qs = qs.filter(search_text__contains=word if any(ch.isdigit() for ch in word) else f" {word}")
    return qs


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def dossier_queue(
    user: Any,
    queue: str = "all",
    filters: DossierFilters | None = None,
    *,
    now: dt.datetime | None = None,
    related: bool = True,
) -> QuerySet[Dossier]:
    """The dossiers of one queue as `user` sees them, filtered; ready for a list page (no query per row). With
    `related=False` the procedure, step and organisation are not joined: a page then pages the ids alone
    (`.values_list("pk", flat=True)`) and reads its 25 rows with queue_page_rows() (joining the relations to every
    candidate of a tray of thousands before the sort costs more than the rest of the page)."""
    f = filters or DossierFilters()
    now = now or timezone.now()
    qs = officer_dossiers(user)
    running = Q(status__in=ACTIVE_STATUSES) & ~Q(status=DossierStatus.WAITING_SUPPLEMENT)
    if queue == "new":
        qs = qs.filter(running & in_tray_q(user)).order_by(F("due_at").asc(nulls_first=True), "pk")
    elif queue == "due_soon":
        qs = qs.filter(running, due_at__gte=now, due_at__lte=deadlines.due_soon_limit(now)).order_by("due_at", "pk")
    elif queue == "overdue":
        qs = qs.filter(running, due_at__lt=now).order_by("due_at", "pk")
    elif queue == "waiting":
        qs = qs.filter(status=DossierStatus.WAITING_SUPPLEMENT).order_by("updated_at", "pk")
    else:
        qs = qs.order_by(F("received_at").desc(nulls_first=True), "-pk")
    qs = _search(qs, f.q)
    if f.code:
        qs = qs.filter(code=normalise_dossier_code(f.code))
    if f.procedure:
        qs = qs.filter(procedure_id=f.procedure)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.received_from:
        qs = qs.filter(received_at__gte=_day_start(f.received_from))
    if f.received_to:
        qs = qs.filter(received_at__lt=_day_start(f.received_to + dt.timedelta(days=1)))
    return qs.select_related(*_QUEUE_RELATED) if related else qs


_QUEUE_RELATED = ("procedure", "current_step", "current_organisation")


def queue_page_rows(rows: Iterable[Any], *, now: dt.datetime | None = None, loaded: bool = False) -> list[Dossier]:
    """One page of a queue for the template: the dossiers of the ids `rows` (a page read with `related=False`, in
    its order) with their procedure, step and organisation (one query), or, with `loaded`, the dossiers `rows`
    already read with them; each with its `deadline_state` ("overdue", "today" or "": the colour of its appointment
    date) computed here once rather than twice per row in the template."""
    if loaded:
        items: list[Dossier] = list(rows)
    else:
        order = list(rows)
        found = Dossier.objects.filter(pk__in=order).select_related(*_QUEUE_RELATED).in_bulk()
        items = [found[pk] for pk in order if pk in found]
    now = now or timezone.now()
    today = timezone.localdate(now)
    for d in items:
        due = d.appointment_at
        state = "" if due is None else "overdue" if due < now else "today" if timezone.localdate(due) == today else ""
        d.deadline_state = state  # type: ignore[attr-defined]
    return items


def officer_dossiers(user: Any) -> QuerySet[Dossier]:
    """The dossiers `user` sees as an officer (permissions.officer_dossier_q; drafts never). An applicant's own
    dossiers are not among them: the applicant reads those through applicant_dossier()/applicant_view()."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Dossier.objects.none()
    qs = Dossier.objects.exclude(status=DossierStatus.DRAFT)
    q = officer_dossier_q(user)
    return qs if q is None else qs.filter(q)


def queue_procedures(user: Any) -> QuerySet[Procedure]:
    """Procedures for the queue's filter: those with dossiers the user sees (all active ones for a wide scope)."""
    return Procedure.objects.filter(pk__in=officer_dossiers(user).values("procedure")).order_by("name")


def dossier_for_user(user: Any, pk: int) -> Dossier:
    """The dossier if `user` may see it as an officer; 404 otherwise (a foreign or forged id looks like a missing one,
    and so does a dossier a consulted agency has not been reached by yet)."""
    dossier = officer_dossier_or_none(user, pk)
    if dossier is None:
        raise Http404
    return dossier


def officer_dossier_or_none(user: Any, pk: int) -> Dossier | None:
    return (
        officer_dossiers(user)
        .select_related(
            "procedure", "procedure__field", "current_step", "current_organisation", "receiving_agency", "handling_agency",
            "applicant", "apology_by",
        )
        .filter(pk=pk)
        .first()
    )  # fmt: skip


def dossier_events(dossier: Dossier, *, files: QuerySet[DossierFile] | None = None) -> list[DossierEvent]:
    """The whole history, each event with its files (`files`: only those of this queryset)."""
    files = DossierFile.objects.all() if files is None else files
    return list(
        DossierEvent.objects.filter(dossier=dossier)
        .select_related("organisation")
        .prefetch_related(Prefetch("files", queryset=files.order_by("pk")))
        .order_by("created_at", "pk")
    )


def dossier_files(dossier: Dossier) -> list[DossierFile]:
    """Every file of the dossier (the applicant's draft pages; officers: officer_view())."""
    return list(DossierFile.objects.filter(dossier=dossier).select_related("document").order_by("pk"))


@dataclass(frozen=True)
class OfficerView:
    """What an officer reads of a dossier: its history and its files, limited to the files meant for the officer
    (an agency consulted in a later step: dossier_scope.py)."""

    events: list[DossierEvent]
    files: list[DossierFile]


def officer_view(user: Any, dossier: Dossier) -> OfficerView:
    """The history and files of `dossier` (already read through dossier_for_user) as `user` may read them."""
    meant = officer_files_q(user, dossier)
    files = DossierFile.objects.all() if meant is None else DossierFile.objects.filter(meant)
    return OfficerView(
        events=dossier_events(dossier, files=files),
        files=list(files.filter(dossier=dossier).select_related("document").order_by("pk")),
    )


def file_for_user(user: Any, pk: int) -> DossierFile:
    """A file of a dossier the officer sees, if it is meant for the officer; 404 otherwise."""
    item = DossierFile.objects.filter(pk=pk, dossier__in=officer_dossiers(user).values("pk")).select_related("dossier").first()
    if item is None:
        raise Http404
    meant = officer_files_q(user, item.dossier)
    if meant is not None and not DossierFile.objects.filter(meant, pk=item.pk).exists():
        raise Http404
    return item


# --- Tracking without an account -------------------------------------------------------------------------------------


def _contact_key(contact: str) -> str:
    contact = (contact or "").strip()
    return contact.lower() if "@" in contact else normalise_phone(contact)


def track_dossier(code: str, contact: str) -> Dossier | None:
    """The dossier with `code` if `contact` is its applicant's phone number or email; None otherwise.

    An unknown code and a wrong contact give the same answer, after the same work (one query, one comparison)."""
    code = normalise_dossier_code(code)
    given = _contact_key(contact)
    dossier = (
        Dossier.objects.exclude(status=DossierStatus.DRAFT)
        .filter(code=code)
        .select_related("procedure", "current_step", "receiving_agency", "handling_agency")
        .first()
        if code
        else None
    )
    stored = {"", "\0"}
    if dossier is not None:
        stored = {_contact_key(dossier.applicant_phone) or "\0", (dossier.applicant_email or "").strip().lower() or "\0"}
    match = False
    for candidate in sorted(stored):
        match |= hmac.compare_digest(candidate.encode(), given.encode()) and bool(given)
    return dossier if match and dossier is not None else None


def public_events(dossier: Dossier) -> list[DossierEvent]:
    """The history shown to the applicant (and on the public tracking page): dates, what happened, the reasons meant
    for the applicant (supplement requests, refusals…); not the officers' names nor their internal notes."""
    events = list(DossierEvent.objects.filter(dossier=dossier).select_related("organisation").order_by("created_at", "pk"))
    for event in events:
        if event.action not in APPLICANT_REASON_ACTIONS:
            event.reason = ""
    return events


# --- The applicant's own dossiers ------------------------------------------------------------------------------------


def applicant_dossiers(user: Any) -> tuple[list[Dossier], list[Dossier]]:
    """The user's drafts (last saved first) and submitted dossiers (newest first), for "Hồ sơ của tôi"."""
    rows = list(
        Dossier.objects.filter(applicant=user)
        .select_related("procedure")
        .order_by(F("submitted_at").desc(nulls_first=True), "-updated_at")
    )
    drafts = [d for d in rows if d.status == DossierStatus.DRAFT]
    return drafts, [d for d in rows if d.status != DossierStatus.DRAFT]


def applicant_draft(user: Any, pk: int) -> Dossier:
    """The user's own draft; 404 for anyone else's, a submitted one or a forged id."""
    dossier = (
        Dossier.objects.filter(pk=pk, applicant=user, status=DossierStatus.DRAFT)
        .select_related("procedure", "procedure__field", "receiving_agency")
        .first()
        if getattr(user, "is_authenticated", False)
        else None
    )
    if dossier is None:
        raise Http404
    return dossier


def applicant_dossier(user: Any, code: str) -> Dossier:
    """The user's own submitted dossier by its code; 404 for anyone else's or an unknown code."""
    dossier = (
        Dossier.objects.exclude(status=DossierStatus.DRAFT)
        .filter(code=normalise_dossier_code(code), applicant=user)
        .select_related("procedure", "procedure__field", "receiving_agency", "handling_agency", "current_step")
        .first()
        if getattr(user, "is_authenticated", False) and code
        else None
    )
    if dossier is None:
        raise Http404
    return dossier


def applicant_file(user: Any, pk: int) -> DossierFile:
    """A file of the user's own dossier that an applicant may read (not the officers' internal opinions)."""
    item = (
        DossierFile.objects.filter(pk=pk, dossier__applicant=user, kind__in=APPLICANT_FILE_KINDS).first()
        if getattr(user, "is_authenticated", False)
        else None
    )
    if item is None:
        raise Http404
    return item


def applicant_dossier_by_id(user: Any, pk: int) -> Dossier:
    """applicant_dossier() by the dossier's id (the API): the user's own submitted dossier; 404 otherwise."""
    dossier = (
        Dossier.objects.exclude(status=DossierStatus.DRAFT)
        .filter(pk=pk, applicant=user)
        .select_related("procedure", "procedure__field", "receiving_agency", "handling_agency", "current_step")
        .first()
        if getattr(user, "is_authenticated", False)
        else None
    )
    if dossier is None:
        raise Http404
    return dossier


@dataclass(frozen=True)
class ApplicantView:
    """What the applicant reads of their own dossier: the page "Hồ sơ của tôi" and the applicant's API show this and
    nothing else (one audience, one view). The history as public_events() gives it (the reasons meant for the
    applicant, no officers' names), the applicant's own files, the result once ready, the supplement asked for, the
    expected return date, the rating. `audience` tells the API's schemas apart."""

    dossier: Dossier
    events: list[DossierEvent]
    own_files: list[DossierFile]
    results: list[DossierFile]
    supplement_request: DossierEvent | None
    expected: dt.datetime | None
    rating: SatisfactionRating | None
    audience: str = "applicant"


def applicant_view(dossier: Dossier) -> ApplicantView:
    """The applicant's view of their own `dossier` (read through applicant_dossier or applicant_dossier_by_id)."""
    files = [f for f in dossier_files(dossier) if f.kind in APPLICANT_FILE_KINDS]
    ready = dossier.status in (DossierStatus.RESULT_READY, DossierStatus.DONE)
    events = public_events(dossier)
    for event in events:
        event.dossier = dossier  # the links to the events' forms name the dossier's code (no query per event)
    return ApplicantView(
        dossier=dossier, events=events,
        own_files=[f for f in files if f.kind in (FileKind.APPLICATION, FileKind.SUPPLEMENT)],
        results=[f for f in files if f.kind == FileKind.RESULT] if ready else [],
        supplement_request=supplement_request(dossier), expected=expected_return(dossier), rating=dossier_rating(dossier),
    )  # fmt: skip


def supplement_request(dossier: Dossier) -> DossierEvent | None:
    """The request to supplement the dossier is waiting on, if it is waiting for one."""
    if dossier.status != DossierStatus.WAITING_SUPPLEMENT:
        return None
    return (
        DossierEvent.objects.filter(dossier=dossier, action=ActionCode.REQUEST_SUPPLEMENT).order_by("-created_at", "-pk").first()
    )


def expected_return(dossier: Dossier) -> dt.datetime | None:
    """The return date the applicant can expect: the appointment once received, else the date a dossier received
    when it was submitted would get (the clock really starts when the clerk receives it)."""
    if dossier.appointment_at is not None:
        return dossier.appointment_at
    if dossier.submitted_at is not None and not dossier.is_final:
        return deadlines.expected_return(dossier.submitted_at, dossier.procedure.processing_days)
    return None


def tracking_url(site_url: str, code: str) -> str:
    """The public tracking page with the code filled in (printed as a QR code on the receipt)."""
    return f"{site_url.rstrip('/')}{reverse('onestop:tracking')}?{urlencode({'ma': code})}"


def dossier_rating(dossier: Dossier) -> SatisfactionRating | None:
    return SatisfactionRating.objects.filter(dossier=dossier).first()
