"""`manage.py recover_jobs`: run again the jobs a worker left RUNNING when it died (see eprovince/core/tasks.py).

Run it before starting a worker and from the scheduler every few minutes. A job is taken back only once it has been
running for longer than settings.TASKS_ABANDONED_AFTER_SECONDS (15 min by default), so a job another node is running
right now is left alone; --older-than overrides that (0 right after a worker on this machine was killed, when no
other worker runs)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from eprovince.core.tasks import recover_abandoned_jobs


class Command(BaseCommand):
    help = "Chạy lại các công việc nền bị bỏ dở do tiến trình xử lý dừng đột ngột."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--older-than", type=float, default=None, help="seconds a job has been running (default: settings)")

    def handle(self, *args: Any, older_than: float | None, **options: Any) -> None:
        resumed = recover_abandoned_jobs(older_than=None if older_than is None else dt.timedelta(seconds=older_than))
        self.stdout.write(f"{len(resumed)} job(s) run again")
