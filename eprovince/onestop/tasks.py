"""Background work of the one-stop shop, through Django's task framework (the TASKS setting picks the backend: run
at once by default, a queue when one is configured). Services enqueue after their transaction commits."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


@task
def send_email(*, to: list[str], subject: str, body: str) -> int:
    """One plain-text email from the platform's address."""
    try:
        return send_mail(subject, body, None, to)
    except Exception:
        logger.exception("Sending the one-stop email %r failed", subject)
        raise


def email_on_commit(*, to: str, subject: str, template: str, context: dict[str, Any]) -> None:
    """Render the email now (in the caller's language) and send it once the current transaction commits."""
    if not to:
        return
    body = render_to_string(template, context)
    transaction.on_commit(partial(send_email.enqueue, to=[to], subject=" ".join(str(subject).split()), body=body), robust=True)
