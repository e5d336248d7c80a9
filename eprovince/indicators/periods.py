"""Reporting periods: identifiers, dates under both conventions, and arithmetic.

Identifiers follow DHIS2's style: ``2024`` (year), ``2024S1``/``2024S2`` (first/second 6 months), ``2024N9`` (the first
9 months, cumulative), ``2024Q1``…``2024Q4`` (quarters) and ``202403`` (March 2024).

Every period covers a run of whole months of one year. Its dates depend on the report form's convention:

- calendar (statistical reports, Decree 60/2018): from the 1st of its first month to the last day of its last month;
- Decree 09/2019 cut-off: from the 15th of the month before its first month to the 14th of its last month
  (monthly 15/02–14/03, Q1 15/12–14/03, 6 months 15/12–14/06, 9 months 15/12–14/09, year 15/12–14/12).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import total_ordering

from django.utils.translation import gettext as _

from .constants import PeriodConvention, PeriodType

MIN_YEAR = 1990
MAX_YEAR = 2100
CUT_OFF_DAY = 15  # Decree 09/2019: a period starts on the 15th of the month before its first month

_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_PATTERN = re.compile(r"^(?P<year>\d{4})(?:(?P<month>\d{2})|Q(?P<q>[1-4])|S(?P<s>[12])|(?P<n9>N9))?$")
# Types whose periods of one year do not overlap and cover the year: sums over time add up one of them.
PARTITION_TYPES = (PeriodType.MONTH, PeriodType.QUARTER, PeriodType.SIX_MONTHS, PeriodType.YEAR)
_TYPE_ORDER = {
    PeriodType.MONTH: 0,
    PeriodType.QUARTER: 1,
    PeriodType.SIX_MONTHS: 2,
    PeriodType.NINE_MONTHS: 3,
    PeriodType.YEAR: 4,
}


class PeriodError(ValueError):
    """A period identifier that cannot be read, or a period that does not exist."""


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


@total_ordering
@dataclass(frozen=True, slots=True)
class Period:
    type: str
    year: int
    # Month (1–12), quarter (1–4), half (1–2); 9 for the nine months; 1 for the year.
    number: int = 1

    def __post_init__(self) -> None:
        limits: dict[str, range] = {
            PeriodType.MONTH: range(1, 13),
            PeriodType.QUARTER: range(1, 5),
            PeriodType.SIX_MONTHS: range(1, 3),
            PeriodType.NINE_MONTHS: range(9, 10),
            PeriodType.YEAR: range(1, 2),
        }
        if self.type not in limits:
            raise PeriodError(_("Loại kỳ báo cáo không hợp lệ: %(type)s.") % {"type": self.type})
        if not MIN_YEAR <= self.year <= MAX_YEAR:
            raise PeriodError(
                _("Năm %(year)s nằm ngoài khoảng %(min)s–%(max)s.") % {"year": self.year, "min": MIN_YEAR, "max": MAX_YEAR}
            )
        if self.number not in limits[self.type]:
            raise PeriodError(_("Kỳ báo cáo không tồn tại."))

    # Construction --------------------------------------------------------------------------------------------

    @classmethod
    def parse(cls, text: str) -> Period:
        """`Period.parse("2024Q1")`; raises PeriodError with a Vietnamese message."""
        match = _PATTERN.match(str(text).strip())
        if not match:
            raise PeriodError(_("Mã kỳ “%(text)s” không hợp lệ: dùng 2024, 2024S1, 2024N9, 2024Q1 hoặc 202403.") % {"text": text})
        year = int(match["year"])
        if match["month"]:
            return cls(PeriodType.MONTH, year, int(match["month"]))
        if match["q"]:
            return cls(PeriodType.QUARTER, year, int(match["q"]))
        if match["s"]:
            return cls(PeriodType.SIX_MONTHS, year, int(match["s"]))
        if match["n9"]:
            return cls(PeriodType.NINE_MONTHS, year, 9)
        return cls(PeriodType.YEAR, year)

    @classmethod
    def containing(cls, period_type: str, day: dt.date, convention: str = PeriodConvention.CALENDAR) -> Period | None:
        """The period of `period_type` whose dates include `day` (None for a day after the nine months)."""
        year, month = day.year, day.month
        if convention == PeriodConvention.DECREE_09 and day.day >= CUT_OFF_DAY:
            year, month = _shift_month(year, month, 1)
        if period_type == PeriodType.MONTH:
            return cls(period_type, year, month)
        if period_type == PeriodType.QUARTER:
            return cls(period_type, year, (month - 1) // 3 + 1)
        if period_type == PeriodType.SIX_MONTHS:
            return cls(period_type, year, 1 if month <= 6 else 2)
        if period_type == PeriodType.NINE_MONTHS:
            return cls(period_type, year, 9) if month <= 9 else None
        return cls(PeriodType.YEAR, year)

    # Identity and order -------------------------------------------------------------------------------------

    @property
    def id(self) -> str:
        if self.type == PeriodType.MONTH:
            return f"{self.year}{self.number:02d}"
        if self.type == PeriodType.QUARTER:
            return f"{self.year}Q{self.number}"
        if self.type == PeriodType.SIX_MONTHS:
            return f"{self.year}S{self.number}"
        if self.type == PeriodType.NINE_MONTHS:
            return f"{self.year}N9"
        return str(self.year)

    def __str__(self) -> str:
        return self.id

    def _key(self) -> tuple[int, int, int]:
        return (self.year, self.last_month, _TYPE_ORDER[self.type])  # type: ignore[index]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self._key() < other._key()

    @property
    def label(self) -> str:
        if self.type == PeriodType.MONTH:
            return _("Tháng %(month)d/%(year)d") % {"month": self.number, "year": self.year}
        if self.type == PeriodType.QUARTER:
            return _("Quý %(q)s/%(year)d") % {"q": _ROMAN[self.number], "year": self.year}
        if self.type == PeriodType.SIX_MONTHS:
            if self.number == 1:
                return _("6 tháng đầu năm %(year)d") % {"year": self.year}
            return _("6 tháng cuối năm %(year)d") % {"year": self.year}
        if self.type == PeriodType.NINE_MONTHS:
            return _("9 tháng năm %(year)d") % {"year": self.year}
        return _("Năm %(year)d") % {"year": self.year}

    # Months and dates --------------------------------------------------------------------------------------

    @property
    def first_month(self) -> int:
        if self.type == PeriodType.MONTH:
            return self.number
        if self.type == PeriodType.QUARTER:
            return 3 * self.number - 2
        if self.type == PeriodType.SIX_MONTHS:
            return 1 if self.number == 1 else 7
        return 1

    @property
    def last_month(self) -> int:
        if self.type == PeriodType.MONTH:
            return self.number
        if self.type == PeriodType.QUARTER:
            return 3 * self.number
        if self.type == PeriodType.SIX_MONTHS:
            return 6 * self.number
        if self.type == PeriodType.NINE_MONTHS:
            return 9
        return 12

    @property
    def months(self) -> range:
        return range(self.first_month, self.last_month + 1)

    def start(self, convention: str = PeriodConvention.CALENDAR) -> dt.date:
        if convention == PeriodConvention.DECREE_09:
            year, month = _shift_month(self.year, self.first_month, -1)
            return dt.date(year, month, CUT_OFF_DAY)
        return dt.date(self.year, self.first_month, 1)

    def end(self, convention: str = PeriodConvention.CALENDAR) -> dt.date:
        if convention == PeriodConvention.DECREE_09:
            return dt.date(self.year, self.last_month, CUT_OFF_DAY - 1)
        return dt.date(self.year, self.last_month, calendar.monthrange(self.year, self.last_month)[1])

    def contains(self, other: Period) -> bool:
        return other.year == self.year and self.first_month <= other.first_month and other.last_month <= self.last_month

    # Arithmetic -------------------------------------------------------------------------------------------

    def shifted(self, steps: int) -> Period:
        """The period `steps` periods of the same type later (earlier when negative). Nine months move by years."""
        if self.type == PeriodType.MONTH:
            year, month = _shift_month(self.year, self.number, steps)
            return Period(self.type, year, month)
        per_year = {PeriodType.QUARTER: 4, PeriodType.SIX_MONTHS: 2}.get(self.type)  # type: ignore[call-overload]
        if per_year is None:
            return Period(self.type, self.year + steps, self.number)
        index = self.year * per_year + (self.number - 1) + steps
        return Period(self.type, index // per_year, index % per_year + 1)

    def previous(self) -> Period:
        return self.shifted(-1)

    def next(self) -> Period:
        return self.shifted(1)

    def same_period_last_year(self) -> Period:
        return Period(self.type, self.year - 1, self.number)

    def super_periods(self) -> Iterator[Period]:
        """Every longer period of the same year containing this one (the year last)."""
        for period in periods_of_year(self.year):
            if period != self and period.contains(self):
                yield period

    def sub_periods(self) -> Iterator[Period]:
        """Every period (of any type, itself included) inside this one."""
        for period in periods_of_year(self.year):
            if self.contains(period):
                yield period


def periods_of_year(year: int, period_type: str | None = None) -> list[Period]:
    """All periods of `year` (of one type, or of every type), in order."""
    types = [period_type] if period_type else list(_TYPE_ORDER)
    result: list[Period] = []
    for kind in types:
        numbers = {
            PeriodType.MONTH: range(1, 13),
            PeriodType.QUARTER: range(1, 5),
            PeriodType.SIX_MONTHS: range(1, 3),
            PeriodType.NINE_MONTHS: (9,),
            PeriodType.YEAR: (1,),
        }[kind]  # type: ignore[index]
        result.extend(Period(kind, year, n) for n in numbers)
    return sorted(result)


def parse_period(text: str) -> Period:
    return Period.parse(text)


def is_period_id(text: str) -> bool:
    try:
        Period.parse(text)
    except PeriodError:
        return False
    return True
