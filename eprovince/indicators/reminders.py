"""Reminding the units that are late with a round's report. The reporting officers of each late unit (people holding
the reporting role for that very organisation, with an email address) get an email through the task queue; each
reminder is recorded (who reminded whom, when) and audited, and a unit is not reminded again within
INDICATORS_REMINDER_INTERVAL_HOURS. The round page's button and `manage.py remind_late_units` both come here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from eprovince.core.constants import AuditAction, Role
from eprovince.core.models import User
from eprovince.core.services.audit import audit_record
from eprovince.core.tasks import email_on_commit

from .constants import RoundStatus
from .models import ReminderLog, ReportingRound, Submission
from .permissions import can_review
from .services.common import require

DEFAULT_INTERVAL_HOURS = 24


def reminder_interval() -> dt.timedelta:
    return dt.timedelta(hours=float(getattr(settings, "INDICATORS_REMINDER_INTERVAL_HOURS", DEFAULT_INTERVAL_HOURS)))


@dataclass
class ReminderOutcome:
    sent: list[tuple[Submission, list[User]]] = field(default_factory=list)
    recently_reminded: list[tuple[Submission, dt.datetime]] = field(default_factory=list)
    no_contact: list[Submission] = field(default_factory=list)

    @property
    def emails(self) -> int:
        return sum(len(users) for _s, users in self.sent)


def late_submissions(round_: ReportingRound, *, today: dt.date | None = None) -> list[Submission]:
    """The units that have not sent their report and whose deadline has passed."""
    today = today or timezone.localdate()
    if today <= round_.deadline:
        return []
    return list(
        round_.submissions.filter(first_submitted_at__isnull=True).select_related("organisation").order_by("organisation__path")
    )


def reporting_contacts(submissions: list[Submission]) -> dict[int, list[User]]:
    """For each organisation, the active users holding the reporting role for it and having an email address."""
    contacts: dict[int, list[User]] = {s.organisation_id: [] for s in submissions}
    users = (
        User.objects.filter(
            is_active=True,
            role_assignments__role=Role.REPORTING_OFFICER,
            role_assignments__organisation__in=list(contacts),
        )
        .exclude(email="")
        .values_list("role_assignments__organisation", "pk")
    )
    by_pk = {u.pk: u for u in User.objects.filter(pk__in={pk for _o, pk in users})}
    for org_pk, user_pk in users:
        if by_pk[user_pk] not in contacts[org_pk]:
            contacts[org_pk].append(by_pk[user_pk])
    return contacts


def last_reminders(round_: ReportingRound) -> dict[int, ReminderLog]:
    """The latest reminder of each submission of the round."""
    latest: dict[int, ReminderLog] = {}
    for log in round_.reminders.select_related("sent_by").order_by("sent_at", "pk"):
        latest[log.submission_id] = log
    return latest


@transaction.atomic
def remind_late_units(
    *,
    acting_user: User | None,
    round_: ReportingRound,
    site_url: str = "",
    now: dt.datetime | None = None,
) -> ReminderOutcome:
    """Email the reporting officers of every late unit of `round_` not reminded within the interval."""
    require(can_review(acting_user, round_.form), acting_user, _("Chỉ người duyệt của biểu mẫu mới gửi được nhắc nhở."))
    # One reminder run per round at a time: the second waits here and then sees the first one's records.
    round_ = ReportingRound.objects.select_for_update(of=("self",)).select_related("form__owner").get(pk=round_.pk)
    if round_.status != RoundStatus.OPEN:
        raise ValidationError(_("Đợt báo cáo đã đóng nên không gửi nhắc nhở."))
    now = now or timezone.now()
    late = late_submissions(round_, today=timezone.localdate(now))
    outcome = ReminderOutcome()
    if not late:
        return outcome
    previous = last_reminders(round_)
    contacts = reporting_contacts(late)
    since = now - reminder_interval()
    for submission in late:
        submission.round = round_
        last = previous.get(submission.pk)
        if last is not None and last.sent_at > since:
            outcome.recently_reminded.append((submission, last.sent_at))
            continue
        users = contacts.get(submission.organisation_id, [])
        if not users:
            outcome.no_contact.append(submission)
            continue
        recipients = [{"user": u.pk, "name": str(u), "email": u.email} for u in users]
        log = ReminderLog(round=round_, submission=submission, sent_at=now, sent_by=acting_user, recipients=recipients)
        log.full_clean()
        log.save()
        audit_record(
            actor=acting_user,
            action=AuditAction.CREATE,
            obj=log,
            after={"round": round_.pk, "organisation": submission.organisation.name, "recipients": recipients},
        )
        link = site_url.rstrip("/") + reverse("indicators:submission", args=[submission.pk])
        for user in users:
            email_on_commit(
                to=user.email,
                subject=_("Nhắc nộp báo cáo: %(form)s – %(period)s")
                % {"form": round_.form.name, "period": round_.period_obj.label},
                template="indicators/rounds/reminder_email.txt",
                context={
                    "name": str(user),
                    "round": round_,
                    "submission": submission,
                    "link": link,
                    "days_late": (timezone.localdate(now) - round_.deadline).days,
                    "platform": settings.PLATFORM_NAME,
                },
            )
        outcome.sent.append((submission, users))
    return outcome


def due_rounds(*, today: dt.date | None = None) -> list[ReportingRound]:
    """Open rounds whose deadline has passed and that still wait for a report: what the scheduler reminds."""
    today = today or timezone.localdate()
    return list(
        ReportingRound.objects.filter(status=RoundStatus.OPEN, deadline__lt=today, submissions__first_submitted_at__isnull=True)
        .select_related("form__owner")
        .distinct()
        .order_by("deadline", "pk")
    )


def reminders_context(round_: ReportingRound, progress: object) -> dict[str, object]:
    """What the round page shows about reminders: how many late units have still sent nothing, and the log."""
    late = getattr(progress, "late", [])
    hours = reminder_interval().total_seconds() / 3600
    return {
        "unreceived_late": sum(1 for s in late if s.first_submitted_at is None),
        "reminders": list(
            round_.reminders.select_related("submission__organisation", "sent_by").order_by("-sent_at", "-pk")[:50]
        ),
        "interval": int(hours) if hours == int(hours) else hours,
    }
