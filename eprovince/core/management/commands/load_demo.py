"""Loads the demo data of every app, in INSTALLED_APPS order. Idempotent: running it twice changes nothing.

Each app that has demo data provides `<app>/demo_data.py` with a `load(stdout)` function. Refused under the production
settings (demo accounts share a published password), unless a demonstration server says so with --allow-production."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction


class Command(BaseCommand):
    help = "Nạp dữ liệu trình diễn (tỉnh An Giang, cơ quan, tài khoản, tin bài). Chạy lại không thay đổi gì."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Nạp cả khi dùng cấu hình vận hành thật (chỉ cho máy chủ trình diễn, không bao giờ cho dữ liệu thật).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if getattr(settings, "PRODUCTION", False) and not options["allow_production"]:
            raise CommandError(
                "Không nạp dữ liệu trình diễn khi dùng cấu hình vận hành thật (eprovince.settings.production): "
                "các tài khoản trình diễn dùng chung một mật khẩu công khai. Nếu đây là máy chủ trình diễn, "
                "hãy chạy lại với --allow-production."
            )
        for config in apps.get_app_configs():
            if not config.name.startswith("eprovince."):
                continue
            try:
                module = import_module(f"{config.name}.demo_data")
            except ModuleNotFoundError as exc:
                if exc.name == f"{config.name}.demo_data":
                    continue
                raise
            with transaction.atomic():
                module.load(self.stdout)
        self.stdout.write(self.style.SUCCESS("Dữ liệu trình diễn đã sẵn sàng."))
