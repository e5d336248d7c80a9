"""Reads of the leaders' dashboard: key indicators against targets, their trend over the years, the latest index
rankings and the completeness of the rounds under way.

Everything is computed from approved values at request time (`analytics`, `results`, `rankings`): nothing is
cached, so a report approved a moment ago already counts. A unit's series includes the former units that became
part of it in the 2025 reorganisation (analytics.scope_organisations)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from eprovince.core.charts import BarChart, Series
from eprovince.core.constants import OrganisationKind
from eprovince.core.models import Organisation

from . import formula, selectors
from .analytics import APPROVED, Context, aggregate_in_database, elements_by_code, formula_options
from .constants import Aggregation, PeriodType, RoundStatus
from .models import DataValue, IndexFramework, Indicator, ReportingRound, Target
from .periods import Period
from .rankings import IndexTable, index_table
from .results import ResultRow, achieved_phrase, format_number, results
from .validation import shifted_period

KEY_LIMIT = 8
TREND_YEARS = 6
RANKING_ROWS = 15


@dataclass(frozen=True)
class Coverage:
    """How much of `year` the approved figures cover: `months` (12: the whole year). A year not over yet, or one
    whose latest approved figures end before December, is partial: it is compared with the same months of the
    year before, never with the whole of it."""

    year: int
    months: int
    in_progress: bool = False

    @property
    def partial(self) -> bool:
        return self.months < 12

    @property
    def like_period(self) -> Period | None:
        """The standard period covering months 1…`months` (Q1, 6 months, 9 months, the year), if there is one."""
        standard = {3: "Q1", 6: "S1", 9: "N9", 12: ""}
        code = standard.get(self.months)
        return None if code is None else Period.parse(f"{self.year}{code}")

    @property
    def note(self) -> str:
        """ "Số liệu đến hết tháng 11, chưa đủ năm" for a partial year."""
        if not self.partial:
            return ""
        if self.months == 0:
            return _("Năm %(year)s chưa có số liệu đã phê duyệt.") % {"year": self.year}
        return _(
            "Năm %(year)s: số liệu đến hết tháng %(month)s, chưa đủ năm. Các so sánh là với cùng kỳ %(month)s tháng "
            "năm %(previous)s."
        ) % {"year": self.year, "month": self.months, "previous": self.year - 1}

    @property
    def compared_with(self) -> str:
        """ "cùng kỳ 11 tháng năm 2025" or "năm 2025"."""
        if self.partial:
            return _("cùng kỳ %(n)s tháng năm %(year)s") % {"n": self.months, "year": self.year - 1}
        return _("năm %(year)s") % {"year": self.year - 1}


def coverage(year: int, today: dt.date | None = None) -> Coverage:
    """The months of `year` the approved figures reach (one query): a past year is whole; the current one reaches
    the last month of its latest approved period."""
    today = today or timezone.localdate()
    if year < today.year:
        return Coverage(year, 12)
    periods = DataValue.objects.filter(APPROVED, year=year).values_list("period", flat=True).distinct()
    months = max((Period.parse(p).last_month for p in periods), default=0)
    return Coverage(year, months, in_progress=True)


def _months_pieces(year: int, months: int) -> list[Period]:
    """Months 1…`months` of `year` as the fewest standard periods (6 months, then quarters, then months)."""
    pieces: list[Period] = []
    month = 1
    while month <= months:
        if month == 1 and months >= 6:
            pieces.append(Period(PeriodType.SIX_MONTHS, year, 1))
            month = 7
        elif month in (1, 4, 7, 10) and months >= month + 2:
            pieces.append(Period(PeriodType.QUARTER, year, (month - 1) // 3 + 1))
            month += 3
        else:
            pieces.append(Period(PeriodType.MONTH, year, month))
            month += 1
    return pieces


def _year_to_date(
    ctx: Context, row: ResultRow, year: int, months: int, elements: dict[str, Any], indicators: dict[str, Any]
) -> Decimal | None:
    """The value of `row` over months 1…`months` of `year`: from the standard period when there is one, otherwise
    (an element only) from the values of the months, quarters and halves inside, all of them needed."""
    like = Coverage(year, months).like_period
    if like is not None:
        if row.kind == "indicator":
            return ctx.indicator_value(indicators[row.code], like, elements) if row.code in indicators else None
        return ctx.element_value(elements[row.code], like) if row.code in elements else None
    element = elements.get(row.code) if row.kind == "element" else None
    if element is None:
        return None
    found = [ctx.element_value(element, piece) for piece in _months_pieces(year, months)]
    values = [v for v in found if v is not None]
    if len(values) < len(found) or not values:
        return None
    if element.time_aggregation == Aggregation.LAST:
        return values[-1]
    if element.time_aggregation == Aggregation.SUM:
        return sum(values, Decimal(0))
    return None


@dataclass
class KeyFigure:
    row: ResultRow
    trend: BarChart
    comparison: str = ""  # "tăng 3,2% so với cùng kỳ 11 tháng năm 2025", or why there is none
    achieved: str = ""  # "đạt 55% kế hoạch năm"

    @property
    def percent(self) -> Decimal | None:
        return self.row.percent_of_target

    @property
    def reached(self) -> bool | None:
        percent = self.percent
        return None if percent is None else percent >= 100


@dataclass
class Ranking:
    table: IndexTable
    chart: BarChart
    highlight: list[Any]  # the rows of the selected unit (or of the province's own subjects)


@dataclass
class RoundLine:
    round: ReportingRound
    expected: int
    received: int
    on_time: int
    approved: int

    @staticmethod
    def _pct(part: int, whole: int) -> Decimal | None:
        return Decimal(part) * 100 / whole if whole else None

    @property
    def completeness(self) -> Decimal | None:
        return self._pct(self.received, self.expected)

    @property
    def timeliness(self) -> Decimal | None:
        return self._pct(self.on_time, self.expected)

    @property
    def approval(self) -> Decimal | None:
        return self._pct(self.approved, self.expected)


@dataclass
class Dashboard:
    year: int
    root: Organisation | None
    coverage: Coverage | None = None
    key: list[KeyFigure] = field(default_factory=list)
    achievement: BarChart | None = None
    rankings: list[Ranking] = field(default_factory=list)
    rounds: list[RoundLine] = field(default_factory=list)
    rounds_open: bool = True

    @property
    def year_in_progress(self) -> bool:
        return self.coverage.partial if self.coverage else self.year >= timezone.localdate().year

    @property
    def synthetic_targets(self) -> bool:
        """Some plan shown is illustrative (marked "*"): the page explains the mark."""
        return any(k.row.target_synthetic for k in self.key)

    @property
    def scope_label(self) -> str:
        return self.root.name if self.root else _("Toàn tỉnh")


# Year and unit ---------------------------------------------------------------------------------------------


def data_years() -> list[int]:
    """Years with any approved value or a target, newest first (the year picker)."""
    from . import summary

    years = set(summary.years())  # from the yearly summary's year index, not DISTINCT over every value
    years |= set(Target.objects.values_list("year", flat=True).distinct())
    return sorted(years, reverse=True)


def default_year() -> int:
    """The last complete year with approved values (a year not over yet is shown only when chosen, marked as
    partial); the current year when no earlier one has any; the previous year when there is nothing at all."""
    this_year = timezone.localdate().year
    latest = DataValue.objects.filter(APPROVED, year__lt=this_year).aggregate(latest=Max("year"))["latest"]
    if latest:
        return int(latest)
    if DataValue.objects.filter(APPROVED, year=this_year).exists():
        return this_year
    return this_year - 1


def unit_choices() -> list[Organisation]:
    """Units worth choosing: People's Committees, those that report on a form or have targets, and successors of
    former organisations; former units included (current ones first). Every one of them (the pivot's list): the
    dashboard offers a short list and a search instead (unit_picker, selectors.dashboard_unit_search)."""
    return list(
        selectors.results_units().order_by(F("valid_to").asc(nulls_first=True), "path").only(*selectors.UNIT_LABEL_FIELDS)
    )


def unit_label(organisation: Organisation) -> str:
    """The unit's name; a former one says so, with its last day ("trước sắp xếp, đến 30/06/2025")."""
    if organisation.valid_to is None:
        return organisation.name
    return _("%(name)s (trước sắp xếp, đến %(day)s)") % {
        "name": organisation.name,
        "day": organisation.valid_to.strftime("%d/%m/%Y"),
    }


# Groups of the picker's short list, in this order (each a kind of organisation).
_GROUPS = (
    OrganisationKind.PEOPLES_COMMITTEE,
    OrganisationKind.DEPARTMENT,
    OrganisationKind.ENTERPRISE,
    OrganisationKind.MINISTRY,
    OrganisationKind.DIVISION,
    OrganisationKind.OTHER,
)


@dataclass
class UnitPicker:
    """The dashboard's unit select: a few groups of units (an <optgroup> each) and the chosen unit, even when it is
    not among them (found by the search). Everything else is reached by the search."""

    groups: list[tuple[str, list[tuple[int, str]]]]

    @property
    def choices(self) -> list[tuple[Any, Any]]:
        return [("", _("Toàn tỉnh")), *self.groups]


def unit_picker(user: Any, chosen: Organisation | None = None) -> UnitPicker:
    """The short list (selectors.dashboard_unit_shortlist: one query) grouped by kind, plus the chosen unit."""
    shortlist = selectors.dashboard_unit_shortlist(user)
    by_kind: dict[str, list[tuple[int, str]]] = {}
    for org in shortlist:
        by_kind.setdefault(org.kind if org.kind in _GROUPS else OrganisationKind.OTHER, []).append((org.pk, unit_label(org)))
    groups = [(str(OrganisationKind(kind).label), by_kind[kind]) for kind in _GROUPS if kind in by_kind]
    if chosen is not None and all(org.pk != chosen.pk for org in shortlist):
        groups.insert(0, (_("Đơn vị đang xem"), [(chosen.pk, unit_label(chosen))]))
    return UnitPicker(groups=groups)


# Key indicators ---------------------------------------------------------------------------------------------


def key_rows(year: int, root: Organisation | None) -> list[ResultRow]:
    """Rows with a target first (the plan's key indicators), then rows with a value, KEY_LIMIT at most."""
    rows = results(period=Period.parse(str(year)), root=root)
    with_target = [r for r in rows if r.target is not None]
    others = [r for r in rows if r.target is None and r.actual is not None]
    others.sort(key=lambda r: r.kind != "indicator")  # indicators (rates, densities) before raw counts
    return (with_target + others)[:KEY_LIMIT]


def _float(value: Decimal | None, decimals: int | None = None) -> float | None:
    if value is None:
        return None
    return float(round(value, decimals)) if decimals is not None else float(value)


def trends(rows: list[ResultRow], years: list[int], root: Organisation | None) -> list[BarChart]:
    """For each row: the value of each year (bars) against the year's target (dashes). A few queries in all: the
    values are combined by the database (analytics.aggregate_in_database)."""
    elements = elements_by_code()
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=[r.code for r in rows if r.kind == "indicator"])}
    targets: dict[tuple[str, str, int], Decimal] = {}
    for t in Target.objects.filter(year__in=years, organisation=root).select_related("indicator", "element"):
        subject = t.indicator or t.element
        kind = "indicator" if t.indicator_id else "element"
        targets[(kind, subject.code, t.year)] = t.value  # type: ignore[union-attr]
    periods = [Period.parse(str(y)) for y in years]
    ctx = Context.for_root(root)
    needed = {
        elements[ref.code]
        for i in indicators.values()
        for ref in formula.references(formula.parse(i.formula))
        if ref.code in elements
    } | {elements[r.code] for r in rows if r.kind == "element" and r.code in elements}
    # the years shown and those the formulas read (last year's value of a change): all combined by the database
    read = set(periods) | {
        shifted_period(p, shift)
        for i in indicators.values()
        for shift in formula.shifts(formula.parse(i.formula))
        for p in periods
    }
    aggregate_in_database({0: ctx}, needed, read, formula_options(indicators.values(), elements))  # one query
    charts = []
    for row in rows:
        actual: list[float | None] = []
        for period in periods:
            if row.kind == "indicator":
                actual.append(_float(ctx.indicator_value(indicators[row.code], period, elements), row.decimals))
            else:
                actual.append(_float(ctx.element_value(elements[row.code], period), row.decimals))
        plan = [_float(targets.get((row.kind, row.code, y)), row.decimals) for y in years]
        charts.append(
            BarChart(
                title=row.name,
                categories=[str(y) for y in years],
                series=[Series(_("Thực hiện"), actual)],
                unit=row.unit,
                target=plan if any(v is not None for v in plan) else None,
                horizontal=False,
                width=540,
            )
        )
    return charts


