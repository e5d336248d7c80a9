"""Email the reporting officers of the units late with a report, for every open round past its deadline (run daily
by the scheduler). A unit reminded within INDICATORS_REMINDER_INTERVAL_HOURS is skipped, so running it twice
sends nothing new."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandParser

from ...reminders import due_rounds, remind_late_units


class Command(BaseCommand):
    help = "Gửi thư nhắc các đơn vị chậm nộp báo cáo trong các đợt đang mở đã quá hạn."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--round", type=int, action="append", dest="rounds", help="Chỉ nhắc đợt có mã số này.")
        parser.add_argument(
            "--site-url",
            default=getattr(settings, "SITE_URL", ""),
            help="Địa chỉ gốc của trang để đưa đường dẫn vào thư, ví dụ https://eprovince.angiang.gov.vn",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        rounds = due_rounds()
        if options["rounds"]:
            rounds = [r for r in rounds if r.pk in options["rounds"]]
        total = 0
        for round_ in rounds:
            try:
                outcome = remind_late_units(acting_user=None, round_=round_, site_url=options["site_url"])
            except ValidationError as exc:
                self.stderr.write(f"{round_}: {' '.join(exc.messages)}")
                continue
            total += outcome.emails
            self.stdout.write(
                f"{round_}: {len(outcome.sent)} đơn vị được nhắc ({outcome.emails} thư), "
                f"{len(outcome.recently_reminded)} đã nhắc gần đây, {len(outcome.no_contact)} không có người nhận."
            )
        self.stdout.write(f"Tổng cộng {total} thư nhắc nhở.")
