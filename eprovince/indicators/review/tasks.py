"""The background task of the annual review (Django's task framework; the TASKS setting picks the backend: the
database queue served by `manage.py db_worker`, or immediate in tests). It takes only the job's id, so it can be
stored as JSON, and it is enqueued by the services after their transaction commits."""

from __future__ import annotations

from django.tasks import task


@task
def generate_review_report(job_id: int) -> str:
    from .services import review_report_generate

    job = review_report_generate(job_id)
    return job.status if job is not None else "skipped"
