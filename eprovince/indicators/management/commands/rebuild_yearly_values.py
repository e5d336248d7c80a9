"""Recompute the yearly summary of the indicators (YearlyValue) from the approved values: after loading values
outside the services (a restore, a bulk load in SQL), or to check it. The services keep it current otherwise.
Readers are not blocked (DELETE, then INSERT … SELECT in one transaction); on PostgreSQL the old rows' space is left
to VACUUM (run here; `VACUUM FULL indicators_yearlyvalue` returns it to the system)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.utils.translation import gettext as _

from ...models import YearlyValue
from ...summary import rebuild


class Command(BaseCommand):
    help = "Tính lại bảng tổng hợp số liệu cả năm của từng đơn vị (chỉ tiêu) từ các giá trị đã duyệt."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--element", type=int, action="append", dest="elements", help="Chỉ tính lại chỉ tiêu dữ liệu có mã số này."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        rows = rebuild(options["elements"])
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # the old rows' space reusable, statistics and the visibility map (index-only reads) current
            with connection.cursor() as cursor:
                cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(YearlyValue._meta.db_table)}")
        seconds = f"{time.perf_counter() - started:.1f}".replace(".", ",")
        self.stdout.write(
            _("Đã tính lại %(rows)s dòng tổng hợp cả năm trong %(seconds)s giây.")
            % {"rows": f"{rows:,}".replace(",", "."), "seconds": seconds}
        )