def achievement_chart(key: list[KeyFigure], year: int) -> BarChart | None:
    measured = [k for k in key if k.percent is not None]
    if not measured:
        return None
    return BarChart(
        title=_("Mức độ thực hiện kế hoạch năm %(year)s") % {"year": year},
        categories=[k.row.name for k in measured],
        series=[Series(_("Thực hiện so với kế hoạch"), [_float(k.percent, 1) for k in measured])],
        unit="%",
        target=[100.0] * len(measured),
        horizontal=True,
    )


# Rankings ---------------------------------------------------------------------------------------------------


def latest_frameworks(year: int) -> list[IndexFramework]:
    """The latest version (up to `year`) of each index."""
    latest: dict[str, IndexFramework] = {}
    for framework in IndexFramework.objects.filter(year__lte=year).order_by("code", "-year"):
        latest.setdefault(framework.code, framework)
    return sorted(latest.values(), key=lambda f: (-f.year, f.code))


def ranking(framework: IndexFramework, root: Organisation | None) -> Ranking:
    table = index_table(framework)
    ranked = [r for r in table.rows if r.rank is not None and r.score is not None][:RANKING_ROWS]
    chart = BarChart(
        title=f"{framework.name} {framework.year}",
        categories=[f"{r.rank}. {r.subject.name}" for r in ranked],
        series=[Series(_("Điểm"), [_float(r.score) for r in ranked])],
        horizontal=True,
        width=560,
    )
    own = [r for r in table.rows if _is_own(r.subject.organisation, root)]
    return Ranking(table=table, chart=chart, highlight=own)


