"""Background work of the one-stop shop, through Django's task framework (see eprovince/core/tasks.py for the queue,
the emails and their retries).

- deliver_outbox: one delivery run of the national-portal outbox (outbox.py), re-scheduled for the next retry or
  the expiry of a claim. Recoverable: a run whose worker died is run again by `manage.py recover_jobs` (the events
  it had claimed wait for their lease to expire, then go again with the same event id).
- warn_deadlines: the daily digest of dossiers due soon or overdue for the officers responsible (deadline_warnings).
"""

from __future__ import annotations

from django.tasks import task

from eprovince.core.tasks import email_on_commit, enqueue_once, recoverable, send_email

__all__ = ["deliver_outbox", "email_on_commit", "enqueue_once", "send_email", "warn_deadlines"]


@task
def deliver_outbox() -> dict[str, int]:
    """Deliver the national-portal events that are due; schedule the next run for the next retry."""
    from . import outbox

    report = outbox.deliver_due()
    if report.next_attempt_at is not None:
        enqueue_once(deliver_outbox, at=report.next_attempt_at)
    return {"delivered": len(report.delivered), "failed": len(report.failed), "held_back": len(report.held_back)}


recoverable(deliver_outbox)


@task
def warn_deadlines() -> dict[str, int]:
    """The daily deadline warnings (also `manage.py warn_deadlines`)."""
    from . import deadline_warnings

    result = deadline_warnings.send_deadline_warnings()
    return {"officers": result.officers, "dossiers": result.dossiers}
