"""`manage.py warn_deadlines`: the daily digest of overdue and due-soon dossiers for the officers responsible.

Run once a working day from the scheduler, e.g. at 07:30 (deploy/eprovince-warn-deadlines.timer, or cron:
`30 7 * * 1-6 cd /srv/eprovince && .venv/bin/python manage.py warn_deadlines`). A second run the same day sends
nothing again for dossiers already warned about. The emails go through the background queue."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from eprovince.onestop.deadline_warnings import send_deadline_warnings


class Command(BaseCommand):
    help = "Gửi thư nhắc hạn giải quyết (hồ sơ quá hạn, sắp đến hạn) cho cán bộ đang xử lý; chạy mỗi ngày một lần."

    def handle(self, *args: Any, **options: Any) -> None:
        run = send_deadline_warnings()
        self.stdout.write(f"{run.officers} officer(s) warned about {run.dossiers} dossier(s).")