def _is_own(organisation: Organisation | None, root: Organisation | None) -> bool:
    """The compared subject is the unit chosen, or, for the whole province, the current province itself."""
    if organisation is None:
        return False
    if root is not None:
        return organisation.pk == root.pk
    return (
        organisation.parent_id is None
        and organisation.kind == OrganisationKind.PEOPLES_COMMITTEE
        and organisation.valid_to is None
    )


# Rounds -----------------------------------------------------------------------------------------------------


def round_lines(user: Any, limit: int = 8) -> tuple[list[RoundLine], bool]:
    """Completeness and timeliness of the open rounds (or, when none is open, of the latest ones): one query."""
    qs = selectors.readable_rounds(user)
    open_rounds = list(qs.filter(status=RoundStatus.OPEN)[:limit])
    chosen, is_open = (open_rounds, True) if open_rounds else (list(qs[:limit]), False)
    lines = [RoundLine(r, r.expected, r.received, r.on_time, r.approved) for r in chosen]  # type: ignore[attr-defined]
    return lines, is_open


# The page ---------------------------------------------------------------------------------------------------


def comparisons(rows: list[ResultRow], cover: Coverage, root: Organisation | None) -> list[str]:
    """Each row's change on like periods, in words: a whole year against the year before; a partial year against
    the same months of the year before ("so với cùng kỳ 11 tháng năm 2025"), or a plain statement that no
    comparison is possible when like periods are not available (never against the whole of last year)."""
    if not cover.partial:
        return [_change_words(r.change_percent, cover) if r.comparable else "" for r in rows]
    if cover.months == 0:
        return ["" for _r in rows]
    elements = elements_by_code()
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=[r.code for r in rows if r.kind == "indicator"])}
    ctx = Context.for_root(root)
    periods = [p for y in (cover.year, cover.year - 1) for p in (Coverage(y, cover.months).like_period,) if p] or [
        p for y in (cover.year, cover.year - 1) for p in _months_pieces(y, cover.months)
    ]
    ctx.load([elements[r.code] for r in rows if r.kind == "element" and r.code in elements], periods)  # one query
    texts = []
    for row in rows:
        if not row.comparable:
            texts.append("")
            continue
        now = _year_to_date(ctx, row, cover.year, cover.months, elements, indicators)
        before = _year_to_date(ctx, row, cover.year - 1, cover.months, elements, indicators)
        if now is None or not before:
            texts.append(_("chưa so sánh được: không có số liệu %(like)s để đối chiếu") % {"like": cover.compared_with})
            continue
        texts.append(_change_words((now - before) / before * 100, cover))
    return texts


