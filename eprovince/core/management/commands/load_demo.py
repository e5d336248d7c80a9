"""Loads the demo data of every app, in INSTALLED_APPS order. Idempotent: running it twice changes nothing.

Each app that has demo data provides `<app>/demo_data.py` with a `load(stdout)` function."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Nạp dữ liệu trình diễn (tỉnh An Giang, cơ quan, tài khoản, tin bài). Chạy lại không thay đổi gì."

    def handle(self, *args: Any, **options: Any) -> None:
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
