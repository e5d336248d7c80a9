"""What the `holidays` package knows about a year in Vietnam, as proposed calendar rows (pure: no database).

The package computes the Labour Code 2019 art. 112 holidays (1/1, Tết, Hùng Kings' day, 30/4, 1/5, 2/9 and the
adjacent day, and 24/11 from 2026), the usual Tết arrangement, the art. 111(3) substitute day when a holiday falls on a
weekend, and the government's swaps it knows about (its special-holiday table names the Saturday worked in exchange,
which becomes a make-up working day here). Its data stops where its maintainers stopped: an administrator checks each
year against the government's announcement and edits the table; services never overwrite what they changed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import holidays

from .constants import GOVERNMENT_SWAP, LABOUR_CODE_HOLIDAYS, LABOUR_CODE_SUBSTITUTE, DayKind

# Names the package gives (in Vietnamese) to the days of the Lunar New Year, which it arranges itself.
_TET_MARKERS = ("Nguyên Đán", "29 Tết")
# Holidays whose basis is not the Labour Code text of 2019 (to be checked by the administrator).
_BASIS_BY_DAY = {(11, 24): "Ngày Văn hóa Việt Nam (Nghị quyết 80-NQ/TW): cần đối chiếu văn bản quy định ngày nghỉ"}


@dataclass(frozen=True)
class ProposedDay:
    date: dt.date
    kind: str
    name: str
    legal_basis: str


def _is_weekend(day: dt.date) -> bool:
    return day.weekday() >= 5


def _is_tet(name: str) -> bool:
    return any(marker in name for marker in _TET_MARKERS)


HolidaySource = Callable[..., dict[dt.date, str]]


def _package_holidays(year: int, *, observed: bool) -> dict[dt.date, str]:
    return dict(holidays.country_holidays("VN", years=year, observed=observed, language="vi"))


def package_swaps(year: int) -> list[tuple[dt.date, dt.date]]:
    """(weekday off, weekend day worked) pairs of the package's special-holiday table touching `year`."""
    try:
        from holidays.countries.vietnam import VietnamStaticHolidays

        table: dict[int, Any] = VietnamStaticHolidays.special_public_holidays
    except (ImportError, AttributeError):  # a future package version may reorganise its tables
        return []
    swaps = []
    for table_year in (year - 1, year, year + 1):
        entries = table.get(table_year, ())
        if entries and isinstance(entries[0], int):
            entries = (entries,)
        for entry in entries:
            if len(entry) not in (4, 5):
                continue
            off = dt.date(table_year, entry[0], entry[1])
            worked = dt.date(entry[4] if len(entry) == 5 else table_year, entry[2], entry[3])
            if year in (off.year, worked.year) and _is_weekend(worked) and not _is_weekend(off):
                swaps.append((off, worked))
    return swaps


def _substitute(day: dt.date, taken: set[dt.date]) -> dt.date:
    """Labour Code art. 111(3): the next working day (Monday-Friday) not already off."""
    candidate = day + dt.timedelta(days=1)
    while _is_weekend(candidate) or candidate in taken:
        candidate += dt.timedelta(days=1)
    return candidate


def propose_year(
    year: int,
    *,
    source: HolidaySource = _package_holidays,
    swaps: Callable[[int], Iterable[tuple[dt.date, dt.date]]] = package_swaps,
) -> list[ProposedDay]:
    """The days off and make-up working days of `year`, sorted by date."""
    plain = {d: n for d, n in source(year, observed=False).items() if d.year == year}
    observed = {d: n for d, n in source(year, observed=True).items() if d.year == year}
    swap_pairs = list(swaps(year))
    swapped_off = {off for off, _worked in swap_pairs}
    holidays_basis = LABOUR_CODE_HOLIDAYS if year >= 2021 else "Bộ luật Lao động (nghỉ lễ, tết)"
    days: dict[dt.date, ProposedDay] = {}
    for day, name in sorted(observed.items()):
        if _is_weekend(day):
            continue
        if day in swapped_off:
            basis = GOVERNMENT_SWAP
        elif (day.month, day.day) in _BASIS_BY_DAY:
            basis = _BASIS_BY_DAY[(day.month, day.day)]
        elif day in plain:
            basis = holidays_basis
        elif _is_tet(name):
            basis = f"{holidays_basis} (bố trí ngày nghỉ Tết)"
        else:
            basis = LABOUR_CODE_SUBSTITUTE
        days[day] = ProposedDay(day, DayKind.DAY_OFF, name, basis)

    # Art. 111(3) written out: every fixed holiday on a weekend needs a weekday off after it. The package's own
    # substitutes (observed-only, non-Tết dates) are matched first; any holiday left without one gets the next free day.
    compensations = sorted(d for d, n in observed.items() if d not in plain and not _is_weekend(d) and not _is_tet(n))
    for day, name in sorted(plain.items()):
        if not _is_weekend(day) or _is_tet(name):
            continue
        match = next((c for c in compensations if day < c <= day + dt.timedelta(days=7)), None)
        if match is not None:
            compensations.remove(match)
            continue
        substitute = _substitute(day, set(days))
        if substitute.year == year:
            days[substitute] = ProposedDay(substitute, DayKind.DAY_OFF, f"{name} (nghỉ bù)", LABOUR_CODE_SUBSTITUTE)

    for off, worked in swap_pairs:
        if worked.year != year:
            continue
        days[worked] = ProposedDay(worked, DayKind.WORKING_DAY, f"Làm bù cho ngày nghỉ {off:%d/%m/%Y}", GOVERNMENT_SWAP)
    return sorted(days.values(), key=lambda p: p.date)
