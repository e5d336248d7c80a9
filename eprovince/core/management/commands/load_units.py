"""`manage.py load_units --province 91` or `--all`: load or update administrative units and their history."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from eprovince.core.services.units import units_import
from eprovince.core.units_data import UnitsDataError


class Command(BaseCommand):
    # argparse needs a plain string; marked for extraction all the same.
    help = gettext_noop(
        "Nạp hoặc cập nhật đơn vị hành chính (63 tỉnh cũ với cấp huyện, cấp xã đến 30/06/2025; 34 tỉnh mới với cấp xã "
        "từ 01/07/2025) và quan hệ kế thừa giữa chúng. Chạy lại không thay đổi gì."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument(
            "--province",
            action="append",
            metavar="CODE",
            help=_("Mã tỉnh, thành phố hiện hành (ví dụ 91: An Giang); nạp cả các tỉnh cũ đã hợp nhất vào. Lặp lại được."),
        )
        scope.add_argument("--all", action="store_true", help=_("Nạp toàn quốc."))

    def handle(self, *args: Any, **options: Any) -> None:
        codes = None if options["all"] else options["province"]
        try:
            report = units_import(province_codes=codes, acting_user=None)
        except UnitsDataError as exc:
            raise CommandError(_("Không nạp được đơn vị hành chính, không có thay đổi nào: %(error)s") % {"error": exc}) from exc
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(_("Đã nạp xong đơn vị hành chính.")))
