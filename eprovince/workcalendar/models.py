"""The official working-day calendar: years, days off and make-up working days, working hours, the deadline rule.

Weekends are not stored: Saturday and Sunday are off unless a `working_day` row says otherwise, and Monday-Friday
are worked unless a `day_off` row says otherwise (which weekdays are worked follows `WorkingSession`)."""

from __future__ import annotations

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import YEAR_MAX, YEAR_MIN, CountingMode, DayKind, DaySource, SupplementMode

DEFAULT_RULE_LEGAL_BASIS = (
    "Thời hạn giải quyết tính bằng ngày làm việc kể từ khi nhận đủ hồ sơ hợp lệ (Nghị định 61/2018/NĐ-CP, "
    "sửa đổi, bổ sung bởi Nghị định 107/2021/NĐ-CP). Ngày tiếp nhận không tính vào thời hạn; thời hạn kết thúc "
    "khi hết giờ làm việc của ngày làm việc cuối cùng (Bộ luật Dân sự 2015, Điều 147, 148). Thời gian tổ chức, "
    "cá nhân sửa đổi, bổ sung hồ sơ không tính vào thời gian giải quyết."
)


class CalendarYear(models.Model):
    year = models.PositiveSmallIntegerField(
        _("năm"), unique=True, validators=[MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)]
    )
    is_published = models.BooleanField(
        _("đã công bố chính thức"),
        default=False,
        help_text=_("Đã đối chiếu với thông báo nghỉ lễ, tết của Chính phủ cho năm này."),
    )
    note = models.TextField(_("ghi chú"), blank=True)
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    prefilled_at = models.DateTimeField(_("điền sẵn lúc"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("lịch năm")
        verbose_name_plural = _("lịch năm")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """A weekday not worked (day_off) or a weekend day worked (working_day).

    Removing a day only deactivates it, so that pre-filling the year again does not bring back a day an
    administrator removed."""

    calendar_year = models.ForeignKey(CalendarYear, on_delete=models.PROTECT, related_name="days", verbose_name=_("năm"))
    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=20, choices=DayKind.choices)
    name = models.CharField(_("tên"), max_length=200)
    legal_basis = models.CharField(_("căn cứ"), max_length=300, blank=True)
    source = models.CharField(_("nguồn"), max_length=20, choices=DaySource.choices, default=DaySource.ADMIN)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ngày nghỉ, ngày làm bù")
        verbose_name_plural = _("ngày nghỉ, ngày làm bù")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=DayKind.values), name="calendarday_kind_valid"),
            models.CheckConstraint(condition=models.Q(source__in=DaySource.values), name="calendarday_source_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} – {self.name}"


class WorkingSession(models.Model):
    """One working session (buổi làm việc) of a weekday; a weekday with no session is not worked."""

    weekday = models.PositiveSmallIntegerField(
        _("thứ"), validators=[MaxValueValidator(6)], help_text=_("0 = thứ Hai … 6 = Chủ nhật")
    )
    start = models.TimeField(_("bắt đầu"))
    end = models.TimeField(_("kết thúc"))

    class Meta:
        verbose_name = _("buổi làm việc")
        verbose_name_plural = _("giờ làm việc")
        ordering = ["weekday", "start"]
        constraints = [
            models.CheckConstraint(condition=models.Q(start__lt=models.F("end")), name="workingsession_start_before_end"),
            models.CheckConstraint(condition=models.Q(weekday__lte=6), name="workingsession_weekday_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.weekday}: {self.start:%H:%M}-{self.end:%H:%M}"


class DeadlineRule(models.Model):
    """The single row (id 1) saying how deadlines are counted. See engine.py for what each option means."""

    counting_mode = models.CharField(
        _("cách tính ngày"), max_length=20, choices=CountingMode.choices, default=CountingMode.WHOLE_DAYS
    )
    after_hours_next_session = models.BooleanField(_("hồ sơ nhận ngoài giờ tính từ buổi làm việc kế tiếp"), default=True)
    receipt_morning_counts = models.BooleanField(
        _("hồ sơ nhận trong buổi sáng được tính ngày tiếp nhận là ngày thứ nhất"),
        default=False,
        help_text=_("Chỉ áp dụng khi tính theo ngày làm việc trọn ngày."),
    )
    supplement_mode = models.CharField(
        _("khi yêu cầu bổ sung hồ sơ"), max_length=20, choices=SupplementMode.choices, default=SupplementMode.RESUME
    )
    legal_basis = models.TextField(_("căn cứ pháp lý"), default=DEFAULT_RULE_LEGAL_BASIS)
    # Changes with every write to the calendar, the hours or this rule: the cache key of the calendar snapshot.
    revision = models.UUIDField(default=uuid.uuid4, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("quy tắc tính thời hạn")
        verbose_name_plural = _("quy tắc tính thời hạn")
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="deadlinerule_singleton"),
            models.CheckConstraint(condition=models.Q(counting_mode__in=CountingMode.values), name="deadlinerule_mode_valid"),
            models.CheckConstraint(
                condition=models.Q(supplement_mode__in=SupplementMode.values), name="deadlinerule_supplement_valid"
            ),
        ]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
