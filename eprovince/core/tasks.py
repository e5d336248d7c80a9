"""Background work any app may use, through Django's task framework. The TASKS setting picks the backend: the database
queue by default (rows in the database, run by `manage.py db_worker`, so a job survives a restart), at once in the
tests and with TASKS_BACKEND=immediate. Services enqueue after their transaction commits, so a rolled-back change
sends nothing.

- send_email: one email; a failure leaves the job failed with its traceback and, on a queue that can defer, enqueues
  the next attempt 1, 2, 4… minutes later (settings.EMAIL_MAX_ATTEMPTS in all). Every attempt of one email carries
  the same Message-ID header ("<eprovince.<first job's id>@<host>>").
- email_on_commit: render now, in the caller's language; send once the transaction commits.
- enqueue_once: enqueue a job unless a run of it already waits (several changes share one delivery run).
- recover_abandoned_jobs (`manage.py recover_jobs`): a worker killed while running a job (SIGKILL, power loss, the
  container stopped) leaves its row RUNNING for ever, and the database queue never runs it again. Jobs of the tasks
  registered with recoverable() that have been running for longer than settings.TASKS_ABANDONED_AFTER_SECONDS
  (15 min by default: far beyond an email's or a delivery run's time, so a job running on another node is left
  alone) are marked failed ("worker lost") and run again. Run it when a worker starts and from the scheduler.

What an email job guarantees: at least once, never lost. SMTP gives no way to send and record "sent" atomically: a
worker killed after the server accepted the message (250) and before the job row says SUCCESSFUL sends it again
when recovered, once per such crash, with the same Message-ID, on which mail clients and servers drop the copy. A
worker killed before the server accepted it (mid-conversation) leaves nothing delivered: the recovered job sends it
once. Tests: eprovince/onestop/tests/test_outbox_faults.py.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.utils import DNS_NAME
from django.db import transaction
from django.db.models import Q
from django.tasks import Task, TaskContext, TaskResult, task
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


def message_id_for(job_id: object) -> str:
    """The Message-ID of an email, from the id of its first job: the same on every attempt and after a recovery."""
    return f"<eprovince.{job_id}@{DNS_NAME}>"


@task(takes_context=True)
def send_email(context: TaskContext, *, to: list[str], subject: str, body: str, attempt: int = 1, message_id: str = "") -> int:
    """One plain-text email from the platform's address."""
    message_id = message_id or message_id_for(context.task_result.id)
    try:
        return EmailMessage(subject, body, None, to, headers={"Message-ID": message_id}).send()
    except Exception:
        logger.exception("Sending the email %r failed (attempt %s)", subject, attempt)
        max_attempts = int(getattr(settings, "EMAIL_MAX_ATTEMPTS", 6))
        _retry_later(
            send_email, attempt=attempt, max_attempts=max_attempts, to=to, subject=subject, body=body, message_id=message_id
        )
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


# --- Jobs left running by a worker that died ----------------------------------------------------------------------

# task path -> how to continue it: the keyword arguments of its next run, or None to give up (no attempts left).
_RECOVERABLE: dict[str, Callable[[Any], dict[str, Any] | None]] = {}


def recoverable(work: Task, resume: Callable[[Any], dict[str, Any] | None] | None = None) -> Task:
    """Declare that a job of `work` left RUNNING by a dead worker may be run again (it is idempotent, or at least
    once is what it promises). `resume(job)` gives the next run's keyword arguments; by default the same ones."""
    _RECOVERABLE[work.module_path] = resume or (lambda job: dict(job.args_kwargs.get("kwargs", {})))
    return work


def _resume_email(job: Any) -> dict[str, Any] | None:
    kwargs = dict(job.args_kwargs.get("kwargs", {}))
    attempt = int(kwargs.get("attempt", 1))
    if attempt >= int(getattr(settings, "EMAIL_MAX_ATTEMPTS", 6)):
        return None
    # the same Message-ID as the lost attempt (which may have been delivered): a copy is recognised as one
    return {**kwargs, "attempt": attempt + 1, "message_id": kwargs.get("message_id") or message_id_for(job.id)}


recoverable(send_email, _resume_email)


class WorkerLost(Exception):
    """The worker running this job stopped before it finished (killed, or its machine lost)."""


def recover_abandoned_jobs(*, older_than: dt.timedelta | None = None) -> list[TaskResult]:
    """Mark the jobs of recoverable tasks RUNNING since before `older_than` ago as failed and run them again.
    Returns the new jobs. Safe to run from several nodes at once (each row is taken under a lock, once)."""
    from django.utils.module_loading import autodiscover_modules
    from django_tasks_db.models import DBTaskResult

    autodiscover_modules("tasks")  # every app's tasks module registers its recoverable tasks
    if older_than is None:
        older_than = dt.timedelta(seconds=int(getattr(settings, "TASKS_ABANDONED_AFTER_SECONDS", 900)))
    now = timezone.now()
    resumed: list[TaskResult] = []
    stale = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, task_path__in=list(_RECOVERABLE), started_at__lte=now - older_than
    )
    for pk in list(stale.values_list("pk", flat=True)):
        with transaction.atomic():
            job = stale.select_for_update(skip_locked=True).filter(pk=pk).first()
            if job is None:
                continue
            kwargs = _RECOVERABLE[job.task_path](job)
            note = "the worker stopped before the job finished; " + ("run again" if kwargs is not None else "no attempts left")
            job.set_failed(WorkerLost(note))
            if kwargs is not None:
                work = job.task.using(queue_name=job.queue_name, priority=job.priority)
                args = list(job.args_kwargs.get("args", []))
                resumed.append(work.enqueue(*args, **kwargs))
            logger.warning("Job %s (%s) was left running by a lost worker: %s", job.pk, job.task_path, note)
    return resumed
