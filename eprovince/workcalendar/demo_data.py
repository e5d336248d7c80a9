"""Demo calendar: 2024-2027 pre-filled from the Labour Code holidays, and the government's known 2025 swaps as data.
Idempotent: a second run finds every day in place and changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .constants import DayKind
from .models import CalendarDay, CalendarYear
from .services import calendar_day_create, calendar_prefill_year, calendar_year_update

YEARS = (2024, 2025, 2026, 2027)
PUBLISHED_YEARS = (2024, 2025)

TET_2025 = "Thông báo số 6150/TB-BLĐTBXH về lịch nghỉ Tết Âm lịch năm 2025 của cán bộ, công chức, viên chức"
SWAP_2025 = "Thông báo hoán đổi ngày làm việc dịp 30/4 và 1/5/2025 đối với cán bộ, công chức, viên chức"
NATIONAL_DAY_2025 = "Bộ luật Lao động 2019, Điều 112: nghỉ Quốc khánh 02/9 và một ngày liền kề (01/9/2025)"

# (date, kind, name, legal basis): what the government announced for civil servants in 2025.
KNOWN_2025: list[tuple[dt.date, str, str, str]] = [
    (dt.date(2025, 1, 27), DayKind.DAY_OFF, "Nghỉ Tết Nguyên đán (29 Tết)", TET_2025),
    (dt.date(2025, 1, 28), DayKind.DAY_OFF, "Nghỉ Tết Nguyên đán (30 Tết)", TET_2025),
    (dt.date(2025, 1, 29), DayKind.DAY_OFF, "Nghỉ Tết Nguyên đán (mùng 1)", TET_2025),
    (dt.date(2025, 1, 30), DayKind.DAY_OFF, "Nghỉ Tết Nguyên đán (mùng 2)", TET_2025),
    (dt.date(2025, 1, 31), DayKind.DAY_OFF, "Nghỉ Tết Nguyên đán (mùng 3)", TET_2025),
    (dt.date(2025, 4, 26), DayKind.WORKING_DAY, "Làm bù cho ngày nghỉ thứ Sáu 02/05/2025", SWAP_2025),
    (dt.date(2025, 5, 2), DayKind.DAY_OFF, "Nghỉ hoán đổi (làm bù thứ Bảy 26/04/2025)", SWAP_2025),
    (dt.date(2025, 9, 1), DayKind.DAY_OFF, "Nghỉ Quốc khánh (ngày liền kề)", NATIONAL_DAY_2025),
    (dt.date(2025, 9, 2), DayKind.DAY_OFF, "Quốc khánh", NATIONAL_DAY_2025),
]

REASON = "Dữ liệu trình diễn"


def load(stdout: Any) -> None:
    created = 0
    for year in YEARS:
        created += len(calendar_prefill_year(year=year, acting_user=None, reason=f"{REASON}: điền sẵn năm {year}").created)
    present = set(CalendarDay.objects.filter(date__year=2025).values_list("date", flat=True))
    for day, kind, name, basis in KNOWN_2025:
        if day not in present:  # the pre-fill usually has them already; never overwrite what is there
            calendar_day_create(date=day, kind=kind, name=name, legal_basis=basis, acting_user=None, reason=f"{REASON}: {basis}")
            created += 1
    published = set(CalendarYear.objects.filter(is_published=True).values_list("year", flat=True))
    for year in PUBLISHED_YEARS:
        if year not in published:
            calendar_year_update(
                year=year,
                acting_user=None,
                reason=f"{REASON}: công bố lịch năm {year}",
                is_published=True,
                legal_basis="Bộ luật Lao động 2019, Điều 111, 112; thông báo nghỉ lễ, tết hằng năm của Chính phủ.",
            )
    stdout.write(f"  Lịch làm việc {YEARS[0]}-{YEARS[-1]}: {created} ngày mới.")
