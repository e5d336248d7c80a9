"""Background work any app may use, through Django's task framework. The TASKS setting picks the backend: the database
queue by default (rows in the database, run by `manage.py db_worker`, so a job survives a restart), at once in the
tests and with TASKS_BACKEND=immediate. Services enqueue after their transaction commits, so a rolled-back change
sends nothing.

- send_email: one email; a failure leaves the job failed with its traceback and, on a queue that can defer, enqueues
  the next attempt 1, 2, 4… minutes later (settings.EMAIL_MAX_ATTEMPTS in all).
- email_on_commit: render now, in the caller's language; send once the transaction commits.
- enqueue_once: enqueue a job unless a run of it already waits (several changes share one delivery run).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.tasks import Task, TaskResult, task
from django.tasks.base import TaskResultStatus
from django.template.loader import render_to_string
from django.utils import timezone, translation

logger = logging.getLogger(__name__)


def _retry_later(failed: Task, *, attempt: int, max_attempts: int, **kwargs: Any) -> TaskResult | None:
    """Enqueue attempt `attempt + 1` after 1, 2, 4… minutes, if the backend can defer and attempts remain."""
    backend = failed.get_backend()
    if attempt >= max_attempts or not backend.supports_defer:
        return None
    delay = dt.timedelta(minutes=2 ** (attempt - 1))
    return failed.using(run_after=timezone.now() + delay).enqueue(**kwargs, attempt=attempt + 1)


@task
def send_email(*, to: list[str], subject: str, body: str, attempt: int = 1) -> int:
    """One plain-text email from the platform's address."""
    try:
        return send_mail(subject, body, None, to)
    except Exception:
        logger.exception("Sending the email %r failed (attempt %s)", subject, attempt)
        max_attempts = int(getattr(settings, "EMAIL_MAX_ATTEMPTS", 6))
        _retry_later(send_email, attempt=attempt, max_attempts=max_attempts, to=to, subject=subject, body=body)
        raise


def email_on_commit(*, to: str, subject: str, template: str, context: dict[str, Any] | Callable[[], dict[str, Any]]) -> None:
    """Send the email once the current transaction commits, rendered then in the caller's current language. The
    rendering happens after the commit, so it holds no lock taken by the transaction (a dossier's code counter);
    `context` may be a function, called then, for values that take work to compute."""
    if not to:
        return
    language = translation.get_language()
    subject = " ".join(str(subject).split())

    def send() -> None:
        with translation.override(language):
            body = render_to_string(template, context() if callable(context) else context)
        send_email.enqueue(to=[to], subject=subject, body=body)

    transaction.on_commit(send, robust=True)


def enqueue_once(work: Task, *, at: dt.datetime | None = None, **kwargs: Any) -> TaskResult | None:
    """Enqueue `work` to run at `at` (now if None), unless a run of it already waits to start by then (database
    queue). A backend that cannot defer skips later runs: the scheduled command covers them."""
    backend = work.get_backend()
    later = at is not None and at > timezone.now()
    if later and not backend.supports_defer:
        return None
    from django_tasks_db import DatabaseBackend

    if isinstance(backend, DatabaseBackend):
        from django_tasks_db.models import DBTaskResult, get_date_max

        when = at or timezone.now()
        waiting = DBTaskResult.objects.filter(
            task_path=work.module_path, backend_name=backend.alias, status=TaskResultStatus.READY
        ).filter(Q(run_after=get_date_max()) | Q(run_after__lte=when))
        if waiting.exists():
            return None
    return (work.using(run_after=at) if later else work).enqueue(**kwargs)
