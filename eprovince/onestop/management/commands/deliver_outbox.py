"""`manage.py deliver_outbox`: deliver the national-portal events that are due (see eprovince/onestop/outbox.py).

The worker delivers them after each status change and at each retry; run this from the scheduler every few minutes
as a safety net (a worker that was stopped, a backend that cannot defer), or by hand after fixing the receiver."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from eprovince.onestop.outbox import deliver_due, webhook_url


class Command(BaseCommand):
    help = "Gửi các sự kiện trạng thái hồ sơ đến hạn tới Cổng dịch vụ công quốc gia (theo thứ tự của từng hồ sơ)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=500, help="at most this many events per run")

    def handle(self, *args: Any, limit: int, **options: Any) -> None:
        if not webhook_url():
            self.stdout.write("ONESTOP_OUTBOX_WEBHOOK_URL is not set: events are kept, nothing sent.")
            return
        report = deliver_due(limit=limit)
        self.stdout.write(
            f"{len(report.delivered)} delivered, {len(report.failed)} failed, {len(report.held_back)} held back"
            + (f"; next retry at {report.next_attempt_at:%Y-%m-%d %H:%M:%S}" if report.next_attempt_at else "")
        )
