from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from eprovince.core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "In danh sách tài khoản trình diễn."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"  Tài khoản trình diễn (mật khẩu chung: {DEMO_PASSWORD}):")
        for a in DEMO_ACCOUNTS:
            self.stdout.write(f"    {a.username:<18} {a.description}")