def _change_words(percent: Decimal | None, cover: Coverage) -> str:
    if percent is None:
        return ""
    rounded = percent.quantize(Decimal("0.01"))
    with_what = cover.compared_with
    if rounded == 0:
        return _("bằng %(with)s") % {"with": with_what}
    shown = format_number(abs(rounded), 2, trim=True)
    if rounded > 0:
        return _("tăng %(pct)s%% so với %(with)s") % {"pct": shown, "with": with_what}
    return _("giảm %(pct)s%% so với %(with)s") % {"pct": shown, "with": with_what}


def dashboard(*, user: Any, year: int, root: Organisation | None, today: dt.date | None = None) -> Dashboard:
    cover = coverage(year, today)
    board = Dashboard(year=year, root=root, coverage=cover)
    rows = key_rows(year, root)
    years = list(range(year - TREND_YEARS + 1, year + 1))
    charts = trends(rows, years, root)
    if cover.partial:
        for chart in charts:  # the running year's bar is the year so far: its label says so
            chart.categories[-1] = _("%(year)s (%(n)s tháng)") % {"year": year, "n": cover.months}
    board.key = [
        KeyFigure(row, chart, comparison, achieved_phrase(row.percent_of_target, whole_year=not cover.partial))
        for row, chart, comparison in zip(rows, charts, comparisons(rows, cover, root), strict=True)
    ]
    board.achievement = achievement_chart(board.key, year)
    board.rankings = [ranking(f, root) for f in latest_frameworks(year)]
    board.rounds, board.rounds_open = round_lines(user)
    return board


__all__ = [
    "Coverage",
    "Dashboard",
    "KeyFigure",
    "UnitPicker",
    "coverage",
    "dashboard",
    "data_years",
    "default_year",
    "unit_choices",
    "unit_label",
    "unit_picker",
]
