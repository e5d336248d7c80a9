"""Warnings before the deadline (Decree 61/2018: a late dossier is reported at least one day before its due date).

`send_deadline_warnings()` runs once a day (`manage.py warn_deadlines`, from the scheduler: see deploy/). It takes the
dossiers in process that are overdue or due within settings.ONESTOP_DUE_SOON_WORKING_DAYS working days (counted on
the official working-day calendar, so weekends and days off do not count), and emails each officer currently
responsible for them (holding the dossier's current role for its current organisation or one above it) one digest
listing them all. Each (dossier, officer, day) is recorded in DeadlineWarning, so a second run the same day sends
nothing again for that dossier; the next day it is repeated while the dossier stays late.

The deadline is the return date given to the applicant: the new date after an apology, else the legal due date.
A dossier waiting for a supplement is paused (no deadline running) and is not warned about."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from eprovince.core.models import RoleAssignment, User

from . import deadlines
from .constants import ACTIVE_STATUSES, DEFAULT_DUE_SOON_WORKING_DAYS, DossierStatus
from .models import DeadlineWarning, DeadlineWarningKind, Dossier
from .tasks import email_on_commit


@dataclass(frozen=True)
class WarningRun:
    officers: int
    dossiers: int


def due_soon_days() -> int:
    return int(getattr(settings, "ONESTOP_DUE_SOON_WORKING_DAYS", DEFAULT_DUE_SOON_WORKING_DAYS))


def dossiers_to_warn(now: dt.datetime) -> list[Dossier]:
    """Dossiers in process, not paused, standing somewhere, whose deadline is past or within the due-soon window."""
    limit = deadlines.due_soon_limit(now)
    return list(
        Dossier.objects.filter(status__in=ACTIVE_STATUSES)
        .exclude(status=DossierStatus.WAITING_SUPPLEMENT)
        .exclude(current_organisation=None)
        .exclude(current_role="")
        .annotate(deadline=Coalesce("apology_due_at", "due_at"))
        .filter(deadline__isnull=False, deadline__lte=limit)
        .select_related("procedure", "current_step", "current_organisation")
        .order_by("deadline", "pk")
    )


def responsible_officers(dossiers: list[Dossier]) -> dict[int, list[User]]:
    """For each dossier, the active officers with an email who hold its current role where it stands (one query)."""
    roles = {d.current_role for d in dossiers}
    ancestors = {pk for d in dossiers if d.current_organisation for pk in d.current_organisation.ancestor_ids()}
    assignments = list(
        RoleAssignment.objects.filter(role__in=roles, user__is_active=True)
        .exclude(user__email="")
        .filter(Q(organisation__isnull=True) | Q(organisation_id__in=ancestors))
        .select_related("user", "organisation")
        .order_by("user_id")
    )
    result: dict[int, list[User]] = {}
    for dossier in dossiers:
        org = dossier.current_organisation
        assert org is not None
        users: dict[int, User] = {}
        for a in assignments:
            if a.role == dossier.current_role and (a.organisation is None or org.path.startswith(a.organisation.path)):
                users[a.user_id] = a.user
        result[dossier.pk] = list(users.values())
    return result


def _link(dossier: Dossier) -> str:
    base = str(getattr(settings, "ONESTOP_SITE_URL", "") or "http://127.0.0.1:8000").rstrip("/")
    return base + reverse("onestop:dossier_detail", args=[dossier.pk])


def send_deadline_warnings(*, now: dt.datetime | None = None) -> WarningRun:
    """One digest per officer for today's overdue and due-soon dossiers not yet warned about today."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    dossiers = dossiers_to_warn(now)
    if not dossiers:
        return WarningRun(0, 0)
    by_officer: dict[int, list[Dossier]] = defaultdict(list)
    officers: dict[int, User] = {}
    for dossier_pk, users in responsible_officers(dossiers).items():
        dossier = next(d for d in dossiers if d.pk == dossier_pk)
        for user in users:
            by_officer[user.pk].append(dossier)
            officers[user.pk] = user
    already = set(
        DeadlineWarning.objects.filter(day=today, dossier__in=[d.pk for d in dossiers]).values_list("dossier_id", "officer_id")
    )
    warned_officers, warned_dossiers = 0, set[int]()
    for officer_pk, items in by_officer.items():
        fresh = [d for d in items if (d.pk, officer_pk) not in already]
        if fresh and _warn(officers[officer_pk], fresh, now=now, today=today):
            warned_officers += 1
            warned_dossiers.update(d.pk for d in fresh)
    return WarningRun(warned_officers, len(warned_dossiers))


def _warn(officer: User, dossiers: list[Dossier], *, now: dt.datetime, today: dt.date) -> bool:
    overdue = [d for d in dossiers if d.deadline < now]  # type: ignore[attr-defined]
    due_soon = [d for d in dossiers if d.deadline >= now]  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            DeadlineWarning.objects.bulk_create(
                DeadlineWarning(
                    dossier=d,
                    officer=officer,
                    day=today,
                    due_at=d.deadline,  # type: ignore[attr-defined]
                    kind=DeadlineWarningKind.OVERDUE if d in overdue else DeadlineWarningKind.DUE_SOON,
                    sent_at=now,
                )
                for d in dossiers
            )
            subject = ngettext(
                "%(n)s hồ sơ quá hạn hoặc sắp đến hạn giải quyết cần xử lý",
                "%(n)s hồ sơ quá hạn hoặc sắp đến hạn giải quyết cần xử lý",
                len(dossiers),
            ) % {"n": len(dossiers)}
            email_on_commit(
                to=officer.email, subject=f"[{settings.PLATFORM_NAME}] {subject}", template="onestop/email/deadline_warning.txt",
                context={
                    "name": str(officer), "overdue": [(d, _link(d)) for d in overdue],
                    "due_soon": [(d, _link(d)) for d in due_soon], "days": due_soon_days(), "today": today,
                    "platform": settings.PLATFORM_NAME,
                },
            )  # fmt: skip
    except IntegrityError:  # another run warned this officer at the same moment
        return False
    return True
