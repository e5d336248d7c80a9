"""Choices of the working-day calendar and the deadline rule."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

# Years an administrator may open, and the API answers for.
YEAR_MIN = 2000
YEAR_MAX = 2100

# The longest processing time the API computes, in working days.
MAX_WORKING_DAYS = 1000

# Ordinary week: Monday-Friday, morning and afternoon sessions (Monday = 0).
DEFAULT_SESSIONS: tuple[tuple[dt.time, dt.time], ...] = ((dt.time(7, 30), dt.time(11, 30)), (dt.time(13, 30), dt.time(17, 0)))
DEFAULT_WEEKDAY_SESSIONS: tuple[tuple[tuple[dt.time, dt.time], ...], ...] = (DEFAULT_SESSIONS,) * 5 + ((),) * 2

LABOUR_CODE_HOLIDAYS = "Bộ luật Lao động 2019, Điều 112"
LABOUR_CODE_SUBSTITUTE = "Bộ luật Lao động 2019, Điều 111 khoản 3"
GOVERNMENT_SWAP = "Thông báo hoán đổi ngày làm việc của cơ quan có thẩm quyền"


class DayKind(models.TextChoices):
    DAY_OFF = "day_off", _("Ngày nghỉ")  # nghỉ lễ, tết, nghỉ bù: a weekday not worked
    WORKING_DAY = "working_day", _("Ngày làm bù")  # a Saturday or Sunday worked


class DaySource(models.TextChoices):
    PREFILL = "prefill", _("Điền sẵn theo luật")
    ADMIN = "admin", _("Quản trị viên")


class CountingMode(models.TextChoices):
    WHOLE_DAYS = "whole_days", _("Theo ngày làm việc trọn ngày")
    WORKING_HOURS = "working_hours", _("Theo giờ làm việc (mỗi ngày bằng số giờ làm việc của ngày)")


class SupplementMode(models.TextChoices):
    RESUME = "resume", _("Tạm dừng, tính tiếp thời gian còn lại")
    RESTART = "restart", _("Tính lại từ đầu khi nhận đủ hồ sơ bổ sung")


WEEKDAY_NAMES = (_("Thứ Hai"), _("Thứ Ba"), _("Thứ Tư"), _("Thứ Năm"), _("Thứ Sáu"), _("Thứ Bảy"), _("Chủ Nhật"))
